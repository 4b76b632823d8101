#include "smsgw/scheduler/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace smsgw::scheduler {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// 2024-03-05 00:00:00 UTC, a Tuesday.
const TimePoint kMidnightUtc =
    TimePoint{} +
    std::chrono::sys_days{std::chrono::year{2024} / std::chrono::March / 5}.time_since_epoch();

TEST(LocalCalendar, UtcDaysStartAtUtcMidnight) {
  const LocalCalendar utc;
  EXPECT_EQ(utc.day_of(kMidnightUtc), utc.day_of(kMidnightUtc + hours(23) + minutes(59)));
  EXPECT_EQ(utc.day_of(kMidnightUtc) - 1, utc.day_of(kMidnightUtc - seconds(1)));
  EXPECT_EQ(utc.start_of_day(utc.day_of(kMidnightUtc + hours(5))), kMidnightUtc);
  EXPECT_EQ(utc.next_day_start(kMidnightUtc + hours(5)), kMidnightUtc + hours(24));
}

TEST(LocalCalendar, FixedOffsetMovesMidnight) {
  const auto cet = LocalCalendar::fixed_offset(minutes(60));
  // Local midnight in UTC+1 is 23:00 UTC of the previous day.
  EXPECT_EQ(cet.next_day_start(kMidnightUtc), kMidnightUtc + hours(23));
  EXPECT_EQ(cet.day_of(kMidnightUtc + hours(22) + minutes(59)), cet.day_of(kMidnightUtc));
  EXPECT_EQ(cet.day_of(kMidnightUtc + hours(23)), cet.day_of(kMidnightUtc) + 1);

  const auto new_york = LocalCalendar::fixed_offset(minutes(-300));
  EXPECT_EQ(new_york.next_day_start(kMidnightUtc), kMidnightUtc + hours(5));
}

TEST(LocalCalendar, BeforeEpochDaysAreFloored) {
  const LocalCalendar utc;
  EXPECT_EQ(utc.day_of(TimePoint{} - seconds(1)), -1);
  EXPECT_EQ(utc.start_of_day(-1), TimePoint{} - hours(24));
}

TEST(LocalCalendar, FollowsAnOffsetChange) {
  // Offset +60 min until 2024-03-05 12:00 UTC, +120 min after (a made-up DST switch).
  const TimePoint change = kMidnightUtc + hours(12);
  const auto zone = LocalCalendar::from_offset_function(
      [change](TimePoint t) { return t < change ? minutes(60) : minutes(120); });
  // Local midnight of 2024-03-05 is 23:00 UTC (offset +1), of 2024-03-06 22:00 UTC (+2).
  EXPECT_EQ(zone.next_day_start(kMidnightUtc - hours(2)), kMidnightUtc - hours(1));
  EXPECT_EQ(zone.next_day_start(kMidnightUtc + hours(6)), kMidnightUtc + hours(22));
}

TEST(LocalCalendar, MidnightSkippedByAJumpStartsTheDayAtTheJump) {
  // Offset 0 until 2024-03-05 00:00 UTC, then +60: local time jumps 00:00 -> 01:00, so the
  // first local instant of 5 March is that switch.
  const auto zone = LocalCalendar::from_offset_function(
      [](TimePoint t) { return t < kMidnightUtc ? minutes(0) : minutes(60); });
  const auto day = zone.day_of(kMidnightUtc);
  EXPECT_EQ(zone.day_of(kMidnightUtc - seconds(1)), day - 1);
  EXPECT_EQ(zone.start_of_day(day), kMidnightUtc);
  // Offset +60 until the switch, then 0 (local 00:30 goes back to 23:30): the day still
  // starts at the first instant whose local date is the new day.
  const auto back = LocalCalendar::from_offset_function(
      [](TimePoint t) { return t < kMidnightUtc ? minutes(60) : minutes(0); });
  const auto d = back.day_of(kMidnightUtc - minutes(30));  // 00:30 local, day D
  EXPECT_EQ(back.start_of_day(d), kMidnightUtc - hours(1));
}

