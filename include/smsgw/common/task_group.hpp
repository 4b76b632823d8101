// TaskGroup: coroutines started on one executor that their owner can wait for.
//
// Contract:
// - spawn(name, task) starts `task` (an awaitable<void>, or a callable returning one, which
//   the group keeps alive until the coroutine has returned) and counts it as live until it
//   returns or throws.
// - An exception that escapes a task is logged (critical: "<name> stopped by a bug: <what>")
//   and goes no further; the task then counts as ended.
// - join() returns once no task is live: at once when none is, else when the last one ends.
//   A task spawned before that moment is waited for too. No timer polls: the last task's end
//   sets an Event.
// - The group must outlive its tasks (join before destroying it).
// Single-threaded: spawn and join on the executor's one thread.
#pragma once

#include <spdlog/spdlog.h>

#include <cstddef>
#include <exception>
#include <string>
#include <utility>

#include "smsgw/common/event.hpp"
#include "smsgw/common/net.hpp"

namespace smsgw {

class TaskGroup {
 public:
  explicit TaskGroup(asio::any_io_executor executor)
      : executor_(executor), all_ended_(std::move(executor)) {
    all_ended_.set();
  }
  TaskGroup(const TaskGroup&) = delete;
  TaskGroup& operator=(const TaskGroup&) = delete;

  template <class Task>
  void spawn(std::string name, Task task) {
    ++live_;
    all_ended_.reset();
    asio::co_spawn(executor_, std::move(task),
                   [this, name = std::move(name)](std::exception_ptr error) {
                     if (error) log_failure(name, error);
                     if (--live_ == 0) all_ended_.set();
                   });
  }

  // Tasks started and not yet ended.
  [[nodiscard]] std::size_t live() const { return live_; }

  awaitable<void> join() { co_await all_ended_.wait(); }

 private:
  static void log_failure(const std::string& name, std::exception_ptr error) {
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      spdlog::critical("{} stopped by a bug: {}", name, e.what());
    } catch (...) {
      spdlog::critical("{} stopped by a bug: an exception of unknown type", name);
    }
  }

  asio::any_io_executor executor_;
  std::size_t live_ = 0;
  Event all_ended_;  // set while no task is live
};

}  // namespace smsgw
