#include "smsgw/gateway/webhook_outbox.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <vector>

namespace smsgw::gateway {
namespace {

using namespace std::chrono_literals;

const TimePoint kCreated = TimePoint{} + std::chrono::hours(24 * 365 * 50);

Error retryable() { return make_error(ErrorCode::webhook_retry, "connection refused"); }

std::chrono::seconds delay_after(std::uint32_t earlier_failures) {
  const auto failed_at = kCreated + 1min;
  const auto next = webhook_retry_at(retryable(), earlier_failures, kCreated, failed_at);
  EXPECT_TRUE(next.has_value());
  return std::chrono::duration_cast<std::chrono::seconds>(next.value_or(failed_at) - failed_at);
}

TEST(WebhookRetry, BacksOffFromFiveSecondsDoublingUpToOneHour) {
  std::vector<std::chrono::seconds> delays;
  for (std::uint32_t failures = 0; failures < 12; ++failures) {
    delays.push_back(delay_after(failures));
  }
  const std::vector<std::chrono::seconds> expected{5s,   10s,  20s,   40s,   80s, 160s,
                                                   320s, 640s, 1280s, 2560s, 1h,  1h};
  EXPECT_EQ(delays, expected);
}

TEST(WebhookRetry, StaysAtOneHourAfterManyFailures) { EXPECT_EQ(delay_after(1000), 1h); }

TEST(WebhookRetry, GivesUpAtOnceOnARejection) {
  EXPECT_FALSE(
      webhook_retry_at(make_error("webhook.rejected", "HTTP 404"), 0, kCreated, kCreated + 1s));
  EXPECT_FALSE(webhook_retry_at(make_error("webhook.url", "https is not supported"), 0, kCreated,
                                kCreated + 1s));
}

TEST(WebhookRetry, GivesUpThreeDaysAfterTheEvent) {
  EXPECT_TRUE(webhook_retry_at(retryable(), 20, kCreated, kCreated + 72h - 1s));
  EXPECT_FALSE(webhook_retry_at(retryable(), 20, kCreated, kCreated + 72h));
}

TEST(WebhookRetry, UsesTheRetryPolicyWithoutJitter) {
  const auto policy = webhook_retry_policy();
  EXPECT_EQ(policy.options().backoff_initial, std::chrono::seconds(5));
  EXPECT_EQ(policy.options().backoff_max, std::chrono::hours(1));
  EXPECT_EQ(policy.backoff(3, 0.0), policy.backoff(3, 0.99));
}

}  // namespace
}  // namespace smsgw::gateway
