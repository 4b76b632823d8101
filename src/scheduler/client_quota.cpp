#include "smsgw/scheduler/client_quota.hpp"

#include <algorithm>
#include <cmath>

namespace smsgw::scheduler {

ClientQuota::ClientQuota(ClientLimits limits, LocalCalendar calendar)
    : limits_(limits), calendar_(std::move(calendar)) {
  if (limits_.per_minute) tokens_ = *limits_.per_minute;
}

double ClientQuota::tokens_at(TimePoint now) const {
  if (!limits_.per_minute) return 0;
  const double capacity = *limits_.per_minute;
  if (filled_at_ == TimePoint{} || now <= filled_at_) return std::min(tokens_, capacity);
  const double minutes = std::chrono::duration<double, std::ratio<60>>(now - filled_at_).count();
  return std::min(capacity, tokens_ + minutes * capacity);
}

ClientQuota::Decision ClientQuota::take(TimePoint now, std::uint32_t parts) {
  if (limits_.per_minute && parts > *limits_.per_minute) {
    return Never{std::to_string(*limits_.per_minute) + " parts per minute"};
  }
  if (limits_.per_day && parts > *limits_.per_day) {
    return Never{std::to_string(*limits_.per_day) + " parts per day"};
  }
  if (limits_.per_day && submitted_today(now) + std::uint64_t{parts} > *limits_.per_day) {
    return RetryAt{calendar_.next_day_start(now),
                   std::to_string(*limits_.per_day) + " parts per day"};
  }
  if (limits_.per_minute) {
    const double available = tokens_at(now);
    if (available + 1e-9 < parts) {
      const double missing = parts - available;
      const auto wait = std::chrono::duration<double, std::ratio<60>>(
          missing / static_cast<double>(*limits_.per_minute));
      return RetryAt{now + std::chrono::ceil<std::chrono::milliseconds>(wait),
                     std::to_string(*limits_.per_minute) + " parts per minute"};
    }
    tokens_ = available - parts;
    filled_at_ = now;
  }
  const auto today = calendar_.day_of(now);
  if (today != day_) {
    day_ = today;
    day_count_ = 0;
  }
  day_count_ += parts;
  return Accepted{};
}

void ClientQuota::refund(TimePoint now, std::uint32_t parts) {
  if (limits_.per_minute) {
    tokens_ = std::min(static_cast<double>(*limits_.per_minute), tokens_at(now) + parts);
    filled_at_ = now;
  }
  if (calendar_.day_of(now) == day_) day_count_ -= std::min(day_count_, parts);
}

void ClientQuota::restore_today(TimePoint now, std::uint32_t parts) {
  day_ = calendar_.day_of(now);
  day_count_ = parts;
}

void ClientQuota::set_limits(const ClientLimits& limits) {
  limits_ = limits;
  if (limits_.per_minute) tokens_ = std::min(tokens_, static_cast<double>(*limits_.per_minute));
  if (limits_.per_minute && filled_at_ == TimePoint{}) tokens_ = *limits_.per_minute;
}

std::uint32_t ClientQuota::submitted_today(TimePoint now) const {
  return calendar_.day_of(now) == day_ ? day_count_ : 0;
}

}  // namespace smsgw::scheduler
