#include "smsgw/http/rfc3339.hpp"

#include <gtest/gtest.h>

namespace smsgw::http {
namespace {

using namespace std::chrono;

system_clock::time_point utc(int y, unsigned mo, unsigned d, int h, int mi, int s) {
  return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s};
}

TEST(Rfc3339, FormatsUtcWithWholeSeconds) {
  EXPECT_EQ(format_rfc3339(utc(2024, 5, 1, 12, 0, 0)), "2024-05-01T12:00:00Z");
  EXPECT_EQ(format_rfc3339(utc(1999, 12, 31, 23, 59, 59) + milliseconds(999)),
            "1999-12-31T23:59:59Z");
  EXPECT_EQ(format_rfc3339(system_clock::time_point{}), "1970-01-01T00:00:00Z");
}

struct ParseCase {
  std::string text;
  system_clock::time_point expected;
};

class Rfc3339Parse : public ::testing::TestWithParam<ParseCase> {};

TEST_P(Rfc3339Parse, Accepts) {
  const auto parsed = parse_rfc3339(GetParam().text);
  ASSERT_TRUE(parsed.has_value()) << GetParam().text;
  EXPECT_EQ(*parsed, GetParam().expected) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Table, Rfc3339Parse,
    ::testing::Values(ParseCase{"2024-05-01T12:00:00Z", utc(2024, 5, 1, 12, 0, 0)},
                      ParseCase{"2024-05-01t12:00:00z", utc(2024, 5, 1, 12, 0, 0)},
                      ParseCase{"2024-05-01T12:00:00+02:00", utc(2024, 5, 1, 10, 0, 0)},
                      ParseCase{"2015-01-09T17:38:48+05:30", utc(2015, 1, 9, 12, 8, 48)},
                      ParseCase{"2024-05-01T00:30:00-01:00", utc(2024, 5, 1, 1, 30, 0)},
                      ParseCase{"2024-05-01T12:00:00-00:00", utc(2024, 5, 1, 12, 0, 0)},
                      ParseCase{"2024-05-01T12:00:00.5Z",
                                utc(2024, 5, 1, 12, 0, 0) + milliseconds(500)},
                      ParseCase{"2024-05-01T12:00:00.123456789Z",
                                utc(2024, 5, 1, 12, 0, 0) + microseconds(123456)},
                      ParseCase{"2024-02-29T00:00:00Z", utc(2024, 2, 29, 0, 0, 0)},
                      // RFC 3339 5.7: a leap second is folded into the next second.
                      ParseCase{"2016-12-31T23:59:60Z", utc(2017, 1, 1, 0, 0, 0)}));

class Rfc3339Reject : public ::testing::TestWithParam<std::string> {};

TEST_P(Rfc3339Reject, Rejects) { EXPECT_FALSE(parse_rfc3339(GetParam()).has_value()); }

INSTANTIATE_TEST_SUITE_P(
    Table, Rfc3339Reject,
    ::testing::Values("", "tomorrow", "2024-05-01", "2024-05-01T12:00Z", "2024-05-01T12:00:00",
                      "2024-05-01 12:00:00Z", "2024-5-01T12:00:00Z", "2024-05-01T12:00:00.Z",
                      "2024-13-01T12:00:00Z", "2023-02-29T12:00:00Z", "2024-04-31T12:00:00Z",
                      "2024-05-01T24:00:00Z", "2024-05-01T12:60:00Z", "2024-05-01T12:00:61Z",
                      "2024-05-01T12:00:00+24:00", "2024-05-01T12:00:00+0200",
                      "2024-05-01T12:00:00Zjunk", "+2024-05-01T12:00:00Z",
                      "2024-05-01T12:00:00+02:60", "1012-05-01T12:00:00Z", "1969-12-31T23:59:59Z",
                      "2200-01-01T00:00:00Z", "9999-12-31T23:59:59Z"));

TEST(Rfc3339, RoundTrips) {
  const auto time = utc(2031, 7, 14, 3, 4, 5);
  EXPECT_EQ(parse_rfc3339(format_rfc3339(time)), time);
}

}  // namespace
}  // namespace smsgw::http
