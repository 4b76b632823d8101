// Hex helpers and GSM 7-bit packing (TS 23.038 6.1.2.1.1, 6.1.2.3.1).
#include <gtest/gtest.h>

#include "smsgw/pdu/pdu.hpp"

namespace smsgw::pdu {
namespace {

TEST(Hex, RoundTripsUpperCase) {
  const Bytes bytes{0x00, 0x0A, 0xAB, 0xFF};
  EXPECT_EQ(to_hex(bytes), "000AABFF");
  auto back = from_hex("000aabFF");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, bytes);
}

TEST(Hex, RejectsOddLengthAndNonHexNamingThePosition) {
  auto odd = from_hex("ABC");
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.error().code, "pdu.bad_hex");
  auto bad = from_hex("00G1");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "pdu.bad_hex");
  EXPECT_NE(bad.error().message.find("octet 1"), std::string::npos) << bad.error().message;
  EXPECT_NE(bad.error().message.find("'G'"), std::string::npos) << bad.error().message;
}

TEST(Gsm7Packing, PacksTheClassicHelloHello) {
  auto packed = pack_gsm7_text("hellohello");
  ASSERT_TRUE(packed.ok());
  EXPECT_EQ(to_hex(*packed), "E8329BFD4697D9EC37");
  auto text = unpack_gsm7_text(*packed, 10);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "hellohello");
}

TEST(Gsm7Packing, PadsSevenSpareBitsWithCarriageReturn) {
  // 7 septets leave 7 spare bits: TS 23.038 6.1.2.3.1 fills them with CR, not '@'.
  auto packed = pack_gsm7_text("1234567");
  ASSERT_TRUE(packed.ok());
  ASSERT_EQ(packed->size(), 7u);
  EXPECT_EQ(packed->back() >> 1, 0x0D);
  auto text = unpack_gsm7_text(*packed, 8);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "1234567");
}

TEST(Gsm7Packing, ExtensionCharactersUseEscape) {
  auto packed = pack_gsm7_text("[x]");
  ASSERT_TRUE(packed.ok());
  auto text = unpack_gsm7_text(*packed, 5);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "[x]");
}

TEST(Gsm7Packing, RejectsWhatTheAlphabetLacks) {
  auto packed = pack_gsm7_text("ok \xD0\x96");  // Cyrillic Zhe
  ASSERT_FALSE(packed.ok());
  EXPECT_EQ(packed.error().code, "pdu.not_gsm7");
  EXPECT_NE(packed.error().message.find("byte 3"), std::string::npos) << packed.error().message;
}

TEST(Gsm7Packing, UnpackRefusesMoreSeptetsThanOctetsHold) {
  auto text = unpack_gsm7_text(Bytes{0xE8, 0x32}, 3);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().code, "pdu.truncated");
}

}  // namespace
}  // namespace smsgw::pdu
