// LocalCalendar: where local days begin, for limits that reset at local midnight.
//
// Pure: the calendar never reads the system time zone itself. It is built from a fixed
// UTC offset, or from a function giving the UTC offset in force at an instant (the I/O
// shell can back that with localtime_r's tm_gmtoff, which follows daylight saving time).
// Day numbers count local days since 1970-01-01 (local), so two instants are on the same
// local day exactly when day_of() agrees.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

namespace smsgw::scheduler {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

class LocalCalendar {
 public:
  using OffsetAt = std::function<std::chrono::minutes(TimePoint)>;

  // UTC (offset 0).
  LocalCalendar();

  static LocalCalendar fixed_offset(std::chrono::minutes utc_offset);
  // `offset_at(t)` is the local UTC offset at instant t (e.g. +60 min for CET, +120 for CEST).
  static LocalCalendar from_offset_function(OffsetAt offset_at);

  // The local day containing `t`.
  [[nodiscard]] std::int64_t day_of(TimePoint t) const;

  // The first instant of local day `day` (local midnight). When midnight does not exist
  // locally (a daylight-saving jump over 00:00) it is the first instant of that day.
  [[nodiscard]] TimePoint start_of_day(std::int64_t day) const;

  // The first instant of the local day after the one containing `t`.
  [[nodiscard]] TimePoint next_day_start(TimePoint t) const { return start_of_day(day_of(t) + 1); }

  // The local month containing `t`, counted in months since 1970-01 (local).
  [[nodiscard]] std::int64_t month_of(TimePoint t) const;
  // The local day number of the first day of `month`.
  [[nodiscard]] static std::int64_t first_day_of_month(std::int64_t month);
  // The first instant of the local month after the one containing `t`.
  [[nodiscard]] TimePoint next_month_start(TimePoint t) const {
    return start_of_day(first_day_of_month(month_of(t) + 1));
  }

 private:
  explicit LocalCalendar(std::shared_ptr<const OffsetAt> offset_at);
  std::shared_ptr<const OffsetAt> offset_at_;  // shared: calendars are copied into limiters
};

}  // namespace smsgw::scheduler
