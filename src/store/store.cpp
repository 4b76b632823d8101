#include "smsgw/store/store.hpp"

#include <algorithm>
#include <cctype>

#include "json_object.hpp"
#include "migrations.hpp"
#include "smsgw/scheduler/reassembler.hpp"
#include "smsgw/store/ulid.hpp"
#include "sqlite.hpp"

// Early returns for Result values (store-internal).
#define STORE_CONCAT_INNER(a, b) a##b
#define STORE_CONCAT(a, b) STORE_CONCAT_INNER(a, b)
#define STORE_TRY(expr)                                                \
  do {                                                                 \
    auto&& store_try_result = (expr);                                  \
    if (!store_try_result) return std::move(store_try_result).error(); \
  } while (false)
#define STORE_TRY_ASSIGN(lhs, expr) \
  STORE_TRY_ASSIGN_IMPL(STORE_CONCAT(store_r_, __LINE__), lhs, expr)
#define STORE_TRY_ASSIGN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp) return std::move(tmp).error();    \
  lhs = std::move(*tmp)

namespace smsgw::store {

using sqlite::Query;
using sqlite::to_millis;

namespace {

#define MESSAGE_COLUMNS                                                                          \
  "id, recipient, text, encoding, part_count, priority, send_at, expires_at, flash, "            \
  "status_report, pinned_modem, pinned_operator, destination_operator, status, assigned_modem, " \
  "attempts, next_attempt_at, created_at, sent_at, delivered_at, last_error"

#define PART_COLUMNS                                                                             \
  "message_id, idx, pdu, tpdu_length, status, modem, mr, sent_at, delivered_at, report_status, " \
  "error"

#define INBOUND_COLUMNS \
  "id, modem, sender, smsc_time, concat_ref, total, parts_received, complete, text, received_at"

StoredMessage read_message(const Query& q) {
  StoredMessage m;
  m.id = q.text(0);
  m.to = q.text(1);
  m.text = q.text(2);
  m.encoding = q.text(3);
  m.part_count = static_cast<int>(q.integer(4));
  m.priority = static_cast<int>(q.integer(5));
  m.send_at = q.optional_time(6);
  m.expires_at = q.optional_time(7);
  m.flash = q.integer(8) != 0;
  m.status_report = q.integer(9) != 0;
  m.pinned_modem = q.optional_text(10);
  m.pinned_operator = q.optional_text(11);
  m.destination_operator = q.optional_text(12);
  m.status = parse_message_status(q.text(13)).value_or(MessageStatus::failed);
  m.assigned_modem = q.optional_text(14);
  m.attempts = static_cast<int>(q.integer(15));
  m.next_attempt_at = q.optional_time(16);
  m.created_at = q.time(17);
  m.sent_at = q.optional_time(18);
  m.delivered_at = q.optional_time(19);
  m.last_error = q.optional_text(20);
  return m;
}

StoredPart read_part(const Query& q) {
  StoredPart p;
  p.message_id = q.text(0);
  p.index = static_cast<int>(q.integer(1));
  p.pdu_hex = q.text(2);
  p.tpdu_length = static_cast<int>(q.integer(3));
  p.status = parse_part_status(q.text(4)).value_or(PartStatus::unknown);
  p.modem = q.optional_text(5);
  p.mr = q.optional_int(6);
  p.sent_at = q.optional_time(7);
  p.delivered_at = q.optional_time(8);
  p.report_status = q.optional_int(9);
  p.error = q.optional_text(10);
  return p;
}

StoredInbound read_inbound(const Query& q) {
  StoredInbound m;
  m.id = q.text(0);
  m.modem = q.text(1);
  m.sender = q.text(2);
  m.smsc_time = q.optional_time(3);
  m.concat_ref = q.optional_int(4);
  m.total = static_cast<int>(q.integer(5));
  m.parts_received = static_cast<int>(q.integer(6));
  m.complete = q.integer(7) != 0;
  m.text = q.text(8);
  m.received_at = q.time(9);
  return m;
}

std::string digits_of(std::string_view number) {
  std::string out;
  for (const char c : number) {
    if (c >= '0' && c <= '9') out += c;
  }
  return out;
}

// National and international forms of one number share their trailing digits once the
// trunk or international prefix zeros are dropped ("0151..." / "0049151..." / "+49151...").
bool same_number(std::string_view a, std::string_view b) {
  auto da = digits_of(a);
  auto db = digits_of(b);
  da.erase(0, da.find_first_not_of('0'));
  db.erase(0, db.find_first_not_of('0'));
  const auto shorter = std::min(da.size(), db.size());
  if (shorter < 6) return da == db;
  return da.ends_with(db) || db.ends_with(da);
}

TimePoint or_now(TimePoint given, TimePoint now) { return given == TimePoint{} ? now : given; }

std::string hex_byte(int value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "0x";
  out += kHex[(value >> 4) & 0xf];
  out += kHex[value & 0xf];
  return out;
}

}  // namespace

struct Store::Impl {
  std::filesystem::path path;
  StoreOptions options;
  std::unique_ptr<sqlite::Connection> db;
  UlidGenerator ids;
  std::uint64_t commits = 0;
  int version = 0;
  bool in_batch = false;

  Result<std::unique_ptr<Query>> q(const char* sql) { return db->query(sql); }

  Result<void> run(const char* sql) {
    STORE_TRY_ASSIGN(auto query, q(sql));
    return query->run();
  }

  // Runs `body` inside BEGIN IMMEDIATE ... COMMIT; rolls back when it fails. In batch mode
  // (begin_batch) the body runs in a savepoint of the batch's transaction instead.
  template <class F>
  auto transaction(F&& body) -> decltype(body()) {
    if (in_batch) {
      if (auto begun = run("SAVEPOINT call"); !begun) return begun.error();
      auto result = body();
      if (!result) (void)run("ROLLBACK TO call");
      if (auto released = run("RELEASE call"); !released && result) return released.error();
      return result;
    }
    if (auto begun = run("BEGIN IMMEDIATE"); !begun) return begun.error();
    auto result = body();
    if (!result) {
      (void)run("ROLLBACK");
      return result;
    }
    if (auto committed = run("COMMIT"); !committed) {
      (void)run("ROLLBACK");
      return committed.error();
    }
    ++commits;
    return result;
  }

  Result<void> add_event(const std::string& id, std::string_view kind, const std::string& detail,
                         TimePoint now) {
    STORE_TRY_ASSIGN(
        auto query,
        q("INSERT INTO message_events (message_id, at, kind, detail) VALUES (?, ?, ?, ?)"));
    return query->bind_all(id, now, kind, detail).run();
  }

  // All parts of one message leave through one SIM (contract.md): once a part has left
  // (its +CMGS recorded), a message queued again is pinned to that part's modem.
  Result<void> pin_to_sim_of_sent_parts(const std::string& id) {
    STORE_TRY_ASSIGN(
        auto pin,
        q("UPDATE messages SET pinned_modem = (SELECT modem FROM message_parts WHERE "
          "message_id = ?1 AND sent_at IS NOT NULL AND modem IS NOT NULL ORDER BY idx LIMIT 1) "
          "WHERE id = ?1 AND pinned_modem IS NULL AND EXISTS (SELECT 1 FROM message_parts "
          "WHERE message_id = ?1 AND sent_at IS NOT NULL AND modem IS NOT NULL)"));
    return pin->bind(1, id).run();
  }

