// Store: opening, migrations, batches, and the message helpers every aggregate's file uses.
// The operations live in one file per aggregate (docs/store.md).
#include "smsgw/store/store.hpp"

#include "migrations.hpp"
#include "postgres.hpp"
#include "sqlite.hpp"
#include "store_impl.hpp"

namespace smsgw::store {

using db::Query;

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
  m.client = q.optional_text(21);
  m.reference = q.optional_text(22);
  m.callback_url = q.optional_text(23);
  return m;
}

StoredPart read_part(const Query& q, int first) {
  StoredPart p;
  p.message_id = q.text(first);
  p.index = static_cast<int>(q.integer(first + 1));
  p.pdu_hex = q.text(first + 2);
  p.tpdu_length = static_cast<int>(q.integer(first + 3));
  p.status = parse_part_status(q.text(first + 4)).value_or(PartStatus::unknown);
  p.modem = q.optional_text(first + 5);
  p.mr = q.optional_int(first + 6);
  p.sent_at = q.optional_time(first + 7);
  p.delivered_at = q.optional_time(first + 8);
  p.report_status = q.optional_int(first + 9);
  p.error = q.optional_text(first + 10);
  p.sending_at = q.optional_time(first + 11);
  return p;
}

DeliveryReport read_report(const db::Query& q, int first) {
  DeliveryReport r;
  r.modem = q.text(first);
  r.mr = static_cast<int>(q.integer(first + 1));
  r.recipient = q.optional_text(first + 2);
  r.tp_status = static_cast<int>(q.integer(first + 3));
  r.scts = q.optional_time(first + 4);
  r.discharge = q.optional_time(first + 5);
  r.pdu_hex = q.text(first + 6);
  r.received_at = q.time(first + 7);
  return r;
}

namespace {

// "queued or sending": the statuses the table allows `event` from.
template <class Transition, class Event>
std::string allowed_from(std::span<const Transition> table, Event event) {
  std::string out;
  for (const auto& t : table) {
    if (t.event != event) continue;
    if (!out.empty()) out += " or ";
    out += to_string(t.from);
  }
  return out;
}

std::string_view verb(MessageEvent event) {
  switch (event) {
    case MessageEvent::claim:
      return "be claimed";
    case MessageEvent::all_parts_left:
      return "become sent";
    case MessageEvent::requeue:
      return "be requeued";
    case MessageEvent::fail:
      return "be failed";
    case MessageEvent::expire:
      return "expire";
    case MessageEvent::cancel:
      return "be cancelled";
    case MessageEvent::parts_delivered:
      return "become delivered";
    case MessageEvent::part_failed_by_report:
      return "fail by a status report";
    case MessageEvent::outcome_unknown:
      return "become unknown";
  }
  return "change";
}

}  // namespace

Error refused(const std::string& id, MessageStatus from, MessageEvent event) {
  return make_error(ErrorCode::conflict, "message " + id + " is " + std::string(to_string(from)) +
                                             "; only " +
                                             allowed_from(message_transitions(), event) +
                                             " messages can " + std::string(verb(event)));
}

Error refused(const std::string& id, int index, PartStatus from, PartEvent event) {
  return make_error(ErrorCode::conflict, "part " + std::to_string(index) + " of message " + id +
                                             " is " + std::string(to_string(from)) + "; " +
                                             std::string(to_string(event)) + " applies only to " +
                                             allowed_from(part_transitions(), event) + " parts");
}

// ---- Impl: connection and message helpers -------------------------------------------------

Result<void> Store::Impl::run(const char* sql) {
  STORE_TRY_ASSIGN(auto query, q(sql));
  return query->run();
}

Result<void> Store::Impl::send(const char* sql) {
  STORE_TRY_ASSIGN(auto query, q(sql));
  return query->send();
}

Result<void> Store::Impl::add_event(const std::string& id, std::string_view kind,
                                    const std::string& detail, TimePoint now) {
  STORE_TRY_ASSIGN(
      auto query,
      q("INSERT INTO message_events (message_id, at, kind, detail) VALUES (?, ?, ?, ?)"));
  return query->bind_all(id, now, kind, detail).send();
}

