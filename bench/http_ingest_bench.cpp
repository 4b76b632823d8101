// HTTP ingest of the real gateway: N keep-alive connections, each POSTing to
// /api/v1/messages one request after another (closed loop) for T seconds; one message per
// request, or batches of B (`{"messages": [...]}`). Reports accepted requests and messages
// per second, exact latency percentiles (p50, p99, p99.9, max) over every request, errors,
// and the CPU time of the client and of the server (one core = 100 %).
//
// By default it starts `smsgw serve` itself (temp config, database in --dir) with no modem
// (a port glob that matches nothing, so the dispatcher has nothing to do), or with
// --modems N simulated modems (smsgw-sim) that send what is accepted, as in production.
// --target HOST:PORT drives a gateway that is already running instead.
//
// Usage: http_ingest_bench [--connections 16,64,256] [--batch 0,100] [--seconds 5]
//          [--warmup 1] [--modems 0] [--send-latency-ms 200] [--dir DIR]
//          [--server-cpus LIST] [--client-cpus LIST] [--sim-cpus LIST]
//          [--log-level info] [--smsgw PATH] [--target HOST:PORT] [--keep]
//          [--postgres] [--nodes 1]
//   --postgres starts a throw-away PostgreSQL cluster (initdb in a temporary folder) as the
//   store ([store] url) and --nodes N gateways on it ([node] name node-<i>); connection c
//   goes to node c % N. The PostgreSQL server's own CPU is not in the server column.
//   --batch 0 is one message per request; every (connections, batch) pair is one run.
//   --*-cpus pin a process to CPUs ("0", "1", "0-1"); the client and the server share this
//   machine's cores, so compare pinned and unpinned runs.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/gateway_under_test.hpp"
#include "support/http_connection.hpp"
#include "support/percentile.hpp"
#include "support/process.hpp"
#include "support/shared_store.hpp"

