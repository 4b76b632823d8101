// smsgw-sim as a child process (tools/sim/README.md): N simulated modems on pseudo-terminals
// under `<dir>`, a JSON config built from SimOptions, control commands through
// `smsgw-sim ctl <dir> <json>`, and the record of every accepted PDU (<dir>/sent.jsonl).
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/process.hpp"

namespace smsgw::harness {

struct SimOptions {
  int modems = 2;
  // The home network (MCC+MNC, 5 digits) of each modem's SIM; the IMSI is built from it.
  // Empty: modem i gets "26201" for even i and "26202" for odd i.
  std::vector<std::string> mccmnc;
  // Merged over the harness's fast defaults (send 20 ms, status report 100 ms, USSD 20 ms,
  // boot 50 ms, reboot 200 ms) into the config's "defaults" object.
  nlohmann::json defaults = nlohmann::json::object();
  // Per-modem keys (README "Config file"), merged over the generated IMSI.
  std::map<int, nlohmann::json> modem;
  std::string personality = "generic";
};

class Simulator {
 public:
  // Starts smsgw-sim in `dir` (created if needed) and waits for its "ready"; throws
  // std::runtime_error (with the simulator's log) when it does not come up.
  Simulator(std::filesystem::path dir, SimOptions options);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  [[nodiscard]] const std::filesystem::path& dir() const noexcept { return dir_; }
  [[nodiscard]] int modems() const noexcept { return options_.modems; }
  [[nodiscard]] const SimOptions& options() const noexcept { return options_; }
  // "<dir>/modem*": the port glob for [[modem]] port.
  [[nodiscard]] std::string port_glob() const;
  // "<dir>/modem<i>"
  [[nodiscard]] std::string port(int modem) const;
  // The IMSI and MCC+MNC given to modem i.
  [[nodiscard]] std::string imsi(int modem) const;
  [[nodiscard]] std::string mccmnc(int modem) const;

  // Sends one control command; returns the answer (an object with "ok"). Throws
  // std::runtime_error when the simulator cannot be reached or the answer is not JSON.
  nlohmann::json ctl(const nlohmann::json& command) const;
  // Like ctl(), but throws when the answer is not {"ok": true, ...}.
  nlohmann::json ctl_ok(const nlohmann::json& command) const;

  // Convenience commands (all via ctl_ok). inject() returns the number of parts.
  int inject(int modem, const std::string& from, const std::string& text,
             const nlohmann::json& extra = nlohmann::json::object()) const;
  void fault(int modem, const nlohmann::json& faults) const;
  void set(int modem, const nlohmann::json& keys) const;
  void unplug(int modem) const;
  void replug(int modem) const;
  // {"cmd":"stats","modem":i}.modems[0]
  nlohmann::json stats(int modem) const;
  // The stored messages of `memory` ("SM", "ME", "SR") on modem i.
  nlohmann::json stored_messages(int modem, const std::string& memory = "SM") const;

  // Every line of sent.jsonl so far, parsed.
  [[nodiscard]] std::vector<nlohmann::json> sent() const;

  // The simulator's own log (stdout + stderr).
  [[nodiscard]] std::string log_tail(std::size_t lines = 40) const;

  // SIGTERM and wait; returns the exit code (0 after a clean stop).
  int stop();

 private:
  std::filesystem::path dir_;
  SimOptions options_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace smsgw::harness
