// The whole send pipeline against simulated modems: smsgw-sim with N modems whose send
// (Ctrl-Z to +CMGS) takes L ms, `smsgw serve` with no limit that binds, M messages submitted
// through the batch API; measures the time from the first submit until the store holds all
// of them as `sent` and prints the rate achieved as a fraction of what the modems allow,
// N * 1000 / L messages per second. Also reports the gateway's peak resident memory.
//
// Usage: pipeline_bench [--modems 64] [--latency-ms 200] [--jitter-ms 0] [--messages N*50]
//          [--batch 500] [--status-reports] [--mixed] [--dir DIR] [--log-level info]
//          [--smsgw PATH] [--serve-cpus LIST] [--sim-cpus LIST] [--poll-ms 20] [--keep]
//          [--postgres] [--nodes 1] [--node-modems 48,16]
//   --status-reports  messages ask for a delivery report and every modem answers one
//                     1 s after the +CMGS (default: no reports, the modems only send)
//   --mixed           messages of 1, 2, 3 and 5 parts (6:2:1:1 in every ten, interleaved)
//                     instead of all single-part; the limit then counts parts (PDUs)
//   --postgres        the store is a throw-away PostgreSQL cluster ([store] url)
//   --nodes N         N gateways on it ([node] name node-<i>), each with its own smsgw-sim of
//                     --modems modems: the limit counts all N * modems; batches go to the
//                     nodes in turn; PDUs are counted in every simulator's sent.jsonl
//   --node-modems L   nodes of unequal size: a comma-separated count of modems per node
//                     (sets --nodes to the number of counts)
// Two rates are printed as fractions of the limit: "whole batch", first submit to the last
// message final, and "steady", the sum of each modem's PDU rate between the PDUs at 10 %
// and 90 % of all (the simulators' sent.jsonl times; support/pdu_timeline.hpp says why per
// modem). The older count of PDUs between two samples of the total follows in brackets.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/gateway_under_test.hpp"
#include "support/http_connection.hpp"
#include "support/pdu_timeline.hpp"
#include "support/process.hpp"
#include "support/shared_store.hpp"

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
  bool mixed = false;
  std::filesystem::path dir;
  std::string log_level = "info";
  std::vector<int> serve_cpus;
  std::vector<int> sim_cpus;
  int poll_ms = 20;
  bool keep = false;
  std::string smsgw = smsgw_binary();
  bool postgres = false;
  int nodes = 1;
  std::vector<int> node_modems;  // --node-modems; else --modems for each of --nodes
};

// The parts of message `index`: 1 without --mixed; with it 1, 2, 3 or 5, six of every ten
// single-part, spread through the batch rather than sorted.
int parts_of(int index, bool mixed) {
  static constexpr int kMix[] = {1, 2, 1, 1, 3, 1, 2, 1, 5, 1};
  return mixed ? kMix[index % 10] : 1;
}

// A GSM 7-bit text that needs exactly `parts` parts: 160 characters fit one, 153 a part of
// a concatenated message (3GPP TS 23.040 9.2.3.24.1, the 6-octet header).
std::string text_of(int index, int parts) {
  std::string text = "Pipeline message " + std::to_string(index);
  const std::size_t length = parts == 1 ? text.size() : 153 * static_cast<std::size_t>(parts) - 20;
  text.resize(length, '.');
  return text;
}

std::string batch_body(int first, int count, bool status_report, bool mixed) {
  std::string body = R"({"messages":[)";
  for (int i = 0; i < count; ++i) {
    const int index = first + i;
    char to[32];
    std::snprintf(to, sizeof to, "+49176%08d", index);
    if (i > 0) body += ',';
    body += R"({"to":")" + std::string(to) + R"(","text":")" +
            text_of(index, parts_of(index, mixed)) + R"(","status_report":)" +
            (status_report ? "true" : "false") + "}";
  }
  body += "]}";
  return body;
}

// Lines in the simulator's sent.jsonl (PDUs the modems accepted), read on from where the
// last count stopped, so that polling a log of a million lines stays cheap.
class LineCounter {
 public:
  explicit LineCounter(std::filesystem::path path) : path_(std::move(path)) {}
  std::size_t count() {
    std::ifstream in(path_, std::ios::binary);
    if (!in) return lines_;
    in.seekg(static_cast<std::streamoff>(offset_));
    char buffer[1 << 16];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
      const auto n = static_cast<std::size_t>(in.gcount());
      lines_ += static_cast<std::size_t>(std::count(buffer, buffer + n, '\n'));
      offset_ += n;
    }
    return lines_;
  }

 private:
  std::filesystem::path path_;
  std::uint64_t offset_ = 0;
  std::size_t lines_ = 0;
};

