// modem_actor_bench: what the modem actor itself costs.
//  1. The gap the actor adds between one "+CMGS: <mr> / OK" arriving and the next
//     "AT+CMGS=<n>" leaving, over an in-memory modem that answers instantly (so every
//     microsecond measured is the actor's and the AT channel's).
//  2. The CPU that idle modems cost: N ready actors, getrusage() over an idle period.
//
//   ./build/bench/modem_actor_bench [--parts 20000] [--modems 20] [--idle-seconds 10]
//                                   [--poll-interval-ms 30000]
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "fake_modem.hpp"
#include "smsgw/modem/modem.hpp"

namespace {

using namespace std::chrono_literals;
using smsgw::awaitable;
using smsgw::Result;
using Clock = std::chrono::steady_clock;
namespace asio = smsgw::asio;
namespace modem = smsgw::modem;

// Timestamps the end of each +CMGS reply read and the start of each AT+CMGS write.
struct Stamps {
  std::vector<Clock::duration> gaps;
  std::optional<Clock::time_point> last_final;
};

class StampingStream final : public smsgw::at::ByteStream {
 public:
  StampingStream(std::unique_ptr<smsgw::at::ByteStream> inner, Stamps& stamps)
      : inner_(std::move(inner)), stamps_(stamps) {}
  awaitable<Result<std::size_t>> read_some(std::span<char> buffer) override {
    auto got = co_await inner_->read_some(buffer);
    if (got) {
      const std::string_view text(buffer.data(), *got);
      if (text.find("+CMGS:") != std::string_view::npos && text.find("OK") != text.npos) {
        stamps_.last_final = Clock::now();
      }
    }
    co_return got;
  }
  awaitable<Result<void>> write_all(std::string_view bytes) override {
    if (bytes.starts_with("AT+CMGS=") && stamps_.last_final) {
      stamps_.gaps.push_back(Clock::now() - *stamps_.last_final);
      stamps_.last_final.reset();
    }
    co_return co_await inner_->write_all(bytes);
  }
  void close() override { inner_->close(); }
  asio::any_io_executor executor() override { return inner_->executor(); }

 private:
  std::unique_ptr<smsgw::at::ByteStream> inner_;
  Stamps& stamps_;
};

class StampingOpener final : public modem::PortOpener {
 public:
  StampingOpener(std::shared_ptr<modem::testing::FakeModem> fake, Stamps& stamps)
      : inner_(fake), stamps_(stamps) {}
  Result<std::unique_ptr<smsgw::at::ByteStream>> open(asio::any_io_executor executor,
                                                      const std::string& port, int baud) override {
    auto stream = inner_.open(std::move(executor), port, baud);
    if (!stream) return std::move(stream).error();
    std::unique_ptr<smsgw::at::ByteStream> stamped =
        std::make_unique<StampingStream>(std::move(stream).value(), stamps_);
    return stamped;
  }
  bool exists(const std::string& port) override { return inner_.exists(port); }

