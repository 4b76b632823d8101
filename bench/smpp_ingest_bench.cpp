// SMPP ingest of the real gateway: one bind_transmitter keeping `window` submit_sm
// outstanding (closed loop: a new submit_sm goes out as soon as a submit_sm_resp comes
// back) for T seconds after a warm-up, one single-part message per submit_sm. Every
// ESME_ROK is a durable commit (the server answers only after the store commit, as the HTTP
// API's 202). Reports submit_sm per second, exact latency percentiles over every
// submit_sm, errors (any status but ESME_ROK) and the CPU of the client and of
// `smsgw serve`. The gateway runs with no modem (the port glob matches nothing), as
// http_ingest_bench's default, so nothing is sent and only ingest is measured.
//
// The server's [smpp] window is set to the largest --windows value; each run keeps its own
// window of outstanding submit_sm.
//
// Usage: smpp_ingest_bench [--windows 10,100] [--seconds 5] [--warmup 1] [--dir DIR]
//          [--log-level info] [--smsgw PATH] [--keep]
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "smsgw/common/event.hpp"
#include "smsgw/smpp/framer.hpp"
#include "smsgw/smpp/pdu.hpp"
#include "support/gateway_under_test.hpp"
#include "support/percentile.hpp"
#include "support/process.hpp"

namespace {

using namespace smsgw;
using namespace smsgw::bench;
using Clock = std::chrono::steady_clock;
using tcp = asio::ip::tcp;

struct Options {
  std::vector<int> windows{10, 100};
  double seconds = 5;
  double warmup = 1;
  std::filesystem::path dir;
  std::string log_level = "info";
  bool keep = false;
  std::string smsgw = smsgw_binary();
};

struct RunResult {
  int window = 0;
  double seconds = 0;
  std::uint64_t accepted = 0;  // ESME_ROK answered within the measured window
  std::uint64_t errors = 0;
  std::string first_error;
  std::vector<double> latencies_ms;
  double client_cpu = 0;
  double server_cpu = 0;
};

smpp::Bytes encode_or_die(const smpp::Pdu& pdu) {
  auto octets = smpp::encode(pdu);
  if (!octets) throw std::runtime_error("cannot encode: " + octets.error().message);
  return *octets;
}

smpp::Bytes submit_octets(std::uint32_t sequence, std::uint64_t n) {
  smpp::Pdu pdu;
  pdu.command_id = smpp::CommandId::submit_sm;
  pdu.sequence_number = sequence;
  smpp::MessageBody body;
  char to[24];
  std::snprintf(to, sizeof to, "49176%08llu", static_cast<unsigned long long>(n % 100000000ULL));
  body.dest_addr_ton = 1;
  body.dest_addr_npi = 1;
  body.destination_addr = to;
  char text[32];
  std::snprintf(text, sizeof text, "Your code is %06llu",
                static_cast<unsigned long long>(n % 1000000ULL));
  body.short_message.assign(text, text + std::strlen(text));
  pdu.body = std::move(body);
  return encode_or_die(pdu);
}

// One bound connection driven by two coroutines: the sender tops the window up, the
// reader matches each submit_sm_resp to its submit_sm's send time.
class Driver {
 public:
  Driver(asio::io_context& io, int window, Clock::time_point measure_from, Clock::time_point end)
      : socket_(io), wake_(io.get_executor()), window_(window), from_(measure_from), end_(end) {}

