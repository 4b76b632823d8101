// GroupCommitter: many concurrent submissions, one transaction (one fsync) per turn.
//
// Contract:
// - submit() queues a Submission and suspends the calling coroutine. The first submit()
//   of a batch posts one flush to the executor; every submission queued before that flush
//   runs (all coroutines ready in the same event-loop turn, and all that arrived while the
//   previous commit was blocking the thread) is stored by ONE Store::insert_submissions()
//   call. Each waiter is then resumed (through the executor, never inline) with its own
//   result: a failing submission (duplicate id, idempotency conflict) does not fail the
//   others; a failed commit fails every submission of that batch.
// - A batch holds at most `max_batch` submissions; the rest go to the next flush.
// - Single-threaded: use it on the io_context thread that runs the gateway. It must outlive
//   every pending submit() (destroy it after the io_context has stopped running).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "smsgw/common/net.hpp"
#include "smsgw/common/result.hpp"
#include "smsgw/store/records.hpp"
#include "smsgw/store/store.hpp"

namespace smsgw::store {

class GroupCommitter {
 public:
  GroupCommitter(asio::any_io_executor executor, Store& store, std::size_t max_batch = 4096);
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Returns once the submission is durably stored (or refused). See Store::insert_messages
  // for the idempotency outcomes.
  awaitable<Result<SubmissionResult>> submit(Submission submission);

  std::uint64_t flushes() const { return flushes_; }          // transactions started
  std::uint64_t submissions() const { return submissions_; }  // submissions committed or refused
  std::size_t largest_batch() const { return largest_batch_; }

 private:
  struct Waiter;
  template <class Handler>
  struct HandlerWaiter;

  void enqueue(Submission submission, std::unique_ptr<Waiter> waiter);
  void flush();

  asio::any_io_executor executor_;
  Store& store_;
  std::size_t max_batch_;
  std::vector<Submission> pending_;
  std::vector<std::unique_ptr<Waiter>> waiters_;
  bool flush_posted_ = false;
  std::uint64_t flushes_ = 0;
  std::uint64_t submissions_ = 0;
  std::size_t largest_batch_ = 0;
};

// A waiter resumed with the result of its submission.
struct GroupCommitter::Waiter {
  virtual ~Waiter() = default;
  virtual void complete(Result<SubmissionResult> result) = 0;
};

// Holds the coroutine's completion handler and resumes it through its own executor.
template <class Handler>
struct GroupCommitter::HandlerWaiter final : GroupCommitter::Waiter {
  explicit HandlerWaiter(Handler h) : handler(std::move(h)) {}
  void complete(Result<SubmissionResult> result) override {
    auto executor = asio::get_associated_executor(handler);
    asio::post(executor, [h = std::move(handler), r = std::move(result)]() mutable {
      std::move(h)(std::move(r));
    });
  }
  Handler handler;
};

inline awaitable<Result<SubmissionResult>> GroupCommitter::submit(Submission submission) {
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>,
                                          void(Result<SubmissionResult>)>(
      [this, &submission](auto handler) {
        using H = decltype(handler);
        enqueue(std::move(submission), std::make_unique<HandlerWaiter<H>>(std::move(handler)));
      },
      use_awaitable);
}

}  // namespace smsgw::store
