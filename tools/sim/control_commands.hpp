// The control protocol of smsgw-sim: one JSON object per line in, one JSON line out
// (tools/sim/README.md lists the commands). Pure: it acts on a ControlTarget.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "simulated_modem.hpp"
#include "smsgw/common/result.hpp"

namespace smsgw::sim {

class ControlTarget {
 public:
  virtual ~ControlTarget() = default;
  [[nodiscard]] virtual int modem_count() const = 0;
  virtual SimulatedModem& modem(int index) = 0;
  // Closes the modem's PTY and removes its link; with `replug_after_ms`, a new PTY under
  // the same name follows after that delay.
  virtual Result<void> unplug(int index, std::optional<int> replug_after_ms) = 0;
  virtual Result<void> replug(int index) = 0;
  // What sim.json holds.
  [[nodiscard]] virtual nlohmann::json describe() const = 0;
};

// Parses and runs one control line. Never throws; errors come back as
// {"ok": false, "error": "..."}.
nlohmann::json handle_control_line(ControlTarget& target, std::string_view line);

}  // namespace smsgw::sim
