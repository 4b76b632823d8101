#include "smsgw/gateway/balance_parser.hpp"

#include <gtest/gtest.h>

namespace smsgw::gateway {
namespace {

struct BalanceCase {
  const char* reply;
  const char* pattern;
  std::optional<double> amount;
};

class BalanceParserTest : public ::testing::TestWithParam<BalanceCase> {};

TEST_P(BalanceParserTest, ReadsTheFirstGroup) {
  const auto& c = GetParam();
  const auto amount = parse_balance(c.reply, c.pattern);
  ASSERT_EQ(amount.has_value(), c.amount.has_value()) << c.reply;
  if (amount) {
    EXPECT_DOUBLE_EQ(*amount, *c.amount) << c.reply;
  }
}

// Replies as operators send them (decoded text; the USSD decoding itself is the modem's).
INSTANTIATE_TEST_SUITE_P(
    Replies, BalanceParserTest,
    ::testing::Values(
        // German Telekom-style, decimal comma (Huawei E160 dump in at-protocol.md).
        BalanceCase{"Ihr Guthaben fuer die Nr. 0151 betraegt 5,78 Euro.", "([0-9]+[.,][0-9]+)",
                    5.78},
        BalanceCase{"Your balance is 12.34 EUR", "([0-9]+[.,][0-9]+)", 12.34},
        BalanceCase{"Balance: 1.234,56 RUB", "Balance: ([0-9.,]+)", 1234.56},
        BalanceCase{"Balance: 1,234.56 USD", "Balance: ([0-9.,]+)", 1234.56},
        BalanceCase{"Баланс 57,20 р.", "([0-9]+,[0-9]+)", 57.20},
        BalanceCase{"Credit: -3.50", "Credit: (-?[0-9.]+)", -3.5},
        BalanceCase{"Sorry, service unavailable", "([0-9]+[.,][0-9]+)", std::nullopt},
        BalanceCase{"Balance 10", "Balance ([a-z]*)", std::nullopt}));

TEST(BalancePattern, NeedsACaptureGroup) {
  EXPECT_TRUE(validate_balance_pattern("([0-9]+)").ok());
  auto no_group = validate_balance_pattern("[0-9]+");
  ASSERT_FALSE(no_group.ok());
  EXPECT_NE(no_group.error().message.find("group"), std::string::npos);
  EXPECT_FALSE(validate_balance_pattern("([0-9]+").ok());
}

}  // namespace
}  // namespace smsgw::gateway
