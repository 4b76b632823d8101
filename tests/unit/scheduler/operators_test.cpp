#include "smsgw/scheduler/operators.hpp"

#include <gtest/gtest.h>

namespace smsgw::scheduler {
namespace {

// German operators as in config/smsgw.toml, plus a US pair where a 3-digit MNC (310150,
// AT&T) shares its first five digits with a 2-digit one (31015, a made-up neighbour) so the
// longest-prefix rule is visible.
std::vector<OperatorSpec> sample_specs() {
  return {
      {"Telekom", {"26201"}, {"+49151", "+49160", "+49170", "+49171", "+49175"}},
      {"Vodafone", {"26202"}, {"0152", "00491620", "+49172", "+49173", "+49174"}},
      {"O2", {"26203", "26207"}, {"+49159", "+49176", "+49179", "+4915"}},
      {"AT&T", {"310150"}, {"+1"}},
      {"Neighbour", {"31015"}, {}},
  };
}

OperatorTable sample_table() {
  auto table = OperatorTable::create(sample_specs(), "49");
  EXPECT_TRUE(table.ok()) << table.error().message;
  return std::move(table).value();
}

std::string name_or_none(const Operator* op) { return op == nullptr ? "<none>" : op->name; }

struct ImsiCase {
  const char* imsi;
  const char* expected;
};

class ImsiToOperator : public ::testing::TestWithParam<ImsiCase> {};

TEST_P(ImsiToOperator, MatchesLongestMccMnc) {
  const auto table = sample_table();
  EXPECT_EQ(name_or_none(table.for_imsi(GetParam().imsi)), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Imsis, ImsiToOperator,
    ::testing::Values(ImsiCase{"262011234567890", "Telekom"},  // AT+CIMI of a Telekom SIM
                      ImsiCase{"262021234567890", "Vodafone"},
                      ImsiCase{"262073012345678", "O2"},  // O2 (ex E-Plus) network code 07
                      ImsiCase{"26201", "Telekom"},       // bare MCC+MNC (AT+COPS numeric)
                      ImsiCase{"310150123456789", "AT&T"}, ImsiCase{"310151234567890", "Neighbour"},
                      ImsiCase{"262091234567890", "<none>"}, ImsiCase{"2620", "<none>"},
                      ImsiCase{"", "<none>"}, ImsiCase{"26201X234567890", "<none>"}));

struct DestinationCase {
  const char* e164;
  const char* expected;
};

class DestinationToOperator : public ::testing::TestWithParam<DestinationCase> {};

TEST_P(DestinationToOperator, MatchesLongestPrefix) {
  const auto table = sample_table();
  EXPECT_EQ(name_or_none(table.for_destination(GetParam().e164)), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Destinations, DestinationToOperator,
    ::testing::Values(DestinationCase{"+4915112345678", "Telekom"},
                      DestinationCase{"+4917012345678", "Telekom"},
                      DestinationCase{"+4915212345678", "Vodafone"},  // from "0152"
                      DestinationCase{"+4916201234567", "Vodafone"},  // from "00491620"
                      DestinationCase{"+4915912345678", "O2"},        // "+49159" over "+4915"
                      DestinationCase{"+4915712345678", "O2"},        // only "+4915"
                      DestinationCase{"+4917612345678", "O2"},
                      DestinationCase{"+14155552671", "AT&T"},
                      DestinationCase{"+4930123456", "<none>"},     // Berlin landline
                      DestinationCase{"+4916312345678", "<none>"},  // "+49162" no, "+4916" no
                      DestinationCase{"", "<none>"}));

TEST(OperatorTable, KeepsNormalisedPrefixesAndFindsByName) {
  const auto table = sample_table();
  const auto* vodafone = table.find("Vodafone");
  ASSERT_NE(vodafone, nullptr);
  EXPECT_EQ(vodafone->prefixes.front(), "+49152");
  EXPECT_EQ(vodafone->prefixes[1], "+491620");
  EXPECT_EQ(table.find("Nope"), nullptr);
  EXPECT_EQ(table.operators().size(), 5U);
}

TEST(OperatorTable, EmptyTableMatchesNothing) {
  const OperatorTable table;
  EXPECT_EQ(table.for_imsi("262011234567890"), nullptr);
  EXPECT_EQ(table.for_destination("+4915112345678"), nullptr);
}

struct BadSpecCase {
  std::vector<OperatorSpec> specs;
  const char* message_part;
};

class BadOperatorSpecs : public ::testing::TestWithParam<BadSpecCase> {};

TEST_P(BadOperatorSpecs, AreRefusedNamingTheProblem) {
  auto table = OperatorTable::create(GetParam().specs, "49");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.error().code, "operators.invalid");
  EXPECT_NE(table.error().message.find(GetParam().message_part), std::string::npos)
      << table.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Specs, BadOperatorSpecs,
    ::testing::Values(BadSpecCase{{{"", {"26201"}, {}}}, "name is empty"},
                      BadSpecCase{{{"A", {"26201"}, {}}, {"A", {"26202"}, {}}},
                                  "operator[1] \"A\": name"},
                      BadSpecCase{{{"A", {"2620"}, {}}}, "mccmnc \"2620\" must be 5 or 6 digits"},
                      BadSpecCase{{{"A", {"2620123"}, {}}}, "must be 5 or 6 digits"},
                      BadSpecCase{{{"A", {"2620x"}, {}}}, "must be 5 or 6 digits"},
                      BadSpecCase{{{"A", {"26201"}, {}}, {"B", {"26201"}, {}}},
                                  "mccmnc \"26201\" also belongs to \"A\""},
                      BadSpecCase{{{"A", {"26201", "26201"}, {}}}, "is listed twice"},
                      BadSpecCase{{{"A", {}, {"+49151"}}, {"B", {}, {"0151"}}},
                                  "prefix \"0151\" (+49151) also belongs to \"A\""},
                      BadSpecCase{{{"A", {}, {"+49 15x"}}}, "prefix \"+49 15x\" is not a number"},
                      BadSpecCase{{{"A", {}, {"151"}}}, "is not a number"}));

TEST(OperatorTable, NationalPrefixWithoutCountryCodeIsRefused) {
  auto table = OperatorTable::create({{"A", {"26201"}, {"0151"}}}, "");
  ASSERT_FALSE(table.ok());
  EXPECT_NE(table.error().message.find("default_country_code"), std::string::npos);
}

}  // namespace
}  // namespace smsgw::scheduler
