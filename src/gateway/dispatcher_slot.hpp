// One modem's place in the dispatcher (private to the dispatcher's files).
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
  bool paused = false;
  bool sim_disabled = false;  // [[sim]] enabled = false
  bool detached = false;
};

}  // namespace smsgw::gateway
