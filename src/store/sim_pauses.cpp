// Manual pauses of SIMs, by ICCID (table sim_pauses, migrations.cpp): the pause belongs to
// the SIM and survives restarts until it is resumed (docs/store.md "Other tables").
#include "store_impl.hpp"

namespace smsgw::store {

Result<SimPause> Store::pause_sim(const SimPause& pause) {
  return impl_->transaction([&]() -> Result<SimPause> {
    // A SIM paused twice keeps its first pause: who paused it and since when.
    STORE_TRY_ASSIGN(auto insert,
                     impl_->q("INSERT INTO sim_pauses (iccid, paused_by, paused_at, modem) "
                              "VALUES (?, ?, ?, ?) ON CONFLICT (iccid) DO NOTHING"));
    STORE_TRY(insert->bind_all(pause.iccid, pause.paused_by, pause.paused_at, pause.modem).run());
    STORE_TRY_ASSIGN(auto read, impl_->q("SELECT iccid, paused_by, paused_at, modem FROM "
                                         "sim_pauses WHERE iccid = ?"));
    read->bind_all(pause.iccid);
    STORE_TRY_ASSIGN(const bool row, read->step());
    if (!row) return make_error("store.error", "the pause of SIM " + pause.iccid + " vanished");
    SimPause stored{read->text(0), read->text(1), read->time(2), read->optional_text(3)};
    STORE_TRY(read->run());
    return stored;
  });
}

Result<bool> Store::resume_sim(const std::string& iccid) {
  return impl_->transaction([&]() -> Result<bool> {
    STORE_TRY_ASSIGN(auto query,
                     impl_->q("DELETE FROM sim_pauses WHERE iccid = ? RETURNING iccid"));
    query->bind_all(iccid);
    STORE_TRY_ASSIGN(const bool removed, query->step());
    STORE_TRY(query->run());
    return removed;
  });
}

Result<std::vector<SimPause>> Store::sim_pauses() {
  STORE_TRY_ASSIGN(auto query, impl_->q("SELECT iccid, paused_by, paused_at, modem FROM "
                                        "sim_pauses ORDER BY iccid"));
  std::vector<SimPause> out;
  while (true) {
    STORE_TRY_ASSIGN(const bool row, query->step());
    if (!row) break;
    out.push_back(
        SimPause{query->text(0), query->text(1), query->time(2), query->optional_text(3)});
  }
  return out;
}

}  // namespace smsgw::store
