// QueuedMessage: a message waiting to be sent, as the dispatcher keeps it in memory, and
// its construction from the store's records.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "smsgw/store/records.hpp"

namespace smsgw::gateway {

using TimePoint = std::chrono::system_clock::time_point;

struct QueuedMessage {
  std::string id;  // ULID: orders by age
  std::string to;  // normalised +E.164 (a SIM's recipients_per_day)
  int priority = 0;
  std::uint32_t parts = 1;
  std::string destination_operator;
  std::string pinned_modem;
  std::string pinned_operator;
  TimePoint eligible_since{};
  TimePoint not_before{};
  std::optional<TimePoint> expires_at;
  std::vector<std::string> avoid_sims;
  std::uint32_t attempts = 0;
  // The dispatcher's placement sequence number (Dispatcher::prune_group).
  std::uint64_t placed = 0;
};

// The queue entry of a message loaded from the store, or of one just accepted at
// `accepted_at`; both go through the last overload, so the two never disagree.
QueuedMessage queued_from(const store::StoredMessage& message);
QueuedMessage queued_from(const store::NewMessage& message, TimePoint accepted_at);
QueuedMessage queued_from(std::string id, std::string to, int priority, std::uint32_t parts,
                          const std::optional<std::string>& destination_operator,
                          const std::optional<std::string>& pinned_modem,
                          const std::optional<std::string>& pinned_operator,
                          std::optional<TimePoint> send_at, std::optional<TimePoint> expires_at,
                          TimePoint created_at);

}  // namespace smsgw::gateway