  Result<std::optional<StoredMessage>> find_message(const std::string& id) {
    STORE_TRY_ASSIGN(auto query, q("SELECT " MESSAGE_COLUMNS " FROM messages WHERE id = ?"));
    query->bind(1, id);
    STORE_TRY_ASSIGN(const bool row, query->step());
    if (!row) return std::optional<StoredMessage>();
    return std::optional<StoredMessage>(read_message(*query));
  }

  Result<StoredMessage> require_message(const std::string& id) {
    STORE_TRY_ASSIGN(auto found, find_message(id));
    if (!found) return make_error("not_found", "message " + id + " does not exist");
    return std::move(*found);
  }

  Result<std::vector<StoredPart>> parts_of(const std::string& id) {
    STORE_TRY_ASSIGN(auto query, q("SELECT " PART_COLUMNS
                                   " FROM message_parts WHERE message_id = ? ORDER BY idx"));
    query->bind(1, id);
    std::vector<StoredPart> parts;
    while (true) {
      STORE_TRY_ASSIGN(const bool row, query->step());
      if (!row) break;
      parts.push_back(read_part(*query));
    }
    return parts;
  }

  Result<StoredMessage> message_with_parts(const std::string& id) {
    STORE_TRY_ASSIGN(auto message, require_message(id));
    STORE_TRY_ASSIGN(message.parts, parts_of(id));
    return message;
  }

  Result<void> set_status(const std::string& id, MessageStatus status) {
    STORE_TRY_ASSIGN(auto query, q("UPDATE messages SET status = ? WHERE id = ?"));
    return query->bind_all(to_string(status), id).run();
  }

  Result<StoredPart> require_part(const std::string& id, int index) {
    STORE_TRY_ASSIGN(auto query, q("SELECT " PART_COLUMNS
                                   " FROM message_parts WHERE message_id = ? AND idx = ?"));
    query->bind_all(id, index);
    STORE_TRY_ASSIGN(const bool row, query->step());
    if (!row) {
      return make_error("not_found", "message " + id + " has no part " + std::to_string(index));
    }
    return read_part(*query);
  }

  // Inserts one message with its parts and "queued" event (inside a transaction).
  Result<std::string> insert_one(const NewMessage& message, TimePoint now) {
    if (message.parts.empty()) {
      return make_error("invalid", "message to " + message.to + " has no parts");
    }
    const std::string id = message.id.empty() ? ids.next(now) : message.id;
    const TimePoint created = or_now(message.created_at, now);
    STORE_TRY_ASSIGN(auto insert,
                     q("INSERT INTO messages (id, recipient, text, encoding, part_count, priority, "
                       "send_at, expires_at, flash, status_report, pinned_modem, pinned_operator, "
                       "destination_operator, status, attempts, created_at) VALUES "
                       "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?)"));
    insert->bind_all(id, message.to, message.text, message.encoding,
                     static_cast<int>(message.parts.size()), message.priority, message.send_at,
                     message.expires_at, message.flash, message.status_report, message.pinned_modem,
                     message.pinned_operator, message.destination_operator, created);
    if (auto done = insert->run(); !done) {
      if (done.error().code == "conflict") {
        return make_error("conflict", "message id " + id + " already exists");
      }
      return done.error();
    }
    STORE_TRY_ASSIGN(auto part_insert,
                     q("INSERT INTO message_parts (message_id, idx, pdu, tpdu_length, status) "
                       "VALUES (?, ?, ?, ?, 'queued')"));
    for (std::size_t i = 0; i < message.parts.size(); ++i) {
      STORE_TRY(part_insert
                    ->bind_all(id, static_cast<int>(i + 1), message.parts[i].pdu_hex,
                               message.parts[i].tpdu_length)
                    .run());
    }
    STORE_TRY(add_event(id, "queued",
                        JsonObject()
                            .text("to", message.to)
                            .number("parts", static_cast<std::int64_t>(message.parts.size()))
                            .text("encoding", message.encoding)
                            .number("priority", message.priority)
                            .str(),
                        created));
    return id;
  }

  Result<std::optional<IdempotencyRecord>> find_key(const std::string& key) {
    STORE_TRY_ASSIGN(auto query, q("SELECT key, fingerprint, response_status, response_body, "
                                   "created_at FROM idempotency_keys WHERE key = ?"));
    query->bind(1, key);
    STORE_TRY_ASSIGN(const bool row, query->step());
    if (!row) return std::optional<IdempotencyRecord>();
    IdempotencyRecord record;
    record.key = query->text(0);
    record.fingerprint = query->text(1);
    record.response_status = static_cast<int>(query->integer(2));
    record.response_body = query->text(3);
    record.created_at = query->time(4);
    return std::optional<IdempotencyRecord>(std::move(record));
  }

  // One submission inside an open transaction, without its own savepoint.
  Result<SubmissionResult> insert_submission(std::span<const NewMessage> messages,
                                             const std::optional<IdempotencyRecord>& idempotency,
                                             TimePoint now) {
    SubmissionResult result;
    if (idempotency) {
      STORE_TRY_ASSIGN(auto existing, find_key(idempotency->key));
      if (existing) {
        if (existing->fingerprint != idempotency->fingerprint) {
          return make_error("conflict", "Idempotency-Key \"" + idempotency->key +
                                            "\" was already used with another request");
        }
        result.replay = std::move(existing);
        return result;
      }
      STORE_TRY_ASSIGN(auto insert,
                       q("INSERT INTO idempotency_keys (key, fingerprint, response_status, "
                         "response_body, created_at) VALUES (?, ?, ?, ?, ?)"));
      STORE_TRY(insert
                    ->bind_all(idempotency->key, idempotency->fingerprint,
                               idempotency->response_status, idempotency->response_body,
                               or_now(idempotency->created_at, now))
                    .run());
    }
    if (messages.empty()) return make_error("invalid", "a submission needs at least one message");
    for (const auto& message : messages) {
      STORE_TRY_ASSIGN(auto id, insert_one(message, now));
      result.ids.push_back(std::move(id));
    }
    return result;
  }

  // Message `sending` -> `sent` once every part is settled (sent, delivered, or failed by a
  // status report), then the report roll-up. Returns the resulting status.
  Result<MessageStatus> settle_if_done(const std::string& id, TimePoint now) {
    STORE_TRY_ASSIGN(auto message, require_message(id));
    STORE_TRY_ASSIGN(auto parts, parts_of(id));
    if (message.status != MessageStatus::sending) return message.status;
    const bool settled = std::all_of(parts.begin(), parts.end(), [](const StoredPart& p) {
      return p.status == PartStatus::sent || p.status == PartStatus::delivered ||
             (p.status == PartStatus::failed && p.report_status.has_value());
    });
    if (!settled) return message.status;
    STORE_TRY_ASSIGN(auto update,
                     q("UPDATE messages SET status = 'sent', sent_at = ?, next_attempt_at = NULL "
                       "WHERE id = ?"));
    STORE_TRY(update->bind_all(now, id).run());
    STORE_TRY(add_event(id, "sent",
                        JsonObject()
                            .text("modem", message.assigned_modem.value_or(""))
                            .number("parts", static_cast<std::int64_t>(parts.size()))
                            .str(),
                        now));
    return apply_roll_up(id, MessageStatus::sent, parts, now);
  }

