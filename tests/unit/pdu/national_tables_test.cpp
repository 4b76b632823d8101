// National language tables (TS 23.038 Annex A.2/A.3, 6.2.1.2.4) and their IEs
// (TS 23.040 9.2.3.24.15, 9.2.3.24.16).
#include <gtest/gtest.h>

#include "smsgw/pdu/pdu.hpp"
#include "test_support.hpp"

namespace smsgw::pdu {
namespace {

struct TableCase {
  const char* name;
  std::optional<NationalLanguage> locking;  // IE 0x25
  std::optional<NationalLanguage> single;   // IE 0x24
  std::vector<std::uint8_t> septets;
  const char* text;  // UTF-8, as the spec's tables show the characters
};

class DecodesNationalTable : public ::testing::TestWithParam<TableCase> {};

TEST_P(DecodesNationalTable, AsTheSpecTableSays) {
  const auto& c = GetParam();
  Bytes udh{0};
  if (c.single) udh.insert(udh.end(), {0x24, 0x01, static_cast<std::uint8_t>(*c.single)});
  if (c.locking) udh.insert(udh.end(), {0x25, 0x01, static_cast<std::uint8_t>(*c.locking)});
  udh[0] = static_cast<std::uint8_t>(udh.size() - 1);
  const auto [udl, ud] = test::gsm7_with_header(udh, c.septets);
  auto decoded = decode(test::deliver_hex(0x44, 0x00, udl, ud));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  const auto& user_data = test::user_data_of(*decoded);
  EXPECT_EQ(user_data.text, c.text);
  EXPECT_EQ(user_data.locking_shift, c.locking);
  EXPECT_EQ(user_data.single_shift, c.single);
}

// Characters in a UTF-8 string.
std::size_t to_u8_length(const std::string& text) {
  std::size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

constexpr std::uint8_t ESC = 0x1B;
constexpr auto TR = NationalLanguage::turkish;
constexpr auto ES = NationalLanguage::spanish;
constexpr auto PT = NationalLanguage::portuguese;

INSTANTIATE_TEST_SUITE_P(
    Pdu, DecodesNationalTable,
    ::testing::Values(
        // A.3.1 Turkish locking shift: the codes that differ from the default alphabet.
        TableCase{"turkish_locking",
                  TR,
                  std::nullopt,
                  {0x04, 0x07, 0x0B, 0x0C, 0x1C, 0x1D, 0x40, 0x60, 0x05, 0x7F},
                  "\u20AC\u0131\u011E\u011F\u015E\u015F\u0130\u00E7\u00E9\u00E0"},
        // A.2.1 Turkish single shift.
        TableCase{"turkish_single",
                  std::nullopt,
                  TR,
                  {ESC,  0x47, ESC,  0x49, ESC,  0x53, ESC,  0x63, ESC,  0x65, ESC,
                   0x67, ESC,  0x69, ESC,  0x73, ESC,  0x3C, ESC,  0x40, 0x07},
                  "\u011E\u0130\u015E\u00E7\u20AC\u011F\u0131\u015F[|\u00EC"},
        // A.2.2 Spanish single shift.
        TableCase{"spanish_single",
                  std::nullopt,
                  ES,
                  {ESC,  0x09, ESC,  0x41, ESC,  0x49, ESC,  0x4F, ESC,  0x55, ESC,
                   0x61, ESC,  0x69, ESC,  0x6F, ESC,  0x75, ESC,  0x65, ESC,  0x0A},
                  "\u00E7\u00C1\u00CD\u00D3\u00DA\u00E1\u00ED\u00F3\u00FA\u20AC\f"},
        // A.3.2 does not exist: a Spanish locking shift IE leaves the default alphabet.
        TableCase{"spanish_locking_is_default", ES, std::nullopt, {0x04, 0x40}, "\u00E8\u00A1"},
        // A.3.3 Portuguese locking shift.
        TableCase{"portuguese_locking",
                  PT,
                  std::nullopt,
                  {0x04, 0x06, 0x07, 0x08, 0x09, 0x0B, 0x0C, 0x0E, 0x0F, 0x12,
                   0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1C, 0x1D,
                   0x1E, 0x24, 0x40, 0x5B, 0x5C, 0x5D, 0x60, 0x7B, 0x7C, 0x7D},
                  "\u00EA\u00FA\u00ED\u00F3\u00E7\u00D4\u00F4\u00C1\u00E1\u00AA\u00C7\u00C0"
                  "\u221E^\\\u20AC\u00D3|\u00C2\u00E2\u00CA\u00BA\u00CD\u00C3\u00D5\u00DA~"
                  "\u00E3\u00F5`"},
        // A.2.3 Portuguese single shift.
        TableCase{"portuguese_single",
                  std::nullopt,
                  PT,
                  {ESC,  0x05, ESC,  0x0B, ESC,  0x0E, ESC,  0x12, ESC,  0x19, ESC,  0x1F, ESC,
                   0x41, ESC,  0x5B, ESC,  0x5C, ESC,  0x61, ESC,  0x7B, ESC,  0x7C, ESC,  0x7F},
                  "\u00EA\u00D4\u00C1\u03A6\u0398\u00CA\u00C0\u00C3\u00D5\u00C2\u00E3\u00F5"
                  "\u00E2"},
        // Both IEs together: Turkish locking with Portuguese single shift.
        TableCase{"turkish_locking_portuguese_single",
                  TR,
                  PT,
                  {0x07, ESC, 0x7B, 0x60},
                  "\u0131\u00E3\u00E7"},
        // An escape to a code the shift table leaves empty shows the locking table's
        // character (TS 23.038 6.2.1.1).
        TableCase{"unassigned_shift_code", std::nullopt, ES, {ESC, 0x42}, "B"}),
    [](const auto& test_info) { return std::string(test_info.param.name); });

TEST(NationalTables, DefaultExtensionTable) {
  const std::vector<std::uint8_t> septets{ESC, 0x0A, ESC, 0x14, ESC, 0x28, ESC, 0x29,
                                          ESC, 0x2F, ESC, 0x3C, ESC, 0x3D, ESC, 0x3E,
                                          ESC, 0x40, ESC, 0x65, ESC, ESC,  ESC};
  auto decoded = decode(test::deliver_hex(0x04, 0x00, static_cast<std::uint8_t>(septets.size()),
                                          test::pack(septets)));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  // ESC ESC and a final lone ESC show as spaces.
  EXPECT_EQ(test::user_data_of(*decoded).text, "\f^{}\\[~]|\u20AC  ");
}

TEST(NationalTables, NotUsedUnlessAllowed) {
  auto encoded = encode_submit("+123", "Ni\u011Fde");  // "Niğde"
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(encoded->encoding, Encoding::ucs2);
  SubmitOptions forced;
  forced.encoding = EncodingChoice::gsm7;
  auto rejected = encode_submit("+123", "Ni\u011Fde", forced);
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.error().code, "pdu.not_gsm7");
  EXPECT_NE(rejected.error().message.find("byte 2"), std::string::npos);
  EXPECT_NE(rejected.error().message.find("U+011F"), std::string::npos);
}

TEST(NationalTables, TurkishTextUsesTheLockingShiftAlone) {
  SubmitOptions options;
  options.national_languages = {NationalLanguage::turkish};
  auto encoded = encode_submit("+123", "\u015Eehir \u0131\u015F\u0131klar\u0131", options);
  ASSERT_TRUE(encoded.ok()) << encoded.error().message;
  EXPECT_EQ(encoded->encoding, Encoding::gsm7);
  EXPECT_EQ(encoded->locking_shift, NationalLanguage::turkish);
  EXPECT_EQ(encoded->single_shift, std::nullopt);
  auto decoded = decode(encoded->parts[0].pdu);
  ASSERT_TRUE(decoded.ok());
  const auto& ud = test::user_data_of(*decoded);
  EXPECT_EQ(ud.text, "\u015Eehir \u0131\u015F\u0131klar\u0131");
  ASSERT_TRUE(ud.udh.has_value());
  EXPECT_EQ(*ud.udh, (Bytes{0x25, 0x01, 0x01}));
}

TEST(NationalTables, PlainTextNeverGetsANationalIe) {
  SubmitOptions options;
  options.national_languages = {NationalLanguage::turkish, NationalLanguage::spanish,
                                NationalLanguage::portuguese};
  auto encoded = encode_submit("+123", "Plain text with {braces}", options);
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(encoded->locking_shift, std::nullopt);
  EXPECT_EQ(encoded->single_shift, std::nullopt);
  auto decoded = decode(encoded->parts[0].pdu);
  ASSERT_TRUE(decoded.ok());
  EXPECT_FALSE(test::user_data_of(*decoded).udh.has_value());
}

TEST(NationalTables, SpanishSingleShiftWhenItSavesAPart) {
  SubmitOptions options;
  options.national_languages = {NationalLanguage::spanish};
  // One Spanish accent forces the table; 150 septets + 2 = 152 <= 155 in one part.
  const std::string text = std::string(150, 'a') + "\u00E1";
  auto encoded = encode_submit("+123", text, options);
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(encoded->encoding, Encoding::gsm7);
  EXPECT_EQ(encoded->single_shift, NationalLanguage::spanish);
  ASSERT_EQ(encoded->parts.size(), 1u);
  auto decoded = decode(encoded->parts[0].pdu);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(test::user_data_of(*decoded).text, text);
  EXPECT_EQ(*test::user_data_of(*decoded).udh, (Bytes{0x24, 0x01, 0x02}));
}

TEST(NationalTables, EveryPartCarriesTheIesAfterConcatenation) {
  SubmitOptions options;
  options.national_languages = {NationalLanguage::portuguese};
  options.concat_reference = 9;
  std::string text;
  for (int i = 0; i < 60; ++i) text += "Informa\u00E7\u00E3o ";
  auto encoded = encode_submit("+123", text, options);
  ASSERT_TRUE(encoded.ok());
  ASSERT_GT(encoded->parts.size(), 1u);
  std::string joined;
  for (const auto& part : encoded->parts) {
    auto decoded = decode(part.pdu);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    const auto& ud = test::user_data_of(*decoded);
    ASSERT_TRUE(ud.concat.has_value());
    EXPECT_EQ(ud.concat->ref, 9u);
    EXPECT_EQ(ud.locking_shift, encoded->locking_shift);
    EXPECT_EQ(ud.single_shift, encoded->single_shift);
    EXPECT_TRUE(ud.locking_shift || ud.single_shift);
    joined += ud.text;
  }
  EXPECT_EQ(joined, text);
}

TEST(NationalTables, LockingShiftWinsWhenItSavesAPart) {
  // 100 euro signs: 200 septets with the default extension (2 parts), 100 septets with
  // the Portuguese locking shift table where the euro sign is 0x18 (1 part).
  std::string text;
  for (int i = 0; i < 100; ++i) text += "\u20AC";
  auto plain = encode_submit("+123", text);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->parts.size(), 2u);
  SubmitOptions options;
  options.national_languages = {NationalLanguage::portuguese};
  auto encoded = encode_submit("+123", text, options);
  ASSERT_TRUE(encoded.ok());
  ASSERT_EQ(encoded->parts.size(), 1u);
  EXPECT_EQ(encoded->locking_shift, NationalLanguage::portuguese);
  auto decoded = decode(encoded->parts[0].pdu);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(test::user_data_of(*decoded).text, text);
}

TEST(NationalTables, TwoLanguagesCombineLockingAndSingleShift) {
  // Dotless i exists only in Turkish tables, a-tilde only in Portuguese ones.
  SubmitOptions options;
  options.national_languages = {NationalLanguage::turkish, NationalLanguage::portuguese};
  const std::string text = "\u0131\u00E3 \u0131\u0131\u0131";
  auto encoded = encode_submit("+123", text, options);
  ASSERT_TRUE(encoded.ok()) << encoded.error().message;
  EXPECT_EQ(encoded->locking_shift, NationalLanguage::turkish);
  EXPECT_EQ(encoded->single_shift, NationalLanguage::portuguese);
  auto decoded = decode(encoded->parts[0].pdu);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(test::user_data_of(*decoded).text, text);
  EXPECT_EQ(*test::user_data_of(*decoded).udh, (Bytes{0x24, 0x01, 0x03, 0x25, 0x01, 0x01}));
}

TEST(NationalTables, CapacityShrinksWithTheHeader) {
  // One IE: 4 header octets = 5 septets, so 155 septets fit one part, 156 do not.
  SubmitOptions options;
  options.national_languages = {NationalLanguage::turkish};
  const std::string one_part = "\u0131" + std::string(154, 'a');
  auto fits = encode_submit("+123", one_part, options);
  ASSERT_TRUE(fits.ok());
  EXPECT_EQ(fits->parts.size(), 1u);
  auto spills = encode_submit("+123", one_part + "a", options);
  ASSERT_TRUE(spills.ok());
  ASSERT_EQ(spills->parts.size(), 2u);
  // With concatenation: 9 header octets = 11 septets, 149 septets per part.
  auto first = decode(spills->parts[0].pdu);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(to_u8_length(test::user_data_of(*first).text), 149u);
}

TEST(NationalTables, LanguageNames) {
  EXPECT_EQ(national_language_from_name("Turkish"), NationalLanguage::turkish);
  EXPECT_EQ(national_language_from_name("tr"), NationalLanguage::turkish);
  EXPECT_EQ(national_language_from_name("es"), NationalLanguage::spanish);
  EXPECT_EQ(national_language_from_name("PORTUGUESE"), NationalLanguage::portuguese);
  EXPECT_EQ(national_language_from_name("pt"), NationalLanguage::portuguese);
  EXPECT_EQ(national_language_from_name("klingon"), std::nullopt);
}

}  // namespace
}  // namespace smsgw::pdu
