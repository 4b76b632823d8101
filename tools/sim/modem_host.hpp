// ModemHost: the seam between a SimulatedModem (pure) and the world it runs in: the PTY
// shell in smsgw-sim, a fake with a manual clock in the unit tests.
#pragma once

#include <chrono>
#include <functional>
#include <string_view>

#include "sent_record.hpp"

namespace smsgw::sim {

class ModemHost {
 public:
  virtual ~ModemHost() = default;
  // Bytes for the gateway, in order. Called once per burst of output.
  virtual void write(std::string_view bytes) = 0;
  // Runs `action` after `delay` on the same thread. Actions are never cancelled; the
  // modem ignores the ones that belong to an earlier power cycle.
  virtual void schedule(std::chrono::milliseconds delay, std::function<void()> action) = 0;
  // A PDU was accepted for sending (sent.jsonl).
  virtual void record_sent(const SentRecord& record) = 0;
  // Wall-clock time for service-centre time stamps and the log.
  virtual std::chrono::system_clock::time_point now() = 0;
  // The modem re-enumerates (AT+CFUN=1,1 with cfun_reset_replugs): the port goes away
  // for `down_time` and comes back as a new device under the same name.
  virtual void request_replug(std::chrono::milliseconds down_time) = 0;
};

}  // namespace smsgw::sim
