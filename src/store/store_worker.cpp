#include "smsgw/store/store_worker.hpp"

#include <vector>

namespace smsgw::store {

StoreWorker::StoreWorker(asio::any_io_executor executor, std::unique_ptr<Store> store,
                         std::chrono::microseconds defer_window)
    : executor_(std::move(executor)),
      store_(std::move(store)),
      defer_window_(defer_window),
      thread_([this] { loop(); }) {}

StoreWorker::~StoreWorker() { stop(); }

void StoreWorker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void StoreWorker::enqueue(std::unique_ptr<Job> job) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      if (!job->deferred) ++urgent_queued_;
      queue_.push_back(std::move(job));
      job = nullptr;
    }
  }
  if (job) {
    job->complete(make_error("unavailable", "the store is stopping"));
    return;
  }
  wake_.notify_one();
}

void StoreWorker::loop() {
  std::vector<std::unique_ptr<Job>> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (urgent_queued_ == 0 && !stopping_) {
        // Only deferred jobs: they wait for the next urgent job's commit, at most this long.
        wake_.wait_for(lock, defer_window_, [this] { return stopping_ || urgent_queued_ > 0; });
      }
      if (queue_.empty()) return;  // stopping and drained
      batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
      queue_.clear();
      urgent_queued_ = 0;
    }
    std::optional<Error> failure;
    if (auto begun = store_->begin_batch(); !begun) failure = begun.error();
    if (!failure) {
      for (auto& job : batch) job->run(*store_);
      if (auto committed = store_->commit_batch(); !committed) failure = committed.error();
    }
    // Counted before any caller resumes: a caller that reads batches() after its call
    // returned sees its own batch.
    batches_.fetch_add(1);
    jobs_done_.fetch_add(batch.size());
    for (auto& job : batch) job->complete(failure);
    batch.clear();
  }
}

}  // namespace smsgw::store
