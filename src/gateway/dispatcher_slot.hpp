// Dispatcher::Slot: one modem (one SIM) as the dispatcher holds it. Private to the
// dispatcher's files (dispatcher.cpp: queue and sending; dispatcher_pauses.cpp: why a SIM
// takes no message).
#pragma once

#include <string>

#include "smsgw/gateway/dispatcher.hpp"

namespace smsgw::gateway {

struct Dispatcher::Slot {
  modem::PartSender* modem = nullptr;
  scheduler::Limits own_limits;
  scheduler::RateLimiter limiter;
  scheduler::SimHealth health;
  std::string operator_name;
  std::string iccid;
  bool busy = false;
  // Each reason to take no new message is its own flag, set and cleared by its owner
  // alone; the SIM sends when none is set (the manual pause is by ICCID, in the
  // dispatcher's manual_pauses_; a modem id another node keeps, in its id_conflicts_).
  bool low_balance = false;  // set_paused(): balance under the operator's low_balance
  bool disabled = false;     // [[sim]] enabled = false (refresh_operator, from the options)
  bool detached = false;
};

}  // namespace smsgw::gateway
