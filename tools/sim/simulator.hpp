// Simulator: N modems on PTYs in one directory, the sent log, sim.json and the control
// socket, on one io_context.
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>
#include <vector>

#include "control_server.hpp"
#include "modem_runner.hpp"
#include "smsgw/common/net.hpp"

namespace smsgw::sim {

class Simulator final : public ControlTarget {
 public:
  Simulator(asio::io_context& io, std::filesystem::path dir, std::vector<ModemConfig> configs);
  ~Simulator() override;

  // Creates the ports, the log, the control socket and sim.json. Throws on failure.
  void start();
  // Removes links, socket and sim.json.
  void stop();

  // ControlTarget.
  [[nodiscard]] int modem_count() const override { return static_cast<int>(runners_.size()); }
  SimulatedModem& modem(int index) override;
  Result<void> unplug(int index, std::optional<int> replug_after_ms) override;
  Result<void> replug(int index) override;
  [[nodiscard]] nlohmann::json describe() const override;

 private:
  void log_sent(const SentRecord& record);
  void write_description();

  asio::io_context& io_;
  std::filesystem::path dir_;
  std::vector<ModemConfig> configs_;
  std::vector<std::unique_ptr<ModemRunner>> runners_;
  std::unique_ptr<ControlServer> control_;
  std::FILE* sent_log_ = nullptr;
  bool started_ = false;
};

}  // namespace smsgw::sim
