#include "smsgw/store/group_committer.hpp"

#include <algorithm>

namespace smsgw::store {

GroupCommitter::GroupCommitter(asio::any_io_executor executor, Store& store, std::size_t max_batch)
    : executor_(std::move(executor)),
      store_(store),
      max_batch_(std::max<std::size_t>(1, max_batch)) {}

GroupCommitter::~GroupCommitter() = default;

void GroupCommitter::enqueue(Submission submission, std::unique_ptr<Waiter> waiter) {
  pending_.push_back(std::move(submission));
  waiters_.push_back(std::move(waiter));
  if (!flush_posted_) {
    flush_posted_ = true;
    // Posted, not run now: every submission queued before the flush runs (the rest of this
    // event-loop turn) joins the same transaction.
    asio::post(executor_, [this] { flush(); });
  }
}

void GroupCommitter::flush() {
  flush_posted_ = false;
  if (pending_.empty()) return;
  const std::size_t count = std::min(pending_.size(), max_batch_);
  std::vector<Submission> batch(
      std::make_move_iterator(pending_.begin()),
      std::make_move_iterator(pending_.begin() + static_cast<std::ptrdiff_t>(count)));
  std::vector<std::unique_ptr<Waiter>> waiters(
      std::make_move_iterator(waiters_.begin()),
      std::make_move_iterator(waiters_.begin() + static_cast<std::ptrdiff_t>(count)));
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(count));
  waiters_.erase(waiters_.begin(), waiters_.begin() + static_cast<std::ptrdiff_t>(count));
  if (!pending_.empty() && !flush_posted_) {
    flush_posted_ = true;
    asio::post(executor_, [this] { flush(); });
  }

  ++flushes_;
  largest_batch_ = std::max(largest_batch_, count);
  auto results = store_.insert_submissions(batch);
  submissions_ += count;
  for (std::size_t i = 0; i < count; ++i) {
    if (results) {
      waiters[i]->complete(std::move((*results)[i]));
    } else {
      waiters[i]->complete(results.error());
    }
  }
}

}  // namespace smsgw::store
