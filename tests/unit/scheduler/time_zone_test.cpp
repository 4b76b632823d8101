#include "smsgw/scheduler/time_zone.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <vector>

namespace smsgw::scheduler {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

TimePoint utc(int y, unsigned m, unsigned d, int h = 0) {
  return TimePoint{} +
         std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}}
             .time_since_epoch() +
         hours(h);
}

void put32(std::vector<unsigned char>& out, std::int64_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<unsigned char>(v >> shift));
}

// A version-1 TZif file (RFC 8536 3.1, 3.2): UTC+1 until 2024-03-31T01:00Z, then UTC+2.
std::vector<unsigned char> two_offset_zone() {
  std::vector<unsigned char> out{'T', 'Z', 'i', 'f', 0};
  out.resize(20, 0);
  for (const std::int64_t count : {0, 0, 0, 1, 2, 4}) put32(out, count);  // isut..chars
  put32(out, std::chrono::duration_cast<std::chrono::seconds>(
                 (utc(2024, 3, 31) + hours(1)).time_since_epoch())
                 .count());
  out.push_back(1);  // the transition's type
  put32(out, 3600);
  out.insert(out.end(), {0, 0});
  put32(out, 7200);
  out.insert(out.end(), {1, 0});
  out.insert(out.end(), {'C', 'E', 'T', 0});
  return out;
}

TEST(TimeZone, TheOffsetIsThatOfTheLastTransitionBeforeTheInstant) {
  const auto bytes = two_offset_zone();
  auto zone = parse_tzif(bytes);
  ASSERT_TRUE(zone) << zone.error().message;
  // Before the transition local midnight is 23:00 UTC, after it 22:00 UTC.
  EXPECT_EQ(zone->next_day_start(utc(2024, 3, 10, 12)), utc(2024, 3, 10, 23));
  EXPECT_EQ(zone->next_day_start(utc(2024, 4, 10, 12)), utc(2024, 4, 10, 22));
  // Times before the first transition take local time type 0.
  EXPECT_EQ(zone->next_day_start(utc(1990, 1, 1, 12)), utc(1990, 1, 1, 23));
}

TEST(TimeZone, ABrokenFileIsAnErrorNamingWhy) {
  auto bytes = two_offset_zone();
  bytes[0] = 'X';
  auto bad_magic = parse_tzif(bytes);
  ASSERT_FALSE(bad_magic);
  EXPECT_NE(bad_magic.error().message.find("TZif"), std::string::npos);
  auto cut = two_offset_zone();
  cut.resize(50);
  auto truncated = parse_tzif(cut);
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error().code, "tz.truncated");
  EXPECT_FALSE(parse_tzif(std::vector<unsigned char>{}));
}

TEST(TimeZone, BerlinFromTheTzDatabaseFollowsDaylightSavingTime) {
  if (!std::filesystem::exists("/usr/share/zoneinfo/Europe/Berlin")) {
    GTEST_SKIP() << "tzdata is not installed";
  }
  auto berlin = load_time_zone("Europe/Berlin");
  ASSERT_TRUE(berlin) << berlin.error().message;
  // Winter: CET (UTC+1); summer: CEST (UTC+2); 2026-03-29 is the switch.
  EXPECT_EQ(berlin->next_day_start(utc(2026, 1, 15, 12)), utc(2026, 1, 15, 23));
  EXPECT_EQ(berlin->next_day_start(utc(2026, 7, 15, 12)), utc(2026, 7, 15, 22));
  EXPECT_EQ(berlin->next_day_start(utc(2026, 3, 29, 12)), utc(2026, 3, 29, 22));
  // 23:30 UTC on 31 December is already the new year (and month) in Berlin.
  EXPECT_EQ(berlin->month_of(utc(2026, 12, 31, 23)), berlin->month_of(utc(2027, 1, 1, 1)));
  EXPECT_EQ(berlin->next_month_start(utc(2026, 12, 15)), utc(2026, 12, 31, 23));
}

TEST(TimeZone, AMissingZoneNamesTheFile) {
  auto missing = load_time_zone("Nowhere/Atlantis");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("Nowhere/Atlantis"), std::string::npos);
}

TEST(LocalCalendar, MonthsAreCountedFromTheLocalCalendar) {
  const LocalCalendar utc_calendar;
  EXPECT_EQ(utc_calendar.month_of(utc(1970, 1, 1)), 0);
  EXPECT_EQ(utc_calendar.month_of(utc(2026, 12, 4)), (2026 - 1970) * 12 + 11);
  EXPECT_EQ(utc_calendar.next_month_start(utc(2026, 12, 4, 5)), utc(2027, 1, 1));
  EXPECT_EQ(utc_calendar.next_month_start(utc(2024, 2, 29, 23)), utc(2024, 3, 1));
  EXPECT_EQ(utc_calendar.month_of(utc(1969, 12, 31)), -1);
  const auto plus_two = LocalCalendar::fixed_offset(minutes(120));
  EXPECT_EQ(plus_two.month_of(utc(2026, 11, 30, 23)), utc_calendar.month_of(utc(2026, 12, 1)));
}

}  // namespace
}  // namespace smsgw::scheduler
