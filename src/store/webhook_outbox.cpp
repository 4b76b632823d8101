// The webhook outbox: events waiting to be POSTed, their attempts and outcome
// (next_attempt_at none without delivered_at = given up), and the claims that let one node
// of several deliver each row (claimed_by, claimed_until).
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

namespace {

#define WEBHOOK_COLUMNS                                                                        \
  "id, event, payload, url, attempts, next_attempt_at, delivered_at, last_error, created_at, " \
  "kind, client"

// A row of WEBHOOK_COLUMNS.
WebhookDelivery read_webhook(const db::Query& query) {
  WebhookDelivery d;
  d.id = query.integer(0);
  d.event = query.text(1);
  d.payload_json = query.text(2);
  d.url = query.text(3);
  d.attempts = static_cast<int>(query.integer(4));
  d.next_attempt_at = query.optional_time(5);
  d.delivered_at = query.optional_time(6);
  d.last_error = query.optional_text(7);
  d.created_at = query.time(8);
  d.kind = query.text(9) == "callback" ? WebhookKind::callback : WebhookKind::webhook;
  if (d.kind == WebhookKind::callback && d.event == kDlrUrlEvent) d.kind = WebhookKind::dlr_url;
  d.client = query.optional_text(10);
  return d;
}

}  // namespace

// The due rows by the webhook_due index (range on next_attempt_at, in its order); the
// claim test reads each row found, and skips rows another node holds.
Result<std::vector<WebhookDelivery>> Store::Impl::read_due_webhooks(TimePoint now,
                                                                    std::size_t limit) {
  STORE_TRY_ASSIGN(auto query,
                   q("SELECT " WEBHOOK_COLUMNS " FROM webhook_outbox WHERE delivered_at IS "
                     "NULL AND next_attempt_at IS NOT NULL AND next_attempt_at <= ?1 AND "
                     "(claimed_until IS NULL OR claimed_until < ?1 OR claimed_by = ?2) "
                     "ORDER BY next_attempt_at, id LIMIT ?3"));
  query->bind(1, now).bind(2, options.node);
  query->bind(3, static_cast<std::int64_t>(limit));
  std::vector<WebhookDelivery> out;
  while (true) {
    STORE_TRY_ASSIGN(const bool row, query->step());
    if (!row) break;
    out.push_back(read_webhook(*query));
  }
  return out;
}

Result<std::vector<WebhookDelivery>> Store::due_webhooks(TimePoint now, std::size_t limit) {
  return impl_->read_due_webhooks(now, limit);
}

Result<std::vector<WebhookDelivery>> Store::claim_due_webhooks(TimePoint now, TimePoint claim_until,
                                                               std::size_t limit) {
  return impl_->transaction([&]() -> Result<std::vector<WebhookDelivery>> {
    STORE_TRY_ASSIGN(auto out, impl_->read_due_webhooks(now, limit));
    STORE_TRY_ASSIGN(auto claim, impl_->q("UPDATE webhook_outbox SET claimed_by = ?, "
                                          "claimed_until = ? WHERE id = ?"));
    for (const auto& d : out) {
      STORE_TRY(claim->bind_all(impl_->options.node, claim_until, d.id).run());
    }
    return out;
  });
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
                              "attempts = attempts + 1, claimed_by = NULL, claimed_until = NULL "
                              "WHERE id = ?"));
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
                              "next_attempt_at = ?, claimed_by = NULL, claimed_until = NULL "
                              "WHERE id = ?"));
    STORE_TRY(query->bind_all(error, next_attempt_at, id).run());
    if (impl_->db->changes() == 0) {
      return make_error(ErrorCode::not_found,
                        "webhook delivery " + std::to_string(id) + " does not exist");
    }
    return {};
  });
}

}  // namespace smsgw::store
