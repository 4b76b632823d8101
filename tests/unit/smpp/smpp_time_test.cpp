// SMPP 3.4 section 7.1.1 times: absolute with a quarter-hour UTC offset and its sign,
// relative 'R', and the receipt's YYMMDDhhmm dates (Appendix B).
#include "smsgw/smpp/smpp_time.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace smsgw::smpp {
namespace {

using namespace std::chrono;
using TimePoint = system_clock::time_point;

const TimePoint kNow = sys_days{year{2026} / 12 / 5} + hours(7) + minutes(50);

TimePoint utc(int y, unsigned m, unsigned d, int h, int mi, int s = 0) {
  return sys_days{year{y} / m / d} + hours(h) + minutes(mi) + seconds(s);
}

TimePoint parsed(std::string_view text) {
  auto result =
      parse_smpp_time(text, kNow, CommandStatus::esme_rinvsched, "schedule_delivery_time");
  EXPECT_TRUE(result.ok()) << text << ": " << (result.ok() ? "" : result.error().message);
  if (!result.ok() || !*result) return {};
  return **result;
}

void expect_refused(std::string_view text, std::string_view reason) {
  auto result = parse_smpp_time(text, kNow, CommandStatus::esme_rinvexpiry, "validity_period");
  ASSERT_FALSE(result.ok()) << text;
  EXPECT_EQ(result.error().status, CommandStatus::esme_rinvexpiry);
  EXPECT_EQ(result.error().field, "validity_period");
  EXPECT_NE(result.error().message.find("validity_period \"" + std::string(text) + "\""),
            std::string::npos)
      << result.error().message;
  EXPECT_NE(result.error().message.find(reason), std::string::npos) << result.error().message;
}

TEST(SmppTime, EmptyIsNotGiven) {
  auto result = parse_smpp_time("", kNow, CommandStatus::esme_rinvsched, "schedule_delivery_time");
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->has_value());
}

TEST(SmppTime, AbsoluteInUtc) {
  EXPECT_EQ(parsed("260105143000000+"), utc(2026, 1, 5, 14, 30));
  EXPECT_EQ(parsed("260105143000000-"), utc(2026, 1, 5, 14, 30));
  EXPECT_EQ(parsed("991231235959000+"), utc(2099, 12, 31, 23, 59, 59));
  EXPECT_EQ(parsed("000101000000000+"), utc(2000, 1, 1, 0, 0));
}

TEST(SmppTime, TenthsOfASecond) {
  EXPECT_EQ(parsed("260105143000700+"), utc(2026, 1, 5, 14, 30) + milliseconds(700));
}

TEST(SmppTime, PositiveOffsetIsAheadOfUtc) {
  // 14:30 in Berlin winter time (UTC+1 = 4 quarters) is 13:30 UTC.
  EXPECT_EQ(parsed("260105143000004+"), utc(2026, 1, 5, 13, 30));
  // India, UTC+5:30 = 22 quarters.
  EXPECT_EQ(parsed("260105143000022+"), utc(2026, 1, 5, 9, 0));
  // Crosses back over midnight and the year.
  EXPECT_EQ(parsed("260101003000008+"), utc(2025, 12, 31, 22, 30));
}

TEST(SmppTime, NegativeOffsetIsBehindUtc) {
  // New York winter time, UTC-5 = 20 quarters.
  EXPECT_EQ(parsed("260105143000020-"), utc(2026, 1, 5, 19, 30));
  // Newfoundland, UTC-3:30 = 14 quarters, crossing into the next day.
  EXPECT_EQ(parsed("261231220000014-"), utc(2027, 1, 1, 1, 30));
  // The largest offset the format allows, 48 quarters = 12 hours.
  EXPECT_EQ(parsed("260105120000048-"), utc(2026, 1, 6, 0, 0));
}

TEST(SmppTime, RelativeCountsFromNow) {
  EXPECT_EQ(parsed("000000000100000R"), kNow + minutes(1));
  EXPECT_EQ(parsed("000001000000000R"), kNow + days(1));
  // A year is 365 days, a month 30 days.
  EXPECT_EQ(parsed("010203040506000R"),
            kNow + days(365 + 60 + 3) + hours(4) + minutes(5) + seconds(6));
  // Fields of a relative time are counts, not clock readings: 48 hours is two days.
  EXPECT_EQ(parsed("000000480000000R"), kNow + hours(48));
  EXPECT_EQ(parsed("000000000000000R"), kNow);
}

TEST(SmppTime, LeapDays) {
  EXPECT_EQ(parsed("280229120000000+"), utc(2028, 2, 29, 12, 0));
  expect_refused("270229120000000+", "day 29");
}

TEST(SmppTime, BadFormatsAreRefusedWithTheirStatusAndField) {
  expect_refused("2601051430", "10 characters");
  expect_refused("26010514300000+", "15 characters");
  expect_refused("2601051430000000+", "17 characters");
  expect_refused("26-105143000000+", "non-digit at character 3");
  expect_refused("260105143000000Z", "ends in 'Z'");
  expect_refused("260105143000000 ", "ends in ' '");
  expect_refused("261305143000000+", "month 13");
  expect_refused("260005143000000+", "month 0");
  expect_refused("260100143000000+", "day 0");
  expect_refused("260431143000000+", "day 31");
  expect_refused("260105243000000+", "past 23:59:59");
  expect_refused("260105146000000+", "past 23:59:59");
  expect_refused("260105143060000+", "past 23:59:59");
  expect_refused("260105143000049+", "49 quarter hours");
  expect_refused("000001000000100R", "not \"000\"");
  expect_refused("000001000000004R", "not \"000\"");
}

TEST(SmppTime, ReceiptDateIsUtcToTheMinute) {
  EXPECT_EQ(receipt_date(utc(2026, 3, 7, 9, 5, 59) + milliseconds(999)), "2603070905");
  EXPECT_EQ(receipt_date(utc(2030, 12, 31, 23, 59)), "3012312359");
  EXPECT_EQ(receipt_date(utc(2000, 1, 1, 0, 0)), "0001010000");
}

}  // namespace
}  // namespace smsgw::smpp
