// Part counts and split points (TS 23.040 9.2.3.24.1; 9.2.3.16 capacities).
#include <gtest/gtest.h>

#include "smsgw/pdu/pdu.hpp"
#include "test_support.hpp"

namespace smsgw::pdu {
namespace {

std::string repeat(std::string_view unit, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += unit;
  return out;
}

struct PartsCase {
  const char* name;
  std::string text;
  Encoding encoding;
  std::size_t parts;
  std::vector<std::size_t> udl;  // TP-UDL of each part
};

class SplitsIntoParts : public ::testing::TestWithParam<PartsCase> {};

TEST_P(SplitsIntoParts, AtTheCapacityLimits) {
  const auto& c = GetParam();
  auto encoded = encode_submit("+123", c.text);
  ASSERT_TRUE(encoded.ok()) << encoded.error().message;
  EXPECT_EQ(encoded->encoding, c.encoding);
  ASSERT_EQ(encoded->parts.size(), c.parts);
  std::string joined;
  for (std::size_t i = 0; i < c.parts; ++i) {
    auto decoded = decode(encoded->parts[i].pdu);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    joined += test::user_data_of(*decoded).text;
    // TP-UDL sits right before the user data: after FO, MR, DA(7), PID, DCS.
    const auto octets = *from_hex(encoded->parts[i].pdu);
    EXPECT_EQ(octets[1 + 2 + 2 + 2 + 2], c.udl[i]) << "part " << i;
    EXPECT_EQ(encoded->parts[i].length, octets.size() - 1);
  }
  EXPECT_EQ(joined, c.text);
}

const std::string kEuro = "\u20AC";
const std::string kEmoji = "\U0001F600";
const std::string kZhe = "\u0416";

INSTANTIATE_TEST_SUITE_P(
    Pdu, SplitsIntoParts,
    ::testing::Values(
        PartsCase{"empty", "", Encoding::gsm7, 1, {0}},
        PartsCase{"gsm7_160", std::string(160, 'a'), Encoding::gsm7, 1, {160}},
        PartsCase{"gsm7_161", std::string(161, 'a'), Encoding::gsm7, 2, {160, 15}},
        PartsCase{"gsm7_306", std::string(306, 'a'), Encoding::gsm7, 2, {160, 160}},
        PartsCase{"gsm7_307", std::string(307, 'a'), Encoding::gsm7, 3, {160, 160, 8}},
        PartsCase{"escape_pairs_fill_one_part", repeat(kEuro, 80), Encoding::gsm7, 1, {160}},
        PartsCase{"escape_pair_not_split",
                  std::string(152, 'a') + kEuro + std::string(10, 'b'),
                  Encoding::gsm7,
                  2,
                  {7 + 152, 7 + 2 + 10}},
        PartsCase{"escape_pair_fits_exactly",
                  std::string(151, 'a') + kEuro + std::string(10, 'b'),
                  Encoding::gsm7,
                  2,
                  {160, 17}},
        PartsCase{"ucs2_70", repeat(kZhe, 70), Encoding::ucs2, 1, {140}},
        PartsCase{"ucs2_71", repeat(kZhe, 71), Encoding::ucs2, 2, {140, 6 + 8}},
        PartsCase{"ucs2_134", repeat(kZhe, 134), Encoding::ucs2, 2, {140, 140}},
        PartsCase{"ucs2_135", repeat(kZhe, 135), Encoding::ucs2, 3, {140, 140, 8}},
        PartsCase{"emoji_fill_one_part", repeat(kEmoji, 35), Encoding::ucs2, 1, {140}},
        PartsCase{"surrogate_pair_not_split",
                  repeat(kZhe, 66) + kEmoji + repeat(kZhe, 5),
                  Encoding::ucs2,
                  2,
                  {6 + 132, 6 + 4 + 10}},
        PartsCase{"surrogate_pair_fits_exactly",
                  repeat(kZhe, 65) + kEmoji + repeat(kZhe, 5),
                  Encoding::ucs2,
                  2,
                  {140, 16}}),
    [](const auto& test_info) { return std::string(test_info.param.name); });

TEST(Segmentation, TooManyPartsNamesTheCount) {
  SubmitOptions options;
  options.max_parts = 3;
  auto encoded = encode_submit("+123", std::string(153 * 3 + 1, 'a'), options);
  ASSERT_FALSE(encoded.ok());
  EXPECT_EQ(encoded.error().code, "pdu.too_long");
  EXPECT_NE(encoded.error().message.find("needs 4 parts"), std::string::npos)
      << encoded.error().message;
  EXPECT_NE(encoded.error().message.find("maximum of 3"), std::string::npos);

  auto ten = encode_submit("+123", std::string(1530, 'a'));
  ASSERT_TRUE(ten.ok());
  EXPECT_EQ(ten->parts.size(), 10u);
  auto eleven = encode_submit("+123", std::string(1531, 'a'));
  ASSERT_FALSE(eleven.ok());
  EXPECT_NE(eleven.error().message.find("needs 11 parts"), std::string::npos);
}

TEST(Segmentation, MaxPartsZeroRefusesEvenOnePart) {
  SubmitOptions options;
  options.max_parts = 0;
  auto encoded = encode_submit("+123", "hi", options);
  ASSERT_FALSE(encoded.ok());
  EXPECT_EQ(encoded.error().code, "pdu.too_long");
  EXPECT_NE(encoded.error().message.find("needs 1 part in gsm7"), std::string::npos)
      << encoded.error().message;
}

TEST(Segmentation, ForcedUcs2ForGsmText) {
  SubmitOptions options;
  options.encoding = EncodingChoice::ucs2;
  auto encoded = encode_submit("+123", "hello", options);
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(encoded->encoding, Encoding::ucs2);
  auto decoded = decode(encoded->parts[0].pdu);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(std::get<Submit>(decoded->tpdu).dcs, 0x08);
  EXPECT_EQ(test::user_data_of(*decoded).text, "hello");
}

TEST(Segmentation, ConcatHeaderLayoutAndFillBit) {
  SubmitOptions options;
  options.concat_reference = 0xAB;
  auto encoded = encode_submit("+123", std::string(161, 'A'), options);
  ASSERT_TRUE(encoded.ok());
  ASSERT_EQ(encoded->parts.size(), 2u);
  const auto octets = *from_hex(encoded->parts[1].pdu);
  // FO has UDHI (0x40) and MTI 01; UD starts with 05 00 03 AB 02 02.
  EXPECT_EQ(octets[1], 0x41);
  const std::size_t ud = 1 + 2 + 2 + 2 + 2 + 1;
  EXPECT_EQ(Bytes(octets.begin() + ud, octets.begin() + ud + 6),
            (Bytes{0x05, 0x00, 0x03, 0xAB, 0x02, 0x02}));
  // One fill bit, then 'A' (0x41) starts at bit 1 of the seventh octet.
  EXPECT_EQ(octets[ud + 6], 0x41 << 1);
  EXPECT_EQ(octets[ud - 1], 7 + 8);
}

}  // namespace
}  // namespace smsgw::pdu
