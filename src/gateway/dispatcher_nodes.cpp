// The dispatcher among several nodes sharing one store: reloads of the queue when another
// node changed it, the modems of other nodes whose pinned messages are not ours to send,
// and this node's share of the queue (which heads a round takes, in which order). A claim
// another node won first answers "conflict"; send() then drops the message silently
// (dispatcher.cpp).

#include <algorithm>
#include <random>

#include "smsgw/gateway/dispatcher.hpp"

namespace smsgw::gateway {

void Dispatcher::reload() {
  if (stopping_) return;
  if (loading_) {
    reload_queued_ = true;
    return;
  }
  start_load();
}

void Dispatcher::start_load() {
  loading_ = true;
  jobs_.spawn("dispatcher: queue load", [this]() -> awaitable<void> {
    do {
      reload_queued_ = false;
      co_await load_from_store();
    } while (reload_queued_ && !stopping_);
    loading_ = false;
  });
}

bool Dispatcher::pinned_elsewhere(const QueuedMessage& message) const {
  return !message.pinned_modem.empty() && remote_modems_.contains(message.pinned_modem);
}

void Dispatcher::collect_heads(std::vector<std::pair<QueueKey, const QueuedMessage*>>& heads) {
  heads.clear();
  const std::size_t per_group = std::max(kHeadsPerGroup, options_.claim_spread);
  const bool shared = !share_.whole();
  // Far enough to find per_group of this node's share among the others' in most windows
  // (with an empty share, nothing of it is there to find).
  const std::size_t spread =
      share_.slots() == 0 ? 0 : (share_.total + share_.slots() - 1) / share_.slots();
  const std::size_t scan = shared ? per_group * std::max<std::size_t>(spread * 4, 1) : per_group;
  for (const auto& [group, queue] : ready_) {
    std::size_t taken = 0;
    std::size_t own = 0;
    std::size_t seen = 0;
    for (auto it = queue.begin(); it != queue.end() && seen < scan; ++it, ++seen) {
      const bool ours = shared && scheduler::in_share(std::get<2>(*it), share_);
      if (taken < per_group || (ours && own < per_group)) {
        heads.emplace_back(*it, &messages_.at(std::get<2>(*it)));
        ++taken;
        if (ours) ++own;
      } else if (!shared || own >= per_group) {
        break;  // the first per_group taken, and enough of this node's share
      }
    }
    if (shared && spread > 0 && own == 0 && seen > 0) starved_.insert(group);
  }
}

void Dispatcher::spread_heads(std::vector<std::pair<QueueKey, const QueuedMessage*>>& heads) {
  if (heads.size() < 2) return;
  auto same_rank = [&](std::size_t k) {
    return std::get<0>(heads[k].first) == std::get<0>(heads[0].first) &&
           std::get<1>(heads[k].first) == std::get<1>(heads[0].first);
  };
  std::size_t run = 1;
  while (run < heads.size() && same_rank(run)) ++run;
  const auto run_end = heads.begin() + static_cast<std::ptrdiff_t>(run);
  if (!share_.whole()) {
    const auto own_end = std::stable_partition(heads.begin(), run_end, [&](const auto& head) {
      return scheduler::in_share(std::get<2>(head.first), share_);
    });
    if (own_end != heads.begin()) return;  // this node's share, oldest first
  }
  // None of this node's share: a random one of the first claim_spread of that rank, from
  // where the policy takes the first fitting.
  run = std::min(run, options_.claim_spread);
  if (run < 2) return;
  const auto offset = std::uniform_int_distribution<std::size_t>(0, run - 1)(random_);
  std::rotate(heads.begin(), heads.begin() + static_cast<std::ptrdiff_t>(offset),
              heads.begin() + static_cast<std::ptrdiff_t>(run));
}

void Dispatcher::set_queue_share(scheduler::QueueShare share) {
  if (share == share_) return;
  share_ = share;
  starved_.clear();
  wake();
}

void Dispatcher::set_remote_modems(std::set<std::string> modems) {
  if (modems == remote_modems_) return;
  // A modem that is remote no longer (its node dropped it, or it moved here): its
  // messages may be ours now.
  const bool released = std::any_of(remote_modems_.begin(), remote_modems_.end(),
                                    [&](const std::string& id) { return !modems.contains(id); });
  remote_modems_ = std::move(modems);
  std::vector<std::string> drop;
  for (const auto& [id, message] : messages_) {
    if (pinned_elsewhere(message)) drop.push_back(id);
  }
  for (const auto& id : drop) forget(id);
  for (const auto& id : remote_modems_) spilled_.erase("modem:" + id);
  if (released) reload();
}

}  // namespace smsgw::gateway
