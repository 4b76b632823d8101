// Invalid UTF-8 input is rejected naming the byte offset (RFC 3629 section 3).
#include <gtest/gtest.h>

#include "smsgw/pdu/pdu.hpp"

namespace smsgw::pdu {
namespace {

struct InvalidUtf8 {
  const char* name;
  std::string text;
  std::size_t offset;
  const char* why;
};

class RejectsInvalidUtf8 : public ::testing::TestWithParam<InvalidUtf8> {};

TEST_P(RejectsInvalidUtf8, NamingTheByteOffset) {
  const auto& c = GetParam();
  auto encoded = encode_submit("+123", c.text);
  ASSERT_FALSE(encoded.ok());
  EXPECT_EQ(encoded.error().code, "pdu.invalid_utf8");
  const std::string expected = "byte " + std::to_string(c.offset) + ":";
  EXPECT_EQ(encoded.error().message.rfind(expected, 0), 0u) << encoded.error().message;
  EXPECT_NE(encoded.error().message.find(c.why), std::string::npos) << encoded.error().message;
  auto packed = pack_gsm7_text(c.text);
  ASSERT_FALSE(packed.ok());
  EXPECT_EQ(packed.error().code, "pdu.invalid_utf8");
}

INSTANTIATE_TEST_SUITE_P(
    Pdu, RejectsInvalidUtf8,
    ::testing::Values(InvalidUtf8{"overlong_slash", "ab\xC0\xAF", 2, "overlong"},
                      InvalidUtf8{"overlong_three_byte", "\xE0\x80\xAF", 0, "overlong"},
                      InvalidUtf8{"overlong_four_byte", "x\xF0\x82\x82\xAC", 1, "overlong"},
                      InvalidUtf8{"surrogate_high", "hi \xED\xA0\x80", 3, "surrogate"},
                      InvalidUtf8{"surrogate_low", "\xED\xBF\xBF", 0, "surrogate"},
                      InvalidUtf8{"above_max", "ok\xF4\x90\x80\x80", 2, "above U+10FFFF"},
                      InvalidUtf8{"lead_f5", "\xF5\x80\x80\x80", 0, "above U+10FFFF"},
                      InvalidUtf8{"truncated_at_end", "abc\xE2\x82", 3, "truncated"},
                      InvalidUtf8{"truncated_by_ascii", "\xE2\x82x", 0, "truncated"},
                      InvalidUtf8{"lone_continuation", "a\x80", 1, "continuation"},
                      InvalidUtf8{"byte_ff", "ab\xFF", 2, "never occurs"}),
    [](const auto& test_info) { return std::string(test_info.param.name); });

TEST(Utf8, AcceptsTheWholeRangeIncludingFourByteForms) {
  // U+0000..U+007F, U+07FF, U+FFFF (non-character but valid), U+10FFFF.
  auto encoded = encode_submit("+123", std::string("a\xDF\xBF\xEF\xBF\xBF\xF4\x8F\xBF\xBF"));
  ASSERT_TRUE(encoded.ok()) << encoded.error().message;
  EXPECT_EQ(encoded->encoding, Encoding::ucs2);
  auto decoded = decode(encoded->parts[0].pdu);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(std::get<Submit>(decoded->tpdu).user_data.text,
            "a\xDF\xBF\xEF\xBF\xBF\xF4\x8F\xBF\xBF");
}

}  // namespace
}  // namespace smsgw::pdu