TEST(Limits, MergeOverridesKeyByKey) {
  const Limits operator_limits{10, 1000};
  EXPECT_EQ(merge_limits(operator_limits, Limits{}), operator_limits);
  EXPECT_EQ(merge_limits(operator_limits, Limits{6, std::nullopt}), (Limits{6, 1000}));
  EXPECT_EQ(merge_limits(operator_limits, Limits{std::nullopt, 500}), (Limits{10, 500}));
  EXPECT_EQ(merge_limits(Limits{}, Limits{6, 500}), (Limits{6, 500}));
  EXPECT_EQ(merge_limits(Limits{}, Limits{}), Limits{});
  Limits sim;
  sim.per_month = 10000;
  sim.recipients_per_day = 200;
  const auto merged = merge_limits(operator_limits, sim);
  EXPECT_EQ(merged.per_minute, 10U);
  EXPECT_EQ(merged.per_month, 10000U);
  EXPECT_EQ(merged.recipients_per_day, 200U);
}

TEST(RateLimiter, UnlimitedAlwaysSends) {
  RateLimiter limiter;
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(limiter.can_send(kMidnightUtc, 10));
    limiter.record(kMidnightUtc, 10);
  }
  EXPECT_EQ(limiter.sent_today(kMidnightUtc), 10000U);
  EXPECT_EQ(limiter.remaining_today(kMidnightUtc), std::nullopt);
  EXPECT_EQ(limiter.day_headroom(kMidnightUtc), 1.0);
}

TEST(RateLimiter, PerMinuteSpacesMessagesEvenlyWithoutBurst) {
  RateLimiter limiter(Limits{6, std::nullopt});  // one every 10 s
  const TimePoint t0 = kMidnightUtc + hours(8);
  ASSERT_TRUE(limiter.can_send(t0));
  limiter.record(t0, 1);
  EXPECT_FALSE(limiter.can_send(t0));
  EXPECT_FALSE(limiter.can_send(t0 + seconds(9)));
  EXPECT_EQ(limiter.earliest(t0 + seconds(3)), t0 + seconds(10));
  EXPECT_TRUE(limiter.can_send(t0 + seconds(10)));
  // A long pause earns no burst: after an idle hour, still one message, then 10 s.
  const TimePoint later = t0 + hours(1);
  limiter.record(later, 1);
  EXPECT_FALSE(limiter.can_send(later + seconds(5)));
  EXPECT_EQ(limiter.earliest(later), later + seconds(10));
}

TEST(RateLimiter, PerMinuteChargesEveryPart) {
  RateLimiter limiter(Limits{6, std::nullopt});
  const TimePoint t0 = kMidnightUtc + hours(8);
  limiter.record(t0, 3);  // three parts leave together
  EXPECT_EQ(limiter.earliest(t0), t0 + seconds(30));
  EXPECT_EQ(limiter.earliest(t0, 3), t0 + seconds(30));  // the start, not the parts, waits
  // Sending late does not bank credit: the next allowance counts from the actual start.
  limiter.record(t0 + seconds(45), 1);
  EXPECT_EQ(limiter.earliest(t0 + seconds(45)), t0 + seconds(55));
}

TEST(RateLimiter, PerMinuteRateHoldsOverAnHour) {
  RateLimiter limiter(Limits{10, std::nullopt});
  TimePoint t = kMidnightUtc;
  int sent = 0;
  // Greedy sender polling every second for an hour.
  for (int s = 0; s < 3600; ++s, t += seconds(1)) {
    if (limiter.can_send(t)) {
      limiter.record(t, 1);
      ++sent;
    }
  }
  EXPECT_EQ(sent, 600);
}

