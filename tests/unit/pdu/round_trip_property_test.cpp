// Property tests: decode(encode(x)) reassembles to x, and the part count is the minimum,
// computed here independently by counting septets / UTF-16 units per character.
#include <gtest/gtest.h>

#include <array>
#include <map>
#include <random>
#include <set>

#include "smsgw/pdu/pdu.hpp"
#include "test_support.hpp"

namespace smsgw::pdu {
namespace {

// ---- UTF-8 helpers, independent of the codec --------------------------------------

std::string utf8(char32_t c) {
  std::string out;
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | c >> 6);
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | c >> 12);
    out += static_cast<char>(0x80 | (c >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | c >> 18);
    out += static_cast<char>(0x80 | (c >> 12 & 0x3F));
    out += static_cast<char>(0x80 | (c >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}

std::string from_u32(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) out += utf8(c);
  return out;
}

// ---- The alphabets as the test knows them (TS 23.038 6.2.1, 6.2.1.1) ---------------

const std::u32string kDefault =
    U"@\u00A3$\u00A5\u00E8\u00E9\u00F9\u00EC\u00F2\u00C7\n\u00D8\u00F8\r\u00C5\u00E5"
    U"\u0394_\u03A6\u0393\u039B\u03A9\u03A0\u03A8\u03A3\u0398\u039E\u00C6\u00E6\u00DF\u00C9"
    U" !\"#\u00A4%&'()*+,-./0123456789:;<=>?"
    U"\u00A1ABCDEFGHIJKLMNOPQRSTUVWXYZ\u00C4\u00D6\u00D1\u00DC\u00A7"
    U"\u00BFabcdefghijklmnopqrstuvwxyz\u00E4\u00F6\u00F1\u00FC\u00E0";
const std::u32string kExtension = U"\f^{}\\[~]|\u20AC";
// Characters every locking-shift table here shares with the default alphabet.
const std::u32string kCommon =
    U"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,!?";

// ---- Independent minimum part counts ------------------------------------------------

std::size_t greedy_parts(const std::vector<int>& costs, std::size_t single, std::size_t multi) {
  std::size_t total = 0;
  for (int c : costs) total += static_cast<std::size_t>(c);
  if (total <= single) return 1;
  std::size_t parts = 1, fill = 0;
  for (int c : costs) {
    if (fill + static_cast<std::size_t>(c) > multi) ++parts, fill = 0;
    fill += static_cast<std::size_t>(c);
  }
  return parts;
}

// Septets left for text when the header has `ies` octets of IEs (0 = no header).
std::size_t septets_left(std::size_t ies) { return ies == 0 ? 160 : 160 - ((ies + 1) * 8 + 6) / 7; }

std::size_t min_gsm7_parts(const std::u32string& text) {
  std::vector<int> costs;
  for (char32_t c : text) costs.push_back(kExtension.find(c) != std::u32string::npos ? 2 : 1);
  return greedy_parts(costs, 160, 153);
}

std::size_t min_ucs2_parts(const std::u32string& text) {
  std::vector<int> costs;
  for (char32_t c : text) costs.push_back(c > 0xFFFF ? 2 : 1);
  return greedy_parts(costs, 70, 67);
}

// Letters of one language and where TS 23.038 Annex A places them.
struct Language {
  NationalLanguage id;
  std::u32string letters;
  std::u32string in_default_alphabet;  // subset of letters in the default alphabet
  std::u32string in_locking;           // subset in the language's locking table (empty: none)
  std::u32string in_single;            // subset in the language's single-shift table
  bool has_locking;
};

const Language kTurkish{NationalLanguage::turkish,
                        U"\u011F\u011E\u015F\u015E\u0131\u0130\u00E7\u00C7\u00F6\u00D6\u00FC\u00DC",
                        U"\u00C7\u00F6\u00D6\u00FC\u00DC",
                        U"\u011F\u011E\u015F\u015E\u0131\u0130\u00E7\u00C7\u00F6\u00D6\u00FC\u00DC",
                        U"\u011E\u0130\u015E\u00E7\u011F\u0131\u015F",
                        true};
const Language kSpanish{NationalLanguage::spanish,
                        U"\u00E1\u00E9\u00ED\u00F3\u00FA\u00F1\u00D1\u00FC\u00C1\u00C9\u00CD"
                        U"\u00D3\u00DA\u00A1\u00BF\u00E7",
                        U"\u00E9\u00F1\u00D1\u00FC\u00C9\u00A1\u00BF",
                        U"",
                        U"\u00E1\u00ED\u00F3\u00FA\u00C1\u00CD\u00D3\u00DA\u00E7",
                        false};
const Language kPortuguese{
    NationalLanguage::portuguese,
    U"\u00E3\u00F5\u00E7\u00E1\u00E9\u00ED\u00F3\u00FA\u00E2\u00EA\u00F4\u00E0\u00C3\u00D5"
    U"\u00C7\u00C1\u00C9\u00CD\u00D3\u00DA\u00C2\u00CA\u00D4\u00C0",
    U"\u00E9\u00C7\u00C9\u00E0",
    U"\u00E3\u00F5\u00E7\u00E1\u00E9\u00ED\u00F3\u00FA\u00E2\u00EA\u00F4\u00E0\u00C3\u00D5"
    U"\u00C7\u00C1\u00C9\u00CD\u00D3\u00DA\u00C2\u00CA\u00D4\u00C0",
    U"\u00EA\u00E7\u00D4\u00F4\u00C1\u00E1\u00CA\u00C0\u00CD\u00D3\u00DA\u00C3\u00D5\u00C2"
    U"\u00ED\u00F3\u00FA\u00E3\u00F5\u00E2",
    true};

struct NationalMinimum {
  std::size_t parts = 0;  // 0: no table pair represents the text
  int ies = 0;            // fewest national IEs among the pairs reaching `parts`
};

// Tries (default | language locking) x (default | language single shift) on text made
// of kCommon and the language's letters.
NationalMinimum min_national_parts(const std::u32string& text, const Language& language) {
  NationalMinimum best;
  for (int locking = 0; locking < (language.has_locking ? 2 : 1); ++locking) {
    for (int single = 0; single < 2; ++single) {
      const auto& locked = locking ? language.in_locking : language.in_default_alphabet;
      std::vector<int> costs;
      bool representable = true;
      for (char32_t c : text) {
        if (kCommon.find(c) != std::u32string::npos || locked.find(c) != std::u32string::npos) {
          costs.push_back(1);
        } else if (single && language.in_single.find(c) != std::u32string::npos) {
          costs.push_back(2);
        } else {
          representable = false;
        }
      }
      if (!representable) continue;
      const int ies = locking + single;
      const std::size_t national_octets = 3 * static_cast<std::size_t>(ies);
      const std::size_t parts =
          greedy_parts(costs, septets_left(national_octets), septets_left(5 + national_octets));
      if (best.parts == 0 || parts < best.parts || (parts == best.parts && ies < best.ies)) {
        best = {parts, ies};
      }
    }
  }
  return best;
}

// ---- Reassembly ---------------------------------------------------------------------

struct Reassembled {
  std::string text;
  std::optional<NationalLanguage> single_shift;
  std::optional<NationalLanguage> locking_shift;
};

// Decodes every part, checks the concatenation IEs, and joins the texts in order.
Reassembled reassemble(const std::vector<std::string>& pdus) {
  Reassembled out;
  std::map<unsigned, std::string> texts;
  for (std::size_t i = 0; i < pdus.size(); ++i) {
    auto decoded = decode(pdus[i]);
    EXPECT_TRUE(decoded.ok()) << pdus[i] << ": " << decoded.error().message;
    if (!decoded.ok()) return out;
    const auto& ud = test::user_data_of(*decoded);
    if (pdus.size() == 1) {
      EXPECT_FALSE(ud.concat.has_value());
    } else {
      EXPECT_TRUE(ud.concat.has_value());
      if (!ud.concat) return out;
      EXPECT_EQ(ud.concat->total, pdus.size());
      EXPECT_EQ(ud.concat->part, i + 1);
    }
    if (i == 0) {
      out.single_shift = ud.single_shift;
      out.locking_shift = ud.locking_shift;
    } else {
      EXPECT_EQ(ud.single_shift, out.single_shift);  // the IEs are in every part
      EXPECT_EQ(ud.locking_shift, out.locking_shift);
    }
    texts[ud.concat ? ud.concat->part : 1] = ud.text;
  }
  for (const auto& [part, text] : texts) out.text += text;
  return out;
}

std::vector<std::string> pdus_of(const EncodedSubmit& encoded) {
  std::vector<std::string> pdus;
  for (const auto& part : encoded.parts) pdus.push_back(part.pdu);
  return pdus;
}

// ---- Generators ---------------------------------------------------------------------

class TextGenerator {
 public:
  explicit TextGenerator(unsigned seed) : random_(seed) {}

  std::size_t length(std::size_t max) { return pick(max + 1); }
  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_);
  }
  bool chance(double p) { return std::bernoulli_distribution(p)(random_); }

