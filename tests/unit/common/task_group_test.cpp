#include "smsgw/common/task_group.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace smsgw {
namespace {

using namespace std::chrono_literals;

// Runs `body` as a coroutine on `io` until the io_context has no work left.
template <class Body>
void run_coroutine(asio::io_context& io, Body body) {
  bool finished = false;
  asio::co_spawn(io, std::move(body), [&](std::exception_ptr error) {
    finished = true;
    if (error) std::rethrow_exception(error);
  });
  io.run();
  ASSERT_TRUE(finished);
}

// A task that ends when `release` is set.
awaitable<void> until(Event& release) { co_await release.wait(); }

awaitable<void> throws_logic_error() {
  throw std::logic_error("boom");
  co_return;
}

TEST(TaskGroup, CountsLiveTasks) {
  asio::io_context io;
  TaskGroup group(io.get_executor());
  Event first(io.get_executor());
  Event second(io.get_executor());
  std::vector<std::size_t> seen;
  auto body = [&]() -> awaitable<void> {
    group.spawn("first", until(first));
    group.spawn("second", until(second));
    seen.push_back(group.live());
    first.set();
    asio::steady_timer settle(io, 1ms);
    co_await settle.async_wait(use_awaitable);
    seen.push_back(group.live());
    second.set();
    co_await group.join();
    seen.push_back(group.live());
  };
  run_coroutine(io, body);
  EXPECT_EQ(seen, (std::vector<std::size_t>{2, 1, 0}));
}

TEST(TaskGroup, JoinWakesWhenTheLastTaskEnds) {
  asio::io_context io;
  TaskGroup group(io.get_executor());
  Event release(io.get_executor());
  bool joined = false;
  bool released_before_join = false;
  auto joiner = [&]() -> awaitable<void> {
    group.spawn("waiting", until(release));
    co_await group.join();
    joined = true;
    released_before_join = release.is_set();
  };
  auto releaser = [&]() -> awaitable<void> {
    asio::steady_timer later(io, 20ms);
    co_await later.async_wait(use_awaitable);
    EXPECT_FALSE(joined);
    release.set();
  };
  asio::co_spawn(io, releaser, asio::detached);
  const auto start = std::chrono::steady_clock::now();
  run_coroutine(io, joiner);
  EXPECT_TRUE(joined);
  EXPECT_TRUE(released_before_join);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

TEST(TaskGroup, JoinWaitsForTasksSpawnedWhileJoining) {
  asio::io_context io;
  TaskGroup group(io.get_executor());
  Event first(io.get_executor());
  Event second(io.get_executor());
  bool joined = false;
  auto body = [&]() -> awaitable<void> {
    group.spawn("first", until(first));
    co_await group.join();
    joined = true;
    EXPECT_TRUE(second.is_set());
  };
  auto driver = [&]() -> awaitable<void> {
    asio::steady_timer later(io, 5ms);
    co_await later.async_wait(use_awaitable);
    group.spawn("second", until(second));
    first.set();
    later.expires_after(5ms);
    co_await later.async_wait(use_awaitable);
    EXPECT_FALSE(joined);
    second.set();
  };
  asio::co_spawn(io, driver, asio::detached);
  run_coroutine(io, body);
  EXPECT_TRUE(joined);
}

TEST(TaskGroup, JoinWithNoTasksReturnsAtOnce) {
  asio::io_context io;
  TaskGroup group(io.get_executor());
  bool joined = false;
  auto body = [&]() -> awaitable<void> {
    co_await group.join();
    joined = true;
  };
  const auto start = std::chrono::steady_clock::now();
  run_coroutine(io, body);
  EXPECT_TRUE(joined);
  EXPECT_EQ(group.live(), 0u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 100ms);
}

TEST(TaskGroup, ThrowingTaskIsLoggedByNameAndCountsAsEnded) {
  auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(16);
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("task_group_test", sink));

  asio::io_context io;
  TaskGroup group(io.get_executor());
  Event release(io.get_executor());
  std::size_t live_after_throw = 99;
  auto body = [&]() -> awaitable<void> {
    group.spawn("exploding task", throws_logic_error());
    group.spawn("calm task", until(release));
    asio::steady_timer settle(io, 1ms);
    co_await settle.async_wait(use_awaitable);
    live_after_throw = group.live();
    release.set();
    co_await group.join();
  };
  run_coroutine(io, body);
  spdlog::set_default_logger(previous);

  EXPECT_EQ(live_after_throw, 1u);
  EXPECT_EQ(group.live(), 0u);
  const auto lines = sink->last_formatted();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("exploding task stopped by a bug: boom"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("critical"), std::string::npos) << lines[0];
}

TEST(TaskGroup, KeepsACallableAliveUntilItsCoroutineEnds) {
  asio::io_context io;
  TaskGroup group(io.get_executor());
  Event release(io.get_executor());
  std::string seen;
  auto body = [&]() -> awaitable<void> {
    std::string word = "captured";
    group.spawn("lambda", [&release, &seen, word]() -> awaitable<void> {
      co_await release.wait();
      seen = word;  // the closure (and its copy of `word`) is still alive here
    });
    release.set();
    co_await group.join();
  };
  run_coroutine(io, body);
  EXPECT_EQ(seen, "captured");
}

}  // namespace
}  // namespace smsgw
