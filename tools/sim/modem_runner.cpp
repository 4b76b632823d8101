#include "modem_runner.hpp"

#include <spdlog/spdlog.h>

namespace smsgw::sim {

namespace {
constexpr std::size_t kMaxOutbox = 1 << 20;
}

ModemRunner::ModemRunner(asio::io_context& io, ModemConfig config, std::filesystem::path link,
                         SentSink sent_sink, PortChanged port_changed)
    : io_(io),
      link_(std::move(link)),
      sent_sink_(std::move(sent_sink)),
      port_changed_(std::move(port_changed)),
      modem_(std::move(config), *this) {}

ModemRunner::~ModemRunner() {
  *alive_ = false;
  stop();
}

Result<void> ModemRunner::start() {
  auto port = PtyPort::create(io_, link_);
  if (!port) return port.error();
  port_ = std::move(*port);
  ++port_generation_;
  open_count_ = 0;
  start_reading();
  start_watching();
  modem_.power_on(/*already_booted=*/true);  // modems were on before the simulator started
  return {};
}

void ModemRunner::stop() {
  if (!port_) return;
  ++port_generation_;
  port_->close();
  port_.reset();
  outbox_.clear();
  writing_ = false;
}

Result<void> ModemRunner::unplug(std::optional<int> replug_after_ms) {
  if (port_) {
    spdlog::info("modem {}: unplugged", modem_.config().index);
    stop();
    modem_.power_off();
    modem_.count_unplug();
    if (port_changed_) port_changed_();
  }
  if (replug_after_ms) {
    schedule(std::chrono::milliseconds(*replug_after_ms), [this] {
      if (!port_) {
        if (auto done = replug(); !done)
          spdlog::error("modem {}: replug failed: {}", modem_.config().index, done.error().message);
      }
    });
  }
  return {};
}

Result<void> ModemRunner::replug() {
  if (port_)
    return make_error("sim.replug",
                      "modem " + std::to_string(modem_.config().index) + " is plugged in");
  auto port = PtyPort::create(io_, link_);
  if (!port) return port.error();
  port_ = std::move(*port);
  ++port_generation_;
  open_count_ = 0;
  boot_on_open_ = true;  // a re-enumerated modem boots as the gateway opens it
  start_reading();
  start_watching();
  spdlog::info("modem {}: replugged as {}", modem_.config().index, port_->slave_name());
  if (port_changed_) port_changed_();
  return {};
}

void ModemRunner::request_replug(std::chrono::milliseconds down_time) {
  const auto ms = static_cast<int>(down_time.count());
  // Not from inside the modem's own call stack: the port goes away on the next turn.
  asio::post(io_, [this, ms, alive = alive_] {
    if (*alive) (void)unplug(ms);
  });
}

void ModemRunner::start_reading() {
  auto port = port_;
  const auto generation = port_generation_;
  port->master().async_read_some(
      asio::buffer(read_buffer_),
      [this, port, generation, alive = alive_](const error_code& ec, std::size_t n) {
        if (!*alive || generation != port_generation_) return;
        if (ec) {
          if (ec != asio::error::operation_aborted)
            spdlog::warn("modem {}: read: {}", modem_.config().index, ec.message());
          return;
        }
        drain_open_events();
        if (open_count_ <= 0) open_count_ = 1;  // bytes arrived: someone has it open
        modem_.on_input(std::string_view(read_buffer_.data(), n));
        if (generation == port_generation_) start_reading();
      });
}

void ModemRunner::start_watching() {
  auto port = port_;
  const auto generation = port_generation_;
  port->watch().async_wait(asio::posix::stream_descriptor::wait_read,
                           [this, port, generation, alive = alive_](const error_code& ec) {
                             if (!*alive || ec || generation != port_generation_) return;
                             drain_open_events();
                             if (generation == port_generation_) start_watching();
                           });
}

void ModemRunner::drain_open_events() {
  if (port_) port_->drain_open_events([this](bool opened) { on_open_event(opened); });
}

void ModemRunner::on_open_event(bool opened) {
  if (!port_) return;
  if (opened) {
    ++open_count_;
    modem_.on_port_opened();
    if (boot_on_open_) {
      boot_on_open_ = false;
      modem_.power_on();
    }
    return;
  }
  if (open_count_ > 0 && --open_count_ == 0) {
    outbox_.clear();
    port_->discard_unread_output();
  }
}

void ModemRunner::write(std::string_view bytes) {
  if (!port_) return;
  if (open_count_ <= 0) drain_open_events();
  if (open_count_ <= 0) return;  // nobody listening: the bytes are lost
  if (outbox_.size() + bytes.size() > kMaxOutbox) return;
  outbox_.append(bytes);
  pump_writes();
}

void ModemRunner::pump_writes() {
  if (writing_ || outbox_.empty() || !port_) return;
  writing_ = true;
  auto chunk = std::make_shared<std::string>();
  chunk->swap(outbox_);
  auto port = port_;
  const auto generation = port_generation_;
  asio::async_write(
      port->master(), asio::buffer(*chunk),
      [this, chunk, port, generation, alive = alive_](const error_code& ec, std::size_t) {
        if (!*alive || generation != port_generation_) return;
        writing_ = false;
        if (ec) {
          spdlog::warn("modem {}: write: {}", modem_.config().index, ec.message());
          return;
        }
        pump_writes();
      });
}

void ModemRunner::schedule(std::chrono::milliseconds delay, std::function<void()> action) {
  auto timer = std::make_shared<asio::steady_timer>(io_, delay);
  timer->async_wait([timer, action = std::move(action), alive = alive_](const error_code& ec) {
    if (!ec && *alive) action();
  });
}

void ModemRunner::record_sent(const SentRecord& record) {
  if (sent_sink_) sent_sink_(record);
}

std::chrono::system_clock::time_point ModemRunner::now() {
  return std::chrono::system_clock::now();
}

}  // namespace smsgw::sim
