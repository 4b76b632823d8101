// USSD and UCS2 text: plain, UCS2 hex (dcs 72, 17, 15-as-hex) and Huawei packed GSM 7-bit
// hex, with the real replies of shared/reference/at-protocol.md ("USSD").
#include "smsgw/modem/text_codec.hpp"

#include <gtest/gtest.h>

#include "smsgw/modem/parsers.hpp"

namespace smsgw::modem {
namespace {

TEST(ModemUcs2Hex, RoundTripsIncludingSurrogates) {
  EXPECT_EQ(decode_ucs2_hex("0041042F").value(), "A\xD0\xAF");         // "AЯ"
  EXPECT_EQ(decode_ucs2_hex("D83DDE00").value(), "\xF0\x9F\x98\x80");  // U+1F600
  EXPECT_EQ(encode_ucs2_hex("A\xD0\xAF").value(), "0041042F");
  EXPECT_EQ(encode_ucs2_hex("\xF0\x9F\x98\x80").value(), "D83DDE00");
  EXPECT_FALSE(decode_ucs2_hex("004"));       // not groups of 4
  EXPECT_FALSE(decode_ucs2_hex("D83D0041"));  // lone high surrogate
  EXPECT_FALSE(decode_ucs2_hex("DE00"));      // lone low surrogate
  EXPECT_FALSE(encode_ucs2_hex("\xC3"));      // truncated UTF-8
  EXPECT_EQ(decode_ucs2_hex("004").error().code, "modem.ucs2");
}

TEST(ModemUssdAlphabet, FromDcs) {
  EXPECT_EQ(ussd_alphabet(15), UssdAlphabet::gsm7);
  EXPECT_EQ(ussd_alphabet(0x00), UssdAlphabet::gsm7);
  EXPECT_EQ(ussd_alphabet(72), UssdAlphabet::ucs2);  // 0x48 general coding, UCS2
  EXPECT_EQ(ussd_alphabet(17), UssdAlphabet::ucs2);  // 0x11 UCS2 with language
  EXPECT_EQ(ussd_alphabet(0x44), UssdAlphabet::eight_bit);
  EXPECT_EQ(ussd_alphabet(0x40), UssdAlphabet::gsm7);
  EXPECT_EQ(ussd_alphabet(0xF4), UssdAlphabet::eight_bit);
  EXPECT_EQ(ussd_alphabet(0xF0), UssdAlphabet::gsm7);
  EXPECT_EQ(ussd_alphabet(0x98), UssdAlphabet::ucs2);
}

TEST(ModemUssdDecode, PlainDcs15) {
  // gammu tests/at-ussd/issue178-dell.dump
  EXPECT_EQ(decode_ussd_text("On DATA Pack u have 3Gb", 15, UssdEncoding::plain).value(),
            "On DATA Pack u have 3Gb");
  // Digits only stay plain even though they are hex (no U+00xx character in them).
  EXPECT_EQ(decode_ussd_text("12345678", 15, UssdEncoding::plain).value(), "12345678");
  EXPECT_EQ(decode_ussd_text("", 15, UssdEncoding::plain).value(), "");
}

TEST(ModemUssdDecode, Ucs2Dcs72Huawei) {
  // Huawei E3276 answers in UCS2 hex with dcs 72: "Для справки о балансе наберите *105#".
  const std::string text =
      "\xD0\x94\xD0\xBB\xD1\x8F \xD1\x81\xD0\xBF\xD1\x80\xD0\xB0\xD0\xB2\xD0\xBA\xD0\xB8 \xD0\xBE "
      "\xD0\xB1\xD0\xB0\xD0\xBB\xD0\xB0\xD0\xBD\xD1\x81\xD0\xB5 "
      "\xD0\xBD\xD0\xB0\xD0\xB1\xD0\xB5\xD1\x80\xD0\xB8\xD1\x82\xD0\xB5 *105#";
  const auto hex = encode_ucs2_hex(text).value();
  EXPECT_EQ(hex.substr(0, 12), "0414043B044F");  // Д л я
  auto line = parse_cusd("+CUSD: 0,\"" + hex + "\",72");
  ASSERT_TRUE(line);
  EXPECT_EQ(decode_ussd_text(*line->text, line->dcs, UssdEncoding::gsm7_packed_hex).value(), text);
}

TEST(ModemUssdDecode, Ucs2Dcs17Telit) {
  EXPECT_EQ(
      decode_ussd_text("00420061006C0061006E00630065003A00200035", 17, UssdEncoding::plain).value(),
      "Balance: 5");
}

TEST(ModemUssdDecode, Dcs15ButUcs2HexQuectel) {
  // Quectel M35 with CSCS "UCS2": dcs 15 but the string is UCS2 hex.
  EXPECT_EQ(
      decode_ussd_text("00420061006C0061006E0063006500200031002E00350030", 15, UssdEncoding::plain)
          .value(),
      "Balance 1.50");
}

TEST(ModemUssdDecode, HuaweiPackedGsm7) {
  // 01/02-E160 dumps: the reply starts "49B41C74ACD3D1" = "Ihr Guth" (7 octets, 8 septets).
  EXPECT_EQ(decode_ussd_text("49B41C74ACD3D1", 15, UssdEncoding::gsm7_packed_hex).value(),
            "Ihr Guth");
  // The request of at-protocol.md, decoded back.
  EXPECT_EQ(decode_ussd_text("AA180C3602", 15, UssdEncoding::gsm7_packed_hex).value(), "*100#");
  // A plain string from a Huawei (not hex) is left alone.
  EXPECT_EQ(decode_ussd_text("Guthaben: 5,78", 15, UssdEncoding::gsm7_packed_hex).value(),
            "Guthaben: 5,78");
}

TEST(ModemUssdDecode, PackedSevenCharactersDropsCrPadding) {
  // 7 characters fill 49 bits: the 7 spare bits of the 7th octet hold CR (TS 23.038 6.1.2.3.1).
  const auto hex = encode_ussd_request("*101*1#", UssdEncoding::gsm7_packed_hex).value();
  EXPECT_EQ(hex.size(), 14u);
  EXPECT_EQ(decode_ussd_text(hex, 15, UssdEncoding::gsm7_packed_hex).value(), "*101*1#");
}

TEST(ModemUssdDecode, EightBitHex) {
  EXPECT_EQ(decode_ussd_text("48656C6C6F", 0x44, UssdEncoding::plain).value(), "Hello");
}

TEST(ModemUssdEncode, PlainAndPacked) {
  EXPECT_EQ(encode_ussd_request("*100#", UssdEncoding::plain).value(), "*100#");
  // at-protocol.md: AT+CUSD=1,"AA180C3602",15 for *100# on Huawei.
  EXPECT_EQ(encode_ussd_request("*100#", UssdEncoding::gsm7_packed_hex).value(), "AA180C3602");
  EXPECT_FALSE(encode_ussd_request("", UssdEncoding::plain));
  EXPECT_EQ(encode_ussd_request("*1\"#", UssdEncoding::plain).error().code, "modem.ussd_code");
}

}  // namespace
}  // namespace smsgw::modem
