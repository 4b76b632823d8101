// What the dispatcher reads back from the store: the queue groups' windows at start and
// when they run low (by index), messages the store moved back to queued, and the expiry
// and resend sweep. The in-memory queue and sending are in dispatcher.cpp.

#include <spdlog/spdlog.h>

#include <unordered_set>

#include "smsgw/gateway/dispatcher.hpp"

namespace smsgw::gateway {

using store::MessageStatus;
using store::Store;
using store::StoredMessage;

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

awaitable<void> Dispatcher::load_from_store() {
  const auto now = std::chrono::system_clock::now();
  auto list = [](Store& s) { return s.queue_groups(); };
  auto groups = co_await store_.call(list);
  if (!groups) {
    spdlog::error("dispatcher: cannot read the queue: {}", groups.error().message);
  } else {
    for (auto& group : *groups) {
      if (stopping_) co_return;
      // Another node's modem: its messages wait in the store for that node.
      if (group.starts_with("modem:") && remote_modems_.contains(group.substr(6))) continue;
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
  const std::uint64_t read_from = placements_;
  auto job = [group, now, limit](Store& s) { return s.due_in_group(group, now, limit); };
  auto page = co_await store_.call(job);
  if (!page) {
    spdlog::error("dispatcher: cannot read the queue of {}: {}", group, page.error().message);
    co_return;
  }
  if (options_.shared_queue) prune_group(group, *page, page->size() >= limit, read_from);
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

void Dispatcher::prune_group(const std::string& group, const std::vector<StoredMessage>& page,
                             bool full, std::uint64_t read_from) {
  auto queue = ready_.find(group);
  if (queue == ready_.end()) return;
  std::unordered_set<std::string> in_page;
  for (const auto& m : page) in_page.insert(m.id);
  std::optional<QueueKey> last;
  if (full && !page.empty()) last = key_of(queued_from(page.back()));
  std::vector<std::string> gone;
  for (const auto& key : queue->second) {
    if (last && *last < key) break;
    const auto& id = std::get<2>(key);
    if (in_page.contains(id)) continue;
    const auto& held = messages_.at(id);
    // Placed after the read began (just accepted here), or carrying its own history (an
    // avoid list, from a failure here): the store's row may not show it yet.
    if (held.placed > read_from || !held.avoid_sims.empty()) continue;
    gone.push_back(id);
  }
  for (const auto& id : gone) forget(id);
}

void Dispatcher::refill_low_groups() {
  auto refill = [this](const std::string& group) {
    refilling_.insert(group);
    jobs_.spawn("dispatcher: refill of " + group, [this, group]() -> awaitable<void> {
      co_await load_group(group, std::chrono::system_clock::now());
      refilling_.erase(group);
    });
  };
  for (const auto& group : spilled_) {
    if (refilling_.contains(group)) continue;
    auto queue = ready_.find(group);
    if (queue != ready_.end() && queue->second.size() > options_.group_window / 2) continue;
    refill(group);
  }
  // A window left with none of this node's share holds mostly what the others have sent
  // by now: read it again (set_queue_share).
  const auto now = std::chrono::steady_clock::now();
  for (const auto& group : std::exchange(starved_, {})) {
    if (refilling_.contains(group) || !ready_.contains(group)) continue;
    auto& read_at = starved_read_at_[group];
    if (now - read_at < kStarvedRefillGap) continue;
    read_at = now;
    refill(group);
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
