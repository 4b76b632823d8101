// The whole send pipeline against simulated modems: smsgw-sim with N modems whose send
// (Ctrl-Z to +CMGS) takes L ms, `smsgw serve` with no limit that binds, M messages submitted
// through the batch API; measures the time from the first submit until the store holds all
// of them as `sent` and prints the rate achieved as a fraction of what the modems allow,
// N * 1000 / L messages per second. Also reports the gateway's peak resident memory.
//
// Usage: pipeline_bench [--modems 64] [--latency-ms 200] [--jitter-ms 0] [--messages N*50]
//          [--batch 500] [--status-reports] [--dir DIR] [--log-level info] [--smsgw PATH]
//          [--serve-cpus LIST] [--sim-cpus LIST] [--poll-ms 20] [--keep]
//   --status-reports  messages ask for a delivery report and every modem answers one
//                     1 s after the +CMGS (default: no reports, the modems only send)
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "support/gateway_under_test.hpp"
#include "support/http_connection.hpp"
#include "support/process.hpp"

namespace {

using namespace smsgw;
using namespace smsgw::bench;
using Clock = std::chrono::steady_clock;
using json = nlohmann::json;

struct Options {
  int modems = 64;
  int latency_ms = 200;
  int jitter_ms = 0;
  int messages = 0;  // 0: modems * 50
  int batch = 500;
  bool status_reports = false;
  std::filesystem::path dir;
  std::string log_level = "info";
  std::vector<int> serve_cpus;
  std::vector<int> sim_cpus;
  int poll_ms = 20;
  bool keep = false;
  std::string smsgw = smsgw_binary();
};

std::string batch_body(int first, int count, bool status_report) {
  std::string body = R"({"messages":[)";
  for (int i = 0; i < count; ++i) {
    char text[128];
    std::snprintf(text, sizeof text,
                  R"(%s{"to":"+49176%08d","text":"Pipeline message %d","status_report":%s})",
                  i > 0 ? "," : "", first + i, first + i, status_report ? "true" : "false");
    body += text;
  }
  body += "]}";
  return body;
}

// Lines in the simulator's sent.jsonl: PDUs the modems accepted.
std::size_t count_lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  return static_cast<std::size_t>(
      std::count(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>(), '\n'));
}