  Result<MessageStatus> apply_roll_up(const std::string& id, MessageStatus current,
                                      const std::vector<StoredPart>& parts, TimePoint now) {
    std::vector<PartStatus> statuses;
    for (const auto& p : parts) statuses.push_back(p.status);
    const MessageStatus next = roll_up(current, statuses);
    if (next == current) return current;
    if (next == MessageStatus::delivered) {
      STORE_TRY_ASSIGN(
          auto update,
          q("UPDATE messages SET status = 'delivered', delivered_at = ? WHERE id = ?"));
      STORE_TRY(update->bind_all(now, id).run());
      STORE_TRY(add_event(id, "delivered", "{}", now));
    } else if (next == MessageStatus::failed) {
      std::string error = "a part failed";
      for (const auto& p : parts) {
        if (p.status == PartStatus::failed) {
          error = "part " + std::to_string(p.index) + ": " + p.error.value_or("failed");
          break;
        }
      }
      STORE_TRY_ASSIGN(auto update,
                       q("UPDATE messages SET status = 'failed', last_error = ? WHERE id = ?"));
      STORE_TRY(update->bind_all(error, id).run());
      STORE_TRY(add_event(id, "failed", JsonObject().text("error", error).str(), now));
    }
    return next;
  }

  Result<void> migrate(int target) {
    const auto all = migrations();
    STORE_TRY_ASSIGN(auto version_query, q("PRAGMA user_version"));
    STORE_TRY(version_query->step());
    version = static_cast<int>(version_query->integer(0));
    version_query.reset();
    if (version > static_cast<int>(all.size())) {
      return make_error("store.schema",
                        path.string() + " has schema version " + std::to_string(version) +
                            ", newer than this smsgw understands (" + std::to_string(all.size()) +
                            "); use a newer smsgw or another database file");
    }
    if (version >= target) return {};
    return transaction([&]() -> Result<void> {
      for (int v = version; v < target; ++v) {
        if (auto applied = db->exec(all[static_cast<std::size_t>(v)]); !applied) {
          return make_error(applied.error().code, "migration to schema version " +
                                                      std::to_string(v + 1) +
                                                      " failed: " + applied.error().message);
        }
      }
      STORE_TRY(db->exec("PRAGMA user_version = " + std::to_string(target)));
      version = target;
      return {};
    });
  }
};

// ---------------------------------------------------------------------------------------

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

int Store::latest_schema_version() { return static_cast<int>(migrations().size()); }
int Store::schema_version() const { return impl_->version; }
std::uint64_t Store::commit_count() const { return impl_->commits; }

Result<void> Store::begin_batch() {
  if (impl_->in_batch) return make_error("invalid", "a batch is already open");
  if (auto begun = impl_->run("BEGIN IMMEDIATE"); !begun) return begun.error();
  impl_->in_batch = true;
  return {};
}

Result<void> Store::commit_batch() {
  if (!impl_->in_batch) return make_error("invalid", "no batch is open");
  impl_->in_batch = false;
  if (auto committed = impl_->run("COMMIT"); !committed) {
    (void)impl_->run("ROLLBACK");
    return committed.error();
  }
  ++impl_->commits;
  return {};
}

Result<void> Store::begin_job() { return impl_->run("SAVEPOINT job"); }

Result<void> Store::end_job(bool keep) {
  if (!keep) {
    if (auto undone = impl_->run("ROLLBACK TO job"); !undone) return undone.error();
  }
  return impl_->run("RELEASE job");
}
const std::filesystem::path& Store::path() const { return impl_->path; }
std::string Store::new_id(TimePoint now) { return impl_->ids.next(now); }

Result<std::unique_ptr<Store>> Store::open(const std::filesystem::path& path,
                                           StoreOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->options = options;
  STORE_TRY_ASSIGN(impl->db, sqlite::Connection::open(path));
  const auto busy_ms = std::to_string(options.busy_timeout.count());
  // synchronous=FULL in WAL mode: every COMMIT fsyncs the WAL, so a committed transaction
  // survives a power cut (https://www.sqlite.org/pragma.html#pragma_synchronous).
  auto configured = impl->db->exec(
      "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
      "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = " +
      busy_ms + ";");
  if (!configured) {
    return make_error(configured.error().code,
                      "cannot use database " + path.string() + ": " + configured.error().message);
  }
  {
    // The durability promise depends on these; refuse to run without them.
    STORE_TRY_ASSIGN(auto sync, impl->q("PRAGMA synchronous"));
    STORE_TRY(sync->step());
    const auto level = sync->integer(0);
    sync.reset();
    STORE_TRY_ASSIGN(auto journal, impl->q("PRAGMA journal_mode"));
    STORE_TRY(journal->step());
    const auto mode = journal->text(0);
    journal.reset();
    if (level != 2 || mode != "wal") {
      return make_error("store.error", path.string() +
                                           ": cannot enable WAL with synchronous=FULL "
                                           "(journal_mode is " +
                                           mode + ")");
    }
  }
  const int target = options.schema_version.value_or(latest_schema_version());
  STORE_TRY(impl->migrate(target));
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

// ---- Submissions -------------------------------------------------------------------------

Result<SubmissionResult> Store::insert_messages(
    std::span<const NewMessage> messages, const std::optional<IdempotencyRecord>& idempotency) {
  const TimePoint now = std::chrono::system_clock::now();
  return impl_->transaction([&]() { return impl_->insert_submission(messages, idempotency, now); });
}

Result<std::optional<IdempotencyRecord>> Store::find_idempotency(const std::string& key) {
  return impl_->find_key(key);
}

Result<std::int64_t> Store::purge_idempotency(TimePoint cutoff) {
  return impl_->transaction([&]() -> Result<std::int64_t> {
    STORE_TRY_ASSIGN(auto query, impl_->q("DELETE FROM idempotency_keys WHERE created_at < ?"));
    STORE_TRY(query->bind(1, cutoff).run());
    return impl_->db->changes();
  });
}

// ---- Queue --------------------------------------------------------------------------------

Result<std::vector<StoredMessage>> Store::due_messages(TimePoint now, std::size_t limit,
                                                       const std::optional<DueCursor>& after) {
  STORE_TRY_ASSIGN(auto query,
                   impl_->q("SELECT " MESSAGE_COLUMNS " FROM messages INDEXED BY messages_queue "
                            "WHERE status = 'queued' "
                            "AND (send_at IS NULL OR send_at <= ?1) "
                            "AND (next_attempt_at IS NULL OR next_attempt_at <= ?1) "
                            "AND (expires_at IS NULL OR expires_at > ?1) "
                            "AND (?2 IS NULL OR priority < ?2 OR (priority = ?2 AND id > ?3)) "
                            "ORDER BY priority DESC, id ASC LIMIT ?4"));
  query->bind(1, now);
  if (after) {
    query->bind(2, after->priority).bind(3, after->id);
  } else {
    query->bind(2, std::nullopt).bind(3, std::nullopt);
  }
  query->bind(4, static_cast<std::int64_t>(limit));
  std::vector<StoredMessage> out;
  while (true) {
    STORE_TRY_ASSIGN(const bool row, query->step());
    if (!row) break;
    out.push_back(read_message(*query));
  }
  return out;
}

Result<std::optional<TimePoint>> Store::next_due_time(TimePoint now) {
  STORE_TRY_ASSIGN(auto query,
                   impl_->q("SELECT MIN(MAX(COALESCE(send_at, 0), COALESCE(next_attempt_at, 0))) "
                            "FROM messages WHERE status = 'queued' "
                            "AND (expires_at IS NULL OR expires_at > ?1) "
                            "AND (send_at > ?1 OR next_attempt_at > ?1)"));
  query->bind(1, now);
  STORE_TRY(query->step());
  return query->optional_time(0);
}

Result<std::vector<std::string>> Store::expire_due(TimePoint now) {
  return impl_->transaction([&]() -> Result<std::vector<std::string>> {
    std::vector<std::string> ids;
    {
      STORE_TRY_ASSIGN(auto query, impl_->q("SELECT id FROM messages WHERE status = 'queued' "
                                            "AND expires_at IS NOT NULL AND expires_at <= ?"));
      query->bind(1, now);
      while (true) {
        STORE_TRY_ASSIGN(const bool row, query->step());
        if (!row) break;
        ids.push_back(query->text(0));
      }
    }
    for (const auto& id : ids) {
      STORE_TRY_ASSIGN(auto update,
                       impl_->q("UPDATE messages SET status = 'expired', last_error = "
                                "'validity period ended before it could be sent' WHERE id = ?"));
      STORE_TRY(update->bind(1, id).run());
      STORE_TRY(impl_->add_event(id, "expired", "{}", now));
    }
    return ids;
  });
}

Result<StoredMessage> Store::claim_message(const std::string& id, const std::string& modem,
                                           TimePoint now) {
  return impl_->transaction([&]() -> Result<StoredMessage> {
    STORE_TRY_ASSIGN(auto message, impl_->require_message(id));
    if (message.status != MessageStatus::queued) {
      return make_error("conflict", "message " + id + " is " +
                                        std::string(to_string(message.status)) +
                                        "; only queued messages can be claimed");
    }
    STORE_TRY_ASSIGN(auto update,
                     impl_->q("UPDATE messages SET status = 'sending', assigned_modem = ?, "
                              "attempts = attempts + 1, next_attempt_at = NULL WHERE id = ?"));
    STORE_TRY(update->bind_all(modem, id).run());
    STORE_TRY_ASSIGN(auto parts, impl_->q("UPDATE message_parts SET modem = ? WHERE message_id = ? "
                                          "AND status = 'queued'"));
    STORE_TRY(parts->bind_all(modem, id).run());
    STORE_TRY(impl_->add_event(
        id, "claimed",
        JsonObject().text("modem", modem).number("attempt", message.attempts + 1).str(), now));
    return impl_->message_with_parts(id);
  });
}

Result<void> Store::record_part_sending(const std::string& id, int index, TimePoint now) {
  return impl_->transaction([&]() -> Result<void> {
    STORE_TRY_ASSIGN(auto part, impl_->require_part(id, index));
    if (part.status != PartStatus::queued) {
      return make_error("conflict", "part " + std::to_string(index) + " of message " + id + " is " +
                                        std::string(to_string(part.status)) + ", not queued");
    }
    STORE_TRY_ASSIGN(auto message, impl_->require_message(id));
    if (message.status != MessageStatus::sending) {
      return make_error("conflict", "message " + id + " is " +
                                        std::string(to_string(message.status)) + ", not sending");
    }
    STORE_TRY_ASSIGN(auto update,
                     impl_->q("UPDATE message_parts SET status = 'sending' WHERE message_id = ? "
                              "AND idx = ?"));
    STORE_TRY(update->bind_all(id, index).run());
    return impl_->add_event(id, "part_sending",
                            JsonObject()
                                .number("index", index)
                                .text("modem", message.assigned_modem.value_or(""))
                                .str(),
                            now);
  });
}

Result<MessageStatus> Store::record_part_sent(const std::string& id, int index, int mr,
                                              TimePoint now) {
  return impl_->transaction([&]() -> Result<MessageStatus> {
    STORE_TRY_ASSIGN(auto part, impl_->require_part(id, index));
    if (part.status != PartStatus::sending && part.status != PartStatus::queued &&
        part.status != PartStatus::unknown) {
      return make_error("conflict", "part " + std::to_string(index) + " of message " + id + " is " +
                                        std::string(to_string(part.status)) + ", not being sent");
    }
    STORE_TRY_ASSIGN(auto update,
                     impl_->q("UPDATE message_parts SET status = 'sent', mr = ?, sent_at = ?, "
                              "error = NULL WHERE message_id = ? AND idx = ?"));
    STORE_TRY(update->bind_all(mr, now, id, index).run());
    STORE_TRY(impl_->add_event(id, "part_sent",
                               JsonObject()
                                   .number("index", index)
                                   .number("mr", mr)
                                   .text("modem", part.modem.value_or(""))
                                   .str(),
                               now));
    return impl_->settle_if_done(id, now);
  });
}

Result<void> Store::record_part_failed(const std::string& id, int index, const std::string& error,
                                       TimePoint now) {
  return impl_->transaction([&]() -> Result<void> {
    STORE_TRY_ASSIGN(auto part, impl_->require_part(id, index));
    STORE_TRY_ASSIGN(auto update,
                     impl_->q("UPDATE message_parts SET status = ?, error = ? WHERE message_id = ? "
                              "AND idx = ?"));
    STORE_TRY(update->bind_all(to_string(PartStatus::failed), error, id, index).run());
    return impl_->add_event(id, "part_failed",
                            JsonObject().number("index", index).text("error", error).str(), now);
  });
}

Result<void> Store::record_part_unknown(const std::string& id, int index, const std::string& error,
                                        TimePoint now) {
  return impl_->transaction([&]() -> Result<void> {
    STORE_TRY_ASSIGN(auto part, impl_->require_part(id, index));
    STORE_TRY_ASSIGN(auto update,
                     impl_->q("UPDATE message_parts SET status = ?, error = ? WHERE message_id = ? "
                              "AND idx = ?"));
    STORE_TRY(update->bind_all(to_string(PartStatus::unknown), error, id, index).run());
    return impl_->add_event(id, "part_unknown",
                            JsonObject().number("index", index).text("error", error).str(), now);
  });
}

Result<void> Store::requeue(const std::string& id, TimePoint next_attempt_at,
                            const std::string& error, TimePoint now) {
  return impl_->transaction([&]() -> Result<void> {
    STORE_TRY_ASSIGN(auto message, impl_->require_message(id));
    if (message.status != MessageStatus::queued && message.status != MessageStatus::sending) {
      return make_error("conflict", "message " + id + " is " +
                                        std::string(to_string(message.status)) +
                                        "; only queued or sending messages can be requeued");
    }
    STORE_TRY_ASSIGN(auto update,
                     impl_->q("UPDATE messages SET status = 'queued', assigned_modem = NULL, "
                              "next_attempt_at = ?, last_error = ? WHERE id = ?"));
    STORE_TRY(update->bind_all(next_attempt_at, error, id).run());
    STORE_TRY(impl_->pin_to_sim_of_sent_parts(id));
    STORE_TRY_ASSIGN(auto parts,
                     impl_->q("UPDATE message_parts SET status = 'queued', modem = NULL "
                              "WHERE message_id = ? AND status IN "
                              "('queued','sending','failed','unknown')"));
    STORE_TRY(parts->bind(1, id).run());
    return impl_->add_event(id, "requeued",
                            JsonObject()
                                .text("error", error)
                                .number("next_attempt_at", to_millis(next_attempt_at))
                                .number("attempts", message.attempts)
                                .str(),
                            now);
  });
}

Result<void> Store::mark_failed(const std::string& id, const std::string& error, TimePoint now) {
  return impl_->transaction([&]() -> Result<void> {
    STORE_TRY_ASSIGN(auto message, impl_->require_message(id));
    if (message.status != MessageStatus::queued && message.status != MessageStatus::sending) {
      return make_error("conflict", "message " + id + " is " +
                                        std::string(to_string(message.status)) +
                                        "; only queued or sending messages can be failed");
    }
    STORE_TRY_ASSIGN(auto update, impl_->q("UPDATE messages SET status = 'failed', last_error = ?, "
                                           "next_attempt_at = NULL WHERE id = ?"));
    STORE_TRY(update->bind_all(error, id).run());
    STORE_TRY_ASSIGN(auto parts, impl_->q("UPDATE message_parts SET status = 'failed', error = "
                                          "COALESCE(error, ?) WHERE message_id = ? AND status IN "
                                          "('queued','sending')"));
    STORE_TRY(parts->bind_all(error, id).run());
    return impl_->add_event(id, "failed", JsonObject().text("error", error).str(), now);
  });
}

Result<void> Store::mark_expired(const std::string& id, TimePoint now) {
  return impl_->transaction([&]() -> Result<void> {
    STORE_TRY_ASSIGN(auto message, impl_->require_message(id));
    if (message.status != MessageStatus::queued) {
      return make_error("conflict", "message " + id + " is " +
                                        std::string(to_string(message.status)) +
                                        "; only queued messages can expire");
    }
    STORE_TRY_ASSIGN(auto update,
                     impl_->q("UPDATE messages SET status = 'expired', last_error = "
                              "'validity period ended before it could be sent' WHERE id = ?"));
    STORE_TRY(update->bind(1, id).run());
    return impl_->add_event(id, "expired", "{}", now);
  });
}

Result<StoredMessage> Store::cancel(const std::string& id, TimePoint now) {
  return impl_->transaction([&]() -> Result<StoredMessage> {
    STORE_TRY_ASSIGN(auto message, impl_->require_message(id));
    if (message.status != MessageStatus::queued) {
      return make_error("conflict", "message " + id + " is " +
                                        std::string(to_string(message.status)) +
                                        "; only queued messages can be cancelled");
    }
    STORE_TRY(impl_->set_status(id, MessageStatus::cancelled));
    STORE_TRY(impl_->add_event(id, "cancelled", "{}", now));
    return impl_->message_with_parts(id);
  });
}

Result<void> Store::append_event(const std::string& id, const std::string& kind,
                                 const std::string& detail_json, TimePoint now) {
  return impl_->transaction([&]() -> Result<void> {
    STORE_TRY(impl_->require_message(id));
    return impl_->add_event(id, kind, detail_json.empty() ? "{}" : detail_json, now);
  });
}

// ---- Delivery reports ----------------------------------------------------------------------

Result<std::vector<ReportCandidate>> Store::report_candidates(
    const std::string& modem, int mr, TimePoint since,
    const std::optional<std::string>& recipient) {
  STORE_TRY_ASSIGN(auto query,
                   impl_->q("SELECT p.message_id, p.idx, m.recipient, p.modem, p.mr, p.sent_at, "
                            "p.status FROM message_parts p JOIN messages m ON m.id = p.message_id "
                            "WHERE p.modem = ? AND p.mr = ? AND p.sent_at >= ? "
                            "ORDER BY p.sent_at DESC, p.message_id DESC"));
  query->bind_all(modem, mr, since);
  std::vector<ReportCandidate> out;
  while (true) {
    STORE_TRY_ASSIGN(const bool row, query->step());
    if (!row) break;
    ReportCandidate c;
    c.message_id = query->text(0);
    c.index = static_cast<int>(query->integer(1));
    c.to = query->text(2);
    c.modem = query->text(3);
    c.mr = static_cast<int>(query->integer(4));
    c.sent_at = query->time(5);
    c.status = parse_part_status(query->text(6)).value_or(PartStatus::unknown);
    if (recipient && !recipient->empty() && !same_number(*recipient, c.to)) continue;
    out.push_back(std::move(c));
  }
  return out;
}

Result<MessageStatus> Store::record_report(const std::string& id, int index,
                                           const DeliveryReport& report) {
  const TimePoint now = or_now(report.received_at, std::chrono::system_clock::now());
  return impl_->transaction([&]() -> Result<MessageStatus> {
    STORE_TRY_ASSIGN(auto part, impl_->require_part(id, index));
    const ReportOutcome outcome = classify_report_status(report.tp_status);
    const std::string st = hex_byte(report.tp_status);
    if (outcome == ReportOutcome::delivered) {
      STORE_TRY_ASSIGN(auto update,
                       impl_->q("UPDATE message_parts SET status = 'delivered', delivered_at = ?, "
                                "report_status = ? WHERE message_id = ? AND idx = ?"));
      STORE_TRY(update->bind_all(now, report.tp_status, id, index).run());
    } else if (outcome == ReportOutcome::pending) {
      STORE_TRY_ASSIGN(auto update,
                       impl_->q("UPDATE message_parts SET report_status = ? WHERE message_id = ? "
                                "AND idx = ?"));
      STORE_TRY(update->bind_all(report.tp_status, id, index).run());
    } else {
      STORE_TRY_ASSIGN(auto update,
                       impl_->q("UPDATE message_parts SET status = 'failed', report_status = ?, "
                                "error = ? WHERE message_id = ? AND idx = ?"));
      STORE_TRY(update
                    ->bind_all(report.tp_status,
                               "status report TP-ST " + st + ": the service centre gave up", id,
                               index)
                    .run());
    }
    const char* outcome_name = outcome == ReportOutcome::delivered ? "delivered"
                               : outcome == ReportOutcome::pending ? "pending"
                                                                   : "failed";
    STORE_TRY(impl_->add_event(id, "report",
                               JsonObject()
                                   .number("index", index)
                                   .text("tp_st", st)
                                   .text("outcome", outcome_name)
                                   .text("modem", report.modem)
                                   .number("mr", report.mr)
                                   .str(),
                               now));
    STORE_TRY_ASSIGN(auto message, impl_->require_message(id));
    if (message.status == MessageStatus::sending) return impl_->settle_if_done(id, now);
    STORE_TRY_ASSIGN(auto parts, impl_->parts_of(id));
    return impl_->apply_roll_up(id, message.status, parts, now);
  });
}

Result<std::int64_t> Store::store_unmatched_report(const DeliveryReport& report) {
  const TimePoint now = or_now(report.received_at, std::chrono::system_clock::now());
  return impl_->transaction([&]() -> Result<std::int64_t> {
    STORE_TRY_ASSIGN(
        auto insert,
        impl_->q("INSERT INTO unmatched_reports (modem, mr, recipient, tp_status, "
                 "scts, discharge, pdu, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    STORE_TRY(insert
                  ->bind_all(report.modem, report.mr, report.recipient, report.tp_status,
                             report.scts, report.discharge, report.pdu_hex, now)
                  .run());
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(impl_->db->handle()));
  });
}

Result<std::vector<DeliveryReport>> Store::unmatched_reports(std::size_t limit) {
  STORE_TRY_ASSIGN(auto query,
                   impl_->q("SELECT modem, mr, recipient, tp_status, scts, discharge, pdu, "
                            "received_at FROM unmatched_reports ORDER BY id DESC LIMIT ?"));
  query->bind(1, static_cast<std::int64_t>(limit));
  std::vector<DeliveryReport> out;
  while (true) {
    STORE_TRY_ASSIGN(const bool row, query->step());
    if (!row) break;
    DeliveryReport r;
    r.modem = query->text(0);
    r.mr = static_cast<int>(query->integer(1));
    r.recipient = query->optional_text(2);
    r.tp_status = static_cast<int>(query->integer(3));
    r.scts = query->optional_time(4);
    r.discharge = query->optional_time(5);
    r.pdu_hex = query->text(6);
    r.received_at = query->time(7);
    out.push_back(std::move(r));
  }
  return out;
}

// ---- Restart -------------------------------------------------------------------------------

Result<RecoveryReport> Store::recover_after_restart(bool at_least_once, TimePoint now) {
  return impl_->transaction([&]() -> Result<RecoveryReport> {
    RecoveryReport report;
    std::vector<std::string> sending;
    {
      STORE_TRY_ASSIGN(auto query,
                       impl_->q("SELECT id FROM messages WHERE status = 'sending' ORDER BY id"));
      while (true) {
        STORE_TRY_ASSIGN(const bool row, query->step());
        if (!row) break;
        sending.push_back(query->text(0));
      }
    }
    for (const auto& id : sending) {
      STORE_TRY_ASSIGN(auto parts, impl_->parts_of(id));
      std::string uncertain;  // parts that may have left: "2,3"
      for (const auto& p : parts) {
        if (p.status == PartStatus::sending || p.status == PartStatus::unknown) {
          if (!uncertain.empty()) uncertain += ',';
          uncertain += std::to_string(p.index);
        }
      }
      if (uncertain.empty() || at_least_once) {
        // No PDU can have left, or the operator accepts duplicates: queue it again.
        STORE_TRY_ASSIGN(auto update,
                         impl_->q("UPDATE messages SET status = 'queued', assigned_modem = NULL, "
                                  "next_attempt_at = NULL WHERE id = ?"));
        STORE_TRY(update->bind(1, id).run());
        STORE_TRY(impl_->pin_to_sim_of_sent_parts(id));
        STORE_TRY_ASSIGN(auto reset,
                         impl_->q("UPDATE message_parts SET status = 'queued', modem = NULL "
                                  "WHERE message_id = ? AND status IN "
                                  "('queued','sending','failed','unknown')"));
        STORE_TRY(reset->bind(1, id).run());
        JsonObject detail;
        detail.text("action", "requeued");
        if (uncertain.empty()) {
          detail.text("reason", "the process stopped before any part of this attempt was written");
        } else {
          detail.text("parts", uncertain)
              .text("reason",
                    "the process stopped while these parts were being sent; at_least_once is "
                    "set, so they are sent again and may arrive twice");
        }
        STORE_TRY(impl_->add_event(id, "recovered", detail.str(), now));
        report.requeued.push_back(id);
      } else {
        const std::string error = "unknown outcome: the process stopped while part(s) " +
                                  uncertain +
                                  " were being sent; not resent because at_least_once is off";
        STORE_TRY_ASSIGN(auto mark,
                         impl_->q("UPDATE message_parts SET status = 'unknown', error = ? WHERE "
                                  "message_id = ? AND status IN ('sending','unknown')"));
        STORE_TRY(mark->bind_all(error, id).run());
        STORE_TRY_ASSIGN(auto update,
                         impl_->q("UPDATE messages SET status = 'failed', last_error = ?, "
                                  "next_attempt_at = NULL WHERE id = ?"));
        STORE_TRY(update->bind_all(error, id).run());
        STORE_TRY(impl_->add_event(id, "recovered",
                                   JsonObject()
                                       .text("action", "not_resent")
                                       .text("parts", uncertain)
                                       .text("error", error)
                                       .str(),
                                   now));
        report.unknown.push_back(id);
      }
    }
    return report;
  });
}

// ---- Reading -------------------------------------------------------------------------------

Result<StoredMessage> Store::get_message(const std::string& id) {
  STORE_TRY_ASSIGN(auto message, impl_->message_with_parts(id));
  STORE_TRY_ASSIGN(auto query, impl_->q("SELECT id, message_id, at, kind, detail FROM "
                                        "message_events WHERE message_id = ? ORDER BY id"));
  query->bind(1, id);
  while (true) {
    STORE_TRY_ASSIGN(const bool row, query->step());
    if (!row) break;
    StoredEvent event;
    event.id = query->integer(0);
    event.message_id = query->text(1);
    event.at = query->time(2);
    event.kind = query->text(3);
    event.detail_json = query->text(4);
    message.events.push_back(std::move(event));
  }
  return message;
}

// Paging cursors: ids are ULIDs (0-9, A-Z), so '~' sorts above every id and stands for "no
// cursor" while keeping `id < ?` an index range.
Result<MessagePage> Store::list_messages(const ListQuery& query_in) {
  const int limit = std::clamp(query_in.limit, 1, 1000);
  std::unique_ptr<Query> query;
  if (query_in.status) {
    STORE_TRY_ASSIGN(query, impl_->q("SELECT " MESSAGE_COLUMNS " FROM messages WHERE status = ?1 "
                                     "AND id < COALESCE(?2, '~') ORDER BY status, id DESC "
                                     "LIMIT ?3"));
    query->bind(1, to_string(*query_in.status));
  } else {
    STORE_TRY_ASSIGN(query, impl_->q("SELECT " MESSAGE_COLUMNS " FROM messages WHERE id < "
                                     "COALESCE(?2, '~') ORDER BY id DESC LIMIT ?3"));
  }
  query->bind(2, query_in.before).bind(3, limit + 1);
  MessagePage page;
  while (true) {
    STORE_TRY_ASSIGN(const bool row, query->step());
    if (!row) break;
    page.messages.push_back(read_message(*query));
  }
  query.reset();
  if (page.messages.size() > static_cast<std::size_t>(limit)) {
    page.messages.pop_back();
    page.next_before = page.messages.back().id;
  }
  for (auto& message : page.messages) {
    STORE_TRY_ASSIGN(message.parts, impl_->parts_of(message.id));
  }
  return page;
}

Result<std::vector<std::pair<MessageStatus, std::int64_t>>> Store::count_by_status() {
  std::vector<std::pair<MessageStatus, std::int64_t>> counts;
  for (const auto status : kAllMessageStatuses) counts.emplace_back(status, 0);
  STORE_TRY_ASSIGN(auto query, impl_->q("SELECT status, COUNT(*) FROM messages GROUP BY status"));
  while (true) {
    STORE_TRY_ASSIGN(const bool row, query->step());
    if (!row) break;
    if (const auto status = parse_message_status(query->text(0))) {
      counts[static_cast<std::size_t>(*status)].second = query->integer(1);
    }
  }
  return counts;
}

// ---- Inbound -------------------------------------------------------------------------------

Result<InboxPage> Store::list_inbox(int limit_in, const std::optional<std::string>& before) {
  const int limit = std::clamp(limit_in, 1, 1000);
  STORE_TRY_ASSIGN(auto query, impl_->q("SELECT " INBOUND_COLUMNS " FROM inbound_messages WHERE "
                                        "id < COALESCE(?1, '~') ORDER BY id DESC LIMIT ?2"));
  query->bind(1, before).bind(2, limit + 1);
  InboxPage page;
  while (true) {
    STORE_TRY_ASSIGN(const bool row, query->step());
    if (!row) break;
    page.messages.push_back(read_inbound(*query));
  }
  if (page.messages.size() > static_cast<std::size_t>(limit)) {
    page.messages.pop_back();
    page.next_before = page.messages.back().id;
  }
  return page;
}

Result<InboundStoreResult> Store::store_inbound(const InboundPart& part) {
  const TimePoint now = or_now(part.received_at, std::chrono::system_clock::now());
  const TimePoint window_start = now - impl_->options.inbound_dedupe_window;
  if (!scheduler::valid_part_number(part.part, part.total)) {
    return make_error("invalid", "inbound part " + std::to_string(part.part) + " of " +
                                     std::to_string(part.total) + " is out of range");
  }
  return impl_->transaction([&]() -> Result<InboundStoreResult> {
    auto load = [&](const std::string& id, bool duplicate) -> Result<InboundStoreResult> {
      STORE_TRY_ASSIGN(auto query,
                       impl_->q("SELECT " INBOUND_COLUMNS " FROM inbound_messages WHERE id = ?"));
      query->bind(1, id);
      STORE_TRY(query->step());
      const StoredInbound m = read_inbound(*query);
      return InboundStoreResult{m.id, duplicate, m.complete, m.parts_received, m.total, m.text};
    };
    // An identical PDU from the same modem within the window: the modem delivered it again.
    if (!part.pdu_hex.empty()) {
      STORE_TRY_ASSIGN(auto query,
                       impl_->q("SELECT m.id FROM inbound_parts p JOIN inbound_messages m ON "
                                "m.id = p.inbound_id WHERE p.pdu = ? AND m.modem = ? AND "
                                "p.received_at >= ? LIMIT 1"));
      query->bind_all(part.pdu_hex, part.modem, window_start);
      STORE_TRY_ASSIGN(const bool row, query->step());
      if (row) {
        const std::string id = query->text(0);
        query.reset();
        return load(id, true);
      }
    }
    std::optional<std::string> id;
    const bool concatenated = scheduler::joins_concatenation(part.concat_ref, part.total);
    if (concatenated) {
      STORE_TRY_ASSIGN(auto query,
                       impl_->q("SELECT id FROM inbound_messages WHERE modem = ? AND sender = ? "
                                "AND concat_ref = ? AND total = ? AND complete = 0 AND "
                                "received_at >= ? ORDER BY received_at DESC LIMIT 1"));
      query->bind_all(part.modem, part.sender, *part.concat_ref, part.total, window_start);
      STORE_TRY_ASSIGN(const bool row, query->step());
      if (row) id = query->text(0);
    }
    if (id) {
      STORE_TRY_ASSIGN(auto query, impl_->q("SELECT 1 FROM inbound_parts WHERE inbound_id = ? "
                                            "AND part = ?"));
      query->bind_all(*id, part.part);
      STORE_TRY_ASSIGN(const bool row, query->step());
      if (row) {
        query.reset();
        return load(*id, true);
      }
    } else {
      id = impl_->ids.next(now);
      STORE_TRY_ASSIGN(auto insert,
                       impl_->q("INSERT INTO inbound_messages (id, modem, sender, smsc_time, "
                                "concat_ref, total, parts_received, complete, text, received_at) "
                                "VALUES (?, ?, ?, ?, ?, ?, 0, 0, '', ?)"));
      STORE_TRY(insert
                    ->bind_all(*id, part.modem, part.sender, part.smsc_time,
                               concatenated ? part.concat_ref : std::nullopt, part.total, now)
                    .run());
    }
    STORE_TRY_ASSIGN(auto insert_part,
                     impl_->q("INSERT INTO inbound_parts (inbound_id, part, text, pdu, smsc_time, "
                              "received_at) VALUES (?, ?, ?, ?, ?, ?)"));
    STORE_TRY(
        insert_part->bind_all(*id, part.part, part.text, part.pdu_hex, part.smsc_time, now).run());
    std::vector<scheduler::ReceivedPart> present;
    {
      STORE_TRY_ASSIGN(auto query, impl_->q("SELECT part, text FROM inbound_parts WHERE "
                                            "inbound_id = ? ORDER BY part"));
      query->bind(1, *id);
      while (true) {
        STORE_TRY_ASSIGN(const bool row, query->step());
        if (!row) break;
        present.push_back({static_cast<int>(query->integer(0)), query->text(1)});
      }
    }
    const auto joined = scheduler::reassemble(present, part.total);
    STORE_TRY_ASSIGN(
        auto update,
        impl_->q("UPDATE inbound_messages SET parts_received = ?, complete = ?, text = "
                 "?, smsc_time = COALESCE(smsc_time, ?) WHERE id = ?"));
    STORE_TRY(
        update->bind_all(joined.parts_received, joined.complete, joined.text, part.smsc_time, *id)
            .run());
    return InboundStoreResult{*id,        false,      joined.complete, joined.parts_received,
                              part.total, joined.text};
  });
}

// ---- SIMs, balances, counters, webhooks -----------------------------------------------------

Result<void> Store::upsert_sim(const SimSeen& sim) {
  return impl_->transaction([&]() -> Result<void> {
    STORE_TRY_ASSIGN(auto query,
                     impl_->q("INSERT INTO sims (iccid, imei, imsi, operator, modem, first_seen, "
                              "last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (iccid) "
                              "DO UPDATE SET imei = COALESCE(?2, imei), imsi = COALESCE(?3, imsi), "
                              "operator = COALESCE(?4, operator), modem = COALESCE(?5, modem), "
                              "last_seen = MAX(last_seen, ?7)"));
    return query
        ->bind_all(sim.iccid, sim.imei, sim.imsi, sim.operator_name, sim.modem, sim.first_seen,
                   sim.last_seen)
        .run();
  });
}

Result<std::vector<SimSeen>> Store::list_sims() {
  STORE_TRY_ASSIGN(auto query, impl_->q("SELECT iccid, imei, imsi, operator, modem, first_seen, "
                                        "last_seen FROM sims ORDER BY iccid"));
  std::vector<SimSeen> out;
  while (true) {
    STORE_TRY_ASSIGN(const bool row, query->step());
    if (!row) break;
    out.push_back(SimSeen{query->text(0), query->optional_text(1), query->optional_text(2),
                          query->optional_text(3), query->optional_text(4), query->time(5),
                          query->time(6)});
  }
  return out;
}

Result<void> Store::record_balance(const BalanceRecord& balance) {
  return impl_->transaction([&]() -> Result<void> {
    STORE_TRY_ASSIGN(auto query, impl_->q("INSERT INTO balances (iccid, amount, currency, raw, "
                                          "checked_at) VALUES (?, ?, ?, ?, ?)"));
    return query
        ->bind_all(balance.iccid, balance.amount, balance.currency, balance.raw, balance.checked_at)
        .run();
  });
}

Result<std::vector<BalanceRecord>> Store::balance_history(const std::string& iccid,
                                                          std::size_t limit) {
  STORE_TRY_ASSIGN(auto query,
                   impl_->q("SELECT iccid, amount, currency, raw, checked_at FROM balances WHERE "
                            "iccid = ? ORDER BY checked_at DESC, id DESC LIMIT ?"));
  query->bind_all(iccid, static_cast<std::int64_t>(limit));
  std::vector<BalanceRecord> out;
  while (true) {
    STORE_TRY_ASSIGN(const bool row, query->step());
    if (!row) break;
    out.push_back(BalanceRecord{query->text(0), query->optional_real(1), query->text(2),
                                query->text(3), query->time(4)});
  }
  return out;
}

Result<std::optional<BalanceRecord>> Store::latest_balance(const std::string& iccid) {
  STORE_TRY_ASSIGN(auto history, balance_history(iccid, 1));
  if (history.empty()) return std::optional<BalanceRecord>();
  return std::optional<BalanceRecord>(std::move(history.front()));
}

Result<std::int64_t> Store::add_daily_sent(const std::string& iccid, std::int64_t day,
                                           std::int64_t count) {
  return impl_->transaction([&]() -> Result<std::int64_t> {
    STORE_TRY_ASSIGN(auto query,
                     impl_->q("INSERT INTO daily_counters (iccid, day, sent) VALUES (?1, ?2, ?3) "
                              "ON CONFLICT (iccid, day) DO UPDATE SET sent = sent + ?3 "
                              "RETURNING sent"));
    query->bind_all(iccid, day, count);
    STORE_TRY(query->step());
    const std::int64_t total = query->integer(0);
    STORE_TRY(query->run());
    return total;
  });
}

Result<std::int64_t> Store::daily_sent(const std::string& iccid, std::int64_t day) {
  STORE_TRY_ASSIGN(auto query,
                   impl_->q("SELECT sent FROM daily_counters WHERE iccid = ? AND day = ?"));
  query->bind_all(iccid, day);
  STORE_TRY_ASSIGN(const bool row, query->step());
  return row ? query->integer(0) : std::int64_t{0};
}

Result<std::int64_t> Store::enqueue_webhook(const std::string& event,
                                            const std::string& payload_json, const std::string& url,
                                            TimePoint now) {
  return impl_->transaction([&]() -> Result<std::int64_t> {
    STORE_TRY_ASSIGN(auto query,
                     impl_->q("INSERT INTO webhook_outbox (event, payload, url, next_attempt_at, "
                              "created_at) VALUES (?, ?, ?, ?, ?)"));
    STORE_TRY(query->bind_all(event, payload_json, url, now, now).run());
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(impl_->db->handle()));
  });
}

Result<std::vector<WebhookDelivery>> Store::due_webhooks(TimePoint now, std::size_t limit) {
  STORE_TRY_ASSIGN(auto query,
                   impl_->q("SELECT id, event, payload, url, attempts, next_attempt_at, "
                            "delivered_at, last_error, created_at FROM webhook_outbox WHERE "
                            "delivered_at IS NULL AND next_attempt_at IS NOT NULL AND "
                            "next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?"));
  query->bind_all(now, static_cast<std::int64_t>(limit));
  std::vector<WebhookDelivery> out;
  while (true) {
    STORE_TRY_ASSIGN(const bool row, query->step());
    if (!row) break;
    WebhookDelivery d;
    d.id = query->integer(0);
    d.event = query->text(1);
    d.payload_json = query->text(2);
    d.url = query->text(3);
    d.attempts = static_cast<int>(query->integer(4));
    d.next_attempt_at = query->optional_time(5);
    d.delivered_at = query->optional_time(6);
    d.last_error = query->optional_text(7);
    d.created_at = query->time(8);
    out.push_back(std::move(d));
  }
  return out;
}

Result<void> Store::webhook_delivered(std::int64_t id, TimePoint now) {
  return impl_->transaction([&]() -> Result<void> {
    STORE_TRY_ASSIGN(auto query,
                     impl_->q("UPDATE webhook_outbox SET delivered_at = ?, next_attempt_at = NULL, "
                              "attempts = attempts + 1 WHERE id = ?"));
    STORE_TRY(query->bind_all(now, id).run());
    if (impl_->db->changes() == 0) {
      return make_error("not_found", "webhook delivery " + std::to_string(id) + " does not exist");
    }
    return {};
  });
}

Result<void> Store::webhook_failed(std::int64_t id, const std::string& error,
                                   std::optional<TimePoint> next_attempt_at) {
  return impl_->transaction([&]() -> Result<void> {
    STORE_TRY_ASSIGN(auto query,
                     impl_->q("UPDATE webhook_outbox SET attempts = attempts + 1, last_error = ?, "
                              "next_attempt_at = ? WHERE id = ?"));
    STORE_TRY(query->bind_all(error, next_attempt_at, id).run());
    if (impl_->db->changes() == 0) {
      return make_error("not_found", "webhook delivery " + std::to_string(id) + " does not exist");
    }
    return {};
  });
}

}  // namespace smsgw::store
