// Ingest through the durable store: messages per second and per-submission latency through
// the StoreWorker (the gateway's path) with 1, 64 and 512 concurrent submitters, and batch inserts
// of 1000 messages, on a temporary database file with synchronous=FULL (every commit is an fsync).
//
// Usage: ingest_store_bench [--seconds S] [--dir DIR]
//   --seconds  time per scenario (default 3)
//   --dir      folder for the temporary database (default: the system temp folder); use a
//              folder on the disk you mean to deploy on, fsync cost is the whole story
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "smsgw/store/store.hpp"
#include "smsgw/store/store_worker.hpp"

namespace {

using namespace smsgw;
using namespace smsgw::store;
using Clock = std::chrono::steady_clock;

NewMessage sample_message(int n) {
  NewMessage m;
  m.to = "+49151" + std::to_string(10000000 + n % 9000000);
  m.text = "Your code is " + std::to_string(100000 + n % 900000);
  m.encoding = "gsm7";
  m.parts.push_back(NewPart{"0011000C914915" + std::to_string(10000000 + n % 9000000) +
                                "0000AA13D9775D0E9A36A72074780E9A81C46C",
                            30});
  return m;
}

struct Figures {
  std::size_t count = 0;
  double seconds = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  std::uint64_t commits = 0;
};

double percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0;
  const auto k = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k];
}

std::unique_ptr<Store> fresh_store(const std::filesystem::path& dir, const std::string& name) {
  const auto path = dir / name;
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
  auto store = Store::open(path);
  if (!store) {
    std::fprintf(stderr, "cannot open %s: %s\n", path.c_str(), store.error().message.c_str());
    std::exit(1);
  }
  return std::move(*store);
}

Figures run_group_commit(const std::filesystem::path& dir, int submitters, double seconds) {
  auto owned = fresh_store(dir, "bench-group.db");
  Store* store = owned.get();  // commit_count() is read after the worker has stopped
  asio::io_context io;
  StoreWorker worker(io.get_executor(), std::move(owned));
  std::vector<double> latencies;
  latencies.reserve(1'000'000);
  const auto start = Clock::now();
  const auto stop_at =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  int next = 0;
  const auto commits_before = store->commit_count();
  for (int s = 0; s < submitters; ++s) {
    asio::co_spawn(
        io,
        [&]() -> awaitable<void> {
          while (Clock::now() < stop_at) {
            auto insert = [message = sample_message(next++)](Store& target) {
              return target.insert_messages(std::span<const NewMessage>(&message, 1));
            };
            const auto t0 = Clock::now();
            auto result = co_await worker.call(insert);
            const auto t1 = Clock::now();
            if (!result) {
              std::fprintf(stderr, "submit failed: %s\n", result.error().message.c_str());
              std::exit(1);
            }
            latencies.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
          }
        },
        asio::detached);
  }
  io.run();
  worker.stop();
  Figures f;
  f.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  f.count = latencies.size();
  f.p50_ms = percentile(latencies, 0.50);
  f.p99_ms = percentile(latencies, 0.99);
  f.commits = store->commit_count() - commits_before;
  return f;
}

Figures run_batches(const std::filesystem::path& dir, int batch_size, double seconds) {
  auto store = fresh_store(dir, "bench-batch.db");
  std::vector<double> latencies;
  std::vector<NewMessage> batch;
  int next = 0;
  const auto start = Clock::now();
  const auto commits_before = store->commit_count();
  std::size_t count = 0;
  while (std::chrono::duration<double>(Clock::now() - start).count() < seconds) {
    batch.clear();
    for (int i = 0; i < batch_size; ++i) batch.push_back(sample_message(next++));
    const auto t0 = Clock::now();
    auto result = store->insert_messages(batch);
    const auto t1 = Clock::now();
    if (!result) {
      std::fprintf(stderr, "batch failed: %s\n", result.error().message.c_str());
      std::exit(1);
    }
    count += static_cast<std::size_t>(batch_size);
    latencies.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  Figures f;
  f.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  f.count = count;
  f.p50_ms = percentile(latencies, 0.50);
  f.p99_ms = percentile(latencies, 0.99);
  f.commits = store->commit_count() - commits_before;
  return f;
}

void print(const char* name, const Figures& f) {
  std::printf("%-28s %10zu %12.0f %9.2f %9.2f %9llu\n", name, f.count,
              static_cast<double>(f.count) / f.seconds, f.p50_ms, f.p99_ms,
              static_cast<unsigned long long>(f.commits));
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 3;
  std::filesystem::path base = std::filesystem::temp_directory_path();
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
      seconds = std::stod(argv[++i]);
    } else if (std::strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
      base = argv[++i];
    } else {
      std::fprintf(stderr, "usage: %s [--seconds S] [--dir DIR]\n", argv[0]);
      return 2;
    }
  }
  const auto dir = base / ("smsgw-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::printf("database folder: %s, %.1f s per scenario, synchronous=FULL, WAL\n", dir.c_str(),
              seconds);
  std::printf("%-28s %10s %12s %9s %9s %9s\n", "scenario", "messages", "messages/s", "p50 ms",
              "p99 ms", "commits");
  for (const int submitters : {1, 64, 512}) {
    const std::string name = "group commit, " + std::to_string(submitters) + " submitters";
    print(name.c_str(), run_group_commit(dir, submitters, seconds));
  }
  print("batch insert, 1000/batch", run_batches(dir, 1000, seconds));
  std::printf("(batch insert latency is per 1000-message batch)\n");
  std::filesystem::remove_all(dir);
  return 0;
}
