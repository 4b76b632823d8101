#include "smsgw/scheduler/numbering.hpp"

#include <gtest/gtest.h>

namespace smsgw::scheduler {
namespace {

struct GoodNumber {
  const char* input;
  const char* country_code;
  const char* expected;
};

class NormaliseGood : public ::testing::TestWithParam<GoodNumber> {};

TEST_P(NormaliseGood, GivesE164) {
  const auto& c = GetParam();
  auto number = normalise_destination(c.input, c.country_code);
  ASSERT_TRUE(number.ok()) << c.input << ": " << number.error().message;
  EXPECT_EQ(*number, c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Forms, NormaliseGood,
    ::testing::Values(GoodNumber{"+4917612345678", "49", "+4917612345678"},
                      GoodNumber{"004917612345678", "49", "+4917612345678"},
                      GoodNumber{"017612345678", "49", "+4917612345678"},
                      GoodNumber{"017612345678", "43", "+4317612345678"},
                      GoodNumber{"+4917612345678", "", "+4917612345678"},
                      GoodNumber{"+49 176 1234-5678", "49", "+4917612345678"},
                      GoodNumber{"+49 (176) 123.456.78", "49", "+4917612345678"},
                      GoodNumber{"+49 (0)176 12345678", "49", "+4917612345678"},
                      GoodNumber{"(0176) 123 456 78", "49", "+4917612345678"},
                      GoodNumber{"\t0176 12345678 ", "49", "+4917612345678"},
                      GoodNumber{"+1 (415) 555-2671", "49", "+14155552671"},
                      GoodNumber{"+683 4002", "", "+6834002"},
                      GoodNumber{"+123456789012345", "", "+123456789012345"}));

struct BadNumber {
  const char* input;
  const char* country_code;
  const char* code;
};

class NormaliseBad : public ::testing::TestWithParam<BadNumber> {};

TEST_P(NormaliseBad, IsRefusedWithCode) {
  const auto& c = GetParam();
  auto number = normalise_destination(c.input, c.country_code);
  ASSERT_FALSE(number.ok()) << c.input << " -> " << *number;
  EXPECT_EQ(number.error().code, c.code) << number.error().message;
  EXPECT_NE(number.error().message.find(c.input), std::string::npos)
      << "the message names the input: " << number.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Errors, NormaliseBad,
    ::testing::Values(BadNumber{"", "49", "number.empty"}, BadNumber{" - ", "49", "number.empty"},
                      BadNumber{"+", "49", "number.empty"},
                      BadNumber{"MyBank", "49", "number.alphanumeric"},
                      BadNumber{"0176ABC123", "49", "number.alphanumeric"},
                      BadNumber{"+49176#123456", "49", "number.invalid_character"},
                      BadNumber{"0176/1234567", "49", "number.invalid_character"},
                      BadNumber{"49+17612345678", "49", "number.misplaced_plus"},
                      BadNumber{"++4917612345678", "49", "number.misplaced_plus"},
                      BadNumber{"4917612345678", "49", "number.ambiguous"},
                      BadNumber{"22022", "49", "number.ambiguous"},
                      BadNumber{"017612345678", "", "number.no_country_code"},
                      BadNumber{"+017612345678", "49", "number.bad_country_code"},
                      BadNumber{"000017612345678", "49", "number.bad_country_code"},
                      BadNumber{"00", "49", "number.bad_country_code"},
                      BadNumber{"+1234567890123456", "49", "number.too_long"},
                      BadNumber{"01234567890123456", "49", "number.too_long"},
                      BadNumber{"+49123", "49", "number.too_short"},
                      BadNumber{"0", "49", "number.too_short"}));

TEST(Numbering, NationalWithInvalidDefaultCountryCodeIsRefused) {
  auto number = normalise_destination("017612345678", "+49");
  ASSERT_FALSE(number.ok());
  EXPECT_EQ(number.error().code, "number.bad_country_code");
}

TEST(Numbering, ValidatesCountryCodes) {
  EXPECT_TRUE(validate_country_code("").ok());
  EXPECT_TRUE(validate_country_code("1").ok());
  EXPECT_TRUE(validate_country_code("49").ok());
  EXPECT_TRUE(validate_country_code("380").ok());
  EXPECT_FALSE(validate_country_code("049").ok());
  EXPECT_FALSE(validate_country_code("+49").ok());
  EXPECT_FALSE(validate_country_code("1234").ok());
  EXPECT_FALSE(validate_country_code("4a").ok());
}

TEST(Numbering, PrefixesNormaliseWithoutMinimumLength) {
  EXPECT_EQ(*normalise_prefix("+49151", "49"), "+49151");
  EXPECT_EQ(*normalise_prefix("0049151", "49"), "+49151");
  EXPECT_EQ(*normalise_prefix("0151", "49"), "+49151");
  EXPECT_EQ(*normalise_prefix("+49", ""), "+49");
  EXPECT_EQ(normalise_prefix("0151", "").error().code, "number.no_country_code");
  EXPECT_EQ(normalise_prefix("151", "49").error().code, "number.ambiguous");
}

TEST(Numbering, SameSubscriberComparesSignificantSuffixes) {
  EXPECT_TRUE(same_subscriber("+4917612345678", "+4917612345678"));
  EXPECT_TRUE(same_subscriber("+4917612345678", "4917612345678"));
  EXPECT_TRUE(same_subscriber("+4917612345678", "017612345678"));
  EXPECT_TRUE(same_subscriber("004917612345678", "17612345678"));
  EXPECT_FALSE(same_subscriber("+4917612345678", "+4917612345679"));
  // Only the common suffix is compared, so a country difference is invisible when one
  // side is national: that is the point for modems that drop the country code.
  EXPECT_TRUE(same_subscriber("017612345678", "+4317612345678"));
  EXPECT_FALSE(same_subscriber("+4917612345678", "+4317612345678"));
  EXPECT_FALSE(same_subscriber("", "+4917612345678"));
  EXPECT_FALSE(same_subscriber("000", "000"));
  EXPECT_FALSE(same_subscriber("5678", "+4917612345678"));  // too few common digits
  EXPECT_TRUE(same_subscriber("5678", "+4917612345678", 4));
}

}  // namespace
}  // namespace smsgw::scheduler
