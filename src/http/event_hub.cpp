#include "smsgw/http/event_hub.hpp"

#include <algorithm>

namespace smsgw::http {

bool visible_to(const StreamEvent& event, const Caller& caller) {
  if (event.type == "reset") return true;
  if (event.type == "message") {
    if (!caller.may(Scope::read)) return false;
    return !caller.client || event.client == caller.name;  // as GET /api/v1/messages
  }
  if (event.type == "inbound" || event.type == "stats") return caller.may(Scope::read);
  if (event.type == "modem" || event.type == "balance") return caller.may(Scope::modems);
  return false;
}

std::string format_event(const StreamEvent& event) {
  std::string text;
  text.reserve(event.data.size() + event.type.size() + 32);
  if (event.id) text += "id: " + std::to_string(*event.id) + "\n";
  text += "event: " + event.type + "\n";
  std::string_view data = event.data;
  for (;;) {
    const auto end = data.find('\n');
    text += "data: ";
    text += data.substr(0, end);
    text += "\n";
    if (end == std::string_view::npos) break;
    data.remove_prefix(end + 1);
  }
  text += "\n";
  return text;
}

EventSubscription::EventSubscription(asio::any_io_executor executor, Caller caller)
    : caller_(std::move(caller)), ready_(std::move(executor)) {}

std::string EventSubscription::take() {
  std::string out;
  for (auto& entry : pending_) {
    if (!entry.id || *entry.id > skip_through_) out += entry.text;
  }
  pending_.clear();
  pending_bytes_ = 0;
  if (!closed_ && !overflowed_) ready_.reset();
  return out;
}

void EventSubscription::close() {
  closed_ = true;
  ready_.set();
}

void EventSubscription::deliver(const StreamEvent& event) {
  if (closed_ || overflowed_) return;
  if (event.id && *event.id <= skip_through_) return;
  if (!visible_to(event, caller_)) return;
  std::string text = format_event(event);
  if (pending_bytes_ + text.size() > kMaxPendingBytes) {
    overflowed_ = true;
    pending_.clear();
    pending_bytes_ = 0;
  } else {
    pending_bytes_ += text.size();
    pending_.push_back(Pending{event.id, std::move(text)});
  }
  ready_.set();
}

std::shared_ptr<EventSubscription> EventHub::subscribe(Caller caller) {
  auto subscription = std::make_shared<EventSubscription>(executor_, std::move(caller));
  subscriptions_.push_back(subscription);
  return subscription;
}

void EventHub::publish(const StreamEvent& event) {
  for (const auto& weak : subscriptions_) {
    if (auto subscription = weak.lock()) {
      const bool was_overflowed = subscription->overflowed();
      subscription->deliver(event);
      if (!was_overflowed && subscription->overflowed()) ++overflows_;
    }
  }
}

void EventHub::close_all() {
  for (const auto& weak : subscriptions_) {
    if (auto subscription = weak.lock()) subscription->close();
  }
}

std::size_t EventHub::subscribers() {
  std::erase_if(subscriptions_, [](const auto& weak) { return weak.expired(); });
  return subscriptions_.size();
}

}  // namespace smsgw::http