namespace {

using namespace smsgw;
using namespace smsgw::bench;
using Clock = std::chrono::steady_clock;
using tcp = asio::ip::tcp;

struct Options {
  std::vector<int> connections{64};
  std::vector<int> batches{0};
  double seconds = 5;
  double warmup = 1;
  int modems = 0;
  int send_latency_ms = 200;
  std::filesystem::path dir;
  std::vector<int> server_cpus;
  std::vector<int> client_cpus;
  std::vector<int> sim_cpus;
  std::string log_level = "info";
  std::optional<tcp::endpoint> target;
  bool keep = false;
  std::string smsgw = smsgw_binary();
  bool postgres = false;  // a throw-away PostgreSQL cluster as the store ([store] url)
  int nodes = 1;          // gateways sharing it; connection c goes to node c % nodes
};

struct RunResult {
  int connections = 0;
  int batch = 0;
  double seconds = 0;
  std::uint64_t requests = 0;  // answered 202 within the measured window
  std::uint64_t messages = 0;
  std::uint64_t errors = 0;
  std::string first_error;
  std::vector<double> latencies_ms;  // every request started in the measured window
  double client_cpu = 0;             // seconds
  std::optional<double> server_cpu;  // seconds
  std::optional<double> sim_cpu;     // seconds
};

// One message: a German mobile number and a one-time-code text, varied per request.
void append_message(std::string& out, std::uint64_t n) {
  char text[96];
  std::snprintf(text, sizeof text, R"({"to":"+49176%08llu","text":"Your code is %06llu"})",
                static_cast<unsigned long long>(n % 100000000ULL),
                static_cast<unsigned long long>(n % 1000000ULL));
  out += text;
}

std::string request_body(std::uint64_t& next, int batch) {
  std::string body;
  if (batch <= 0) {
    append_message(body, next++);
    return body;
  }
  body.reserve(static_cast<std::size_t>(batch) * 64 + 16);
  body += R"({"messages":[)";
  for (int i = 0; i < batch; ++i) {
    if (i > 0) body += ',';
    append_message(body, next++);
  }
  body += "]}";
  return body;
}

// CPU seconds of all of `pids` (the gateways under test).
double cpu_seconds_of(const std::vector<pid_t>& pids) {
  double sum = 0;
  for (const pid_t pid : pids) sum += process_cpu_seconds(pid);
  return sum;
}

RunResult run(const std::vector<tcp::endpoint>& endpoints, int connections, int batch,
              const Options& options, const std::vector<pid_t>& server_pids, pid_t sim_pid) {
  asio::io_context io(1);
  RunResult result;
  result.connections = connections;
  result.batch = batch;
  const auto start = Clock::now();
  const auto measure_from = start + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(options.warmup));
  const auto end = measure_from + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(options.seconds));
  std::uint64_t next_number = static_cast<std::uint64_t>(::getpid()) * 1000003ULL;
  result.latencies_ms.reserve(1 << 20);

  double client_cpu_from = 0;
  double server_cpu_from = 0;
  double sim_cpu_from = 0;
  asio::steady_timer sample(io);
  asio::co_spawn(
      io,
      [&]() -> awaitable<void> {
        sample.expires_at(measure_from);
        co_await sample.async_wait(use_awaitable);
        client_cpu_from = self_cpu_seconds();
        server_cpu_from = cpu_seconds_of(server_pids);
        if (sim_pid > 0) sim_cpu_from = process_cpu_seconds(sim_pid);
        sample.expires_at(end);
        co_await sample.async_wait(use_awaitable);
        result.client_cpu = self_cpu_seconds() - client_cpu_from;
        if (!server_pids.empty()) result.server_cpu = cpu_seconds_of(server_pids) - server_cpu_from;
        if (sim_pid > 0) result.sim_cpu = process_cpu_seconds(sim_pid) - sim_cpu_from;
      },
      asio::detached);

  std::vector<std::unique_ptr<HttpConnection>> pool;
  for (int c = 0; c < connections; ++c) {
    const auto& endpoint = endpoints[static_cast<std::size_t>(c) % endpoints.size()];
    pool.push_back(std::make_unique<HttpConnection>(io.get_executor(), endpoint));
    asio::co_spawn(
        io,
        [&, connection = pool.back().get()]() -> awaitable<void> {
          asio::steady_timer pause(io);
          while (Clock::now() < end) {
            auto request = post_request("/api/v1/messages", request_body(next_number, batch));
            const auto t0 = Clock::now();
            auto reply = co_await connection->exchange(std::move(request));
            const auto t1 = Clock::now();
            if (t0 < measure_from) continue;
            const bool accepted = reply.status == 202;
            if (t1 <= end || !accepted) {
              result.latencies_ms.push_back(
                  std::chrono::duration<double, std::milli>(t1 - t0).count());
            }
            if (accepted) {
              if (t1 <= end) {
                ++result.requests;
                result.messages += static_cast<std::uint64_t>(std::max(batch, 1));
              }
              continue;
            }
            ++result.errors;
            if (result.first_error.empty()) {
              result.first_error = reply.status != 0
                                       ? std::to_string(reply.status) + " " + reply.body
                                       : reply.error.message();
            }
            pause.expires_after(std::chrono::milliseconds(10));  // no hot loop on a dead server
            error_code ignored;
            co_await pause.async_wait(asio::redirect_error(use_awaitable, ignored));
          }
        },
        asio::detached);
  }
  io.run();
  result.seconds = std::chrono::duration<double>(end - measure_from).count();
  std::sort(result.latencies_ms.begin(), result.latencies_ms.end());
  return result;
}

void print_header() {
  std::printf("%-7s %5s %5s %9s %10s %8s %8s %8s %8s %6s %7s %7s %7s %10s\n", "mode", "conns",
              "batch", "req/s", "msgs/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "errors",
              "client", "server", "sim", "srv us/msg");
}

std::string cpu_percent(std::optional<double> cpu_seconds, double seconds) {
  if (!cpu_seconds) return "-";
  char text[16];
  std::snprintf(text, sizeof text, "%.0f%%", 100.0 * *cpu_seconds / seconds);
  return text;
}

