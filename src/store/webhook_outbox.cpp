// The webhook outbox: events waiting to be POSTed, their attempts and outcome
// (next_attempt_at none without delivered_at = given up).
#include "smsgw/store/ulid.hpp"
#include "store_impl.hpp"

namespace smsgw::store {

Result<std::int64_t> Store::enqueue_webhook(const std::string& event,
                                            const std::string& payload_json, const std::string& url,
                                            TimePoint now, WebhookKind kind,
                                            const std::optional<std::string>& client) {
  return impl_->transaction([&]() -> Result<std::int64_t> {
    STORE_TRY_ASSIGN(
        auto query,
        impl_->q("INSERT INTO webhook_outbox (event, payload, url, next_attempt_at, "
                 "created_at, kind, client) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    return query
        ->bind_all(kind == WebhookKind::dlr_url ? std::string(kDlrUrlEvent) : event, payload_json,
                   url, now, now, kind == WebhookKind::webhook ? "webhook" : "callback", client)
        .single_integer();
  });
}

Result<std::vector<WebhookDelivery>> Store::due_webhooks(TimePoint now, std::size_t limit) {
  STORE_TRY_ASSIGN(auto query,
                   impl_->q("SELECT id, event, payload, url, attempts, next_attempt_at, "
                            "delivered_at, last_error, created_at, kind, client FROM "
                            "webhook_outbox WHERE "
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
    d.kind = query->text(9) == "callback" ? WebhookKind::callback : WebhookKind::webhook;
    if (d.kind == WebhookKind::callback && d.event == kDlrUrlEvent) d.kind = WebhookKind::dlr_url;
    d.client = query->optional_text(10);
    out.push_back(std::move(d));
  }
  return out;
}

// Pending rows are exactly those in the partial index webhook_due (its WHERE is this one),
// so the count reads the backlog, not the delivered history. Ids grow with each insert
// (INTEGER PRIMARY KEY), so the lowest pending id is the first one enqueued.
Result<WebhookBacklog> Store::webhook_backlog() {
  STORE_TRY_ASSIGN(auto query,
                   impl_->q("SELECT pending, (SELECT created_at FROM webhook_outbox WHERE id = "
                            "first_id) FROM (SELECT COUNT(*) AS pending, MIN(id) AS first_id FROM "
                            "webhook_outbox WHERE delivered_at IS NULL AND next_attempt_at IS "
                            "NOT NULL) AS backlog"));
  STORE_TRY(query->step());
  WebhookBacklog backlog;
  backlog.pending = query->integer(0);
  backlog.oldest_created_at = query->optional_time(1);
  return backlog;
}

Result<std::int64_t> Store::client_parts_since(const std::string& client, TimePoint since) {
  STORE_TRY_ASSIGN(auto query, impl_->q("SELECT coalesce(sum(part_count), 0) FROM messages "
                                        "WHERE client = ? AND id >= ?"));
  query->bind_all(client, ulid_floor(since));
  STORE_TRY(query->step());
  const auto parts = query->integer(0);
  STORE_TRY(query->run());
  return parts;
}

Result<MessageTags> Store::message_tags(const std::string& id) {
  STORE_TRY_ASSIGN(auto query, impl_->q("SELECT client, reference, callback_url, recipient, "
                                        "part_count, last_error FROM messages WHERE id = ?"));
  query->bind(1, id);
  STORE_TRY_ASSIGN(const bool row, query->step());
  if (!row) return make_error(ErrorCode::not_found, "message " + id + " does not exist");
  return MessageTags{query->optional_text(0),
                     query->optional_text(1),
                     query->optional_text(2),
                     query->text(3),
                     static_cast<int>(query->integer(4)),
                     query->optional_text(5)};
}

Result<void> Store::webhook_delivered(std::int64_t id, TimePoint now) {
  return impl_->transaction([&]() -> Result<void> {
    STORE_TRY_ASSIGN(auto query,
                     impl_->q("UPDATE webhook_outbox SET delivered_at = ?, next_attempt_at = NULL, "
                              "attempts = attempts + 1 WHERE id = ?"));
    STORE_TRY(query->bind_all(now, id).run());
    if (impl_->db->changes() == 0) {
      return make_error(ErrorCode::not_found,
                        "webhook delivery " + std::to_string(id) + " does not exist");
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
      return make_error(ErrorCode::not_found,
                        "webhook delivery " + std::to_string(id) + " does not exist");
    }
    return {};
  });
}

}  // namespace smsgw::store