// A charge whose parts never reached the modem is refunded: rate, day, month, recipients.
TEST(RateLimiter, ARefundUndoesTheLatestCharge) {
  Limits limits;
  limits.per_minute = 1;
  limits.per_day = 10;
  limits.recipients_per_day = 1;
  RateLimiter limiter(limits);
  const TimePoint t0 = kMidnightUtc + hours(8);
  limiter.record(t0, 1, "+491");
  ASSERT_EQ(limiter.earliest(t0, 1, "+491"), t0 + seconds(60));
  const auto charge = limiter.record(t0 + seconds(60), 2, "+492");
  EXPECT_EQ(charge.new_recipient, "+492");
  EXPECT_EQ(limiter.sent_today(t0), 3u);
  limiter.refund(charge);
  EXPECT_EQ(limiter.sent_today(t0), 1u);
  EXPECT_EQ(limiter.sent_this_month(t0), 1u);
  EXPECT_EQ(limiter.recipients_today(t0), 1u);
  EXPECT_EQ(limiter.earliest(t0, 1, "+491"), t0 + seconds(60));
  // A recipient already counted before the charge stays counted after its refund.
  const auto again = limiter.record(t0 + seconds(60), 1, "+491");
  EXPECT_TRUE(again.new_recipient.empty());
  limiter.refund(again);
  EXPECT_EQ(limiter.recipients_today(t0), 1u);
  EXPECT_EQ(limiter.sent_today(t0), 1u);
}

TEST(RateLimiter, PerDayResetsAtLocalMidnight) {
  const auto cet = LocalCalendar::fixed_offset(minutes(60));
  RateLimiter limiter(Limits{std::nullopt, 5}, cet);
  const TimePoint evening = kMidnightUtc + hours(20);  // 21:00 local
  limiter.record(evening, 3);
  EXPECT_EQ(limiter.sent_today(evening), 3U);
  EXPECT_EQ(limiter.remaining_today(evening), 2U);
  EXPECT_DOUBLE_EQ(limiter.day_headroom(evening), 0.4);
  EXPECT_TRUE(limiter.can_send(evening, 2));
  EXPECT_FALSE(limiter.can_send(evening, 3));
  // Three parts wait for local midnight: 23:00 UTC.
  EXPECT_EQ(limiter.earliest(evening, 3), kMidnightUtc + hours(23));
  limiter.record(evening + minutes(1), 2);
  EXPECT_FALSE(limiter.can_send(evening + minutes(2)));
  EXPECT_EQ(limiter.earliest(evening + minutes(2)), kMidnightUtc + hours(23));
  // 22:59:59 UTC is still today locally; 23:00 UTC is tomorrow.
  EXPECT_FALSE(limiter.can_send(kMidnightUtc + hours(23) - seconds(1)));
  EXPECT_TRUE(limiter.can_send(kMidnightUtc + hours(23), 5));
  EXPECT_EQ(limiter.sent_today(kMidnightUtc + hours(23)), 0U);
  limiter.record(kMidnightUtc + hours(23), 1);
  EXPECT_EQ(limiter.sent_today(kMidnightUtc + hours(23)), 1U);
}

TEST(RateLimiter, MoreThanPerDayPartsCanNeverBeSent) {
  RateLimiter limiter(Limits{std::nullopt, 2});
  EXPECT_EQ(limiter.earliest(kMidnightUtc, 3), std::nullopt);
  EXPECT_FALSE(limiter.can_send(kMidnightUtc, 3));
  EXPECT_TRUE(limiter.can_send(kMidnightUtc, 2));
}

TEST(RateLimiter, ZeroLimitsForbidSending) {
  EXPECT_EQ(RateLimiter(Limits{0, std::nullopt}).earliest(kMidnightUtc), std::nullopt);
  RateLimiter day_zero(Limits{std::nullopt, 0});
  EXPECT_EQ(day_zero.earliest(kMidnightUtc), std::nullopt);
  EXPECT_EQ(day_zero.day_headroom(kMidnightUtc), 0.0);
}

TEST(RateLimiter, BothLimitsTogetherWaitForTheLater) {
  RateLimiter limiter(Limits{1, 2});  // one a minute, two a day (UTC)
  const TimePoint midnight = kMidnightUtc + hours(24);
  const TimePoint t0 = midnight - seconds(30);
  limiter.record(t0 - hours(1), 1);
  limiter.record(t0, 1);
  // The day is full until midnight, and the spacing runs 30 s past it: the later wins.
  EXPECT_EQ(limiter.earliest(t0), midnight + seconds(30));
  EXPECT_FALSE(limiter.can_send(midnight));
  EXPECT_TRUE(limiter.can_send(midnight + seconds(30)));
  // With spacing long over, the day limit alone decides.
  limiter.record(midnight + seconds(30), 1);
  limiter.record(midnight + hours(1), 1);
  EXPECT_EQ(limiter.earliest(midnight + hours(2)), midnight + hours(24));
}

