// A backlog no modem can send: how the real gateway holds up with N messages queued
// (issue 10's table). It starts `smsgw serve` with no modem (the dispatcher has nothing
// it may send), then
//   1. ingests N messages in batches of B over C keep-alive connections, reporting the
//      rate of every tenth of N (is the last tenth as fast as the first?);
//   2. measures, with N queued: resident memory, idle CPU over 10 s, single POST latency
//      (p50/p99 of 500 in a row), GET /api/v1/messages?limit=50 and
//      ?status=queued&limit=50, GET /metrics (p50/p99 of 50 each);
//   3. kill -9, restarts serve on the same database and times the first 200 of
//      GET /api/v1/modems, then its memory once the queue is loaded;
//   4. SIGTERM, and the time to exit.
// Usage: backlog_bench [--messages 1000000] [--batch 500] [--connections 4] [--dir DIR]
//          [--smsgw PATH] [--keep]
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/gateway_under_test.hpp"
#include "support/http_connection.hpp"
#include "support/percentile.hpp"
#include "support/process.hpp"

namespace {

using namespace smsgw;
using namespace smsgw::bench;
using Clock = std::chrono::steady_clock;
using tcp = asio::ip::tcp;

struct Options {
  std::uint64_t messages = 1'000'000;
  int batch = 500;
  int connections = 4;
  std::filesystem::path dir;
  std::string smsgw = smsgw_binary();
  bool keep = false;
};

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string batch_body(std::uint64_t first, int count) {
  std::string body = R"({"messages":[)";
  for (int i = 0; i < count; ++i) {
    char one[96];
    const auto n = first + static_cast<std::uint64_t>(i);
    std::snprintf(one, sizeof one, R"(%s{"to":"+49176%08llu","text":"Backlog %llu"})",
                  i > 0 ? "," : "", static_cast<unsigned long long>(n % 100000000ULL),
                  static_cast<unsigned long long>(n));
    body += one;
  }
  return body + "]}";
}

// Ingests `total` messages; prints the rate of each tenth. Returns false on an error.
bool ingest(const tcp::endpoint& endpoint, const Options& options) {
  asio::io_context io(1);
  std::uint64_t next = 0;      // first message number of the next batch
  std::uint64_t accepted = 0;  // messages answered 202
  const std::uint64_t tenth = std::max<std::uint64_t>(options.messages / 10, 1);
  auto tenth_start = Clock::now();
  const auto start = tenth_start;
  bool failed = false;
  std::vector<std::unique_ptr<HttpConnection>> pool;
  for (int c = 0; c < options.connections; ++c) {
    pool.push_back(std::make_unique<HttpConnection>(io.get_executor(), endpoint));
    asio::co_spawn(
        io,
        [&, connection = pool.back().get()]() -> awaitable<void> {
          while (!failed && next < options.messages) {
            const int count =
                static_cast<int>(std::min<std::uint64_t>(options.batch, options.messages - next));
            auto request = post_request("/api/v1/messages", batch_body(next, count));
            next += static_cast<std::uint64_t>(count);
            auto reply = co_await connection->exchange(std::move(request));
            if (reply.status != 202) {
              std::fprintf(stderr, "ingest: %d %s %s\n", reply.status, reply.body.c_str(),
                           reply.error.message().c_str());
              failed = true;
              co_return;
            }
            const auto before = accepted / tenth;
            accepted += static_cast<std::uint64_t>(count);
            if (accepted / tenth != before) {
              const double seconds = ms_since(tenth_start) / 1000;
              std::printf("ingest: %9llu queued, last tenth at %8.0f messages/s\n",
                          static_cast<unsigned long long>(accepted),
                          static_cast<double>(tenth) / seconds);
              std::fflush(stdout);
              tenth_start = Clock::now();
            }
          }
        },
        asio::detached);
  }
  io.run();
  std::printf("ingest: %llu messages in %.1f s: %.0f messages/s on average\n",
              static_cast<unsigned long long>(accepted), ms_since(start) / 1000,
              static_cast<double>(accepted) / (ms_since(start) / 1000));
  return !failed;
}

// p50 and p99 of `n` requests made one after another on one connection.
void latency(const tcp::endpoint& endpoint, const std::string& what, int n,
             const std::function<std::string(int)>& request) {
  asio::io_context io(1);
  HttpConnection connection(io.get_executor(), endpoint);
  std::vector<double> ms;
  int errors = 0;
  asio::co_spawn(
      io,
      [&]() -> awaitable<void> {
        for (int i = 0; i < n; ++i) {
          auto text = request(i);
          const auto t0 = Clock::now();
          auto reply = co_await connection.exchange(std::move(text));
          ms.push_back(ms_since(t0));
          errors += reply.status / 100 != 2;
        }
      },
      asio::detached);
  io.run();
  std::sort(ms.begin(), ms.end());
  std::printf("%-44s p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms%s\n", what.c_str(),
              percentile(ms, 0.5), percentile(ms, 0.99), percentile(ms, 1.0),
              errors ? "  (errors!)" : "");
}

// True once `pid` is a zombie or gone: its sockets are closed (a dying process frees its
// memory before its files, so the memory is no sign).
bool exited(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(stat, text)) return true;
  const auto paren = text.rfind(')');
  return paren == std::string::npos || paren + 2 >= text.size() || text[paren + 2] == 'Z';
}

