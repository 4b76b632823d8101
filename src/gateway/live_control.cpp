#include "smsgw/gateway/live_control.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

namespace smsgw::gateway {

using store::Store;

LiveControl::LiveControl(store::StoreWorker& store, Dispatcher& dispatcher, ModemPool& pool)
    : store_(store), dispatcher_(dispatcher), pool_(pool) {}

awaitable<Result<void>> LiveControl::load() {
  auto job = [](Store& s) { return s.sim_pauses(); };
  auto stored = co_await store_.call(job);
  if (!stored) co_return stored.error();
  const auto pauses = std::move(stored).value();
  for (const auto& pause : pauses) {
    dispatcher_.set_manual_pause(pause.iccid, true);
    spdlog::info("SIM {}: paused by {} since {} (until resumed)", pause.iccid, pause.paused_by,
                 scheduler::format_utc(pause.paused_at));
    pauses_[pause.iccid] = pause;
  }
  co_return Result<void>{};
}

Result<std::pair<modem::ModemActor*, std::string>> LiveControl::sim_of(const std::string& modem_id,
                                                                       std::string_view action) {
  auto* actor = pool_.find(modem_id);
  if (actor == nullptr) {
    return make_error(ErrorCode::not_found, "no modem with id \"" + modem_id + "\"");
  }
  const auto& iccid = actor->snapshot().iccid;
  if (iccid.empty()) {
    return make_error(ErrorCode::conflict,
                      "modem " + modem_id + " cannot be " + std::string(action) +
                          ": its SIM's ICCID is not known yet (the modem has not been ready "
                          "since it appeared), and a pause belongs to the SIM");
  }
  return std::make_pair(actor, iccid);
}

awaitable<Result<void>> LiveControl::pause(std::string modem_id, std::string by) {
  auto sim = sim_of(modem_id, "paused");
  if (!sim) co_return sim.error();
  const std::string iccid = sim->second;
  if (pauses_.contains(iccid)) co_return Result<void>{};  // the first pause stays
  // Held at once, so that no message starts on it while the pause commits.
  dispatcher_.set_manual_pause(iccid, true);
  const store::SimPause pause{iccid, by, std::chrono::system_clock::now(), modem_id};
  auto job = [pause](Store& s) { return s.pause_sim(pause); };
  auto stored = co_await store_.call(job);
  if (!stored) {
    if (!pauses_.contains(iccid)) dispatcher_.set_manual_pause(iccid, false);
    co_return make_error("unavailable", "the pause of modem " + modem_id +
                                            " could not be stored (it is not "
                                            "paused): " +
                                            stored.error().message);
  }
  spdlog::info("modem {}: SIM {} paused by {}", modem_id, iccid, stored->paused_by);
  pauses_[iccid] = std::move(stored).value();
  co_return Result<void>{};
}

awaitable<Result<void>> LiveControl::resume(std::string modem_id) {
  auto sim = sim_of(modem_id, "resumed");
  if (!sim) co_return sim.error();
  const std::string iccid = sim->second;
  if (!pauses_.contains(iccid)) co_return Result<void>{};  // not paused by hand
  auto job = [iccid](Store& s) { return s.resume_sim(iccid); };
  auto removed = co_await store_.call(job);
  if (!removed) {
    co_return make_error("unavailable",
                         "the resume of modem " + modem_id +
                             " could not be stored (it stays paused): " + removed.error().message);
  }
  pauses_.erase(iccid);
  dispatcher_.set_manual_pause(iccid, false);
  spdlog::info("modem {}: SIM {} resumed", modem_id, iccid);
  co_return Result<void>{};
}

Result<void> LiveControl::reset(const std::string& modem_id) {
  auto* actor = pool_.find(modem_id);
  if (actor == nullptr) {
    return make_error(ErrorCode::not_found, "no modem with id \"" + modem_id + "\"");
  }
  auto started = actor->reset();
  if (started) return started;
  if (started.error().kind == ErrorCode::conflict) return started;
  return make_error("unavailable", started.error().message);
}

const store::SimPause* LiveControl::pause_of(const std::string& iccid) const {
  auto it = pauses_.find(iccid);
  return it == pauses_.end() ? nullptr : &it->second;
}

}  // namespace smsgw::gateway
