// The +CMS ERROR policy of shared/reference/at-protocol.md, row by row.
#include "smsgw/modem/cms_errors.hpp"

#include <gtest/gtest.h>

#include <string>

namespace smsgw::modem {
namespace {

struct PolicyCase {
  std::string code;
  ErrorAction action;
};

class ModemSendErrorPolicy : public testing::TestWithParam<PolicyCase> {};
TEST_P(ModemSendErrorPolicy, Classifies) {
  const auto& c = GetParam();
  const auto classification = classify_send_error(Error{c.code, "from the modem"});
  EXPECT_EQ(classification.action, c.action) << c.code << " -> " << to_string(classification.action)
                                             << " (" << classification.cause << ")";
  EXPECT_FALSE(classification.cause.empty());
}

using enum ErrorAction;
INSTANTIATE_TEST_SUITE_P(
    RetrySoon, ModemSendErrorPolicy,
    testing::Values(PolicyCase{"cms.41", retry_soon}, PolicyCase{"cms.42", retry_soon},
                    PolicyCase{"cms.47", retry_soon}, PolicyCase{"cms.331", retry_soon},
                    PolicyCase{"cms.332", retry_soon}, PolicyCase{"cms.500", retry_soon},
                    PolicyCase{"cms.512", retry_soon}, PolicyCase{"cms.513", retry_soon},
                    PolicyCase{"cms.514", retry_soon}, PolicyCase{"cms.515", retry_soon},
                    PolicyCase{"cme.14", retry_soon}));
INSTANTIATE_TEST_SUITE_P(
    RetryOtherSim, ModemSendErrorPolicy,
    testing::Values(PolicyCase{"cms.38", retry_other_sim}, PolicyCase{"cms.8", retry_other_sim},
                    PolicyCase{"cms.50", retry_other_sim}, PolicyCase{"cms.330", retry_other_sim},
                    PolicyCase{"cms.310", retry_other_sim}, PolicyCase{"cms.311", retry_other_sim},
                    PolicyCase{"cms.314", retry_other_sim}, PolicyCase{"cms.318", retry_other_sim},
                    PolicyCase{"at.timeout", retry_other_sim}, PolicyCase{"at.io", retry_other_sim},
                    PolicyCase{"at.closed", retry_other_sim},
                    PolicyCase{"at.error", retry_other_sim},
                    PolicyCase{"cms.999", retry_other_sim},      // unlisted number
                    PolicyCase{"cms.unknown", retry_other_sim},  // text form
                    PolicyCase{"cme.10", retry_other_sim},
                    PolicyCase{"modem.not_ready", retry_other_sim},
                    PolicyCase{"something.else", retry_other_sim}));
INSTANTIATE_TEST_SUITE_P(
    Permanent, ModemSendErrorPolicy,
    testing::Values(PolicyCase{"cms.1", permanent}, PolicyCase{"cms.21", permanent},
                    PolicyCase{"cms.27", permanent}, PolicyCase{"cms.28", permanent},
                    PolicyCase{"cms.29", permanent}, PolicyCase{"cms.30", permanent},
                    PolicyCase{"cms.96", permanent}, PolicyCase{"cms.111", permanent},
                    PolicyCase{"cms.304", permanent}, PolicyCase{"cms.305", permanent},
                    PolicyCase{"cms.195", permanent}, PolicyCase{"cms.196", permanent},
                    PolicyCase{"pdu.too_long", permanent}));

TEST(ModemSendErrorPolicy, UnknownErrorHasLimitedRetries) {
  EXPECT_GT(classify_send_error(Error{"cms.500", ""}).retry_limit, 0);
  EXPECT_EQ(classify_send_error(Error{"cms.38", ""}).cause, "network out of order");
}

TEST(ModemSendErrorPolicy, CodeExtraction) {
  EXPECT_EQ(cms_code(Error{"cms.330", ""}), 330);
  EXPECT_EQ(cme_code(Error{"cme.14", ""}), 14);
  EXPECT_FALSE(cms_code(Error{"cme.14", ""}));
  EXPECT_FALSE(cms_code(Error{"cms.", ""}));
  EXPECT_FALSE(cms_code(Error{"cms.3x", ""}));
  EXPECT_EQ(to_string(ErrorAction::retry_soon), "retry_soon");
  EXPECT_EQ(to_string(ErrorAction::retry_other_sim), "retry_other_sim");
  EXPECT_EQ(to_string(ErrorAction::permanent), "permanent");
}

}  // namespace
}  // namespace smsgw::modem
