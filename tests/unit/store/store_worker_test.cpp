// StoreWorker: results arrive on the event loop after the commit; deferred jobs share the
// commit of the next call, or commit on their own after the defer window; stop() finishes
// what is queued.
#include "smsgw/store/store_worker.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include "store_fixture.hpp"

namespace smsgw::store {
namespace {

using namespace std::chrono_literals;

using testing::Engine;
using testing::TestDatabase;

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

// A job's result that arrived and holds a value, or why not.
::testing::AssertionResult arrived_ok(const std::optional<Result<std::int64_t>>& result) {
  if (!result.has_value()) return ::testing::AssertionFailure() << "no result arrived";
  if (!result->ok()) return ::testing::AssertionFailure() << result->error().message;
  return ::testing::AssertionSuccess();
}

// Each test owns a fresh database, an event loop and the store the worker takes over.
class StoreWorkerTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    if (auto missing = testing::engine_missing(GetParam())) GTEST_SKIP() << *missing;
    db_ = std::make_unique<TestDatabase>(GetParam());
    auto opened = db_->open();
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(*opened);
  }

  // Spawns a coroutine that stores one message through call_deferred and keeps its result.
  void spawn_deferred_insert(StoreWorker& worker, std::optional<Result<std::int64_t>>& result) {
    asio::co_spawn(
        io_,
        [&worker, &result]() -> awaitable<void> {
          auto job = insert_one("+4915100000001");
          result = co_await worker.call_deferred(job);
        },
        asio::detached);
  }

  std::unique_ptr<TestDatabase> db_;
  asio::io_context io_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreWorkerTest, ResultArrivesOnTheEventLoopAfterTheCommit) {
  Store* raw = store_.get();
  StoreWorker worker(io_.get_executor(), std::move(store_));
  std::optional<Result<std::int64_t>> result;
  std::uint64_t commits_seen = 0;
  asio::co_spawn(
      io_,
      [&]() -> awaitable<void> {
        auto job = insert_one("+4915100000001");
        auto r = co_await worker.call(job);
        commits_seen = raw->commit_count();  // read on the loop: the worker is idle again
        result = std::move(r);
      },
      asio::detached);
  io_.run();
  ASSERT_TRUE(arrived_ok(result));
  EXPECT_EQ(**result, 1);
  EXPECT_GE(commits_seen, 1u);
  EXPECT_EQ(worker.jobs(), 1u);
}

TEST_P(StoreWorkerTest, DeferredJobSharesTheCommitOfTheNextCall) {
  // A window far longer than the test: only the urgent call can start the commit.
  StoreWorker worker(io_.get_executor(), std::move(store_), std::chrono::hours(1));
  std::vector<std::string> order;
  asio::co_spawn(
      io_,
      [&]() -> awaitable<void> {
        auto job = insert_one("+4915100000001");
        auto r = co_await worker.call_deferred(job);
        EXPECT_TRUE(r.ok());
        order.push_back("deferred");
      },
      asio::detached);
  asio::co_spawn(
      io_,
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
  io_.run();
  EXPECT_EQ(order, (std::vector<std::string>{"deferred", "urgent"}));
  EXPECT_EQ(worker.batches(), 1u);
  EXPECT_EQ(worker.jobs(), 2u);
}

TEST_P(StoreWorkerTest, DeferredJobAloneCommitsAfterTheWindow) {
  StoreWorker worker(io_.get_executor(), std::move(store_), 1ms);
  std::optional<Result<std::int64_t>> result;
  spawn_deferred_insert(worker, result);
  io_.run();
  ASSERT_TRUE(arrived_ok(result));
  EXPECT_EQ(**result, 1);
  EXPECT_EQ(worker.batches(), 1u);
}

TEST_P(StoreWorkerTest, StopCommitsDeferredJobsWithoutWaitingForTheWindow) {
  StoreWorker worker(io_.get_executor(), std::move(store_), std::chrono::hours(1));
  std::optional<Result<std::int64_t>> result;
  spawn_deferred_insert(worker, result);
  io_.poll();  // runs the coroutine up to its call: the job is queued
  worker.stop();
  io_.run();
  ASSERT_TRUE(arrived_ok(result));
  EXPECT_EQ(**result, 1);
  EXPECT_EQ(worker.jobs(), 1u);
}

TEST_P(StoreWorkerTest, CallAfterStopFailsAsUnavailable) {
  StoreWorker worker(io_.get_executor(), std::move(store_));
  worker.stop();
  std::optional<Result<std::int64_t>> result;
  spawn_deferred_insert(worker, result);
  io_.run();
  ASSERT_TRUE(result.has_value());
  ASSERT_FALSE(result->ok());
  EXPECT_EQ(result->error().code, "unavailable");
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreWorkerTest,
                         ::testing::Values(Engine::sqlite, Engine::postgres), testing::engine_name);

}  // namespace
}  // namespace smsgw::store
