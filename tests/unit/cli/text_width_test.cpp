// Display widths follow the C library's wcwidth(3) (glibc's Unicode data), measured without
// changing the process's locale.
#include "smsgw/cli/text_width.hpp"

#include <gtest/gtest.h>
#include <locale.h>

#include <clocale>
#include <string>

namespace smsgw::cli {
namespace {

TEST(DisplayWidth, AsciiAndLatinTakeOneColumnEach) {
  EXPECT_EQ(display_width(""), 0u);
  EXPECT_EQ(display_width("modem0"), 6u);
  EXPECT_EQ(display_width("gr\u00fc\u00dfe"), 5u);
  EXPECT_EQ(display_width("e\u0301"), 1u);  // e + combining acute accent
}

TEST(DisplayWidth, DevanagariCombiningMarksTakeNoColumn) {
  // नमस्ते: na, ma, sa, virama (Mn), ta, vowel sign e (Mn).
  EXPECT_EQ(display_width("\u0928\u092E\u0938\u094D\u0924\u0947"), 4u);
  // हिन्दी: ha, vowel sign i, na, virama, da, vowel sign ii. The vowel signs i and ii are
  // spacing marks (Mc), which glibc 2.36 counts as one column each; only the virama (Mn)
  // is 0. That is glibc's answer, asserted as such.
  EXPECT_EQ(display_width("\u0939\u093F\u0928\u094D\u0926\u0940"), 5u);
  EXPECT_EQ(display_width("\u0915\u0902"), 1u);  // ka + anusvara (Mn)
}

TEST(DisplayWidth, ThaiVowelAndToneMarksTakeNoColumn) {
  // สวัสดี: so suea, wo waen, mai han-akat (Mn), so suea, do dek, sara ii (Mn).
  EXPECT_EQ(display_width("\u0E2A\u0E27\u0E31\u0E2A\u0E14\u0E35"), 4u);
  EXPECT_EQ(display_width("\u0E48"), 0u);  // mai ek, a tone mark alone
}

TEST(DisplayWidth, EastAsianWideAndFullwidthTakeTwoColumns) {
  EXPECT_EQ(display_width("\u4E2D\u6587"), 4u);        // 中文
  EXPECT_EQ(display_width("\uD55C\uAD6D\uC5B4"), 6u);  // 한국어
  EXPECT_EQ(display_width("\u30AB\u30BF"), 4u);        // カタ
  EXPECT_EQ(display_width("\uFF21\uFF22"), 4u);        // fullwidth AB
  EXPECT_EQ(display_width("\U00020000"), 2u);          // CJK extension B
  EXPECT_EQ(display_width("\uFF71"), 1u);              // halfwidth katakana
}

TEST(DisplayWidth, EmojiTakeTwoColumns) {
  EXPECT_EQ(display_width("\U0001F600"), 2u);                  // grinning face
  EXPECT_EQ(display_width("ok \U0001F44D"), 5u);               // thumbs up
  EXPECT_EQ(display_width("\U0001F680\U0001F389"), 4u);        // rocket, party popper
  EXPECT_EQ(display_width("\U0001F468\u200D\U0001F4BB"), 4u);  // ZWJ sequence: ZWJ is 0
  // glibc gives the skin tone modifier its own 2 columns and U+2764 (heavy black heart,
  // text presentation) 1 even before VS16 (0); terminals that join them show fewer.
  EXPECT_EQ(display_width("\U0001F44D\U0001F3FD"), 4u);
  EXPECT_EQ(display_width("\u2764\uFE0F"), 1u);
}

TEST(DisplayWidth, ZeroWidthFormatCharactersTakeNoColumn) {
  EXPECT_EQ(display_width("a\u200Bb"), 2u);      // zero width space
  EXPECT_EQ(display_width("\u200E\u2060"), 0u);  // left-to-right mark, word joiner
}

TEST(DisplayWidth, InvalidBytesAndUnprintableCodePointsTakeOneColumn) {
  EXPECT_EQ(display_width("ab\xff"), 3u);
  EXPECT_EQ(display_width("\xe4\xb8"), 2u);  // a wide character cut short: two bad bytes
  EXPECT_EQ(display_width("\x07"), 1u);      // BEL: wcwidth -1
  EXPECT_EQ(display_width("\u0378"), 1u);    // unassigned: wcwidth -1
}

TEST(DisplayWidth, LeavesTheProcessAndThreadLocaleAlone) {
  const std::string before = std::setlocale(LC_CTYPE, nullptr);
  const locale_t thread_before = ::uselocale(locale_t{});
  EXPECT_EQ(display_width("\u4E2D"), 2u);
  EXPECT_EQ(truncate_to_width("\u4E2D\u6587\u5B57", 4, true), "\u4E2D\u2026");
  EXPECT_EQ(std::setlocale(LC_CTYPE, nullptr), before);
  EXPECT_EQ(::uselocale(locale_t{}), thread_before);
}

TEST(TextWidth, TruncationKeepsCombiningMarksWithTheirBase) {
  // नमस्ते (4 columns) in 3: two letters, then the ellipsis.
  EXPECT_EQ(truncate_to_width("\u0928\u092E\u0938\u094D\u0924\u0947", 3, true),
            "\u0928\u092E\u2026");
  // कंकंकं (ka + anusvara, three times: 3 columns) in 2: the first ka keeps its anusvara.
  EXPECT_EQ(truncate_to_width("\u0915\u0902\u0915\u0902\u0915\u0902", 2, true),
            "\u0915\u0902\u2026");
  EXPECT_EQ(truncate_to_width("\U0001F600\U0001F600\U0001F600", 5, false), "\U0001F600\U0001F600~");
  EXPECT_EQ(truncate_start_to_width("ab\U0001F600", 3, true), "\u2026\U0001F600");
}

}  // namespace
}  // namespace smsgw::cli