Result<std::optional<StoredMessage>> Store::Impl::find_message(const std::string& id) {
  STORE_TRY_ASSIGN(auto query, q("SELECT " MESSAGE_COLUMNS " FROM messages WHERE id = ?"));
  query->bind(1, id);
  STORE_TRY_ASSIGN(const bool row, query->step());
  if (!row) return std::optional<StoredMessage>();
  return std::optional<StoredMessage>(read_message(*query));
}

Result<StoredMessage> Store::Impl::require_message(const std::string& id) {
  STORE_TRY_ASSIGN(auto found, find_message(id));
  if (!found) return make_error(ErrorCode::not_found, "message " + id + " does not exist");
  return std::move(*found);
}

Result<std::vector<StoredPart>> Store::Impl::parts_of(const std::string& id) {
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

Result<StoredMessage> Store::Impl::message_with_parts(const std::string& id) {
  // One round trip: the message's columns, then each part's, a row per part.
  STORE_TRY_ASSIGN(auto query,
                   q("SELECT * FROM (SELECT " MESSAGE_COLUMNS
                     " FROM messages WHERE id = ?1) AS m CROSS JOIN (SELECT " PART_COLUMNS
                     " FROM message_parts WHERE message_id = ?1) AS p ORDER BY idx"));
  query->bind(1, id);
  std::optional<StoredMessage> message;
  while (true) {
    STORE_TRY_ASSIGN(const bool row, query->step());
    if (!row) break;
    if (!message) message = read_message(*query);
    message->parts.push_back(read_part(*query, kMessageColumnCount));
  }
  if (message) return std::move(*message);
  // No row: no such message (or, never stored so, one without parts).
  STORE_TRY_ASSIGN(auto alone, require_message(id));
  STORE_TRY_ASSIGN(alone.parts, parts_of(id));
  return alone;
}

Result<StoredPart> Store::Impl::require_part(const std::string& id, int index) {
  STORE_TRY_ASSIGN(
      auto query, q("SELECT " PART_COLUMNS " FROM message_parts WHERE message_id = ? AND idx = ?"));
  query->bind_all(id, index);
  STORE_TRY_ASSIGN(const bool row, query->step());
  if (!row) return no_part(id, index);
  return read_part(*query);
}

Error no_part(const std::string& id, int index) {
  return make_error(ErrorCode::not_found,
                    "message " + id + " has no part " + std::to_string(index));
}

Result<StoredPart*> part_in(StoredMessage& message, int index) {
  for (auto& part : message.parts) {
    if (part.index == index) return &part;
  }
  return no_part(message.id, index);
}

Result<void> Store::Impl::migrate(int target) {
  return db->engine() == db::Engine::postgres ? migrate_postgres(target) : migrate_sqlite(target);
}

Result<void> Store::Impl::migrate_postgres(int target) {
  const auto all = migrations();
  // One transaction, begun by begin_write(): under the advisory lock every writer takes,
  // so of two nodes starting together one migrates and the other then finds the version
  // done. smsgw_schema holds one row: the number of migrations applied.
  return transaction([&]() -> Result<void> {
    // Created only when missing: a role that may not create tables can still open a
    // database someone else migrated.
    STORE_TRY_ASSIGN(auto exists, q("SELECT to_regclass('smsgw_schema') IS NOT NULL"));
    STORE_TRY(exists->step());
    const bool known = exists->integer(0) != 0;
    STORE_TRY(exists->run());
    exists.reset();
    if (!known) STORE_TRY(db->exec("CREATE TABLE smsgw_schema (version BIGINT NOT NULL)"));
    STORE_TRY_ASSIGN(auto read, q("SELECT version FROM smsgw_schema"));
    STORE_TRY_ASSIGN(const bool row, read->step());
    version = row ? static_cast<int>(read->integer(0)) : 0;
    STORE_TRY(read->run());
    read.reset();
    if (!row) STORE_TRY(run("INSERT INTO smsgw_schema (version) VALUES (0)"));
    if (version > static_cast<int>(all.size())) {
      return make_error("store.schema",
                        "the PostgreSQL database has schema version " + std::to_string(version) +
                            ", newer than this smsgw understands (" + std::to_string(all.size()) +
                            "); use a newer smsgw or another database");
    }
    if (version >= target) return {};
    for (int v = version; v < target; ++v) {
      const auto text = all[static_cast<std::size_t>(v)].postgres;
      if (text.empty()) continue;
      if (auto applied = db->exec(text); !applied) {
        return make_error(applied.error().code, "migration to schema version " +
                                                    std::to_string(v + 1) +
                                                    " failed: " + applied.error().message);
      }
    }
    STORE_TRY(db->exec("UPDATE smsgw_schema SET version = " + std::to_string(target)));
    version = target;
    return {};
  });
}

Result<void> Store::Impl::migrate_sqlite(int target) {
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
  // A migration may rebuild a table that others reference: foreign keys are off while the
  // migrations run (the pragma is a no-op inside a transaction) and checked before the
  // commit (https://www.sqlite.org/lang_altertable.html#otheralter).
  STORE_TRY(db->exec("PRAGMA foreign_keys = OFF"));
  auto migrated = transaction([&]() -> Result<void> {
    for (int v = version; v < target; ++v) {
      if (auto applied = db->exec(all[static_cast<std::size_t>(v)].sqlite); !applied) {
        return make_error(applied.error().code, "migration to schema version " +
                                                    std::to_string(v + 1) +
                                                    " failed: " + applied.error().message);
      }
    }
    STORE_TRY_ASSIGN(auto check, q("PRAGMA foreign_key_check"));
    STORE_TRY_ASSIGN(const bool broken, check->step());
    check.reset();
    if (broken) {
      return make_error("store.schema", "migration to schema version " + std::to_string(target) +
                                            " left rows whose references point nowhere");
    }
    STORE_TRY(db->exec("PRAGMA user_version = " + std::to_string(target)));
    version = target;
    return {};
  });
  STORE_TRY(db->exec("PRAGMA foreign_keys = ON"));
  return migrated;
}

// ---- Store: open, batches ------------------------------------------------------------------

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

int Store::latest_schema_version() { return static_cast<int>(migrations().size()); }
int Store::schema_version() const { return impl_->version; }
std::uint64_t Store::commit_count() const { return impl_->commits; }
const std::filesystem::path& Store::path() const { return impl_->path; }
std::string Store::new_id(TimePoint now) { return impl_->ids.next(now); }

Result<void> Store::begin_batch() {
  if (impl_->in_batch) return make_error("invalid", "a batch is already open");
  if (auto begun = impl_->db->begin_write(); !begun) return begun.error();
  impl_->in_batch = true;
  return {};
}

Result<void> Store::commit_batch() {
  if (!impl_->in_batch) return make_error("invalid", "no batch is open");
  impl_->in_batch = false;
  if (auto committed = impl_->run("COMMIT"); !committed) {
    (void)impl_->rollback();
    return committed.error();
  }
  ++impl_->commits;
  return {};
}

Result<void> Store::begin_job() {
  STORE_TRY(impl_->send("SAVEPOINT job"));
  impl_->fresh_job = impl_->in_batch;
  return {};
}

Result<void> Store::end_job(bool keep) {
  impl_->fresh_job = false;
  if (keep) {
    auto released = impl_->run("RELEASE job");
    if (released) return {};
    // A write the job sent ahead failed (database.hpp): the job is undone, as if it had.
    if (auto undone = impl_->run("ROLLBACK TO job"); !undone) return undone.error();
    (void)impl_->run("RELEASE job");
    return released;
  }
  if (auto undone = impl_->run("ROLLBACK TO job"); !undone) return undone.error();
  return impl_->run("RELEASE job");
}

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

Result<std::unique_ptr<Store>> Store::open_url(const std::string& url, StoreOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;  // impl->path stays empty: the database is no file
  STORE_TRY_ASSIGN(impl->db,
                   postgres::Connection::open(url, options.password_file, "smsgw/" + options.node));
  const int target = options.schema_version.value_or(latest_schema_version());
  STORE_TRY(impl->migrate(target));
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

}  // namespace smsgw::store