  awaitable<void> run(tcp::endpoint endpoint, RunResult* result) {
    co_await socket_.async_connect(endpoint, use_awaitable);
    socket_.set_option(tcp::no_delay(true));
    smpp::Pdu bind;
    bind.command_id = smpp::CommandId::bind_transmitter;
    bind.sequence_number = next_sequence();
    smpp::BindBody body;
    body.system_id = "bench";
    body.password = "bench";
    bind.body = std::move(body);
    const smpp::Bytes bind_octets = encode_or_die(bind);
    co_await asio::async_write(socket_, asio::buffer(bind_octets), use_awaitable);
    const smpp::Pdu answer = co_await read_pdu();
    if (answer.command_status != smpp::CommandStatus::esme_rok) {
      throw std::runtime_error("bind refused: " + smpp::to_string(answer.command_status));
    }
    result_ = result;
    asio::co_spawn(socket_.get_executor(), read_loop(), asio::detached);
    smpp::Bytes batch;
    while (Clock::now() < end_) {
      batch.clear();
      while (outstanding_ < window_) {
        const std::uint32_t sequence = next_sequence();
        const auto octets = submit_octets(sequence, counter_++);
        batch.insert(batch.end(), octets.begin(), octets.end());
        sent_at_[sequence] = Clock::now();
        ++outstanding_;
      }
      if (!batch.empty()) co_await asio::async_write(socket_, asio::buffer(batch), use_awaitable);
      wake_.reset();
      co_await wake_.wait(std::chrono::seconds(5));
    }
    // Drain: wait for the answers still outstanding (they are not counted).
    const auto drain_until = Clock::now() + std::chrono::seconds(10);
    while (outstanding_ > 0 && Clock::now() < drain_until) {
      wake_.reset();
      co_await wake_.wait(std::chrono::seconds(1));
    }
    error_code ignored;
    socket_.close(ignored);
  }

 private:
  std::uint32_t next_sequence() { return ++sequence_; }

  awaitable<smpp::Pdu> read_pdu() {
    for (;;) {
      auto next = framer_.next();
      if (!next) throw std::runtime_error("framing lost: " + next.error().message);
      if (next->has_value()) {
        auto pdu = smpp::decode(**next);
        if (!pdu) throw std::runtime_error("bad PDU: " + pdu.error().message);
        co_return *pdu;
      }
      const std::size_t n = co_await socket_.async_read_some(asio::buffer(buffer_), use_awaitable);
      framer_.feed(std::span<const std::uint8_t>(buffer_.data(), n));
    }
  }

  awaitable<void> read_loop() {
    try {
      for (;;) {
        const smpp::Pdu pdu = co_await read_pdu();
        if (pdu.command_id != smpp::CommandId::submit_sm_resp) continue;
        const auto found = sent_at_.find(pdu.sequence_number);
        if (found == sent_at_.end()) continue;
        const auto now = Clock::now();
        if (found->second >= from_ && now <= end_) {
          if (pdu.command_status == smpp::CommandStatus::esme_rok) {
            ++result_->accepted;
            result_->latencies_ms.push_back(
                std::chrono::duration<double, std::milli>(now - found->second).count());
          } else {
            ++result_->errors;
            if (result_->first_error.empty()) {
              result_->first_error = smpp::to_string(pdu.command_status);
            }
          }
        }
        sent_at_.erase(found);
        --outstanding_;
        wake_.set();
      }
    } catch (const std::exception&) {
      wake_.set();  // the socket closed at the end of the run
    }
  }

  tcp::socket socket_;
  Event wake_;
  int window_;
  Clock::time_point from_;
  Clock::time_point end_;
  RunResult* result_ = nullptr;
  smpp::Framer framer_;
  std::array<std::uint8_t, 64 * 1024> buffer_{};
  std::unordered_map<std::uint32_t, Clock::time_point> sent_at_;
  int outstanding_ = 0;
  std::uint32_t sequence_ = 0;
  std::uint64_t counter_ = static_cast<std::uint64_t>(::getpid()) * 1000003ULL;
};

RunResult run(const tcp::endpoint& endpoint, int window, const Options& options, pid_t server) {
  asio::io_context io(1);
  RunResult result;
  result.window = window;
  result.seconds = options.seconds;
  const auto start = Clock::now();
  const auto from = start + std::chrono::duration_cast<Clock::duration>(
                                std::chrono::duration<double>(options.warmup));
  const auto end = from + std::chrono::duration_cast<Clock::duration>(
                              std::chrono::duration<double>(options.seconds));
  Driver driver(io, window, from, end);
  double client_from = 0;
  double server_from = 0;
  asio::steady_timer sample(io, from);
  sample.async_wait([&](const error_code&) {
    client_from = self_cpu_seconds();
    server_from = process_cpu_seconds(server);
  });
  asio::steady_timer sample_end(io, end);
  sample_end.async_wait([&](const error_code&) {
    result.client_cpu = self_cpu_seconds() - client_from;
    result.server_cpu = process_cpu_seconds(server) - server_from;
  });
  asio::co_spawn(io, driver.run(endpoint, &result), [&](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& failure) {
      result.first_error = failure.what();
    }
  });
  io.run();
  std::sort(result.latencies_ms.begin(), result.latencies_ms.end());
  return result;
}

