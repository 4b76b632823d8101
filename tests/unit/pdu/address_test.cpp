// Address parsing and TS 23.040 9.1.2.5 address fields.
#include <gtest/gtest.h>

#include "smsgw/pdu/pdu.hpp"

namespace smsgw::pdu {
namespace {

struct AddressCase {
  const char* input;
  bool ok;
  Address::Type type;
  const char* text;
};

class ParseAddress : public ::testing::TestWithParam<AddressCase> {};

TEST_P(ParseAddress, ClassifiesOrRejects) {
  const auto& c = GetParam();
  auto parsed = parse_address(c.input);
  ASSERT_EQ(parsed.ok(), c.ok) << c.input;
  if (!c.ok) {
    EXPECT_EQ(parsed.error().code, "pdu.bad_address");
    return;
  }
  EXPECT_EQ(parsed->type, c.type);
  EXPECT_EQ(parsed->text, c.text);
}

INSTANTIATE_TEST_SUITE_P(
    Pdu, ParseAddress,
    ::testing::Values(
        AddressCase{"+4917612345678", true, Address::Type::international, "+4917612345678"},
        AddressCase{"004917612345678", true, Address::Type::unknown, "004917612345678"},
        AddressCase{"01761234567", true, Address::Type::unknown, "01761234567"},
        AddressCase{"MyBank", true, Address::Type::alphanumeric, "MyBank"},
        AddressCase{"Bank 24", true, Address::Type::alphanumeric, "Bank 24"},
        AddressCase{"ElevenChars", true, Address::Type::alphanumeric, "ElevenChars"},
        AddressCase{"TwelveCharsX", false, Address::Type::unknown, ""},
        AddressCase{"", false, Address::Type::unknown, ""},
        AddressCase{"+", false, Address::Type::unknown, ""},
        AddressCase{"+49 176", false, Address::Type::unknown, ""},
        AddressCase{"123456789012345678901", false, Address::Type::unknown, ""},
        AddressCase{"12345678901234567890", true, Address::Type::unknown, "12345678901234567890"},
        AddressCase{"12-34", false, Address::Type::unknown, ""},
        AddressCase{"Shop\xE2\x98\x83", false, Address::Type::unknown, ""}));

TEST(AddressField, OddDigitCountsAreFilledWithF) {
  auto encoded = encode_submit("+4915", "x");
  ASSERT_TRUE(encoded.ok());
  // 00 SMSC, 01 FO, 00 MR, 04 digits, 91 international, 94 51 F? -> "4915" is even: 9451.
  EXPECT_EQ(encoded->parts[0].pdu.substr(0, 14), "00010004919451");
  auto odd = encode_submit("+491", "x");
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(odd->parts[0].pdu.substr(0, 14), "000100039194F1");
}

TEST(AddressField, AlphanumericSenderMatchesTheHandPackedValue) {
  // "Design@Home": 11 septets = 77 bits = 20 semi-octets (0x14), TON 5 (0xD0).
  const std::string hex =
      "000414D0C4F23C7D760390EF7619000042109071838422"
      "00";
  auto decoded = decode(hex);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(std::get<Deliver>(decoded->tpdu).from,
            (Address{"Design@Home", Address::Type::alphanumeric}));

  DeliverOptions options;
  options.scts = Timestamp{2024, 1, 9, 17, 38, 48, 22};
  auto encoded = encode_deliver("Design@Home", "", options);
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(encoded->front().substr(0, 28), "000414D0C4F23C7D760390EF7619");
}

TEST(AddressField, AlphanumericWithSevenCharactersUsesThirteenSemiOctets) {
  DeliverOptions options;
  auto encoded = encode_deliver("Company", "hi", options);
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(encoded->front().substr(4, 4), "0DD0");
  auto decoded = decode(encoded->front());
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(std::get<Deliver>(decoded->tpdu).from.text, "Company");
}

TEST(AddressField, NationalTypeAndSpecialDigitsDecode) {
  // TON 2 (0xA1), digits "12*#" -> semi-octets 1 2 A B.
  const std::string hex =
      "000404A121BA000042109071838422"
      "00";
  auto decoded = decode(hex);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(std::get<Deliver>(decoded->tpdu).from, (Address{"12*#", Address::Type::national}));
}

TEST(AddressField, OverlongAddressIsAnErrorNamingItsOctet) {
  const std::string hex = "000415910000";
  auto decoded = decode(hex);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, "pdu.bad_address");
  EXPECT_EQ(decoded.error().message.rfind("octet 2:", 0), 0u) << decoded.error().message;
}

}  // namespace
}  // namespace smsgw::pdu
