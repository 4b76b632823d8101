#include "smsgw/scheduler/reassembler.hpp"

#include <algorithm>

namespace smsgw::scheduler {
namespace {

bool stands_alone(const std::optional<ConcatInfo>& concat) {
  return !concat || concat->total <= 1 || concat->part == 0 || concat->part > concat->total;
}

}  // namespace

Reassembler::Reassembler(ReassemblyOptions options) : options_(options) {}

InboundMessage Reassembler::finish(const Key& key, const Group& group) {
  InboundMessage message;
  message.sim = std::get<0>(key);
  message.sender = std::get<1>(key);
  message.total_parts = std::get<4>(key);
  for (const auto& [number, text] : group.parts) message.text += text;
  for (std::uint32_t number = 1; number <= message.total_parts; ++number) {
    if (!group.parts.contains(number)) message.missing_parts.push_back(number);
  }
  message.complete = message.missing_parts.empty();
  message.first_received_at = group.first_received_at;
  message.last_received_at = group.last_received_at;
  return message;
}

std::vector<InboundMessage> Reassembler::add(InboundPart part) {
  std::vector<InboundMessage> out;
  forget_completed(part.received_at);
  if (stands_alone(part.concat)) {
    out.push_back(InboundMessage{std::move(part.sim),
                                 std::move(part.sender),
                                 std::move(part.text),
                                 true,
                                 1,
                                 {},
                                 part.received_at,
                                 part.received_at});
    return out;
  }
  const ConcatInfo& concat = *part.concat;
  Key key{part.sim, part.sender, concat.sixteen_bit_ref, concat.ref, concat.total};

  if (const auto done = completed_.find(key); done != completed_.end()) {
    const auto same = done->second.parts.find(concat.part);
    if (same != done->second.parts.end() && same->second == part.text) return out;  // repeat
    completed_.erase(done);  // the reference is being reused by a new message
  }

  auto [it, fresh] = groups_.try_emplace(key);
  Group& group = it->second;
  if (fresh) {
    group.first_received_at = part.received_at;
    group.last_received_at = part.received_at;
  }
  if (!group.parts.try_emplace(concat.part, std::move(part.text)).second) return out;  // dup
  group.first_received_at = std::min(group.first_received_at, part.received_at);
  group.last_received_at = std::max(group.last_received_at, part.received_at);

  if (group.parts.size() == concat.total) {
    out.push_back(finish(key, group));
    completed_[key] = Completed{std::move(group.parts), part.received_at + options_.timeout};
    groups_.erase(it);
    return out;
  }
  if (groups_.size() > options_.max_pending) {
    const auto oldest =
        std::min_element(groups_.begin(), groups_.end(), [](const auto& a, const auto& b) {
          return a.second.first_received_at < b.second.first_received_at;
        });
    out.push_back(finish(oldest->first, oldest->second));
    groups_.erase(oldest);
  }
  return out;
}

std::vector<InboundMessage> Reassembler::expire(TimePoint now) {
  std::vector<InboundMessage> out;
  for (auto it = groups_.begin(); it != groups_.end();) {
    if (it->second.first_received_at + options_.timeout <= now) {
      out.push_back(finish(it->first, it->second));
      it = groups_.erase(it);
    } else {
      ++it;
    }
  }
  std::sort(out.begin(), out.end(), [](const InboundMessage& a, const InboundMessage& b) {
    return a.first_received_at < b.first_received_at;
  });
  forget_completed(now);
  return out;
}

std::optional<TimePoint> Reassembler::next_expiry() const {
  std::optional<TimePoint> next;
  for (const auto& [key, group] : groups_) {
    const TimePoint at = group.first_received_at + options_.timeout;
    if (!next || at < *next) next = at;
  }
  return next;
}

void Reassembler::forget_completed(TimePoint now) {
  std::erase_if(completed_, [now](const auto& entry) { return entry.second.forget_at <= now; });
}

}  // namespace smsgw::scheduler