void print_row(const RunResult& r) {
  const auto& l = r.latencies_ms;
  const double rate = static_cast<double>(r.accepted) / r.seconds;
  std::printf("%6d %10.0f %8.2f %8.2f %8.2f %8.1f %6llu %7.0f%% %7.0f%% %10.1f\n", r.window, rate,
              percentile(l, 0.50), percentile(l, 0.99), percentile(l, 0.999),
              l.empty() ? 0.0 : l.back(), static_cast<unsigned long long>(r.errors),
              100.0 * r.client_cpu / r.seconds, 100.0 * r.server_cpu / r.seconds,
              r.accepted > 0 ? 1e6 * r.server_cpu / static_cast<double>(r.accepted) : 0.0);
  if (!r.first_error.empty()) std::printf("       first error: %.200s\n", r.first_error.c_str());
  std::fflush(stdout);
}

int usage(const char* self) {
  std::fprintf(stderr,
               "usage: %s [--windows 10,100] [--seconds 5] [--warmup 1] [--dir DIR]\n"
               "          [--log-level info] [--smsgw PATH] [--keep]\n",
               self);
  return 2;
}

std::optional<std::vector<int>> parse_windows(const std::string& text) {
  std::vector<int> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const auto comma = text.find(',', pos);
    try {
      out.push_back(std::stoi(text.substr(pos, comma - pos)));
    } catch (const std::exception&) {
      return std::nullopt;
    }
    if (out.back() < 1) return std::nullopt;
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  o.dir =
      std::filesystem::temp_directory_path() / ("smsgw-smpp-bench-" + std::to_string(::getpid()));
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--keep") {
      o.keep = true;
      continue;
    }
    if (i + 1 >= argc) return usage(argv[0]);
    const std::string value = argv[++i];
    if (arg == "--windows") {
      auto parsed = parse_windows(value);
      if (!parsed || parsed->empty()) return usage(argv[0]);
      o.windows = *parsed;
    } else if (arg == "--seconds") {
      o.seconds = std::stod(value);
    } else if (arg == "--warmup") {
      o.warmup = std::stod(value);
    } else if (arg == "--dir") {
      o.dir = std::filesystem::path(value) / ("smsgw-smpp-bench-" + std::to_string(::getpid()));
    } else if (arg == "--log-level") {
      o.log_level = value;
    } else if (arg == "--smsgw") {
      o.smsgw = value;
    } else {
      return usage(argv[0]);
    }
  }
  const int largest = *std::max_element(o.windows.begin(), o.windows.end());
  const unsigned short port = free_tcp_port();
  std::filesystem::create_directories(o.dir);
  GatewayOptions g;
  g.dir = o.dir;
  g.log_level = o.log_level;
  g.smsgw = o.smsgw;
  g.extra_toml = "[smpp]\nlisten = \"127.0.0.1:" + std::to_string(port) +
                 "\"\nwindow = " + std::to_string(largest) +
                 "\n\n[[client]]\nname = \"bench\"\nsystem_id = \"bench\"\npassword = \"bench\"\n";
  std::unique_ptr<GatewayUnderTest> gateway = start_gateway(g);
  if (!gateway) return 1;
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
  std::printf("smsgw serve pid %d, folder %s (%s), no modem, log level %s, [smpp] window %d\n",
              gateway->serve_pid(), o.dir.c_str(), filesystem_type(o.dir).c_str(),
              o.log_level.c_str(), largest);
  std::printf("%ld CPUs, %s; %.1f s per run after %.1f s warm-up; one bind_transmitter\n",
              sysconf(_SC_NPROCESSORS_ONLN), load_average().c_str(), o.seconds, o.warmup);
  std::printf("disk: %s\n", describe(fsync_probe(o.dir)).c_str());
  std::printf("%6s %10s %8s %8s %8s %8s %6s %8s %8s %10s\n", "window", "submit/s", "p50 ms",
              "p99 ms", "p99.9 ms", "max ms", "errors", "client", "server", "server µs");
  for (const int window : o.windows) print_row(run(endpoint, window, o, gateway->serve_pid()));
  std::printf("disk after the runs: %s\n", describe(fsync_probe(o.dir)).c_str());
  gateway.reset();
  if (!o.keep) std::filesystem::remove_all(o.dir);
  return 0;
}