  char32_t from(const std::u32string& pool) { return pool[pick(pool.size())]; }

  char32_t non_gsm() {
    switch (pick(5)) {
      case 0:
        return static_cast<char32_t>(0x0410 + pick(0x40));  // Cyrillic
      case 1:
        return static_cast<char32_t>(0x4E00 + pick(0x2000));  // CJK
      case 2:
        return static_cast<char32_t>(0x0627 + pick(0x24));  // Arabic letters
      case 3:
        return static_cast<char32_t>(0x1F600 + pick(0x50));  // emoji (surrogate pairs)
      default:
        return static_cast<char32_t>(0x1F300 + pick(0x100));  // symbols (surrogate pairs)
    }
  }

 private:
  std::mt19937 random_;
};

// ---- The properties -----------------------------------------------------------------

TEST(RoundTrip, Gsm7WithExtensionCharactersAtPartBoundaries) {
  TextGenerator gen(1001);
  std::set<std::size_t> part_counts;
  for (int round = 0; round < 150; ++round) {
    const double extension_share = round % 3 == 0 ? 0.0 : round % 3 == 1 ? 0.15 : 0.6;
    std::u32string text;
    const std::size_t n = 1 + gen.length(round < 30 ? 170 : 1560);
    for (std::size_t i = 0; i < n; ++i) {
      text += gen.chance(extension_share) ? gen.from(kExtension) : gen.from(kDefault);
    }
    const std::string utf8_text = from_u32(text);
    SubmitOptions options;
    options.concat_reference = static_cast<std::uint8_t>(round);
    auto encoded = encode_submit("+4915712345678", utf8_text, options);
    const std::size_t minimum = min_gsm7_parts(text);
    if (minimum > 10) {
      ASSERT_FALSE(encoded.ok());
      EXPECT_EQ(encoded.error().code, "pdu.too_long");
      continue;
    }
    ASSERT_TRUE(encoded.ok()) << encoded.error().message;
    EXPECT_EQ(encoded->encoding, Encoding::gsm7);
    EXPECT_EQ(encoded->parts.size(), minimum) << "round " << round;
    EXPECT_EQ(reassemble(pdus_of(*encoded)).text, utf8_text) << "round " << round;
    part_counts.insert(encoded->parts.size());
  }
  EXPECT_GE(part_counts.size(), 9u) << "the generator should cover 1 to 10 parts";
}

