// The codec's GSM 7-bit tables as the public API hands them out (smsgw/pdu/alphabets.hpp):
// spot checks against TS 23.038, and agreement with what the encoder counts.
#include "smsgw/pdu/alphabets.hpp"

#include <gtest/gtest.h>

#include <string>

#include "smsgw/pdu/pdu.hpp"
#include "smsgw/pdu/unicode.hpp"

namespace smsgw::pdu {
namespace {

TEST(Alphabets, DefaultAlphabetAndExtensionTableAsTs23038Lists) {
  const auto locking = locking_shift_code_points(std::nullopt);
  ASSERT_TRUE(locking.has_value());
  EXPECT_EQ((*locking)[0x00], U'@');
  EXPECT_EQ((*locking)[0x01], U'\u00A3');  // £
  EXPECT_EQ((*locking)[0x11], U'_');
  EXPECT_EQ((*locking)[0x41], U'A');
  EXPECT_EQ((*locking)[0x7F], U'\u00E0');  // à
  EXPECT_EQ((*locking)[0x1B], 0u);         // the escape is no character

  const auto single = single_shift_code_points(std::nullopt);
  EXPECT_EQ(single[0x65], U'\u20AC');  // €
  EXPECT_EQ(single[0x14], U'^');
  EXPECT_EQ(single[0x1B], 0u);
  EXPECT_EQ(single[0x41], 0u);  // unassigned
}

TEST(Alphabets, NationalTables) {
  const auto turkish = locking_shift_code_points(NationalLanguage::turkish);
  ASSERT_TRUE(turkish.has_value());
  EXPECT_EQ((*turkish)[0x04], U'\u20AC');  // A.3.1: € in the locking table
  EXPECT_EQ((*turkish)[0x1B], 0u);
  EXPECT_FALSE(locking_shift_code_points(NationalLanguage::spanish).has_value());
  EXPECT_EQ(single_shift_code_points(NationalLanguage::spanish)[0x09], U'\u00E7');  // A.2.2 ç
  EXPECT_EQ(single_shift_code_points(NationalLanguage::portuguese)[0x1B], 0u);
}

std::size_t parts_of(char32_t character, std::size_t count) {
  std::string text;
  for (std::size_t i = 0; i < count; ++i) append_utf8(text, character);
  const auto encoded = encode_submit("+4915112345678", text, {});
  EXPECT_TRUE(encoded.ok()) << encoded.error().message;
  if (!encoded.ok()) return 0;
  EXPECT_EQ(encoded->encoding, Encoding::gsm7) << static_cast<std::uint32_t>(character);
  return encoded->parts.size();
}

// A single part holds 160 septets: a locking-table character costs one, an extension-table
// character two (escape + code), exactly as the encoder counts them.
TEST(Alphabets, EveryDefaultCharacterCostsWhatTheEncoderCounts) {
  const auto locking = *locking_shift_code_points(std::nullopt);
  const auto single = single_shift_code_points(std::nullopt);
  for (std::size_t code = 0; code < 128; ++code) {
    if (locking[code] != 0) {
      EXPECT_EQ(parts_of(locking[code], 160), 1u) << code;
      EXPECT_EQ(parts_of(locking[code], 161), 2u) << code;
    }
    if (single[code] != 0) {
      EXPECT_EQ(parts_of(single[code], 80), 1u) << code;
      EXPECT_EQ(parts_of(single[code], 81), 2u) << code;
    }
  }
}

}  // namespace
}  // namespace smsgw::pdu