// PDUs in every node's simulator log together.
class SentLogs {
 public:
  explicit SentLogs(const std::vector<std::unique_ptr<GatewayUnderTest>>& gateways) {
    for (const auto& g : gateways) logs_.emplace_back(g->sim_dir() / "sent.jsonl");
  }
  std::size_t count() {
    std::size_t sum = 0;
    for (auto& log : logs_) sum += log.count();
    return sum;
  }

 private:
  std::vector<LineCounter> logs_;
};

int usage(const char* self) {
  std::fprintf(
      stderr,
      "usage: %s [--modems 64] [--latency-ms 200] [--jitter-ms 0] [--messages N*50]\n"
      "          [--batch 500] [--status-reports] [--mixed] [--dir DIR] [--log-level info]\n"
      "          [--smsgw PATH] [--serve-cpus LIST] [--sim-cpus LIST] [--poll-ms 20] [--keep]\n"
      "          [--postgres] [--nodes 1] [--node-modems 48,16]\n",
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
      } else if (arg == "--mixed") {
        o.mixed = true;
      } else if (arg == "--keep") {
        o.keep = true;
      } else if (arg == "--postgres") {
        o.postgres = true;
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
      } else if (arg == "--nodes") {
        o.nodes = std::stoi(argv[++i]);
      } else if (arg == "--node-modems") {
        std::stringstream list(argv[++i]);
        for (std::string count; std::getline(list, count, ',');) {
          o.node_modems.push_back(std::stoi(count));
        }
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
  if (!o.node_modems.empty()) o.nodes = static_cast<int>(o.node_modems.size());
  if (o.modems < 1 || o.latency_ms < 1 || o.batch < 1 || o.nodes < 1) return usage(argv[0]);
  if (o.node_modems.empty()) o.node_modems.assign(static_cast<std::size_t>(o.nodes), o.modems);
  if (std::any_of(o.node_modems.begin(), o.node_modems.end(), [](int n) { return n < 1; })) {
    return usage(argv[0]);
  }
  if (o.nodes > 1 && !o.postgres) {
    std::fprintf(stderr, "--nodes N > 1 needs --postgres (nodes share a PostgreSQL store)\n");
    return 2;
  }
  int all_modems = 0;
  for (const int n : o.node_modems) all_modems += n;
  if (o.messages <= 0) o.messages = all_modems * 50;

  std::unique_ptr<SharedStore> database;
  if (o.postgres) {
    database = start_shared_store();
    if (!database) return 1;
    std::string sizes;
    for (const int n : o.node_modems) sizes += (sizes.empty() ? "" : ", ") + std::to_string(n);
    std::printf("store: PostgreSQL %s, %d node(s) of %s modems\n", database->url().c_str(), o.nodes,
                sizes.c_str());
  }
  std::vector<std::unique_ptr<GatewayUnderTest>> gateways;
  for (int n = 0; n < o.nodes; ++n) {
    GatewayOptions g;
    place_node(g, o.dir, o.nodes, n, database.get());
    g.modems = o.node_modems[static_cast<std::size_t>(n)];
    g.sim_defaults = {{"send_latency_ms", o.latency_ms},
                      {"send_jitter_ms", o.jitter_ms},
                      {"status_report_outcome", o.status_reports ? "delivered" : "none"}};
    g.log_level = o.log_level;
    g.smsgw = o.smsgw;
    g.serve_cpus = o.serve_cpus;
    g.sim_cpus = o.sim_cpus;
    auto gateway = start_gateway(g);
    if (!gateway) return 1;
    gateways.push_back(std::move(gateway));
  }
  const auto endpoint = gateways.front()->endpoint();
  const double limit = all_modems * 1000.0 / o.latency_ms;
  std::size_t total_parts = 0;
  for (int i = 0; i < o.messages; ++i)
    total_parts += static_cast<std::size_t>(parts_of(i, o.mixed));
  const double ideal_seconds = static_cast<double>(total_parts) / limit;
  std::printf(
      "%d modems ready, send latency %d ms (jitter %d), status reports %s; %d messages "
      "(%zu parts%s) in batches of %d\n",
      all_modems, o.latency_ms, o.jitter_ms, o.status_reports ? "on" : "off", o.messages,
      total_parts, o.mixed ? ", mixed 1/2/3/5" : "", o.batch);
  std::printf("folder %s (%s), %ld CPUs, %s, log level %s\n", o.dir.c_str(),
              filesystem_type(o.dir).c_str(), sysconf(_SC_NPROCESSORS_ONLN), load_average().c_str(),
              o.log_level.c_str());
  std::printf("disk: %s\n", describe(fsync_probe(o.dir)).c_str());
  std::printf("limit N*1000/L = %.1f parts/s: %zu parts take at least %.2f s\n", limit, total_parts,
              ideal_seconds);
  std::fflush(stdout);

  auto cpu_of = [&](bool sims) {
    double sum = 0;
    for (const auto& g : gateways) sum += process_cpu_seconds(sims ? g->sim_pid() : g->serve_pid());
    return sum;
  };
  const auto memory_before = process_memory(gateways.front()->serve_pid());
  const double serve_cpu_before = cpu_of(false);
  const double sim_cpu_before = cpu_of(true);
  SentLogs sent_log(gateways);
  const auto sent_lines_before = sent_log.count();

  // Submit everything on one keep-alive connection per node, batch after batch, the nodes
  // in turn; the dispatchers start on the first batch while the rest are still arriving.
  const auto start = Clock::now();
  double submitted_at = 0;
  {
    asio::io_context io(1);
    std::vector<std::unique_ptr<HttpConnection>> connections;
    for (const auto& g : gateways) {
      connections.push_back(std::make_unique<HttpConnection>(io.get_executor(), g->endpoint()));
    }
    bool failed = false;
    asio::co_spawn(
        io,
        [&]() -> awaitable<void> {
          for (int first = 0; first < o.messages && !failed; first += o.batch) {
            const int count = std::min(o.batch, o.messages - first);
            auto& connection =
                *connections[static_cast<std::size_t>(first / o.batch) % connections.size()];
            auto reply = co_await connection.exchange(post_request(
                "/api/v1/messages", batch_body(first, count, o.status_reports, o.mixed)));
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
  std::vector<std::pair<double, std::size_t>> progress;  // (seconds, PDUs in sent.jsonl)
  double failed = 0;
  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(ideal_seconds * 3 + 60));
  for (;;) {
    const auto reply = http_once(endpoint, get_request("/metrics"), std::chrono::seconds(10));
    const auto now = Clock::now();
    progress.emplace_back(std::chrono::duration<double>(now - start).count(),
                          sent_log.count() - sent_lines_before);
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
    const int pause_ms = near_end ? o.poll_ms : 500;
    // sent.jsonl is sampled every --poll-ms meanwhile (a file read, no load on the gateway).
    for (int waited = 0; waited < pause_ms; waited += o.poll_ms) {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(o.poll_ms, pause_ms)));
      progress.emplace_back(std::chrono::duration<double>(Clock::now() - start).count(),
                            sent_log.count() - sent_lines_before);
    }
  }

  const double serve_cpu = cpu_of(false) - serve_cpu_before;
  const double sim_cpu = cpu_of(true) - sim_cpu_before;
  const auto memory = process_memory(gateways.front()->serve_pid());
  const auto pdus = sent_log.count() - sent_lines_before;
  const double rate = static_cast<double>(total_parts) / done_at;
  // Steady: from the first sample at 10 % of the PDUs to the last at or below 90 %.
  const auto lo = static_cast<std::size_t>(0.1 * static_cast<double>(total_parts));
  const auto hi = static_cast<std::size_t>(0.9 * static_cast<double>(total_parts));
  const auto from =
      std::find_if(progress.begin(), progress.end(), [&](const auto& p) { return p.second >= lo; });
  const auto upto = std::find_if(progress.rbegin(), progress.rend(),
                                 [&](const auto& p) { return p.second <= hi; });
  double steady = 0;
  if (from != progress.end() && upto != progress.rend() && upto->first > from->first) {
    steady = static_cast<double>(upto->second - from->second) / (upto->first - from->first);
  }
  std::printf(
      "submitted in %.3f s; all %d final after %.3f s (%.0f sent, %.0f failed, %zu PDUs "
      "in sent.jsonl)\n",
      submitted_at, o.messages, done_at, sent, failed, pdus);
  std::vector<PduStart> starts;
  for (const auto& g : gateways) {
    auto more = read_pdu_starts(g->sim_dir() / "sent.jsonl");
    starts.insert(starts.end(), more.begin(), more.end());
  }
  const double per_modem = per_modem_steady_rate(starts);
  std::printf("whole batch %.1f parts/s = %.4f of the limit %.1f/s; steady %.1f parts/s = %.4f\n",
              rate, rate / limit, limit, per_modem, per_modem / limit);
  std::printf("(steady counted between samples of the PDU total: %.1f parts/s = %.4f)\n", steady,
              steady / limit);
  std::printf(
      "CPU during the run: smsgw serve %.2f s (%.0f%% of a core), smsgw-sim %.2f s "
      "(%.0f%%)\n",
      serve_cpu, 100 * serve_cpu / done_at, sim_cpu, 100 * sim_cpu / done_at);
  std::printf("smsgw serve memory: VmHWM %.1f MiB, VmRSS %.1f MiB (%.1f MiB before the run)\n",
              memory.peak_kib / 1024.0, memory.resident_kib / 1024.0,
              memory_before.resident_kib / 1024.0);
  gateways.clear();
  if (!o.keep) std::filesystem::remove_all(o.dir);
  return 0;
}
