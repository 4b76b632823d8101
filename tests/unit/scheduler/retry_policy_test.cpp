#include "smsgw/scheduler/retry_policy.hpp"

#include <gtest/gtest.h>

namespace smsgw::scheduler {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const TimePoint kNow = TimePoint{} + std::chrono::hours(24 * 19800);

struct ClassCase {
  const char* device_reply;  // the final result line a real modem printed
  const char* error_code;    // what the AT layer makes of it
  FailureClass expected;
};

class ClassifySendError : public ::testing::TestWithParam<ClassCase> {};

TEST_P(ClassifySendError, ByTable) {
  EXPECT_EQ(
      to_string(classify_send_error(make_error(GetParam().error_code, GetParam().device_reply))),
      to_string(GetParam().expected))
      << GetParam().device_reply;
}

INSTANTIATE_TEST_SUITE_P(
    Replies, ClassifySendError,
    ::testing::Values(
        ClassCase{"+CMS ERROR: 1", "cms.1", FailureClass::permanent},
        ClassCase{"+CMS ERROR: 8", "cms.8", FailureClass::retry_other_sim},
        ClassCase{"+CMS ERROR: 21", "cms.21", FailureClass::permanent},
        ClassCase{"+CMS ERROR: 38", "cms.38", FailureClass::retry_other_sim},
        ClassCase{"+CMS ERROR: 41", "cms.41", FailureClass::retry_soon},
        ClassCase{"+CMS ERROR: 42", "cms.42", FailureClass::retry_soon},
        ClassCase{"+CMS ERROR: 96", "cms.96", FailureClass::permanent},
        ClassCase{"+CMS ERROR: 130", "cms.130", FailureClass::permanent},   // TP-FCS 0x82
        ClassCase{"+CMS ERROR: 192", "cms.192", FailureClass::retry_soon},  // SC busy
        ClassCase{"+CMS ERROR: 196", "cms.196", FailureClass::permanent},
        ClassCase{"+CMS ERROR: 304", "cms.304", FailureClass::permanent},
        ClassCase{"+CMS ERROR: 310", "cms.310", FailureClass::retry_other_sim},
        ClassCase{"+CMS ERROR: 330", "cms.330", FailureClass::retry_other_sim},  // ZTE, no SMSC
        ClassCase{"+CMS ERROR: 332", "cms.332", FailureClass::retry_soon},
        ClassCase{"+CMS ERROR: 340", "cms.340", FailureClass::retry_other_sim},  // Quectel EC25
        // SIM800. Unknown: retry soon, limited (the cause table's decision; the retry
        // policy's former copy moved it to another SIM).
        ClassCase{"+CMS ERROR: 500", "cms.500", FailureClass::retry_soon},
        ClassCase{"+CMS ERROR: 331", "cms.331", FailureClass::retry_other_sim},  // sim: searching
        ClassCase{"+CMS ERROR: 515", "cms.515", FailureClass::retry_soon},
        ClassCase{"+CME ERROR: 14", "cme.14", FailureClass::retry_soon},
        ClassCase{"+CME ERROR: 10", "cme.10", FailureClass::retry_other_sim},  // SIM not inserted
        ClassCase{"+CME ERROR: 31", "cme.31", FailureClass::retry_soon},       // network timeout
        ClassCase{"+CME ERROR: 9999", "cme.9999", FailureClass::retry_other_sim},
        ClassCase{"ERROR", "at.error", FailureClass::retry_other_sim},
        ClassCase{"(no reply to the PDU)", "at.timeout", FailureClass::unknown_outcome},
        ClassCase{"(port vanished)", "at.io", FailureClass::unknown_outcome},
        ClassCase{"(encoder)", "pdu.too_long", FailureClass::permanent},
        ClassCase{"(garbled)", "cms.12x", FailureClass::retry_other_sim},
        ClassCase{"(other)", "something.else", FailureClass::retry_other_sim}));

TEST(RetryPolicy, BackoffGrowsExponentiallyToTheMaximum) {
  RetryPolicy policy(RetryOptions{.max_attempts = 10,
                                  .backoff_initial = seconds(10),
                                  .backoff_max = minutes(10),
                                  .backoff_factor = 2.0,
                                  .jitter = 0.0});
  EXPECT_EQ(policy.backoff(1, 0.5), seconds(10));
  EXPECT_EQ(policy.backoff(2, 0.5), seconds(20));
  EXPECT_EQ(policy.backoff(3, 0.5), seconds(40));
  EXPECT_EQ(policy.backoff(6, 0.5), seconds(320));
  EXPECT_EQ(policy.backoff(7, 0.5), minutes(10));
  EXPECT_EQ(policy.backoff(1000, 0.5), minutes(10));
}

TEST(RetryPolicy, JitterFollowsTheInjectedRandomValue) {
  RetryPolicy policy(RetryOptions{.backoff_initial = seconds(100), .jitter = 0.2});
  EXPECT_EQ(policy.backoff(1, 0.0), seconds(80));
  EXPECT_EQ(policy.backoff(1, 0.5), seconds(100));
  EXPECT_EQ(policy.backoff(1, 1.0), seconds(120));
  EXPECT_EQ(policy.backoff(1, 7.0), seconds(120));  // out-of-range values are clamped
  // Never beyond the maximum, also with jitter.
  RetryPolicy capped(RetryOptions{.backoff_initial = minutes(10), .backoff_max = minutes(10)});
  EXPECT_EQ(capped.backoff(1, 1.0), minutes(10));
}

FailedAttempt failure(FailureClass failure, std::uint32_t attempts = 1) {
  FailedAttempt a;
  a.attempts_made = attempts;
  a.sim = "t1";
  a.error = make_error("cms.42", "congestion");
  a.failure = failure;
  return a;
}

TEST(RetryPolicy, RetrySoonKeepsTheSimAllowed) {
  RetryPolicy policy(RetryOptions{.jitter = 0.0});
  const auto d = policy.after_failure(failure(FailureClass::retry_soon), kNow, 0.5);
  ASSERT_TRUE(std::holds_alternative<RetryAt>(d));
  EXPECT_EQ(std::get<RetryAt>(d).at, kNow + seconds(10));
  EXPECT_TRUE(std::get<RetryAt>(d).avoid_sims.empty());
}

// +CMS ERROR: 500 is retry_soon with a retry limit of 2 in the causes table: the second
// failure on the SIM moves the message; a cause without a limit (42) never does by itself.
TEST(RetryPolicy, RetrySoonMovesOnceTheCausesRetryLimitIsReached) {
  RetryPolicy policy(RetryOptions{.jitter = 0.0});
  auto attempt = failure(FailureClass::retry_soon, 1);
  attempt.error = make_error(ErrorCode::cms, 500, "unknown error");
  EXPECT_TRUE(std::get<RetryAt>(policy.after_failure(attempt, kNow, 0.5)).avoid_sims.empty());
  attempt.attempts_made = 2;
  EXPECT_EQ(std::get<RetryAt>(policy.after_failure(attempt, kNow, 0.5)).avoid_sims,
            (std::vector<std::string>{"t1"}));
  attempt.error = make_error(ErrorCode::cme, 100, "unknown");
  EXPECT_EQ(std::get<RetryAt>(policy.after_failure(attempt, kNow, 0.5)).avoid_sims,
            (std::vector<std::string>{"t1"}));
  attempt.error = make_error(ErrorCode::cms, 42, "congestion");
  attempt.attempts_made = 4;
  EXPECT_TRUE(std::get<RetryAt>(policy.after_failure(attempt, kNow, 0.5)).avoid_sims.empty());
}

TEST(RetryPolicy, RetryOtherSimAddsItToTheAvoidListOnce) {
  RetryPolicy policy(RetryOptions{.jitter = 0.0});
  auto attempt = failure(FailureClass::retry_other_sim, 2);
  attempt.avoid_sims = {"v1"};
  const auto d = policy.after_failure(attempt, kNow, 0.5);
  ASSERT_TRUE(std::holds_alternative<RetryAt>(d));
  EXPECT_EQ(std::get<RetryAt>(d).at, kNow + seconds(20));
  EXPECT_EQ(std::get<RetryAt>(d).avoid_sims, (std::vector<std::string>{"v1", "t1"}));
  attempt.avoid_sims = {"t1"};
  EXPECT_EQ(std::get<RetryAt>(policy.after_failure(attempt, kNow, 0.5)).avoid_sims,
            (std::vector<std::string>{"t1"}));
}

TEST(RetryPolicy, PermanentGivesUpWithTheModemError) {
  RetryPolicy policy;
  auto attempt = failure(FailureClass::permanent);
  attempt.error = make_error("cms.1", "unassigned number");
  const auto d = policy.after_failure(attempt, kNow, 0.5);
  ASSERT_TRUE(std::holds_alternative<GiveUp>(d));
  EXPECT_EQ(std::get<GiveUp>(d).status, MessageStatus::failed);
  EXPECT_EQ(std::get<GiveUp>(d).error, attempt.error);
}

TEST(RetryPolicy, GivesUpAfterMaxAttempts) {
  RetryPolicy policy(RetryOptions{.max_attempts = 3});
  EXPECT_TRUE(std::holds_alternative<RetryAt>(
      policy.after_failure(failure(FailureClass::retry_soon, 2), kNow, 0.5)));
  const auto d = policy.after_failure(failure(FailureClass::retry_soon, 3), kNow, 0.5);
  ASSERT_TRUE(std::holds_alternative<GiveUp>(d));
  EXPECT_EQ(std::get<GiveUp>(d).error.code, "send.attempts_exhausted");
  EXPECT_EQ(std::get<GiveUp>(d).error.message,
            "gave up after 3 attempts; last: cms.42: congestion");
}

TEST(RetryPolicy, ExpiresWhenValidityEndsBeforeTheNextAttempt) {
  RetryPolicy policy(RetryOptions{.jitter = 0.0});
  auto attempt = failure(FailureClass::retry_soon);
  attempt.expires_at = kNow + seconds(5);
  const auto d = policy.after_failure(attempt, kNow, 0.5);
  ASSERT_TRUE(std::holds_alternative<GiveUp>(d));
  EXPECT_EQ(std::get<GiveUp>(d).status, MessageStatus::expired);
  EXPECT_EQ(std::get<GiveUp>(d).error.code, "send.expired");
  attempt.expires_at = kNow + seconds(11);
  EXPECT_TRUE(std::holds_alternative<RetryAt>(policy.after_failure(attempt, kNow, 0.5)));
}

TEST(RetryPolicy, UnknownOutcomeIsNotResentByDefault) {
  RetryPolicy policy;
  auto attempt = failure(FailureClass::unknown_outcome);
  attempt.error = make_error(ErrorCode::at_timeout, "no +CMGS within 60 s");
  const auto d = policy.after_failure(attempt, kNow, 0.5);
  ASSERT_TRUE(std::holds_alternative<LeaveUnknown>(d));
  EXPECT_EQ(std::get<LeaveUnknown>(d).error.code, "send.unknown_outcome");

  RetryPolicy resend(RetryOptions{.resend_unknown_outcome = true});
  const auto again = resend.after_failure(attempt, kNow, 0.5);
  ASSERT_TRUE(std::holds_alternative<RetryAt>(again));
  EXPECT_EQ(std::get<RetryAt>(again).avoid_sims, (std::vector<std::string>{"t1"}));
}

TEST(SimHealth, BenchesAfterConsecutiveFailuresAndSuccessResets) {
  SimHealth health(HealthOptions{3, minutes(10)});
  EXPECT_EQ(health.record_failure(FailureClass::retry_soon, kNow), std::nullopt);
  EXPECT_EQ(health.record_failure(FailureClass::retry_other_sim, kNow), std::nullopt);
  health.record_success();
  EXPECT_EQ(health.consecutive_failures(), 0U);
  EXPECT_EQ(health.record_failure(FailureClass::retry_soon, kNow), std::nullopt);
  EXPECT_EQ(health.record_failure(FailureClass::unknown_outcome, kNow), std::nullopt);
  EXPECT_FALSE(health.benched(kNow));
  EXPECT_EQ(health.record_failure(FailureClass::retry_soon, kNow + seconds(1)),
            kNow + seconds(1) + minutes(10));
  EXPECT_TRUE(health.benched(kNow + minutes(10)));
  EXPECT_FALSE(health.benched(kNow + seconds(1) + minutes(10)));
  EXPECT_EQ(health.consecutive_failures(), 0U);  // a fresh start after the bench
}

TEST(SimHealth, PermanentFailuresAreTheMessagesFault) {
  SimHealth health(HealthOptions{2, minutes(10)});
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(health.record_failure(FailureClass::permanent, kNow), std::nullopt);
  }
  EXPECT_EQ(health.consecutive_failures(), 0U);
  EXPECT_FALSE(health.benched(kNow));
}

TEST(SimHealth, ZeroThresholdNeverBenches) {
  SimHealth health(HealthOptions{0, minutes(10)});
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(health.record_failure(FailureClass::retry_soon, kNow), std::nullopt);
  }
  EXPECT_FALSE(health.benched(kNow));
}

}  // namespace
}  // namespace smsgw::scheduler