TEST(RoundTrip, ExtensionCharacterOnEveryBoundaryPosition) {
  // Put a two-septet character at each position around the 153-septet boundary.
  for (std::size_t before = 145; before <= 160; ++before) {
    for (const char32_t escaped : kExtension) {
      std::u32string text(before, U'x');
      text += escaped;
      text += std::u32string(200, U'y');
      auto encoded = encode_submit("+1", from_u32(text));
      ASSERT_TRUE(encoded.ok());
      EXPECT_EQ(encoded->parts.size(), min_gsm7_parts(text));
      EXPECT_EQ(reassemble(pdus_of(*encoded)).text, from_u32(text)) << before;
    }
  }
}

TEST(RoundTrip, Ucs2WithEmojiAtPartBoundaries) {
  TextGenerator gen(2002);
  std::set<std::size_t> part_counts;
  for (int round = 0; round < 150; ++round) {
    std::u32string text;
    const std::size_t n = 1 + gen.length(round < 30 ? 75 : 700);
    for (std::size_t i = 0; i < n; ++i) {
      const auto kind = gen.pick(4);
      text += kind == 0 ? gen.from(kDefault) : kind == 1 ? gen.from(kExtension) : gen.non_gsm();
    }
    text[gen.pick(text.size())] = gen.non_gsm();  // at least one character outside GSM 7
    const std::string utf8_text = from_u32(text);
    auto encoded = encode_submit("+4915712345678", utf8_text);
    const std::size_t minimum = min_ucs2_parts(text);
    if (minimum > 10) {
      ASSERT_FALSE(encoded.ok());
      EXPECT_EQ(encoded.error().code, "pdu.too_long");
      continue;
    }
    ASSERT_TRUE(encoded.ok()) << encoded.error().message;
    EXPECT_EQ(encoded->encoding, Encoding::ucs2);
    EXPECT_EQ(encoded->parts.size(), minimum) << "round " << round;
    EXPECT_EQ(reassemble(pdus_of(*encoded)).text, utf8_text) << "round " << round;
    part_counts.insert(encoded->parts.size());
  }
  EXPECT_GE(part_counts.size(), 9u) << "the generator should cover 1 to 10 parts";
}