int usage(const char* self) {
  std::fprintf(
      stderr,
      "usage: %s [--modems 64] [--latency-ms 200] [--jitter-ms 0] [--messages N*50]\n"
      "          [--batch 500] [--status-reports] [--dir DIR] [--log-level info] [--smsgw PATH]\n"
      "          [--serve-cpus LIST] [--sim-cpus LIST] [--poll-ms 20] [--keep]\n",
      self);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  o.dir = std::filesystem::temp_directory_path() /
          ("smsgw-pipeline-bench-" + std::to_string(::getpid()));
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto cpus = [&](std::vector<int>& out) {
      auto parsed = parse_cpu_list(argv[++i]);
      if (parsed) out = *parsed;
      return parsed.has_value();
    };
    try {
      if (arg == "--status-reports") {
        o.status_reports = true;
      } else if (arg == "--keep") {
        o.keep = true;
      } else if (i + 1 >= argc) {
        return usage(argv[0]);
      } else if (arg == "--modems") {
        o.modems = std::stoi(argv[++i]);
      } else if (arg == "--latency-ms") {
        o.latency_ms = std::stoi(argv[++i]);
      } else if (arg == "--jitter-ms") {
        o.jitter_ms = std::stoi(argv[++i]);
      } else if (arg == "--messages") {
        o.messages = std::stoi(argv[++i]);
      } else if (arg == "--batch") {
        o.batch = std::stoi(argv[++i]);
      } else if (arg == "--poll-ms") {
        o.poll_ms = std::stoi(argv[++i]);
      } else if (arg == "--dir") {
        o.dir = std::filesystem::path(argv[++i]) /
                ("smsgw-pipeline-bench-" + std::to_string(::getpid()));
      } else if (arg == "--smsgw") {
        o.smsgw = argv[++i];
      } else if (arg == "--log-level") {
        o.log_level = argv[++i];
      } else if (arg == "--serve-cpus") {
        if (!cpus(o.serve_cpus)) return usage(argv[0]);
      } else if (arg == "--sim-cpus") {
        if (!cpus(o.sim_cpus)) return usage(argv[0]);
      } else {
        return usage(argv[0]);
      }
    } catch (const std::exception&) {
      return usage(argv[0]);
    }
  }
  if (o.modems < 1 || o.latency_ms < 1 || o.batch < 1) return usage(argv[0]);
  if (o.messages <= 0) o.messages = o.modems * 50;

  GatewayOptions g;
  g.dir = o.dir;
  g.modems = o.modems;
  g.sim_defaults = {{"send_latency_ms", o.latency_ms},
                    {"send_jitter_ms", o.jitter_ms},
                    {"status_report_outcome", o.status_reports ? "delivered" : "none"}};
  g.log_level = o.log_level;
  g.smsgw = o.smsgw;
  g.serve_cpus = o.serve_cpus;
  g.sim_cpus = o.sim_cpus;
  std::unique_ptr<GatewayUnderTest> gateway;
  try {
    gateway = std::make_unique<GatewayUnderTest>(g);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  const auto endpoint = gateway->endpoint();
  const double limit = o.modems * 1000.0 / o.latency_ms;
  const double ideal_seconds = o.messages / limit;
  std::printf(
      "%d modems ready, send latency %d ms (jitter %d), status reports %s; %d messages in "
      "batches of %d\n",
      o.modems, o.latency_ms, o.jitter_ms, o.status_reports ? "on" : "off", o.messages, o.batch);
  std::printf("folder %s (%s), %ld CPUs, %s, log level %s\n", o.dir.c_str(),
              filesystem_type(o.dir).c_str(), sysconf(_SC_NPROCESSORS_ONLN), load_average().c_str(),
              o.log_level.c_str());
  std::printf("disk: %s\n", describe(fsync_probe(o.dir)).c_str());
  std::printf("limit N*1000/L = %.1f messages/s: %d messages take at least %.2f s\n", limit,
              o.messages, ideal_seconds);
  std::fflush(stdout);

  const auto memory_before = process_memory(gateway->serve_pid());
  const double serve_cpu_before = process_cpu_seconds(gateway->serve_pid());
  const double sim_cpu_before = process_cpu_seconds(gateway->sim_pid());
  const auto sent_log = gateway->sim_dir() / "sent.jsonl";
  const auto sent_lines_before = count_lines(sent_log);

  // Submit everything on one keep-alive connection, batch after batch; the dispatcher starts
  // on the first batch while the rest are still arriving.
  const auto start = Clock::now();
  double submitted_at = 0;
  {
    asio::io_context io(1);
    HttpConnection connection(io.get_executor(), endpoint);
    bool failed = false;
    asio::co_spawn(
        io,
        [&]() -> awaitable<void> {
          for (int first = 0; first < o.messages && !failed; first += o.batch) {
            const int count = std::min(o.batch, o.messages - first);
            auto reply = co_await connection.exchange(
                post_request("/api/v1/messages", batch_body(first, count, o.status_reports)));
            if (reply.status != 202) {
              std::fprintf(stderr, "batch at %d refused: %d %s %s\n", first, reply.status,
                           reply.body.substr(0, 300).c_str(), reply.error.message().c_str());
              failed = true;
            }
          }
        },
        asio::detached);
    io.run();
    if (failed) return 1;
    submitted_at = std::chrono::duration<double>(Clock::now() - start).count();
  }

  // Poll /metrics until the store counts every message as sent (or delivered, or failed):
  // every 500 ms, then every --poll-ms from 95 % of the ideal time on.
  double done_at = 0;
  double sent = 0;
  double failed = 0;
  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(ideal_seconds * 3 + 60));
  for (;;) {
    const auto reply = http_once(endpoint, get_request("/metrics"), std::chrono::seconds(10));
    const auto now = Clock::now();
    if (reply.status == 200) {
      sent = prometheus_sum(reply.body, "smsgw_messages", R"(status="sent")") +
             prometheus_sum(reply.body, "smsgw_messages", R"(status="delivered")");
      failed = prometheus_sum(reply.body, "smsgw_messages", R"(status="failed")") +
               prometheus_sum(reply.body, "smsgw_messages", R"(status="expired")");
      if (sent + failed >= o.messages) {
        done_at = std::chrono::duration<double>(now - start).count();
        break;
      }
    }
    if (now > deadline) {
      std::fprintf(stderr, "gave up: %.0f of %d sent, %.0f failed after %.1f s\n", sent, o.messages,
                   failed, std::chrono::duration<double>(now - start).count());
      return 1;
    }
    // Every poll is a store job on the gateway: poll rarely until the end is near.
    const bool near_end =
        std::chrono::duration<double>(now - start).count() >= 0.95 * ideal_seconds;
    std::this_thread::sleep_for(std::chrono::milliseconds(near_end ? o.poll_ms : 500));
  }

  const double serve_cpu = process_cpu_seconds(gateway->serve_pid()) - serve_cpu_before;
  const double sim_cpu = process_cpu_seconds(gateway->sim_pid()) - sim_cpu_before;
  const auto memory = process_memory(gateway->serve_pid());
  const auto pdus = count_lines(sent_log) - sent_lines_before;
  const double rate = sent / done_at;
  std::printf(
      "submitted in %.3f s; all %d final after %.3f s (%.0f sent, %.0f failed, %zu PDUs "
      "in sent.jsonl)\n",
      submitted_at, o.messages, done_at, sent, failed, pdus);
  std::printf("rate %.1f messages/s = %.4f of the limit %.1f/s\n", rate, rate / limit, limit);
  std::printf(
      "CPU during the run: smsgw serve %.2f s (%.0f%% of a core), smsgw-sim %.2f s "
      "(%.0f%%)\n",
      serve_cpu, 100 * serve_cpu / done_at, sim_cpu, 100 * sim_cpu / done_at);
  std::printf("smsgw serve memory: VmHWM %.1f MiB, VmRSS %.1f MiB (%.1f MiB before the run)\n",
              memory.peak_kib / 1024.0, memory.resident_kib / 1024.0,
              memory_before.resident_kib / 1024.0);
  gateway.reset();
  if (!o.keep) std::filesystem::remove_all(o.dir);
  return 0;
}