 private:
  modem::testing::FakeOpener inner_;
  Stamps& stamps_;
};

class NullListener final : public modem::ModemListener {
 public:
  void on_state_changed(const modem::ModemSnapshot&) override {}
  awaitable<bool> on_inbound(modem::InboundSms) override { co_return true; }
  awaitable<bool> on_status_report(modem::StatusReportEvent) override { co_return true; }
};

modem::ModemSettings settings(int index, std::chrono::milliseconds poll_interval) {
  modem::ModemSettings s;
  s.id = "bench" + std::to_string(index);
  s.port = "/dev/bench" + std::to_string(index);
  s.poll_interval = poll_interval;
  return s;
}

void run_until(asio::io_context& io, const std::function<bool()>& done) {
  while (!done()) {
    if (io.stopped()) io.restart();
    io.run_for(1ms);
  }
}

double micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

void gap_benchmark(int parts) {
  asio::io_context io;
  auto fake = std::make_shared<modem::testing::FakeModem>(io.get_executor());
  Stamps stamps;
  NullListener listener;
  modem::ModemActor actor(io.get_executor(), settings(0, 30s), listener,
                          std::make_shared<StampingOpener>(fake, stamps));
  bool done = false;
  asio::co_spawn(
      io,
      [&]() -> awaitable<void> {
        co_await actor.run();
        done = true;
      },
      asio::detached);
  run_until(io, [&] { return actor.can_send(); });

  const auto encoded =
      smsgw::pdu::encode_submit("+4917012345678", std::string(153 * 10, 'g')).value();
  int sent = 0;
  const auto start = Clock::now();
  while (sent < parts) {
    bool finished = false;
    stamps.last_final.reset();  // gaps between the parts of one message only
    asio::co_spawn(
        io,
        [&]() -> awaitable<void> {
          // Part after part, as the dispatcher sends a message.
          for (const auto& part : encoded.parts) {
            const auto result = co_await actor.send(part);
            if (result.outcome != modem::PartResult::Outcome::sent) break;
            ++sent;
          }
          finished = true;
        },
        asio::detached);
    run_until(io, [&] { return finished; });
  }
  const auto elapsed = Clock::now() - start;
  actor.stop();
  run_until(io, [&] { return done; });

  auto gaps = stamps.gaps;
  std::sort(gaps.begin(), gaps.end());
  const auto at = [&](double q) {
    return micros(gaps[static_cast<std::size_t>(q * static_cast<double>(gaps.size() - 1))]);
  };
  std::printf("gap between +CMGS/OK and the next AT+CMGS (%zu gaps inside 10-part messages)\n",
              gaps.size());
  std::printf("  p50 %.1f us   p99 %.1f us   max %.1f us\n", at(0.5), at(0.99), at(1.0));
  std::printf("  whole send cycle: %d parts in %.1f ms = %.1f us per part\n", sent,
              micros(elapsed) / 1000.0, micros(elapsed) / sent);
}

double cpu_ms() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto ms = [](timeval tv) { return tv.tv_sec * 1000.0 + tv.tv_usec / 1000.0; };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}

void idle_benchmark(int modems, int seconds, std::chrono::milliseconds poll_interval) {
  asio::io_context io;
  NullListener listener;
  std::vector<std::shared_ptr<modem::testing::FakeModem>> fakes;
  std::vector<std::unique_ptr<modem::ModemActor>> actors;
  int finished = 0;
  for (int i = 0; i < modems; ++i) {
    fakes.push_back(std::make_shared<modem::testing::FakeModem>(io.get_executor()));
    actors.push_back(std::make_unique<modem::ModemActor>(
        io.get_executor(), settings(i, poll_interval), listener,
        std::make_shared<modem::testing::FakeOpener>(fakes.back())));
    asio::co_spawn(
        io,
        [&, actor = actors.back().get()]() -> awaitable<void> {
          co_await actor->run();
          ++finished;
        },
        asio::detached);
  }
  run_until(io, [&] {
    return std::all_of(actors.begin(), actors.end(), [](auto& a) { return a->can_send(); });
  });
  std::size_t commands_before = 0;
  for (auto& fake : fakes) commands_before += fake->commands.size();
  const double before = cpu_ms();
  const auto wall_start = Clock::now();
  io.run_for(std::chrono::seconds(seconds));
  const double used = cpu_ms() - before;
  const auto wall = Clock::now() - wall_start;
  std::size_t commands_after = 0;
  for (auto& fake : fakes) commands_after += fake->commands.size();
  std::printf("idle: %d ready modems, %.1f s, poll interval %lld ms\n", modems,
              std::chrono::duration<double>(wall).count(),
              static_cast<long long>(poll_interval.count()));
  std::printf("  CPU %.2f ms (%.4f%% of one core), AT commands meanwhile: %zu\n", used,
              used / (std::chrono::duration<double, std::milli>(wall).count()) * 100.0,
              commands_after - commands_before);
  for (auto& actor : actors) actor->stop();
  run_until(io, [&] { return finished == modems; });
}

}  // namespace

int main(int argc, char** argv) {
  int parts = 20000;
  int modems = 20;
  int idle_seconds = 10;
  long poll_ms = 30000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const long value = std::strtol(argv[i + 1], nullptr, 10);
    if (flag == "--parts")
      parts = static_cast<int>(value);
    else if (flag == "--modems")
      modems = static_cast<int>(value);
    else if (flag == "--idle-seconds")
      idle_seconds = static_cast<int>(value);
    else if (flag == "--poll-interval-ms")
      poll_ms = value;
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  spdlog::set_level(spdlog::level::off);
  gap_benchmark(parts);
  idle_benchmark(modems, idle_seconds, std::chrono::milliseconds(poll_ms));
  return 0;
}
