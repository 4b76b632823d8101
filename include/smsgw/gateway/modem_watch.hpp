// ModemWatch: the `modem.down` and `modem.up` events (config.hpp kWebhookEvents).
//
// Contract:
// - A modem is up while its state is `ready` or `sending`. One that is not up for longer
//   than `down_after` ([modems] down_after) raises `modem.down` once per outage; when it
//   is up again after a modem.down, `modem.up`. An outage shorter than down_after raises
//   nothing (a recovery, a replug).
// - A modem is watched from the moment the pool attaches it (observe()), so one that is
//   absent from the start is reported too; forget() drops a retired one without an event.
// - Payload, JSON object: "modem", "port", "iccid" (or null), "operator" (or null), "state"
//   (the state now), "since" (RFC 3339: modem.down, when it stopped being up; modem.up,
//   when it came back), "last_error" (or null); modem.up also has "down_since".
// - Events are handed to `emit`, the gateway's durable webhook outbox.
// Single-threaded: the gateway's io_context.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "smsgw/common/event.hpp"
#include "smsgw/common/net.hpp"
#include "smsgw/modem/snapshot.hpp"

namespace smsgw::gateway {

class ModemWatch {
 public:
  using Clock = std::chrono::system_clock;
  using Emit = std::function<void(const std::string& event, const std::string& payload_json)>;

  ModemWatch(asio::any_io_executor executor, Clock::duration down_after, Emit emit);

  // The modem's snapshot changed (or it was attached); `operator_name`: its SIM's operator.
  void observe(const modem::ModemSnapshot& snapshot, std::optional<std::string> operator_name);
  void forget(const std::string& modem_id);
  // A config reload: outages are measured against the new threshold from now on.
  void set_down_after(Clock::duration down_after) {
    down_after_ = down_after;
    wake_.set();
  }

  // Raises modem.down when an outage passes down_after, until stop().
  awaitable<void> run();
  void stop();

 private:
  struct Watched {
    modem::ModemSnapshot last;
    std::optional<std::string> operator_name;
    std::optional<Clock::time_point> down_since;  // not up since then
    bool reported = false;                        // modem.down raised for this outage
  };
  void report_down(Watched& watched);
  nlohmann::json payload(const Watched& watched, Clock::time_point since) const;

  Clock::duration down_after_;
  Emit emit_;
  Event wake_;
  bool stopping_ = false;
  std::map<std::string, Watched> watched_;  // by modem id
};

}  // namespace smsgw::gateway