void print_row(const RunResult& r) {
  const auto& l = r.latencies_ms;
  char per_message[16] = "-";
  if (r.server_cpu && r.messages > 0) {
    std::snprintf(per_message, sizeof per_message, "%.1f",
                  1e6 * *r.server_cpu / static_cast<double>(r.messages));
  }
  std::printf(
      "%-7s %5d %5d %9.0f %10.0f %8.2f %8.2f %8.2f %8.1f %6llu %7s %7s %7s %10s\n",
      r.batch > 0 ? "batch" : "single", r.connections, std::max(r.batch, 1),
      static_cast<double>(r.requests) / r.seconds, static_cast<double>(r.messages) / r.seconds,
      percentile(l, 0.50), percentile(l, 0.99), percentile(l, 0.999), l.empty() ? 0.0 : l.back(),
      static_cast<unsigned long long>(r.errors), cpu_percent(r.client_cpu, r.seconds).c_str(),
      cpu_percent(r.server_cpu, r.seconds).c_str(), cpu_percent(r.sim_cpu, r.seconds).c_str(),
      per_message);
  if (!r.first_error.empty()) std::printf("        first error: %.200s\n", r.first_error.c_str());
  std::fflush(stdout);
}

std::optional<std::vector<int>> parse_int_list(const char* text) {
  std::vector<int> out;
  std::string s(text);
  std::size_t pos = 0;
  while (pos <= s.size()) {
    const auto comma = s.find(',', pos);
    const auto item = s.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    try {
      std::size_t used = 0;
      out.push_back(std::stoi(item, &used));
      if (used != item.size() || out.back() < 0) return std::nullopt;
    } catch (const std::exception&) {
      return std::nullopt;
    }
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return out;
}

std::optional<tcp::endpoint> parse_endpoint(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) return std::nullopt;
  error_code ec;
  const auto address = asio::ip::make_address(text.substr(0, colon), ec);
  if (ec) return std::nullopt;
  try {
    return tcp::endpoint(address, static_cast<unsigned short>(std::stoi(text.substr(colon + 1))));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

int usage(const char* self) {
  std::fprintf(
      stderr,
      "usage: %s [--connections 16,64,256] [--batch 0,100] [--seconds 5] [--warmup 1]\n"
      "          [--modems 0] [--send-latency-ms 200] [--dir DIR] [--server-cpus LIST]\n"
      "          [--client-cpus LIST] [--sim-cpus LIST] [--log-level info] [--smsgw PATH]\n"
      "          [--target HOST:PORT] [--keep]\n"
      "          [--postgres] [--nodes 1]\n",
      self);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  o.dir =
      std::filesystem::temp_directory_path() / ("smsgw-http-bench-" + std::to_string(::getpid()));
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    auto cpus = [&](std::vector<int>& out) {
      auto parsed = parse_cpu_list(argv[++i]);
      if (!parsed) return false;
      out = *parsed;
      return true;
    };
    auto ints = [&](std::vector<int>& out) {
      auto parsed = parse_int_list(argv[++i]);
      if (!parsed || parsed->empty()) return false;
      out = *parsed;
      return true;
    };
    if (arg == "--keep") {
      o.keep = true;
    } else if (arg == "--postgres") {
      o.postgres = true;
    } else if (!has_value) {
      return usage(argv[0]);
    } else if (arg == "--connections") {
      if (!ints(o.connections)) return usage(argv[0]);
    } else if (arg == "--batch") {
      if (!ints(o.batches)) return usage(argv[0]);
    } else if (arg == "--nodes") {
      o.nodes = std::stoi(argv[++i]);
    } else if (arg == "--seconds") {
      o.seconds = std::stod(argv[++i]);
    } else if (arg == "--warmup") {
      o.warmup = std::stod(argv[++i]);
    } else if (arg == "--modems") {
      o.modems = std::stoi(argv[++i]);
    } else if (arg == "--send-latency-ms") {
      o.send_latency_ms = std::stoi(argv[++i]);
    } else if (arg == "--dir") {
      o.dir = std::filesystem::path(argv[++i]) / ("smsgw-http-bench-" + std::to_string(::getpid()));
    } else if (arg == "--server-cpus") {
      if (!cpus(o.server_cpus)) return usage(argv[0]);
    } else if (arg == "--client-cpus") {
      if (!cpus(o.client_cpus)) return usage(argv[0]);
    } else if (arg == "--sim-cpus") {
      if (!cpus(o.sim_cpus)) return usage(argv[0]);
    } else if (arg == "--smsgw") {
      o.smsgw = argv[++i];
    } else if (arg == "--log-level") {
      o.log_level = argv[++i];
    } else if (arg == "--target") {
      o.target = parse_endpoint(argv[++i]);
      if (!o.target) return usage(argv[0]);
    } else {
      return usage(argv[0]);
    }
  }
  if (!pin_self(o.client_cpus)) {
    std::fprintf(stderr, "cannot pin the client to the CPUs given\n");
    return 2;
  }

  if (o.nodes < 1 || (o.nodes > 1 && !o.postgres)) {
    std::fprintf(stderr, "--nodes N > 1 needs --postgres (nodes share a PostgreSQL store)\n");
    return 2;
  }
  std::unique_ptr<SharedStore> database;
  std::vector<std::unique_ptr<GatewayUnderTest>> gateways;
  std::vector<tcp::endpoint> endpoints;
  if (o.target) {
    endpoints.push_back(*o.target);
    const auto& endpoint = endpoints.back();
    std::printf("target %s:%d (already running)\n", endpoint.address().to_string().c_str(),
                endpoint.port());
  } else {
    std::filesystem::create_directories(o.dir);
    if (o.postgres) {
      database = start_shared_store();
      if (!database) return 1;
      std::printf("store: PostgreSQL %s (%s), %d node(s)\n", database->url().c_str(),
                  database->data_dir().c_str(), o.nodes);
    }
    for (int n = 0; n < o.nodes; ++n) {
      GatewayOptions g;
      place_node(g, o.dir, o.nodes, n, database.get());
      g.modems = o.modems;
      g.sim_defaults = {{"send_latency_ms", o.send_latency_ms}};
      g.log_level = o.log_level;
      g.smsgw = o.smsgw;
      g.serve_cpus = o.server_cpus;
      g.sim_cpus = o.sim_cpus;
      auto gateway = start_gateway(g);
      if (!gateway) return 1;
      endpoints.push_back(gateway->endpoint());
      std::printf("smsgw serve pid %d, folder %s (%s), %d modem(s)%s, log level %s\n",
                  gateway->serve_pid(), g.dir.c_str(), filesystem_type(o.dir).c_str(), o.modems,
                  o.modems > 0
                      ? (", send latency " + std::to_string(o.send_latency_ms) + " ms").c_str()
                      : " (port glob matches nothing)",
                  o.log_level.c_str());
      gateways.push_back(std::move(gateway));
    }
  }
  std::printf("%ld CPUs, %s; pinning: server %s, client %s; %.1f s per run after %.1f s warm-up\n",
              sysconf(_SC_NPROCESSORS_ONLN), load_average().c_str(),
              o.server_cpus.empty() ? "none" : "yes", o.client_cpus.empty() ? "none" : "yes",
              o.seconds, o.warmup);
  if (!o.target) std::printf("disk: %s\n", describe(fsync_probe(o.dir)).c_str());
  print_header();
  std::vector<pid_t> server_pids;
  for (const auto& gateway : gateways) server_pids.push_back(gateway->serve_pid());
  const pid_t sim_pid = gateways.empty() ? -1 : gateways.front()->sim_pid();
  for (const int batch : o.batches) {
    for (const int connections : o.connections) {
      print_row(run(endpoints, connections, batch, o, server_pids, sim_pid));
    }
  }
  if (!o.target) std::printf("disk after the runs: %s\n", describe(fsync_probe(o.dir)).c_str());
  for (const auto& gateway : gateways) {
    const auto memory = process_memory(gateway->serve_pid());
    std::printf("smsgw serve memory: VmHWM %.1f MiB, VmRSS %.1f MiB\n", memory.peak_kib / 1024.0,
                memory.resident_kib / 1024.0);
  }
  if (!gateways.empty()) {
    gateways.clear();
    if (!o.keep) std::filesystem::remove_all(o.dir);
  }
  return 0;
}
