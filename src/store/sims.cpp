// SIMs as seen in the modems, their balance history, and the per-SIM daily sent counters
// (so per-day limits survive a restart).
#include "store_impl.hpp"

namespace smsgw::store {

Result<void> Store::upsert_sim(const SimSeen& sim) {
  return impl_->transaction([&]() -> Result<void> {
    STORE_TRY_ASSIGN(auto query,
                     impl_->q("INSERT INTO sims (iccid, imei, imsi, operator, modem, first_seen, "
                              "last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (iccid) "
                              "DO UPDATE SET imei = COALESCE(?2, sims.imei), "
                              "imsi = COALESCE(?3, sims.imsi), "
                              "operator = COALESCE(?4, sims.operator), "
                              "modem = COALESCE(?5, sims.modem), last_seen = CASE WHEN "
                              "sims.last_seen >= ?7 THEN sims.last_seen ELSE ?7 END"));
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

Result<void> Store::Impl::count_sent(const std::string& iccid, std::int64_t day,
                                     std::int64_t count) {
  STORE_TRY_ASSIGN(auto query,
                   q("INSERT INTO daily_counters (iccid, day, sent) VALUES (?1, ?2, ?3) "
                     "ON CONFLICT (iccid, day) DO UPDATE SET sent = daily_counters.sent + ?3"));
  return query->bind_all(iccid, day, count).send();
}

Result<void> Store::Impl::note_recipient(const std::string& iccid, std::int64_t day,
                                         const std::string& recipient) {
  STORE_TRY_ASSIGN(auto query,
                   q("INSERT INTO sim_recipients (iccid, day, recipient) "
                     "VALUES (?, ?, ?) ON CONFLICT (iccid, day, recipient) DO NOTHING"));
  return query->bind_all(iccid, day, recipient).send();
}

Result<std::int64_t> Store::add_daily_sent(const std::string& iccid, std::int64_t day,
                                           std::int64_t count) {
  return impl_->transaction([&]() -> Result<std::int64_t> {
    STORE_TRY(impl_->count_sent(iccid, day, count));
    STORE_TRY_ASSIGN(auto total,
                     impl_->q("SELECT sent FROM daily_counters WHERE iccid = ? AND day = ?"));
    return total->bind_all(iccid, day).single_integer();
  });
}

Result<SimUsage> Store::sim_usage(const std::string& iccid, std::int64_t day,
                                  std::int64_t month_first_day) {
  return impl_->transaction([&]() -> Result<SimUsage> {
    SimUsage usage;
    STORE_TRY_ASSIGN(auto sums,
                     impl_->q("SELECT coalesce(sum(sent), 0), "
                              "coalesce(sum(CASE WHEN day = ?2 THEN sent END), 0) "
                              "FROM daily_counters WHERE iccid = ?1 AND day BETWEEN ?3 AND ?2"));
    sums->bind_all(iccid, day, month_first_day);
    STORE_TRY(sums->step());
    usage.sent_this_month = sums->integer(0);
    usage.sent_today = sums->integer(1);
    STORE_TRY(sums->run());
    STORE_TRY_ASSIGN(auto seen, impl_->q("SELECT recipient FROM sim_recipients "
                                         "WHERE iccid = ? AND day = ? ORDER BY recipient"));
    seen->bind_all(iccid, day);
    while (true) {
      STORE_TRY_ASSIGN(const bool row, seen->step());
      if (!row) break;
      usage.recipients_today.push_back(seen->text(0));
    }
    STORE_TRY_ASSIGN(auto old, impl_->q("DELETE FROM sim_recipients WHERE iccid = ? AND day < ?"));
    old->bind_all(iccid, month_first_day);
    STORE_TRY(old->run());
    return usage;
  });
}

Result<std::int64_t> Store::daily_sent(const std::string& iccid, std::int64_t day) {
  STORE_TRY_ASSIGN(auto query,
                   impl_->q("SELECT sent FROM daily_counters WHERE iccid = ? AND day = ?"));
  query->bind_all(iccid, day);
  STORE_TRY_ASSIGN(const bool row, query->step());
  return row ? query->integer(0) : std::int64_t{0};
}

}  // namespace smsgw::store
