#include "smsgw/gateway/throughput_history.hpp"

namespace smsgw::gateway {

std::int64_t ThroughputHistory::minute_number(TimePoint at) {
  return std::chrono::floor<std::chrono::minutes>(at.time_since_epoch()).count();
}

ThroughputHistory::TimePoint ThroughputHistory::minute_start(TimePoint at) {
  return TimePoint(std::chrono::minutes(minute_number(at)));
}

void ThroughputHistory::record(TimePoint at, std::uint64_t parts) {
  const std::int64_t minute = minute_number(at);
  if (minute > newest_) newest_ = minute;
  if (minute <= newest_ - static_cast<std::int64_t>(kMinutes)) return;
  const auto slot = static_cast<std::size_t>(((minute % kMinutes) + kMinutes) % kMinutes);
  if (minutes_[slot] != minute) {
    minutes_[slot] = minute;
    counts_[slot] = 0;
  }
  counts_[slot] += parts;
}

std::vector<std::uint64_t> ThroughputHistory::per_minute(TimePoint now) const {
  const std::int64_t current = minute_number(now);
  std::vector<std::uint64_t> out;
  out.reserve(kMinutes);
  for (std::int64_t back = kMinutes - 1; back >= 0; --back) {
    const std::int64_t minute = current - back;
    const auto slot = static_cast<std::size_t>(((minute % kMinutes) + kMinutes) % kMinutes);
    out.push_back(minutes_[slot] == minute ? counts_[slot] : 0);
  }
  return out;
}

}  // namespace smsgw::gateway