TEST(RoundTrip, SurrogatePairOnEveryBoundaryPosition) {
  for (std::size_t before = 60; before <= 70; ++before) {
    std::u32string text(before, U'\u0416');
    text += U'\U0001F680';
    text += std::u32string(80, U'\u0436');
    auto encoded = encode_submit("+1", from_u32(text));
    ASSERT_TRUE(encoded.ok());
    EXPECT_EQ(encoded->parts.size(), min_ucs2_parts(text));
    EXPECT_EQ(reassemble(pdus_of(*encoded)).text, from_u32(text)) << before;
  }
}

TEST(RoundTrip, ForcedEncodingsOnGsmText) {
  TextGenerator gen(3003);
  for (int round = 0; round < 60; ++round) {
    std::u32string text;
    const std::size_t n = 1 + gen.length(600);
    for (std::size_t i = 0; i < n; ++i) {
      text += gen.chance(0.1) ? gen.from(kExtension) : gen.from(kDefault);
    }
    const std::string utf8_text = from_u32(text);
    SubmitOptions ucs2;
    ucs2.encoding = EncodingChoice::ucs2;
    auto as_ucs2 = encode_submit("+1", utf8_text, ucs2);
    ASSERT_TRUE(as_ucs2.ok());
    EXPECT_EQ(as_ucs2->encoding, Encoding::ucs2);
    EXPECT_EQ(as_ucs2->parts.size(), min_ucs2_parts(text));
    EXPECT_EQ(reassemble(pdus_of(*as_ucs2)).text, utf8_text);
    SubmitOptions gsm7;
    gsm7.encoding = EncodingChoice::gsm7;
    auto as_gsm7 = encode_submit("+1", utf8_text, gsm7);
    ASSERT_TRUE(as_gsm7.ok());
    EXPECT_EQ(as_gsm7->parts.size(), min_gsm7_parts(text));
    EXPECT_EQ(reassemble(pdus_of(*as_gsm7)).text, utf8_text);
  }
}

class NationalRoundTrip : public ::testing::TestWithParam<const Language*> {};

