// Why a SIM takes no new message: its pause reasons (manual by ICCID, disabled, low
// balance, a modem id another node's modem has), each a flag of its own, and the SIM's
// status as the API shows it. A send in flight is never interrupted by a pause: its
// remaining parts follow through the same SIM back to back (contract.md), only the next
// message waits or goes elsewhere.
#include "dispatcher_slot.hpp"

namespace smsgw::gateway {

void Dispatcher::set_paused(const std::string& modem_id, bool paused) {
  if (auto it = slots_.find(modem_id); it != slots_.end()) {
    it->second->low_balance = paused;
    wake();
  }
}

void Dispatcher::set_manual_pause(const std::string& iccid, bool paused) {
  if (iccid.empty()) return;
  if (paused) {
    manual_pauses_.insert(iccid);
  } else {
    manual_pauses_.erase(iccid);
  }
  wake();
}

void Dispatcher::set_id_conflicts(const std::set<std::string>& modem_ids) {
  id_conflicts_ = modem_ids;
  wake();
}

bool Dispatcher::id_conflict(const Slot& slot) const {
  return id_conflicts_.contains(slot.modem->snapshot().id);
}

const std::string& Dispatcher::iccid_of(const Slot& slot) {
  const auto& seen = slot.modem->snapshot().iccid;
  return seen.empty() ? slot.iccid : seen;
}

bool Dispatcher::manually_paused(const Slot& slot) const {
  const auto& iccid = iccid_of(slot);
  return !iccid.empty() && manual_pauses_.contains(iccid);
}

bool Dispatcher::paused(const Slot& slot) const {
  return manually_paused(slot) || slot.disabled || slot.low_balance || id_conflict(slot);
}

std::optional<Dispatcher::SimStatus> Dispatcher::sim_status(const std::string& modem_id) const {
  auto it = slots_.find(modem_id);
  if (it == slots_.end()) return std::nullopt;
  const auto& slot = *it->second;
  const auto now = std::chrono::system_clock::now();
  SimStatus status;
  status.sent_today = slot.limiter.sent_today(now);
  status.per_day = slot.limiter.limits().per_day;
  status.per_month = slot.limiter.limits().per_month;
  status.sent_this_month = slot.limiter.sent_this_month(now);
  if (auto q = ready_.find("modem:" + modem_id); q != ready_.end()) status.queue = q->second.size();
  status.busy = slot.busy;
  status.manual = manually_paused(slot);
  status.disabled = slot.disabled;
  status.low_balance = slot.low_balance;
  status.id_conflict = id_conflict(slot);
  status.benched = slot.health.benched(now);
  status.operator_name = slot.operator_name;
  return status;
}

}  // namespace smsgw::gateway
