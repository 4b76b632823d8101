// StoreWorker: results arrive on the event loop after the commit; deferred jobs share the
// commit of the next call, or commit on their own after the defer window; stop() finishes
// what is queued.
#include "smsgw/gateway/store_worker.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

namespace smsgw::gateway {
namespace {

using namespace std::chrono_literals;
using store::Store;

class TempDatabase {
 public:
  TempDatabase() {
    static std::atomic<int> counter{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("smsgw-store-worker-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~TempDatabase() { std::filesystem::remove_all(dir_); }
  std::unique_ptr<Store> open() const {
    auto store = Store::open(dir_ / "smsgw.db");
    EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error().message);
    return store.ok() ? std::move(*store) : nullptr;
  }

 private:
  std::filesystem::path dir_;
};

store::NewMessage message(Store& s, const std::string& to) {
  store::NewMessage m;
  m.to = to;
  m.text = "hello";
  m.encoding = "gsm7";
  m.created_at = std::chrono::system_clock::now();
  m.id = s.new_id(m.created_at);
  m.parts.push_back(store::NewPart{"0041000B915121551532F40000", 20});
  return m;
}

// A job that stores one message to `to` and returns how many messages the store then holds.
auto insert_one(std::string to) {
  return [to](Store& s) -> Result<std::int64_t> {
    const std::vector<store::NewMessage> one{message(s, to)};
    if (auto inserted = s.insert_messages(one); !inserted) return inserted.error();
    auto counts = s.count_by_status();
    if (!counts) return counts.error();
    std::int64_t total = 0;
    for (const auto& [status, n] : *counts) total += n;
    return total;
  };
}

TEST(GatewayStoreWorker, ResultArrivesOnTheEventLoopAfterTheCommit) {
  TempDatabase db;
  asio::io_context io;
  auto store = db.open();
  ASSERT_NE(store, nullptr);
  Store* raw = store.get();
  StoreWorker worker(io.get_executor(), std::move(store));
  std::optional<Result<std::int64_t>> result;
  std::uint64_t commits_seen = 0;
  asio::co_spawn(
      io,
      [&]() -> awaitable<void> {
        auto job = insert_one("+4915100000001");
        auto r = co_await worker.call(job);
        commits_seen = raw->commit_count();  // read on the loop: the worker is idle again
        result = std::move(r);
      },
      asio::detached);
  io.run();
  ASSERT_TRUE(result.has_value());
  ASSERT_TRUE(result->ok()) << result->error().message;
  EXPECT_EQ(**result, 1);
  EXPECT_GE(commits_seen, 1u);
  EXPECT_EQ(worker.jobs(), 1u);
}

TEST(GatewayStoreWorker, DeferredJobSharesTheCommitOfTheNextCall) {
  TempDatabase db;
  asio::io_context io;
  auto store = db.open();
  ASSERT_NE(store, nullptr);
  // A window far longer than the test: only the urgent call can start the commit.
  StoreWorker worker(io.get_executor(), std::move(store), std::chrono::hours(1));
  std::vector<std::string> order;
  asio::co_spawn(
      io,
      [&]() -> awaitable<void> {
        auto job = insert_one("+4915100000001");
        auto r = co_await worker.call_deferred(job);
        EXPECT_TRUE(r.ok());
        order.push_back("deferred");
      },
      asio::detached);
  asio::co_spawn(
      io,
      [&]() -> awaitable<void> {
        auto job = insert_one("+4915100000002");
        auto r = co_await worker.call(job);
        EXPECT_TRUE(r.ok());
        if (r.ok()) {
          EXPECT_EQ(*r, 2);  // the deferred job ran first, in the same transaction
        }
        order.push_back("urgent");
      },
      asio::detached);
  io.run();
  EXPECT_EQ(order, (std::vector<std::string>{"deferred", "urgent"}));
  EXPECT_EQ(worker.batches(), 1u);
  EXPECT_EQ(worker.jobs(), 2u);
}

TEST(GatewayStoreWorker, DeferredJobAloneCommitsAfterTheWindow) {
  TempDatabase db;
  asio::io_context io;
  auto store = db.open();
  ASSERT_NE(store, nullptr);
  StoreWorker worker(io.get_executor(), std::move(store), 1ms);
  std::optional<Result<std::int64_t>> result;
  asio::co_spawn(
      io,
      [&]() -> awaitable<void> {
        auto job = insert_one("+4915100000001");
        result = co_await worker.call_deferred(job);
      },
      asio::detached);
  io.run();
  ASSERT_TRUE(result.has_value());
  ASSERT_TRUE(result->ok()) << result->error().message;
  EXPECT_EQ(**result, 1);
  EXPECT_EQ(worker.batches(), 1u);
}

TEST(GatewayStoreWorker, StopCommitsDeferredJobsWithoutWaitingForTheWindow) {
  TempDatabase db;
  asio::io_context io;
  auto store = db.open();
  ASSERT_NE(store, nullptr);
  StoreWorker worker(io.get_executor(), std::move(store), std::chrono::hours(1));
  std::optional<Result<std::int64_t>> result;
  asio::co_spawn(
      io,
      [&]() -> awaitable<void> {
        auto job = insert_one("+4915100000001");
        result = co_await worker.call_deferred(job);
      },
      asio::detached);
  io.poll();  // runs the coroutine up to its call: the job is queued
  worker.stop();
  io.run();
  ASSERT_TRUE(result.has_value());
  ASSERT_TRUE(result->ok()) << result->error().message;
  EXPECT_EQ(**result, 1);
  EXPECT_EQ(worker.jobs(), 1u);
}

TEST(GatewayStoreWorker, CallAfterStopFailsAsUnavailable) {
  TempDatabase db;
  asio::io_context io;
  auto store = db.open();
  ASSERT_NE(store, nullptr);
  StoreWorker worker(io.get_executor(), std::move(store));
  worker.stop();
  std::optional<Result<std::int64_t>> result;
  asio::co_spawn(
      io,
      [&]() -> awaitable<void> {
        auto job = insert_one("+4915100000001");
        result = co_await worker.call_deferred(job);
      },
      asio::detached);
  io.run();
  ASSERT_TRUE(result.has_value());
  ASSERT_FALSE(result->ok());
  EXPECT_EQ(result->error().code, "unavailable");
}

}  // namespace
}  // namespace smsgw::gateway
