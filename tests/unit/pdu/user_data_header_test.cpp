// TS 23.040 9.2.3.24: user data headers on decode.
#include <gtest/gtest.h>

#include "smsgw/pdu/pdu.hpp"
#include "test_support.hpp"

namespace smsgw::pdu {
namespace {

Result<Decoded> decode_gsm7_with_udh(const Bytes& udh, std::string_view text) {
  std::vector<std::uint8_t> septets(text.begin(), text.end());
  const auto [udl, ud] = test::gsm7_with_header(udh, septets);
  return decode(test::deliver_hex(0x44, 0x00, udl, ud));
}

struct HeaderCase {
  const char* name;
  Bytes udh;  // with UDHL
  std::optional<Concat> concat;
};

class ReadsConcatenation : public ::testing::TestWithParam<HeaderCase> {};

TEST_P(ReadsConcatenation, AmongOtherElements) {
  const auto& c = GetParam();
  auto decoded = decode_gsm7_with_udh(c.udh, "Hello");
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  const auto& ud = test::user_data_of(*decoded);
  EXPECT_EQ(ud.text, "Hello");
  EXPECT_EQ(ud.concat, c.concat);
  ASSERT_TRUE(ud.udh.has_value());
  EXPECT_EQ(*ud.udh, Bytes(c.udh.begin() + 1, c.udh.end()));
}

INSTANTIATE_TEST_SUITE_P(
    Pdu, ReadsConcatenation,
    ::testing::Values(
        HeaderCase{"eight_bit_ref", {0x05, 0x00, 0x03, 0x17, 0x03, 0x02}, Concat{0x17, 2, 3}},
        HeaderCase{
            "sixteen_bit_ref", {0x06, 0x08, 0x04, 0x12, 0x34, 0x04, 0x04}, Concat{0x1234, 4, 4}},
        // Application port addressing (0x05) before, a special SMS indication (0x01) after.
        HeaderCase{"other_ies_around",
                   {0x0E, 0x05, 0x04, 0x0B, 0x84, 0x23, 0xF0, 0x00, 0x03, 0x2A, 0x02, 0x01, 0x01,
                    0x01, 0x02},
                   Concat{0x2A, 1, 2}},
        // An unknown IE with a long body.
        HeaderCase{"unknown_ie_first",
                   {0x0A, 0x70, 0x03, 0xAA, 0xBB, 0xCC, 0x00, 0x03, 0x01, 0x01, 0x01},
                   Concat{0x01, 1, 1}},
        // 9.2.3.24.1: a zero count or a sequence beyond the count: the IE is ignored.
        HeaderCase{"zero_sequence", {0x05, 0x00, 0x03, 0x01, 0x02, 0x00}, std::nullopt},
        HeaderCase{"sequence_beyond_total", {0x05, 0x00, 0x03, 0x01, 0x02, 0x03}, std::nullopt},
        HeaderCase{"wrong_ie_length", {0x04, 0x00, 0x02, 0x01, 0x02}, std::nullopt},
        HeaderCase{"empty_header", {0x00}, std::nullopt}),
    [](const auto& test_info) { return std::string(test_info.param.name); });

TEST(UserDataHeader, EightBitAndUcs2CarryHeadersInOctets) {
  Bytes ud{0x05, 0x00, 0x03, 0x07, 0x02, 0x01, 0x04, 0x1F, 0x00, 0x21};
  auto decoded = decode(test::deliver_hex(0x44, 0x08, static_cast<std::uint8_t>(ud.size()), ud));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(test::user_data_of(*decoded).text, "\u041F!");
  EXPECT_EQ(test::user_data_of(*decoded).concat, (Concat{7, 1, 2}));

  auto binary = decode(test::deliver_hex(0x44, 0x04, static_cast<std::uint8_t>(ud.size()), ud));
  ASSERT_TRUE(binary.ok());
  EXPECT_EQ(test::user_data_of(*binary).data, (Bytes{0x04, 0x1F, 0x00, 0x21}));
}

TEST(UserDataHeader, ElementRunningPastTheHeaderIsAnError) {
  auto decoded = decode_gsm7_with_udh({0x05, 0x00, 0x07, 0x01, 0x02, 0x01}, "Hi");
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, "pdu.bad_udh");
  // SMSC(1) FO OA(4) PID DCS SCTS(7) UDL = 16 octets; UDHL at 16, first IE at 17.
  EXPECT_EQ(decoded.error().message.rfind("octet 17:", 0), 0u) << decoded.error().message;
}

TEST(UserDataHeader, HeaderLongerThanTheUserDataIsAnError) {
  auto decoded = decode(test::deliver_hex(0x44, 0x04, 3, {0x09, 0x00, 0x03}));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, "pdu.bad_udh");
  auto empty = decode(test::deliver_hex(0x44, 0x00, 0, {}));
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, "pdu.bad_udh");
}

TEST(UserDataHeader, FillBitsAfterHeadersOfEveryLength) {
  // TS 23.040 9.2.3.24: the text starts at the next septet boundary after the UDH.
  for (std::uint8_t ies = 0; ies < 20; ++ies) {
    Bytes udh{static_cast<std::uint8_t>(ies + 2), 0x70, ies};
    udh.resize(ies + 3, 0x55);
    auto decoded = decode_gsm7_with_udh(udh, "Fill");
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(test::user_data_of(*decoded).text, "Fill") << int(ies);
  }
}

}  // namespace
}  // namespace smsgw::pdu
