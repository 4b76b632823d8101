#include "smsgw/scheduler/local_calendar.hpp"

namespace smsgw::scheduler {
namespace {

using std::chrono::hours;
using std::chrono::seconds;
constexpr auto kDay = hours(24);

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

}  // namespace

LocalCalendar::LocalCalendar() : LocalCalendar(fixed_offset(std::chrono::minutes(0))) {}

LocalCalendar::LocalCalendar(std::shared_ptr<const OffsetAt> offset_at)
    : offset_at_(std::move(offset_at)) {}

LocalCalendar LocalCalendar::fixed_offset(std::chrono::minutes utc_offset) {
  return from_offset_function([utc_offset](TimePoint) { return utc_offset; });
}

LocalCalendar LocalCalendar::from_offset_function(OffsetAt offset_at) {
  return LocalCalendar(std::make_shared<const OffsetAt>(std::move(offset_at)));
}

std::int64_t LocalCalendar::day_of(TimePoint t) const {
  const auto local = std::chrono::duration_cast<seconds>(t.time_since_epoch() + (*offset_at_)(t));
  return floor_div(local.count(), seconds(kDay).count());
}

std::int64_t LocalCalendar::month_of(TimePoint t) const {
  const std::chrono::sys_days day{std::chrono::days(day_of(t))};
  const std::chrono::year_month_day date{day};
  return (static_cast<int>(date.year()) - 1970) * std::int64_t{12} +
         static_cast<unsigned>(date.month()) - 1;
}

std::int64_t LocalCalendar::first_day_of_month(std::int64_t month) {
  const auto year = static_cast<int>(1970 + floor_div(month, 12));
  const auto month_of_year = static_cast<unsigned>(month - floor_div(month, 12) * 12 + 1);
  const std::chrono::sys_days first{std::chrono::year{year} / std::chrono::month{month_of_year} /
                                    std::chrono::day{1}};
  return first.time_since_epoch().count();
}

TimePoint LocalCalendar::start_of_day(std::int64_t day) const {
  const TimePoint utc_midnight{std::chrono::duration_cast<Clock::duration>(kDay * day)};
  // Usual case: one refinement of the offset lands exactly on local midnight.
  const TimePoint guess = utc_midnight - (*offset_at_)(utc_midnight);
  const TimePoint candidate = utc_midnight - (*offset_at_)(guess);
  if (day_of(candidate) == day && day_of(candidate - seconds(1)) < day) return candidate;
  // Around an offset change: the first second of `day`. UTC offsets lie within
  // -12 h..+14 h, so local midnight lies within [utc_midnight - 14 h, utc_midnight + 12 h].
  TimePoint low = utc_midnight - hours(15);   // day_of(low) < day
  TimePoint high = utc_midnight + hours(13);  // day_of(high) >= day
  while (high - low > seconds(1)) {
    const TimePoint middle = low + std::chrono::duration_cast<seconds>((high - low) / 2);
    (day_of(middle) >= day ? high : low) = middle;
  }
  return high;
}

}  // namespace smsgw::scheduler
