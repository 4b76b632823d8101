// SMPP 3.4 section 7.1.1 time format: "YYMMDDhhmmsstnnp" absolute (p '+' or '-') or
// "YYMMDDhhmmss000R" relative.
#include "smsgw/smpp/smpp_time.hpp"

#include <cstdio>
#include <string>

namespace smsgw::smpp {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// The two decimal digits at `at` (the caller checked the characters are digits).
int two_digits(std::string_view text, std::size_t at) {
  return (text[at] - '0') * 10 + (text[at + 1] - '0');
}

Failure refuse(CommandStatus status, std::string_view field, std::string_view text,
               std::string_view why) {
  return Failure{status, std::string(field),
                 std::string(field) + " \"" + std::string(text) + "\" " + std::string(why) +
                     " (SMPP 3.4 7.1.1)"};
}

}  // namespace

Outcome<std::optional<std::chrono::system_clock::time_point>> parse_smpp_time(
    std::string_view text, std::chrono::system_clock::time_point now, CommandStatus status,
    std::string_view field) {
  using Result = std::optional<std::chrono::system_clock::time_point>;
  if (text.empty()) return Result{};
  if (text.size() != 16) {
    return refuse(status, field, text,
                  "has " + std::to_string(text.size()) +
                      " characters; a time is empty or 16 (YYMMDDhhmmsstnnp)");
  }
  for (std::size_t i = 0; i < 15; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return refuse(status, field, text,
                    "has a non-digit at character " + std::to_string(i + 1) +
                        "; the first 15 characters are digits");
    }
  }
  const int yy = two_digits(text, 0);
  const int mo = two_digits(text, 2);
  const int dd = two_digits(text, 4);
  const int hh = two_digits(text, 6);
  const int mi = two_digits(text, 8);
  const int ss = two_digits(text, 10);
  const int tenths = text[12] - '0';
  const int quarters = two_digits(text, 13);
  const char p = text[15];

  if (p == 'R') {
    // Relative: each field is a count added to `now`; "tnn" must be "000".
    if (tenths != 0 || quarters != 0) {
      return refuse(status, field, text,
                    "is relative ('R') but its characters 13-15 are not \"000\"");
    }
    const auto span =
        days(365) * yy + days(30) * mo + days(dd) + hours(hh) + minutes(mi) + seconds(ss);
    return Result{now + span};
  }
  if (p != '+' && p != '-') {
    return refuse(status, field, text,
                  "ends in '" + std::string(1, p) +
                      "'; the last character is '+' or '-' (absolute) or 'R' (relative)");
  }
  if (mo < 1 || mo > 12) {
    return refuse(status, field, text, "has month " + std::to_string(mo) + ", not 01-12");
  }
  const std::chrono::year_month_day date{std::chrono::year{2000 + yy},
                                         std::chrono::month{static_cast<unsigned>(mo)},
                                         std::chrono::day{static_cast<unsigned>(dd)}};
  if (!date.ok()) {
    return refuse(status, field, text,
                  "has day " + std::to_string(dd) + ", which month " + std::to_string(mo) +
                      " of 20" + std::string(text.substr(0, 2)) + " does not have");
  }
  if (hh > 23 || mi > 59 || ss > 59) {
    return refuse(status, field, text, "has a time of day past 23:59:59");
  }
  if (quarters > 48) {
    return refuse(status, field, text,
                  "has a UTC offset of " + std::to_string(quarters) +
                      " quarter hours; at most 48 (12 hours)");
  }
  // The fields are local time `quarters` quarter hours ahead of ('+') or behind ('-') UTC.
  const auto local = std::chrono::sys_days{date} + hours(hh) + minutes(mi) + seconds(ss) +
                     std::chrono::milliseconds(100 * tenths);
  const auto offset = minutes(15 * quarters);
  const auto utc = p == '+' ? local - offset : local + offset;
  return Result{std::chrono::time_point_cast<std::chrono::system_clock::duration>(utc)};
}

std::string receipt_date(std::chrono::system_clock::time_point at) {
  const auto minute = std::chrono::floor<minutes>(at);
  const auto day = std::chrono::floor<days>(minute);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss<minutes> time{minute - day};
  const int year = ((static_cast<int>(date.year()) % 100) + 100) % 100;
  char out[48];
  std::snprintf(out, sizeof out, "%02d%02u%02u%02d%02d", year, static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()));
  return out;
}

}  // namespace smsgw::smpp
