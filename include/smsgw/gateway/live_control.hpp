// LiveControl: an operator's hands on the running gateway (POST /api/v1/modems/{id}/pause,
// resume, reset; contract.md "Live control").
//
// Contract:
// - pause(): the modem's SIM takes no new message until resume(), also across restarts.
//   The pause belongs to the SIM: it is stored by ICCID (store: sim_pauses) with who paused
//   it and when, and follows the SIM into another modem (Dispatcher::set_manual_pause).
//   The dispatcher holds the SIM before the store is written (so no message slips through
//   while the pause commits), and lets it go again when the store refuses. A message being
//   sent finishes, all its parts. Pausing a paused SIM keeps the first pause.
// - A modem whose ICCID is not known yet cannot be paused or resumed ("conflict").
// - resume() ends the manual pause only: disabled and low_balance are separate reasons.
// - reset(): ModemActor::reset (port reopen, radio off/on, init) now; "conflict" while a
//   reset of the modem runs, "unavailable" when its port is absent.
// - load() reads the stored pauses; the gateway calls it before the modems and the
//   dispatcher run, so a paused SIM never sends after a restart.
// - Unknown modem ids: "not_found". Expected failures are Result values.
// Single-threaded: the gateway's io_context.
#pragma once

#include <map>
#include <string>

#include "smsgw/common/net.hpp"
#include "smsgw/common/result.hpp"
#include "smsgw/gateway/dispatcher.hpp"
#include "smsgw/gateway/modem_pool.hpp"
#include "smsgw/store/records.hpp"
#include "smsgw/store/store_worker.hpp"

namespace smsgw::gateway {

class LiveControl {
 public:
  LiveControl(store::StoreWorker& store, Dispatcher& dispatcher, ModemPool& pool);

  awaitable<Result<void>> load();
  // `by`: the caller's name ("api", "token", an API client's name).
  awaitable<Result<void>> pause(std::string modem_id, std::string by);
  awaitable<Result<void>> resume(std::string modem_id);
  Result<void> reset(const std::string& modem_id);

  // The SIM's manual pause, or nullptr when it has none.
  [[nodiscard]] const store::SimPause* pause_of(const std::string& iccid) const;

 private:
  // The modem's actor and its SIM's ICCID; "not_found" / "conflict" (ICCID not known).
  Result<std::pair<modem::ModemActor*, std::string>> sim_of(const std::string& modem_id,
                                                            std::string_view action);

  store::StoreWorker& store_;
  Dispatcher& dispatcher_;
  ModemPool& pool_;
  std::map<std::string, store::SimPause> pauses_;  // by ICCID
};

}  // namespace smsgw::gateway
