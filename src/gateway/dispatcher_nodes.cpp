// The dispatcher among several nodes sharing one store: reloads of the queue when another
// node changed it, and the modems of other nodes whose pinned messages are not ours to
// send. A claim another node won first answers "conflict"; send() then drops the message
// silently (dispatcher.cpp).

#include <algorithm>

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

void Dispatcher::set_queue_share(scheduler::QueueShare share) {
  if (share.index == share_.index && share.count == share_.count) return;
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