TEST_P(NationalRoundTrip, FewestPartsAndFewestIes) {
  const Language& language = *GetParam();
  TextGenerator gen(4004 + static_cast<unsigned>(language.id));
  std::map<int, int> ies_seen;
  std::set<std::size_t> part_counts;
  for (int round = 0; round < 120; ++round) {
    const double national_share = round % 4 == 0 ? 0.0 : round % 4 == 1 ? 0.02 : 0.2;
    std::u32string text;
    const std::size_t n = 1 + gen.length(round < 40 ? 170 : 1560);
    for (std::size_t i = 0; i < n; ++i) {
      text += gen.chance(national_share) ? gen.from(language.letters) : gen.from(kCommon);
    }
    const std::string utf8_text = from_u32(text);
    SubmitOptions options;
    options.national_languages = {language.id};
    auto encoded = encode_submit("+905321234567", utf8_text, options);
    const auto minimum = min_national_parts(text, language);
    ASSERT_NE(minimum.parts, 0u);
    if (minimum.parts > 10) {
      ASSERT_FALSE(encoded.ok());
      EXPECT_EQ(encoded.error().code, "pdu.too_long");
      continue;
    }
    ASSERT_TRUE(encoded.ok()) << encoded.error().message;
    EXPECT_EQ(encoded->encoding, Encoding::gsm7);
    EXPECT_EQ(encoded->parts.size(), minimum.parts) << "round " << round;
    const int ies = (encoded->single_shift ? 1 : 0) + (encoded->locking_shift ? 1 : 0);
    EXPECT_EQ(ies, minimum.ies) << "round " << round;
    ++ies_seen[ies];
    part_counts.insert(encoded->parts.size());
    const auto back = reassemble(pdus_of(*encoded));
    EXPECT_EQ(back.text, utf8_text) << "round " << round;
    EXPECT_EQ(back.single_shift, encoded->single_shift);
    EXPECT_EQ(back.locking_shift, encoded->locking_shift);

    // The same text as an SMS-DELIVER from the network side.
    DeliverOptions deliver;
    deliver.national_languages = {language.id};
    auto delivered = encode_deliver("Operator", utf8_text, deliver);
    ASSERT_TRUE(delivered.ok());
    EXPECT_EQ(delivered->size(), minimum.parts);
    EXPECT_EQ(reassemble(*delivered).text, utf8_text);
  }
  EXPECT_GT(ies_seen[0], 0) << "some texts need no national table";
  EXPECT_GT(ies_seen[1], 0) << "some texts need one national table";
  EXPECT_GE(part_counts.size(), 8u) << "the generator should cover 1 to 10 parts";
}

INSTANTIATE_TEST_SUITE_P(Pdu, NationalRoundTrip,
                         ::testing::Values(&kTurkish, &kSpanish, &kPortuguese),
                         [](const auto& test_info) {
                           switch (test_info.param->id) {
                             case NationalLanguage::turkish:
                               return std::string("turkish");
                             case NationalLanguage::spanish:
                               return std::string("spanish");
                             default:
                               return std::string("portuguese");
                           }
                         });

TEST(RoundTrip, AllLanguagesAllowedNeverCostsMoreThanOne) {
  TextGenerator gen(5005);
  for (int round = 0; round < 90; ++round) {
    const Language& language = *std::array{&kTurkish, &kSpanish, &kPortuguese}[round % 3];
    std::u32string text;
    const std::size_t n = 1 + gen.length(900);
    for (std::size_t i = 0; i < n; ++i) {
      text += gen.chance(0.15) ? gen.from(language.letters) : gen.from(kCommon);
    }
    const std::string utf8_text = from_u32(text);
    SubmitOptions options;
    options.national_languages = {NationalLanguage::turkish, NationalLanguage::spanish,
                                  NationalLanguage::portuguese};
    auto encoded = encode_submit("+1", utf8_text, options);
    ASSERT_TRUE(encoded.ok()) << encoded.error().message;
    EXPECT_LE(encoded->parts.size(), min_national_parts(text, language).parts);
    EXPECT_EQ(reassemble(pdus_of(*encoded)).text, utf8_text) << "round " << round;
  }
}

TEST(RoundTrip, DeliverInEveryEncoding) {
  TextGenerator gen(6006);
  for (int round = 0; round < 60; ++round) {
    std::u32string text;
    const bool gsm = round % 2 == 0;
    const std::size_t n = 1 + gen.length(gsm ? 500 : 300);
    for (std::size_t i = 0; i < n; ++i) {
      text += gsm ? (gen.chance(0.1) ? gen.from(kExtension) : gen.from(kDefault)) : gen.non_gsm();
    }
    DeliverOptions options;
    options.scts = Timestamp{2000 + round, 1 + round % 12,   1 + round % 28,     round % 24,
                             round % 60,   (round * 7) % 60, (round % 9 - 4) * 4};
    options.concat_reference = static_cast<std::uint8_t>(200 + round);
    const std::string utf8_text = from_u32(text);
    auto pdus = encode_deliver(round % 3 == 0 ? "+4930123456" : "Alerts", utf8_text, options);
    ASSERT_TRUE(pdus.ok()) << pdus.error().message;
    EXPECT_EQ(pdus->size(), gsm ? min_gsm7_parts(text) : min_ucs2_parts(text));
    EXPECT_EQ(reassemble(*pdus).text, utf8_text);
    auto first = decode(pdus->front());
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(std::get<Deliver>(first->tpdu).scts, options.scts);
  }
}

}  // namespace
}  // namespace smsgw::pdu