TEST(RateLimiter, RestoresTodaysCountAfterRestart) {
  RateLimiter limiter(Limits{std::nullopt, 100});
  const TimePoint noon = kMidnightUtc + hours(12);
  limiter.restore_sent_today(noon, 98);
  EXPECT_EQ(limiter.remaining_today(noon), 2U);
  EXPECT_FALSE(limiter.can_send(noon, 3));
  EXPECT_EQ(limiter.remaining_today(noon + hours(12)), 100U);  // next day
}

TEST(RateLimiter, PerMonthWaitsForTheNextLocalMonth) {
  Limits limits;
  limits.per_month = 5;
  RateLimiter limiter(limits);
  const TimePoint noon = kMidnightUtc + hours(12);  // 2024-03-05
  limiter.record(noon, 3);
  EXPECT_TRUE(limiter.can_send(noon, 2));
  EXPECT_FALSE(limiter.can_send(noon, 3));
  const auto april =
      TimePoint{} +
      std::chrono::sys_days{std::chrono::year{2024} / std::chrono::April / 1}.time_since_epoch();
  EXPECT_EQ(limiter.earliest(noon, 3), april);
  EXPECT_EQ(limiter.earliest(noon, 6), std::nullopt);  // more than a whole month allows
  limiter.record(noon + hours(24), 2);                 // another day, the same month
  EXPECT_EQ(limiter.sent_this_month(noon + hours(24)), 5U);
  EXPECT_EQ(limiter.earliest(noon + hours(48), 1), april);
  EXPECT_TRUE(limiter.can_send(april, 5));
}

TEST(RateLimiter, RecipientsPerDayCountsDistinctNumbers) {
  Limits limits;
  limits.recipients_per_day = 2;
  RateLimiter limiter(limits);
  const TimePoint noon = kMidnightUtc + hours(12);
  limiter.record(noon, 1, "+4915100000001");
  limiter.record(noon, 1, "+4915100000001");
  EXPECT_EQ(limiter.recipients_today(noon), 1U);
  limiter.record(noon, 1, "+4915100000002");
  // A known recipient still fits; a third one waits for local midnight.
  EXPECT_TRUE(limiter.can_send(noon, 1, "+4915100000002"));
  EXPECT_FALSE(limiter.can_send(noon, 1, "+4915100000003"));
  EXPECT_EQ(limiter.earliest(noon, 1, "+4915100000003"), kMidnightUtc + hours(24));
  EXPECT_TRUE(limiter.can_send(kMidnightUtc + hours(24), 1, "+4915100000003"));
}

TEST(RateLimiter, RestoresMonthAndRecipientsAfterRestart) {
  Limits limits;
  limits.per_month = 100;
  limits.recipients_per_day = 1;
  RateLimiter limiter(limits);
  const TimePoint noon = kMidnightUtc + hours(12);
  limiter.restore_usage(noon, 3, 99, {"+4915100000001"});
  EXPECT_EQ(limiter.sent_today(noon), 3U);
  EXPECT_EQ(limiter.sent_this_month(noon), 99U);
  EXPECT_TRUE(limiter.can_send(noon, 1, "+4915100000001"));
  EXPECT_FALSE(limiter.can_send(noon, 1, "+4915100000002"));
  EXPECT_FALSE(limiter.can_send(noon, 2, "+4915100000001"));
}

TEST(RateLimiter, NewLimitsKeepWhatWasCounted) {
  RateLimiter limiter(Limits{std::nullopt, 100});
  const TimePoint noon = kMidnightUtc + hours(12);
  limiter.record(noon, 60);
  limiter.set_limits(Limits{std::nullopt, 50});
  EXPECT_EQ(limiter.remaining_today(noon), 0U);
  EXPECT_FALSE(limiter.can_send(noon));
}

}  // namespace
}  // namespace smsgw::scheduler
