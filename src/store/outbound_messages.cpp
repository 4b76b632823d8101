// Outbound messages and their parts: the due queue and reading. Their submission and
// every status change are in message_transitions.cpp.

#include <algorithm>
#include <set>

#include "migrations.hpp"
#include "store_impl.hpp"

namespace smsgw::store {

using db::Query;

// ---- Queue ------------------------------------------------------------------------------

// The queue is two indexes, per group: messages due at once (no send_at, no retry time) in
// the dispatcher's order, and messages with a time, by that time. (String literals: the
// statement cache is keyed by the SQL's address.)
#define READY_ROWS                                                                        \
  "FROM messages INDEXED BY messages_group_ready WHERE status = 'queued' AND send_at IS " \
  "NULL AND next_attempt_at IS NULL"
#define TIMED_ROWS \
  "FROM messages INDEXED BY messages_group_timed WHERE status = 'queued' AND " HAS_DUE_TIME_SQL

Result<std::vector<std::string>> Store::queue_groups() {
  // A skip scan of each index: one step seeks the next group.
  std::set<std::string> groups;
  for (const char* sql : {"SELECT " QUEUE_GROUP_SQL " " READY_ROWS " AND " QUEUE_GROUP_SQL
                          " > ?1 ORDER BY " QUEUE_GROUP_SQL " LIMIT 1",
                          "SELECT " QUEUE_GROUP_SQL " " TIMED_ROWS " AND " QUEUE_GROUP_SQL
                          " > ?1 ORDER BY " QUEUE_GROUP_SQL " LIMIT 1"}) {
    std::string after;  // every group name is longer
    while (true) {
      STORE_TRY_ASSIGN(auto query, impl_->q(sql));
      query->bind(1, after);
      STORE_TRY_ASSIGN(const bool row, query->step());
      if (!row) break;
      after = query->text(0);
      groups.insert(after);
    }
  }
  return std::vector<std::string>(groups.begin(), groups.end());
}

Result<std::vector<StoredMessage>> Store::due_in_group(const std::string& group, TimePoint now,
                                                       std::size_t limit) {
  // The first `limit` of those due at once, and the first `limit` of those whose time has
  // come (by time): together they hold the group's first `limit` in the dispatcher's order,
  // unless more than `limit` timed ones came due at once (then the earliest come first).
  std::vector<StoredMessage> out;
  for (const char* sql :
       {"SELECT " MESSAGE_COLUMNS " " READY_ROWS " AND " QUEUE_GROUP_SQL " = ?2 AND "
        "(expires_at IS NULL OR expires_at > ?1) ORDER BY priority DESC, part_count DESC, id "
        "LIMIT ?3",
        "SELECT " MESSAGE_COLUMNS " " TIMED_ROWS " AND " QUEUE_GROUP_SQL " = ?2 AND " DUE_TIME_SQL
        " <= ?1 AND (expires_at IS NULL OR expires_at > ?1) ORDER BY " DUE_TIME_SQL " LIMIT ?3"}) {
    STORE_TRY_ASSIGN(auto query, impl_->q(sql));
    query->bind(1, now).bind(2, group).bind(3, static_cast<std::int64_t>(limit));
    while (true) {
      STORE_TRY_ASSIGN(const bool row, query->step());
      if (!row) break;
      out.push_back(read_message(*query));
    }
  }
  std::sort(out.begin(), out.end(), [](const StoredMessage& a, const StoredMessage& b) {
    if (a.priority != b.priority) return a.priority > b.priority;
    if (a.part_count != b.part_count) return a.part_count > b.part_count;
    return a.id < b.id;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

Result<std::optional<TimePoint>> Store::next_due_time(TimePoint now) {
  // By index (messages_due_time); a message whose validity ends first still counts: the
  // dispatcher then wakes once for nothing and the expiry sweep takes it.
  STORE_TRY_ASSIGN(auto query,
                   impl_->q("SELECT MIN(" DUE_TIME_SQL ") "
                            "FROM messages INDEXED BY messages_due_time WHERE status = 'queued' "
                            "AND " HAS_DUE_TIME_SQL " AND " DUE_TIME_SQL " > ?1"));
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
  // The most selective filter given picks the index (reference, then recipient, then
  // client, then status); the others, and the modem (no index), are checked on its rows,
  // walked in id order. ?1 status, ?2 before, ?3 limit, ?4 reference, ?5 client,
  // ?6 recipient, ?7 modem.
  // (A parameter's first use is CAST: PostgreSQL takes its type from there, and `? IS NULL`
  // alone says none.)
#define OTHER_FILTERS                                                                        \
  " (CAST(?1 AS TEXT) IS NULL OR status = ?1) AND (CAST(?4 AS TEXT) IS NULL OR reference = " \
  "?4) AND (CAST(?5 AS TEXT) IS NULL OR client = ?5) AND (CAST(?6 AS TEXT) IS NULL OR "      \
  "recipient = ?6) AND (CAST(?7 AS TEXT) IS NULL OR assigned_modem = ?7) AND id < "          \
  "COALESCE(?2, '~') "
  std::unique_ptr<Query> query;
  if (query_in.reference) {
    STORE_TRY_ASSIGN(query, impl_->q("SELECT " MESSAGE_COLUMNS " FROM messages INDEXED BY "
                                     "messages_by_reference WHERE reference = ?4 AND" OTHER_FILTERS
                                     "ORDER BY reference, id DESC LIMIT ?3"));
  } else if (query_in.recipient) {
    STORE_TRY_ASSIGN(query, impl_->q("SELECT " MESSAGE_COLUMNS " FROM messages INDEXED BY "
                                     "messages_by_recipient WHERE recipient = ?6 AND" OTHER_FILTERS
                                     "ORDER BY recipient, id DESC LIMIT ?3"));
  } else if (query_in.client) {
    STORE_TRY_ASSIGN(query, impl_->q("SELECT " MESSAGE_COLUMNS " FROM messages INDEXED BY "
                                     "messages_by_client WHERE client = ?5 AND" OTHER_FILTERS
                                     "ORDER BY client, id DESC LIMIT ?3"));
  } else if (query_in.status) {
    STORE_TRY_ASSIGN(query, impl_->q("SELECT " MESSAGE_COLUMNS " FROM messages WHERE status = ?1 "
                                     "AND" OTHER_FILTERS "ORDER BY status, id DESC LIMIT ?3"));
  } else {
    STORE_TRY_ASSIGN(query, impl_->q("SELECT " MESSAGE_COLUMNS " FROM messages WHERE" OTHER_FILTERS
                                     "ORDER BY id DESC LIMIT ?3"));
  }
#undef OTHER_FILTERS
  query->bind(
      1, query_in.status ? std::optional<std::string>(to_string(*query_in.status)) : std::nullopt);
  query->bind(2, query_in.before).bind(3, limit + 1);
  query->bind(4, query_in.reference).bind(5, query_in.client);
  query->bind(6, query_in.recipient).bind(7, query_in.modem);
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
  STORE_TRY_ASSIGN(auto query, impl_->q("SELECT status, n FROM message_counts"));
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
