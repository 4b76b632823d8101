// StoreWorker: the store on a thread of its own, with group commit for every kind of write.
//
// Why a thread: an fsync costs milliseconds on ordinary disks (about 4 ms measured on the
// CI machine), and durability needs one before a submission is acknowledged and before a
// PDU is written to a modem. Run on the event loop, those fsyncs would stall HTTP and every
// modem. The worker owns the Store (no other thread touches it); the event loop hands it
// jobs and awaits their results.
//
// Contract:
// - call(f) runs f(Store&) on the worker thread and resumes the caller on the executor
//   given at construction with f's Result, ONLY after the transaction holding f's writes
//   has committed (durable). If the commit fails, every job of that batch gets its error.
// - Jobs that arrive while a batch is committing form the next batch: one outer
//   transaction, one fsync, however many jobs (Store::begin_batch). Each job is atomic on
//   its own (a savepoint), so one failing job does not undo the others.
// - Jobs run in the order they were called.
// - call_deferred(f) is call(f) for a write nobody is waiting on to go on (e.g. recording a
//   send that is over): it does not start a commit of its own at once. It joins the batch
//   of the next call(), or commits `defer_window` after it was queued when none comes. So
//   the commit a waiting caller needs (a claim before a PDU is written) is not queued
//   behind one that nobody waits for.
// - stop() (and the destructor) finish the jobs already queued, then join the thread.
//   call() after stop() fails with "unavailable".
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>

#include "smsgw/common/net.hpp"
#include "smsgw/common/result.hpp"
#include "smsgw/store/store.hpp"

namespace smsgw::store {

class StoreWorker {
 public:
  StoreWorker(asio::any_io_executor executor, std::unique_ptr<Store> store,
              std::chrono::microseconds defer_window = std::chrono::milliseconds(2));
  ~StoreWorker();
  StoreWorker(const StoreWorker&) = delete;
  StoreWorker& operator=(const StoreWorker&) = delete;

  // job: Result<T>(Store&), moved from. Its result arrives after the commit.
  // Takes a named job, never a temporary: GCC 12 copies a lambda built inside a `co_await`
  // expression bit by bit and destroys both copies (a double free once the job has run), so
  // `co_await call([..](Store&) {..})` must not compile.
  template <class F>
  auto call(F& job) -> awaitable<std::invoke_result_t<std::remove_const_t<F>&, Store&>> {
    return call_as(job, false);
  }
  template <class F>
  auto call_deferred(F& job) -> awaitable<std::invoke_result_t<std::remove_const_t<F>&, Store&>> {
    return call_as(job, true);
  }

  void stop();

  // Batches committed (or failed) and jobs run; a batch counts before its callers resume.
  std::uint64_t batches() const { return batches_.load(); }
  std::uint64_t jobs() const { return jobs_done_.load(); }

 private:
  // A job runs on the worker (run) and is completed on the event loop (complete) with the
  // commit's outcome: nullopt when committed.
  struct Job {
    virtual ~Job() = default;
    bool deferred = false;
    virtual void run(Store& store) = 0;
    virtual void complete(std::optional<Error> commit_error) = 0;
  };
  template <class F, class Handler>
  struct CallJob;

  template <class F>
  auto call_as(F& job, bool deferred)
      -> awaitable<std::invoke_result_t<std::remove_const_t<F>&, Store&>>;
  void enqueue(std::unique_ptr<Job> job);
  void loop();

  asio::any_io_executor executor_;
  std::unique_ptr<Store> store_;
  std::chrono::microseconds defer_window_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<Job>> queue_;
  std::size_t urgent_queued_ = 0;  // jobs in queue_ that are not deferred
  bool stopping_ = false;
  std::atomic<std::uint64_t> batches_{0};
  std::atomic<std::uint64_t> jobs_done_{0};
  std::thread thread_;
};

template <class F, class Handler>
struct StoreWorker::CallJob final : StoreWorker::Job {
  using R = std::invoke_result_t<F&, Store&>;
  CallJob(F f, Handler h, asio::any_io_executor ex)
      : fn(std::move(f)), handler(std::move(h)), executor(std::move(ex)) {}

  // Each job is atomic on its own: all of its calls stand, or none (a savepoint).
  void run(Store& store) override {
    if (auto begun = store.begin_job(); !begun) {
      result.emplace(R(begun.error()));
      return;
    }
    result.emplace(fn(store));
    if (auto ended = store.end_job(result->ok()); !ended && result->ok()) {
      result.emplace(R(ended.error()));
    }
  }

  void complete(std::optional<Error> commit_error) override {
    R value = commit_error ? R(std::move(*commit_error))
                           : (result ? std::move(*result)
                                     : R(make_error("unavailable", "the store is stopping")));
    asio::post(executor, [h = std::move(handler), v = std::move(value)]() mutable {
      std::move(h)(std::move(v));
    });
  }

  F fn;
  Handler handler;
  asio::any_io_executor executor;
  std::optional<R> result;
};

// Not a coroutine itself: the job is moved into the initiation once, here.
template <class F>
auto StoreWorker::call_as(F& job, bool deferred)
    -> awaitable<std::invoke_result_t<std::remove_const_t<F>&, Store&>> {
  using Fn = std::remove_const_t<F>;
  using R = std::invoke_result_t<Fn&, Store&>;
  return asio::async_initiate<const asio::use_awaitable_t<>, void(R)>(
      [this, deferred, fn = Fn(std::move(job))](auto handler) mutable {
        using H = decltype(handler);
        auto queued =
            std::make_unique<CallJob<Fn, H>>(std::move(fn), std::move(handler), executor_);
        queued->deferred = deferred;
        enqueue(std::move(queued));
      },
      use_awaitable);
}

}  // namespace smsgw::store
