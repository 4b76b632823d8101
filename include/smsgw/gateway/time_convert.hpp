// pdu::Timestamp (a service centre time stamp with its zone) to a UTC time point.
#pragma once

#include <chrono>

#include "smsgw/pdu/pdu.hpp"

namespace smsgw::gateway {

// 3GPP TS 23.040 9.2.3.11: the local time and its offset from UTC in quarters of an hour.
inline std::chrono::system_clock::time_point to_time_point(const pdu::Timestamp& t) {
  using namespace std::chrono;
  const auto date = year_month_day{year{t.year}, month{static_cast<unsigned>(t.month)},
                                   day{static_cast<unsigned>(t.day)}};
  const sys_days days = date.ok() ? sys_days{date} : sys_days{};
  const auto local = days + hours{t.hour} + minutes{t.minute} + seconds{t.second};
  return time_point_cast<system_clock::duration>(local - minutes{15 * t.tz_quarter_hours});
}

}  // namespace smsgw::gateway
