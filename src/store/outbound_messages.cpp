// Outbound messages and their parts: submission, the due queue, reading. Their status
// changes are in message_transitions.cpp.
#include <algorithm>

#include "store_impl.hpp"

namespace smsgw::store {

using sqlite::Query;

// Inserts one message with its parts and "queued" event (inside a transaction).
Result<std::string> Store::Impl::insert_one(const NewMessage& message, TimePoint now) {
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
    if (done.error().kind == ErrorCode::conflict) {
      return make_error(ErrorCode::conflict, "message id " + id + " already exists");
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

Result<SubmissionResult> Store::insert_messages(
    std::span<const NewMessage> messages, const std::optional<IdempotencyRecord>& idempotency) {
  const TimePoint now = std::chrono::system_clock::now();
  return impl_->transaction([&]() -> Result<SubmissionResult> {
    SubmissionResult result;
    if (idempotency) {
      STORE_TRY_ASSIGN(result.replay, impl_->claim_key(*idempotency, now));
      if (result.replay) return result;
    }
    if (messages.empty()) return make_error("invalid", "a submission needs at least one message");
    for (const auto& message : messages) {
      STORE_TRY_ASSIGN(auto id, impl_->insert_one(message, now));
      result.ids.push_back(std::move(id));
    }
    return result;
  });
}

// ---- Queue ------------------------------------------------------------------------------

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

Result<void> Store::append_event(const std::string& id, const std::string& kind,
                                 const std::string& detail_json, TimePoint now) {
  return impl_->transaction([&]() -> Result<void> {
    STORE_TRY(impl_->require_message(id));
    return impl_->add_event(id, kind, detail_json.empty() ? "{}" : detail_json, now);
  });
}

// ---- Reading ------------------------------------------------------------------------------

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

}  // namespace smsgw::store
