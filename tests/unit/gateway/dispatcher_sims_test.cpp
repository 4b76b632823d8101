// The dispatcher and the settings that follow a SIM: [[sim]] limits, operator and enabled
// by ICCID, recipients_per_day, a reload's new limits.
#include "dispatcher_fixture.hpp"

namespace smsgw::gateway::testing {
namespace {

constexpr const char* kIccid = "8949010000000000016";

TEST_F(DispatcherTest, RecipientsPerDayLetsKnownNumbersThroughAndHoldsNewOnes) {
  auto& m1 = add_modem("m1");
  m1.state().iccid = kIccid;
  auto options = quick_options();
  options.sims[kIccid].limits.recipients_per_day = 1;
  start(std::move(options));
  const auto first = submit(1, std::nullopt, true, std::nullopt, "+4915100000001");
  ASSERT_TRUE(reaches(first, MessageStatus::sent));
  const auto again = submit(1, std::nullopt, true, std::nullopt, "+4915100000001");
  ASSERT_TRUE(reaches(again, MessageStatus::sent)) << "a number already sent to today waits";
  const auto other = submit(1, std::nullopt, true, std::nullopt, "+4915100000002");
  settle();
  EXPECT_EQ(message(other).status, MessageStatus::queued);
  EXPECT_EQ(m1.calls.size(), 2u);
}

TEST_F(DispatcherTest, ASimTableDisablesItsSimAndAReloadEnablesIt) {
  auto& m1 = add_modem("m1");
  m1.state().iccid = kIccid;
  auto options = quick_options();
  options.sims[kIccid].enabled = false;
  start(options);
  const auto id = submit();
  settle();
  EXPECT_EQ(message(id).status, MessageStatus::queued);
  EXPECT_TRUE(dispatcher_->sim_status("m1")->disabled);

  options.sims[kIccid].enabled = true;
  dispatcher_->reconfigure(options, false);
  ASSERT_TRUE(reaches(id, MessageStatus::sent));
  EXPECT_FALSE(dispatcher_->sim_status("m1")->disabled);
}

TEST_F(DispatcherTest, SimLimitsOverrideTheModemsAndAReloadKeepsWhatWasCounted) {
  auto& m1 = add_modem("m1");
  m1.state().iccid = kIccid;
  auto options = quick_options();
  options.sims[kIccid].limits.per_day = 1;
  start(options);
  dispatcher_->set_modem_limits("m1", scheduler::Limits{std::nullopt, 100});
  const auto first = submit();
  ASSERT_TRUE(reaches(first, MessageStatus::sent));
  const auto second = submit();
  settle();
  EXPECT_EQ(message(second).status, MessageStatus::queued);  // [[sim]] per_day 1 wins
  EXPECT_EQ(dispatcher_->sim_status("m1")->per_day, 1u);

  options.sims[kIccid].limits.per_day = 2;
  dispatcher_->reconfigure(options, false);
  ASSERT_TRUE(reaches(second, MessageStatus::sent));
  const auto third = submit();
  settle();
  EXPECT_EQ(message(third).status, MessageStatus::queued);  // 2 counted today, the first kept
  EXPECT_EQ(dispatcher_->sim_status("m1")->sent_today, 2u);
}

}  // namespace
}  // namespace smsgw::gateway::testing
