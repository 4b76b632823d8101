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
  auto pick = [](const auto& own, const auto& fallback) { return own ? own : fallback; };
  return Limits{pick(override_with.per_minute, base.per_minute),
                pick(override_with.per_day, base.per_day),
                pick(override_with.per_month, base.per_month),
                pick(override_with.recipients_per_day, base.recipients_per_day)};
}

RateLimiter::RateLimiter(Limits limits, LocalCalendar calendar)
    : limits_(limits), calendar_(std::move(calendar)) {}

std::optional<TimePoint> RateLimiter::earliest(TimePoint now, std::uint32_t parts,
                                               std::string_view recipient) const {
  if (limits_.per_minute && *limits_.per_minute == 0) return std::nullopt;
  if (limits_.per_day && parts > *limits_.per_day) return std::nullopt;
  if (limits_.per_month && parts > *limits_.per_month) return std::nullopt;
  TimePoint start = std::max(now, next_start_);
  if (limits_.per_day && parts > *remaining_today(now)) {
    start = std::max(start, calendar_.next_day_start(now));
  }
  if (limits_.per_month && sent_this_month(now) + std::uint64_t{parts} > *limits_.per_month) {
    start = std::max(start, calendar_.next_month_start(now));
  }
  if (limits_.recipients_per_day && !recipient.empty() &&
      recipients_today(now) >= *limits_.recipients_per_day &&
      (calendar_.day_of(now) != day_ || !recipients_.contains(recipient))) {
    start = std::max(start, calendar_.next_day_start(now));
  }
  return start;
}

bool RateLimiter::can_send(TimePoint now, std::uint32_t parts, std::string_view recipient) const {
  const auto start = earliest(now, parts, recipient);
  return start && *start <= now;
}

RateLimiter::Charge RateLimiter::record(TimePoint now, std::uint32_t parts,
                                        std::string_view recipient) {
  roll(now);
  Charge charge{next_start_, day_, month_, parts, {}};
  day_count_ += parts;
  month_count_ += parts;
  if (!recipient.empty() && limits_.recipients_per_day && recipients_.emplace(recipient).second) {
    charge.new_recipient = recipient;
  }
  if (limits_.per_minute && *limits_.per_minute > 0) {
    next_start_ = std::max(next_start_, now) + interval(*limits_.per_minute) * parts;
  }
  return charge;
}

void RateLimiter::refund(const Charge& charge) {
  next_start_ = charge.next_start_before;
  if (day_ == charge.day) {
    day_count_ -= std::min(day_count_, charge.parts);
    if (!charge.new_recipient.empty()) recipients_.erase(charge.new_recipient);
  }
  if (month_ == charge.month) month_count_ -= std::min(month_count_, charge.parts);
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

std::uint32_t RateLimiter::sent_this_month(TimePoint now) const {
  return calendar_.month_of(now) == month_ ? month_count_ : 0;
}

std::size_t RateLimiter::recipients_today(TimePoint now) const {
  return calendar_.day_of(now) == day_ ? recipients_.size() : 0;
}

void RateLimiter::restore_sent_today(TimePoint now, std::uint32_t parts) {
  roll(now);
  day_count_ = parts;
  month_count_ = std::max(month_count_, parts);
}

void RateLimiter::restore_usage(TimePoint now, std::uint32_t sent_today,
                                std::uint32_t sent_this_month,
                                std::vector<std::string> recipients_today) {
  roll(now);
  day_count_ = sent_today;
  month_count_ = std::max(sent_this_month, sent_today);
  recipients_.clear();
  for (auto& recipient : recipients_today) recipients_.insert(std::move(recipient));
}

void RateLimiter::roll(TimePoint now) {
  const auto today = calendar_.day_of(now);
  if (today != day_) {
    day_ = today;
    day_count_ = 0;
    recipients_.clear();
  }
  const auto month = calendar_.month_of(now);
  if (month != month_) {
    month_ = month;
    month_count_ = 0;
  }
}

}  // namespace smsgw::scheduler
