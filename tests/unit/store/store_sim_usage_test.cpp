// What a SIM used of its limits (sim_usage): today's and this month's parts from
// daily_counters, today's distinct recipients from sim_recipients (written by begin_send).
#include "store_fixture.hpp"

namespace smsgw::store::testing {
namespace {

constexpr const char* kIccid = "8949010000000000016";

TEST_P(StoreTest, SimUsageCountsTheDayTheMonthAndTodaysRecipients) {
  // Day 100 is the first of the month; the SIM sent on days 98 (last month), 100 and 103.
  ASSERT_TRUE(store_->add_daily_sent(kIccid, 98, 50).ok());
  ASSERT_TRUE(store_->add_daily_sent(kIccid, 100, 4).ok());
  const auto a = add(message_to("+4915100000001", 2));
  const auto b = add(message_to("+4915100000002", 1));
  const auto c = add(message_to("+4915100000001", 1));
  ASSERT_TRUE(
      store_->begin_send(a, "m0", at(1), DailyCount{kIccid, 103, 2, "+4915100000001"}).ok());
  ASSERT_TRUE(
      store_->begin_send(b, "m0", at(2), DailyCount{kIccid, 103, 1, "+4915100000002"}).ok());
  ASSERT_TRUE(
      store_->begin_send(c, "m0", at(3), DailyCount{kIccid, 103, 1, "+4915100000001"}).ok());

  auto usage = store_->sim_usage(kIccid, 103, 100);
  ASSERT_TRUE(usage.ok()) << usage.error().message;
  EXPECT_EQ(usage->sent_today, 4);
  EXPECT_EQ(usage->sent_this_month, 8);  // days 100 and 103, not 98
  EXPECT_EQ(usage->recipients_today,
            (std::vector<std::string>{"+4915100000001", "+4915100000002"}));

  // Another SIM's usage is its own; a new day starts with no recipients.
  EXPECT_EQ(store_->sim_usage("8949020000000000014", 103, 100)->sent_this_month, 0);
  EXPECT_TRUE(store_->sim_usage(kIccid, 104, 100)->recipients_today.empty());
  // The next month forgets the recipients of the days before it.
  ASSERT_TRUE(store_->sim_usage(kIccid, 131, 131).ok());
  EXPECT_TRUE(store_->sim_usage(kIccid, 103, 100)->recipients_today.empty());
}

}  // namespace
}  // namespace smsgw::store::testing
