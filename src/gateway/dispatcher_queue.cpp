// The dispatcher's queue: a bounded window of each queue group in memory, in the group's
// order (priority, longest first, age), refilled from the store by index; messages not
// yet due; the expiry sweep. Sending is in dispatcher.cpp.

#include <spdlog/spdlog.h>

#include "smsgw/gateway/dispatcher.hpp"

namespace smsgw::gateway {

using store::MessageStatus;
using store::Store;

std::string Dispatcher::group_of(const QueuedMessage& m) const {
  return store::queue_group(m.pinned_modem, m.pinned_operator, m.destination_operator);
}

Dispatcher::QueueKey Dispatcher::key_of(const QueuedMessage& message) {
  return {-message.priority, -static_cast<std::int64_t>(message.parts), message.id};
}

void Dispatcher::place(QueuedMessage message) {
  const auto now = std::chrono::system_clock::now();
  const std::string id = message.id;
  // Only a message with no history of its own may stay in the store alone: one that failed
  // somewhere carries in memory which SIMs to avoid.
  const bool fresh = message.avoid_sims.empty();
  if (message.not_before > now) {
    if (fresh && deferred_.size() >= options_.deferred_window) {
      next_store_check_ = std::min(next_store_check_, message.not_before);
      return;
    }
    deferred_.emplace(message.not_before, id);
    messages_.insert_or_assign(id, std::move(message));
    return;
  }
  const std::string group = group_of(message);
  auto& queue = ready_[group];
  const auto key = key_of(message);
  if (queue.size() >= options_.group_window) {
    // The window keeps the group's first messages in its order; the rest wait in the store.
    spilled_.insert(group);
    const auto last = std::prev(queue.end());
    if (fresh && !(key < *last)) return;
    auto evicted = messages_.find(std::get<2>(*last));
    if (evicted != messages_.end() && evicted->second.avoid_sims.empty()) {
      queue.erase(last);
      messages_.erase(evicted);
    }
  }
  queue.insert(key);
  messages_.insert_or_assign(id, std::move(message));
}

void Dispatcher::unqueue(const QueuedMessage& message) {
  auto group = ready_.find(group_of(message));
  if (group != ready_.end()) {
    group->second.erase(key_of(message));
    if (group->second.empty()) ready_.erase(group);
  }
  for (auto it = deferred_.lower_bound(message.not_before);
       it != deferred_.end() && it->first == message.not_before; ++it) {
    if (it->second == message.id) {
      deferred_.erase(it);
      break;
    }
  }
}

void Dispatcher::enqueue(QueuedMessage message) {
  if (messages_.contains(message.id) || in_flight_.contains(message.id)) return;
  place(std::move(message));
  wake();
}

awaitable<void> Dispatcher::enqueue_from_store(std::string id) {
  if (messages_.contains(id) || in_flight_.contains(id)) co_return;
  co_await place_from_store(std::move(id));
  wake();
}

awaitable<void> Dispatcher::place_from_store(std::string id) {
  auto read = [id](Store& s) { return s.get_message(id); };
  auto message = co_await store_.call(read);
  if (!message) {
    spdlog::error("dispatcher: message {}: cannot read it to queue it again: {}", id,
                  message.error().message);
    co_return;
  }
  place(queued_from(*message));
}

void Dispatcher::forget(const std::string& id) {
  auto it = messages_.find(id);
  if (it == messages_.end()) return;
  unqueue(it->second);
  messages_.erase(it);
}

awaitable<void> Dispatcher::load_from_store() {
  const auto now = std::chrono::system_clock::now();
  auto list = [](Store& s) { return s.queue_groups(); };
  auto groups = co_await store_.call(list);
  if (!groups) {
    spdlog::error("dispatcher: cannot read the queue: {}", groups.error().message);
  } else {
    for (auto& group : *groups) {
      if (stopping_) co_return;
      co_await load_group(std::move(group), now);
    }
  }
  auto job = [now](Store& s) { return s.next_due_time(now); };
  auto next = co_await store_.call(job);
  next_store_check_ = next && *next ? **next : TimePoint::max();
  wake();
}

awaitable<void> Dispatcher::load_group(std::string group, TimePoint now) {
  // The rows read include those already in memory and those chosen for a send whose claim
  // is not committed yet; reading past the latter keeps every refill bringing new ones.
  const std::size_t limit = options_.group_window + in_flight_.size();
  auto job = [group, now, limit](Store& s) { return s.due_in_group(group, now, limit); };
  auto page = co_await store_.call(job);
  if (!page) {
    spdlog::error("dispatcher: cannot read the queue of {}: {}", group, page.error().message);
    co_return;
  }
  // Everything due in the group is in memory unless the read filled its limit.
  if (page->size() < limit) {
    spilled_.erase(group);
  } else {
    spilled_.insert(group);
  }
  for (const auto& m : *page) {
    if (!messages_.contains(m.id) && !in_flight_.contains(m.id)) place(queued_from(m));
  }
  wake();
}

void Dispatcher::refill_low_groups() {
  for (const auto& group : spilled_) {
    if (refilling_.contains(group)) continue;
    auto queue = ready_.find(group);
    if (queue != ready_.end() && queue->second.size() > options_.group_window / 2) continue;
    refilling_.insert(group);
    jobs_.spawn("dispatcher: refill of " + group, [this, group]() -> awaitable<void> {
      co_await load_group(group, std::chrono::system_clock::now());
      refilling_.erase(group);
    });
  }
}

awaitable<void> Dispatcher::sweep_expired(TimePoint now) {
  auto job = [now](Store& s) { return s.expire_due(now); };
  auto expired = co_await store_.call(job);
  if (expired) {
    for (const auto& id : *expired) {
      forget(id);
      observer_.on_message_status(id, MessageStatus::expired, "");
    }
  }
  if (!options_.resend_unsettled_after) co_return;
  auto resend = [before = now - *options_.resend_unsettled_after, now](Store& s) {
    return s.resend_unsettled(before, now);
  };
  auto resent = co_await store_.call(resend);
  if (!resent) {
    spdlog::error("dispatcher: cannot queue unsettled messages again: {}", resent.error().message);
    co_return;
  }
  for (const auto& id : *resent) {
    spdlog::warn(
        "message {}: no status report settled its unknown part within sms.settle_unknown; "
        "sending it again through the same SIM (sms.after_settle = resend)",
        id);
    co_await place_from_store(id);
    observer_.on_message_status(id, MessageStatus::queued, "");
  }
  if (!resent->empty()) wake();
}

}  // namespace smsgw::gateway
