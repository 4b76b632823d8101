// Idempotency keys: the first answer to a request that carried an Idempotency-Key,
// written in the same transaction as the messages it stored.
#include "store_impl.hpp"

namespace smsgw::store {

Result<std::optional<IdempotencyRecord>> Store::Impl::find_key(const std::string& key) {
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

Result<std::optional<IdempotencyRecord>> Store::Impl::claim_key(const IdempotencyRecord& record,
                                                                TimePoint now) {
  STORE_TRY_ASSIGN(auto existing, find_key(record.key));
  if (existing) {
    if (existing->fingerprint != record.fingerprint) {
      return make_error(ErrorCode::conflict, "Idempotency-Key \"" + record.key +
                                                 "\" was already used with another request");
    }
    return existing;
  }
  STORE_TRY_ASSIGN(auto insert, q("INSERT INTO idempotency_keys (key, fingerprint, "
                                  "response_status, response_body, created_at) VALUES "
                                  "(?, ?, ?, ?, ?)"));
  STORE_TRY(insert
                ->bind_all(record.key, record.fingerprint, record.response_status,
                           record.response_body, or_now(record.created_at, now))
                .run());
  return std::optional<IdempotencyRecord>();
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

}  // namespace smsgw::store
