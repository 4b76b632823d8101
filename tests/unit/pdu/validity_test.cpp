// TS 23.040 9.2.3.12.1: relative validity period, rounded up on encode.
#include <gtest/gtest.h>

#include "smsgw/pdu/pdu.hpp"

namespace smsgw::pdu {
namespace {

struct ValidityCase {
  long long requested_seconds;
  std::uint8_t octet;
  long long period_seconds;
};

class RelativeValidity : public ::testing::TestWithParam<ValidityCase> {};

TEST_P(RelativeValidity, RoundsUpToTheNextStep) {
  const auto& c = GetParam();
  SubmitOptions options;
  options.validity = std::chrono::seconds(c.requested_seconds);
  auto encoded = encode_submit("+1", "v", options);
  ASSERT_TRUE(encoded.ok());
  const auto octets = *from_hex(encoded->parts[0].pdu);
  EXPECT_EQ(octets[1] & 0x18, 0x10);  // TP-VPF relative
  // 00 | FO | MR | 01 91 1F | PID | DCS | VP
  EXPECT_EQ(octets[8], c.octet) << c.requested_seconds;
  auto decoded = decode(encoded->parts[0].pdu);
  ASSERT_TRUE(decoded.ok());
  const auto& submit = std::get<Submit>(decoded->tpdu);
  ASSERT_TRUE(submit.validity.has_value());
  EXPECT_EQ(submit.validity->count(), c.period_seconds);
  if (c.requested_seconds <= 63LL * 7 * 86400) {
    EXPECT_GE(c.period_seconds, c.requested_seconds);
  }
}

constexpr long long kMinute = 60, kHour = 3600, kDay = 86400, kWeek = 7 * 86400;

INSTANTIATE_TEST_SUITE_P(
    Pdu, RelativeValidity,
    ::testing::Values(
        ValidityCase{0, 0, 5 * kMinute}, ValidityCase{1, 0, 5 * kMinute},
        ValidityCase{5 * kMinute, 0, 5 * kMinute}, ValidityCase{5 * kMinute + 1, 1, 10 * kMinute},
        ValidityCase{kHour, 11, kHour}, ValidityCase{12 * kHour, 143, 12 * kHour},
        ValidityCase{12 * kHour + 1, 144, 12 * kHour + 30 * kMinute},
        ValidityCase{18 * kHour, 155, 18 * kHour}, ValidityCase{24 * kHour, 167, 24 * kHour},
        ValidityCase{24 * kHour + 1, 168, 2 * kDay}, ValidityCase{4 * kDay, 170, 4 * kDay},
        ValidityCase{30 * kDay, 196, 30 * kDay}, ValidityCase{30 * kDay + 1, 197, 5 * kWeek},
        ValidityCase{5 * kWeek + 1, 198, 6 * kWeek}, ValidityCase{63 * kWeek, 255, 63 * kWeek},
        ValidityCase{100 * kWeek, 255, 63 * kWeek}, ValidityCase{-5, 0, 5 * kMinute}));

TEST(RelativeValidity, EveryOctetDecodesToItsSpecPeriod) {
  for (int n = 0; n < 256; ++n) {
    long long expected = 0;
    if (n <= 143) {
      expected = (n + 1) * 5 * kMinute;
    } else if (n <= 167) {
      expected = 12 * kHour + (n - 143) * 30 * kMinute;
    } else if (n <= 196) {
      expected = (n - 166) * kDay;
    } else {
      expected = (n - 192) * kWeek;
    }
    char hex[8];
    std::snprintf(hex, sizeof hex, "%02X", n);
    auto decoded = decode(std::string("0011000291F10000") + hex + "00");
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(std::get<Submit>(decoded->tpdu).validity->count(), expected) << n;
    // Encoding exactly that period gives back n.
    SubmitOptions options;
    options.validity = std::chrono::seconds(expected);
    auto encoded = encode_submit("+1", "", options);
    ASSERT_TRUE(encoded.ok());
    EXPECT_EQ((*from_hex(encoded->parts[0].pdu))[8], n);
  }
}

TEST(RelativeValidity, AbsoluteAndEnhancedFormatsAreSkipped) {
  // VPF 11 (absolute, 7 octets) then UDL 0.
  auto absolute = decode(
      "0019000291F1000042109071838422"
      "00");
  ASSERT_TRUE(absolute.ok()) << absolute.error().message;
  EXPECT_FALSE(std::get<Submit>(absolute->tpdu).validity.has_value());
  auto enhanced = decode(
      "0009000291F1000001020000000000"
      "00");
  ASSERT_TRUE(enhanced.ok()) << enhanced.error().message;
  EXPECT_FALSE(std::get<Submit>(enhanced->tpdu).validity.has_value());
}

}  // namespace
}  // namespace smsgw::pdu
