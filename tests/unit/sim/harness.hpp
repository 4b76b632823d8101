// A ModemHost with a manual clock, and a powered-on SimulatedModem around it.
#pragma once

#include <chrono>
#include <functional>
#include <queue>
#include <string>
#include <vector>

#include "simulated_modem.hpp"

namespace smsgw::sim::test {

class FakeHost : public ModemHost {
 public:
  void write(std::string_view bytes) override { output_ += bytes; }
  void schedule(std::chrono::milliseconds delay, std::function<void()> action) override {
    queue_.push(Entry{now_ms_ + delay.count(), serial_++, std::move(action)});
  }
  void record_sent(const SentRecord& record) override { sent.push_back(record); }
  std::chrono::system_clock::time_point now() override {
    return std::chrono::system_clock::time_point(std::chrono::seconds(1700000000)) +
           std::chrono::milliseconds(now_ms_);
  }
  void request_replug(std::chrono::milliseconds down_time) override {
    replugs.push_back(down_time.count());
  }

  // Runs every action due within `ms`, in time order.
  void advance(long long ms) {
    const long long target = now_ms_ + ms;
    while (!queue_.empty() && queue_.top().at <= target) {
      Entry entry = queue_.top();
      queue_.pop();
      now_ms_ = entry.at;
      entry.action();
    }
    now_ms_ = target;
  }
  // Output since the last take().
  std::string take() {
    std::string out;
    out.swap(output_);
    return out;
  }
  [[nodiscard]] std::size_t pending_timers() const { return queue_.size(); }

  std::vector<SentRecord> sent;
  std::vector<long long> replugs;

 private:
  struct Entry {
    long long at;
    std::uint64_t serial;
    std::function<void()> action;
    bool operator>(const Entry& other) const {
      return at != other.at ? at > other.at : serial > other.serial;
    }
  };
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue_;
  long long now_ms_ = 0;
  std::uint64_t serial_ = 0;
  std::string output_;
};

inline ModemConfig quiet_config(std::string_view personality, int index = 0) {
  ModemConfig config = default_modem_config(index, personality);
  config.echo = false;
  config.noise_interval_ms = 0;
  return config;
}

// A modem that has booted (boot URCs consumed).
struct Bench {
  explicit Bench(ModemConfig c) : config(std::move(c)), modem(config, host) {
    modem.power_on();
    host.advance(config.boot_ms);
    boot_output = host.take();
  }
  // Sends "<line>\r" and returns what came back at once.
  std::string at(const std::string& line) {
    modem.on_input(line + "\r");
    return host.take();
  }
  std::string send_raw(const std::string& bytes) {
    modem.on_input(bytes);
    return host.take();
  }
  std::string wait(long long ms) {
    host.advance(ms);
    return host.take();
  }

  ModemConfig config;
  FakeHost host;
  SimulatedModem modem;
  std::string boot_output;
};

}  // namespace smsgw::sim::test