void memory_and_idle_cpu(pid_t pid, const char* when) {
  const auto memory = process_memory(pid);
  const double cpu_from = process_cpu_seconds(pid);
  std::this_thread::sleep_for(std::chrono::seconds(10));
  const double idle = (process_cpu_seconds(pid) - cpu_from) / 10 * 100;
  std::printf("%s: resident %.1f MiB (peak %.1f MiB), idle CPU %.2f %% over 10 s\n", when,
              static_cast<double>(memory.resident_kib) / 1024,
              static_cast<double>(memory.peak_kib) / 1024, idle);
}

int run(const Options& options) {
  GatewayOptions gateway;
  gateway.dir = options.dir;
  gateway.smsgw = options.smsgw;
  GatewayUnderTest gw(gateway);
  const auto endpoint = gw.endpoint();
  if (!ingest(endpoint, options)) return 1;

  std::this_thread::sleep_for(std::chrono::seconds(3));
  memory_and_idle_cpu(gw.serve_pid(), "queued");
  latency(endpoint, "POST one message", 500, [](int i) {
    return post_request("/api/v1/messages",
                        R"({"to":"+4915900000001","text":"single )" + std::to_string(i) + "\"}");
  });
  latency(endpoint, "GET /api/v1/messages?limit=50", 50,
          [](int) { return get_request("/api/v1/messages?limit=50"); });
  latency(endpoint, "GET /api/v1/messages?status=queued&limit=50", 50,
          [](int) { return get_request("/api/v1/messages?status=queued&limit=50"); });
  latency(endpoint, "GET /metrics", 50, [](int) { return get_request("/metrics"); });

  ::kill(gw.serve_pid(), SIGKILL);
  while (!exited(gw.serve_pid())) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const auto restart = Clock::now();
  ChildProcess serve({options.smsgw, "serve", "--config", gw.config_path().string()},
                     options.dir / "serve-restarted.log");
  for (;;) {
    const auto reply =
        http_once(endpoint, get_request("/api/v1/modems"), std::chrono::milliseconds(500));
    if (reply.status == 200) break;
    if (!serve.running()) {
      std::fprintf(stderr, "restart failed:\n%s\n", serve.log_tail().c_str());
      return 1;
    }
    if (ms_since(restart) > 120'000) {
      std::fprintf(stderr, "no answer 2 minutes after the restart\n");
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::printf("kill -9, restart to GET /api/v1/modems: %.0f ms\n", ms_since(restart));
  std::this_thread::sleep_for(std::chrono::seconds(5));
  memory_and_idle_cpu(serve.pid(), "after the restart");
  const auto term = Clock::now();
  const int code = serve.stop(std::chrono::seconds(60));
  std::printf("SIGTERM to exit: %.0f ms (exit code %d)\n", ms_since(term), code);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "backlog_bench: %s needs a value\n", arg.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    auto number = [&](long long min) {
      const std::string text = value();
      char* end = nullptr;
      const long long n = std::strtoll(text.c_str(), &end, 10);
      if (end == text.c_str() || *end != '\0' || n < min) {
        std::fprintf(stderr, "backlog_bench: %s must be a whole number >= %lld, got \"%s\"\n",
                     arg.c_str(), min, text.c_str());
        std::exit(2);
      }
      return n;
    };
    if (arg == "--messages") {
      options.messages = static_cast<std::uint64_t>(number(1));
    } else if (arg == "--batch") {
      options.batch = static_cast<int>(number(1));
    } else if (arg == "--connections") {
      options.connections = static_cast<int>(number(1));
    } else if (arg == "--dir") {
      options.dir = value();
    } else if (arg == "--smsgw") {
      options.smsgw = value();
    } else if (arg == "--keep") {
      options.keep = true;
    } else {
      std::fprintf(stderr,
                   "usage: backlog_bench [--messages N] [--batch B] [--connections C] "
                   "[--dir DIR] [--smsgw PATH] [--keep]\n");
      return 2;
    }
  }
  const bool made_dir = options.dir.empty();
  if (made_dir) {
    char pattern[] = "/var/tmp/smsgw-backlog-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) {
      std::perror("mkdtemp");
      return 1;
    }
    options.dir = pattern;
  }
  std::printf("backlog_bench: %llu messages, batches of %d over %d connections, in %s (%s)\n",
              static_cast<unsigned long long>(options.messages), options.batch, options.connections,
              options.dir.c_str(), filesystem_type(options.dir).c_str());
  int code = 1;
  try {
    code = run(options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "backlog_bench: %s\n", e.what());
  }
  if (made_dir && !options.keep) std::filesystem::remove_all(options.dir);
  return code;
}
