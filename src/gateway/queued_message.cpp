#include "smsgw/gateway/queued_message.hpp"

#include <algorithm>

namespace smsgw::gateway {

QueuedMessage queued_from(const store::StoredMessage& m) {
  auto q =
      queued_from(m.id, m.to, m.priority, static_cast<std::uint32_t>(std::max(1, m.part_count)),
                  m.destination_operator, m.pinned_modem, m.pinned_operator, m.send_at,
                  m.expires_at, m.created_at);
  q.not_before = std::max(q.not_before, m.next_attempt_at.value_or(TimePoint{}));
  q.attempts = static_cast<std::uint32_t>(std::max(0, m.attempts));
  return q;
}

QueuedMessage queued_from(const store::NewMessage& m, TimePoint accepted_at) {
  return queued_from(m.id, m.to, m.priority, static_cast<std::uint32_t>(m.parts.size()),
                     m.destination_operator, m.pinned_modem, m.pinned_operator, m.send_at,
                     m.expires_at, accepted_at);
}

QueuedMessage queued_from(std::string id, std::string to, int priority, std::uint32_t parts,
                          const std::optional<std::string>& destination_operator,
                          const std::optional<std::string>& pinned_modem,
                          const std::optional<std::string>& pinned_operator,
                          std::optional<TimePoint> send_at, std::optional<TimePoint> expires_at,
                          TimePoint created_at) {
  QueuedMessage q;
  q.id = std::move(id);
  q.to = std::move(to);
  q.priority = priority;
  q.parts = parts;
  q.destination_operator = destination_operator.value_or("");
  q.pinned_modem = pinned_modem.value_or("");
  q.pinned_operator = pinned_operator.value_or("");
  q.eligible_since = send_at ? std::max(*send_at, created_at) : created_at;
  q.not_before = send_at.value_or(TimePoint{});
  q.expires_at = expires_at;
  return q;
}

}  // namespace smsgw::gateway
