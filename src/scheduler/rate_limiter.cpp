#include "smsgw/scheduler/rate_limiter.hpp"

#include <algorithm>

namespace smsgw::scheduler {
namespace {

// GCRA emission interval: 60 s / per_minute.
Clock::duration interval(std::uint32_t per_minute) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::minutes(1)) / per_minute;
}

}  // namespace

Limits merge_limits(const Limits& base, const Limits& override_with) {
  return Limits{override_with.per_minute ? override_with.per_minute : base.per_minute,
                override_with.per_day ? override_with.per_day : base.per_day};
}

RateLimiter::RateLimiter(Limits limits, LocalCalendar calendar)
    : limits_(limits), calendar_(std::move(calendar)) {}

std::optional<TimePoint> RateLimiter::earliest(TimePoint now, std::uint32_t parts) const {
  if (limits_.per_minute && *limits_.per_minute == 0) return std::nullopt;
  if (limits_.per_day && parts > *limits_.per_day) return std::nullopt;
  TimePoint start = std::max(now, next_start_);
  if (limits_.per_day && parts > *remaining_today(now)) {
    start = std::max(start, calendar_.next_day_start(now));
  }
  return start;
}

bool RateLimiter::can_send(TimePoint now, std::uint32_t parts) const {
  const auto start = earliest(now, parts);
  return start && *start <= now;
}

void RateLimiter::record(TimePoint now, std::uint32_t parts) {
  roll_day(now);
  day_count_ += parts;
  if (limits_.per_minute && *limits_.per_minute > 0) {
    next_start_ = std::max(next_start_, now) + interval(*limits_.per_minute) * parts;
  }
}

std::uint32_t RateLimiter::sent_today(TimePoint now) const {
  return calendar_.day_of(now) == day_ ? day_count_ : 0;
}

std::optional<std::uint32_t> RateLimiter::remaining_today(TimePoint now) const {
  if (!limits_.per_day) return std::nullopt;
  const std::uint32_t sent = sent_today(now);
  return sent >= *limits_.per_day ? 0 : *limits_.per_day - sent;
}

double RateLimiter::day_headroom(TimePoint now) const {
  if (!limits_.per_day) return 1.0;
  if (*limits_.per_day == 0) return 0.0;
  return static_cast<double>(*remaining_today(now)) / static_cast<double>(*limits_.per_day);
}

void RateLimiter::restore_sent_today(TimePoint now, std::uint32_t parts) {
  day_ = calendar_.day_of(now);
  day_count_ = parts;
}

void RateLimiter::roll_day(TimePoint now) {
  const auto today = calendar_.day_of(now);
  if (today != day_) {
    day_ = today;
    day_count_ = 0;
  }
}

}  // namespace smsgw::scheduler
