// Driving a test's io_context by hand: in 2 ms slices until a condition holds or a limit
// passes, or until one coroutine has ended.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <stdexcept>
#include <utility>

#include "smsgw/common/net.hpp"

namespace smsgw::gateway::testing {

// Runs `io` until `done()` or `limit`; answers done().
inline bool run_until(asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::milliseconds limit = std::chrono::seconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    if (io.stopped()) io.restart();
    io.run_for(std::chrono::milliseconds(2));
  }
  return done();
}

// Runs `task` to its end on `io` (5 s at most) and answers its value; throws when it did
// not end (gtest reports it as the test's failure).
template <class T>
T run_task(asio::io_context& io, awaitable<T> task) {
  std::optional<T> result;
  auto runner = [&]() -> awaitable<void> { result.emplace(co_await std::move(task)); };
  asio::co_spawn(io, runner(), asio::detached);
  run_until(io, [&] { return result.has_value(); });
  if (!result) throw std::runtime_error("the task did not complete");
  return std::move(*result);
}

}  // namespace smsgw::gateway::testing
