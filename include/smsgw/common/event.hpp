// Event: a level-triggered flag that coroutines can wait on with a deadline.
//
// Contract: wait() returns at once when the flag is already set, so a signal that
// arrives before the waiter starts is never lost.
// set() wakes every current waiter; the flag stays set until reset(). Single-threaded:
// use it on one io_context thread only.
#pragma once

#include <algorithm>
#include <chrono>
#include <vector>

#include "smsgw/common/net.hpp"

namespace smsgw {

class Event {
 public:
  explicit Event(asio::any_io_executor executor) : executor_(std::move(executor)) {}
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;

  void set() {
    set_ = true;
    for (auto* waiter : waiters_) waiter->cancel();
  }
  void reset() { set_ = false; }
  [[nodiscard]] bool is_set() const { return set_; }

  // Waits until the flag is set or `timeout` passes. Returns true when set.
  awaitable<bool> wait(std::chrono::steady_clock::duration timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!set_) {
      if (std::chrono::steady_clock::now() >= deadline) co_return false;
      asio::steady_timer waiter(executor_, deadline);
      waiters_.push_back(&waiter);
      error_code ec;
      co_await waiter.async_wait(asio::redirect_error(use_awaitable, ec));
      std::erase(waiters_, &waiter);
    }
    co_return true;
  }

  // Waits without a deadline.
  awaitable<void> wait() {
    while (!set_) {
      co_await wait(std::chrono::hours(24));
    }
  }

 private:
  asio::any_io_executor executor_;
  std::vector<asio::steady_timer*> waiters_;
  bool set_ = false;
};

}  // namespace smsgw
