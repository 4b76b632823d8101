// ModemRunner: runs one SimulatedModem on a PtyPort (the I/O shell around the pure modem).
//
// Reads from the master go to the modem; the modem's output goes to the master while a
// gateway has the port open and is dropped otherwise (a real modem's output is lost while
// its tty is closed). Unplug destroys the port; replug makes a new one under the same
// link, and the modem boots (boot URCs) when the gateway first opens it.
#pragma once

#include <array>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "modem_host.hpp"
#include "pty_port.hpp"
#include "simulated_modem.hpp"
#include "smsgw/common/net.hpp"

namespace smsgw::sim {

class ModemRunner final : public ModemHost {
 public:
  using SentSink = std::function<void(const SentRecord&)>;
  using PortChanged = std::function<void()>;

  ModemRunner(asio::io_context& io, ModemConfig config, std::filesystem::path link,
              SentSink sent_sink, PortChanged port_changed);
  ~ModemRunner() override;

  // Creates the PTY and powers the modem on.
  Result<void> start();
  Result<void> unplug(std::optional<int> replug_after_ms);
  Result<void> replug();
  void stop();

  SimulatedModem& modem() { return modem_; }
  [[nodiscard]] const SimulatedModem& modem() const { return modem_; }
  [[nodiscard]] bool plugged() const { return port_ != nullptr; }
  [[nodiscard]] std::string tty() const { return port_ ? port_->slave_name() : std::string(); }
  [[nodiscard]] const std::filesystem::path& link() const { return link_; }

  // ModemHost.
  void write(std::string_view bytes) override;
  void schedule(std::chrono::milliseconds delay, std::function<void()> action) override;
  void record_sent(const SentRecord& record) override;
  std::chrono::system_clock::time_point now() override;
  void request_replug(std::chrono::milliseconds down_time) override;

 private:
  void start_reading();
  void start_watching();
  void drain_open_events();
  void on_open_event(bool opened);
  void pump_writes();

  asio::io_context& io_;
  std::filesystem::path link_;
  SentSink sent_sink_;
  PortChanged port_changed_;
  SimulatedModem modem_;
  std::shared_ptr<PtyPort> port_;
  std::uint64_t port_generation_ = 0;
  int open_count_ = 0;
  bool boot_on_open_ = false;
  std::string outbox_;
  bool writing_ = false;
  std::array<char, 4096> read_buffer_{};
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace smsgw::sim
