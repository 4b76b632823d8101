#include "smsgw/scheduler/client_quota.hpp"

#include <gtest/gtest.h>

namespace smsgw::scheduler {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

const TimePoint kMidnight =
    TimePoint{} +
    std::chrono::sys_days{std::chrono::year{2026} / std::chrono::December / 4}.time_since_epoch();

bool accepted(const ClientQuota::Decision& d) {
  return std::holds_alternative<ClientQuota::Accepted>(d);
}

TEST(ClientQuota, WithoutLimitsEverythingIsAccepted) {
  ClientQuota quota;
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(accepted(quota.take(kMidnight, 10)));
}

TEST(ClientQuota, PerMinuteAllowsABurstThenRefillsSmoothly) {
  ClientQuota quota(ClientLimits{60, std::nullopt});
  const TimePoint t = kMidnight + hours(9);
  EXPECT_TRUE(accepted(quota.take(t, 50)));
  EXPECT_TRUE(accepted(quota.take(t, 10)));
  const auto refused = quota.take(t, 2);
  ASSERT_TRUE(std::holds_alternative<ClientQuota::RetryAt>(refused));
  // One part a second comes back: two parts in two seconds.
  EXPECT_EQ(std::get<ClientQuota::RetryAt>(refused).at, t + seconds(2));
  EXPECT_EQ(std::get<ClientQuota::RetryAt>(refused).reason, "60 parts per minute");
  EXPECT_FALSE(accepted(quota.take(t + seconds(1), 2)));
  EXPECT_TRUE(accepted(quota.take(t + seconds(2), 2)));
}

TEST(ClientQuota, PerDayWaitsForLocalMidnight) {
  ClientQuota quota(ClientLimits{std::nullopt, 100}, LocalCalendar::fixed_offset(hours(1)));
  const TimePoint t = kMidnight + hours(9);
  EXPECT_TRUE(accepted(quota.take(t, 99)));
  const auto refused = quota.take(t, 2);
  ASSERT_TRUE(std::holds_alternative<ClientQuota::RetryAt>(refused));
  EXPECT_EQ(std::get<ClientQuota::RetryAt>(refused).at, kMidnight + hours(23));
  EXPECT_EQ(quota.submitted_today(t), 99U);  // the refused submission charged nothing
  EXPECT_TRUE(accepted(quota.take(t, 1)));
  EXPECT_TRUE(accepted(quota.take(kMidnight + hours(23), 100)));
}

TEST(ClientQuota, MoreThanALimitAtOnceNeverFits) {
  ClientQuota quota(ClientLimits{10, 1000});
  const auto never = quota.take(kMidnight, 11);
  ASSERT_TRUE(std::holds_alternative<ClientQuota::Never>(never));
  EXPECT_EQ(std::get<ClientQuota::Never>(never).reason, "10 parts per minute");
}

TEST(ClientQuota, RestoredCountAndNewLimitsKeepWhatWasCounted) {
  ClientQuota quota(ClientLimits{std::nullopt, 100});
  const TimePoint t = kMidnight + hours(9);
  quota.restore_today(t, 95);
  EXPECT_FALSE(accepted(quota.take(t, 6)));
  quota.set_limits(ClientLimits{std::nullopt, 200});
  EXPECT_TRUE(accepted(quota.take(t, 6)));
  EXPECT_EQ(quota.submitted_today(t), 101U);
}

}  // namespace
}  // namespace smsgw::scheduler
