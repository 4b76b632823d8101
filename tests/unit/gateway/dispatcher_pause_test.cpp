// The dispatcher's pause reasons (manual by ICCID, disabled, low balance, a modem id
// another node keeps): each its own
// flag, the SIM sends when none is set; messages pinned to a paused SIM wait (never
// failed), others go to another SIM, and a message being sent when the pause comes
// finishes, all its parts through the same SIM.
#include "dispatcher_fixture.hpp"

namespace smsgw::gateway::testing {
namespace {

TEST_F(DispatcherTest, ManualPauseHoldsPinnedMessagesAndSendsOthersElsewhere) {
  auto& m1 = add_modem("m1");
  auto& m2 = add_modem("m2");
  m1.state().iccid = "8949010000000000016";
  m2.state().iccid = "8949010000000000024";
  start();
  dispatcher_->set_manual_pause("8949010000000000016", true);
  const auto pinned = submit(1, std::nullopt, true, "m1");
  const auto free = submit();

  ASSERT_TRUE(reaches(free, MessageStatus::sent));
  EXPECT_EQ(m2.calls.size(), 1u);  // the unpinned one went elsewhere
  settle();
  EXPECT_TRUE(m1.calls.empty());
  EXPECT_EQ(message(pinned).status, MessageStatus::queued);  // waits, not failed
  const auto status = dispatcher_->sim_status("m1");
  ASSERT_TRUE(status);
  EXPECT_TRUE(status->manual);
  EXPECT_FALSE(status->low_balance);
  EXPECT_FALSE(status->disabled);
  EXPECT_EQ(status->queue, 1u);

  dispatcher_->set_manual_pause("8949010000000000016", false);
  ASSERT_TRUE(reaches(pinned, MessageStatus::sent));
  EXPECT_EQ(m1.calls.size(), 1u);
  EXPECT_FALSE(dispatcher_->sim_status("m1")->manual);
}

// The manual pause belongs to the SIM: moved to another modem, the SIM stays paused there,
// and the modem it left sends again with its new SIM.
TEST_F(DispatcherTest, ManualPauseFollowsTheSim) {
  auto& m1 = add_modem("m1");
  m1.state().iccid = "894901";
  start();
  dispatcher_->set_manual_pause("894901", true);
  EXPECT_TRUE(dispatcher_->sim_status("m1")->manual);
  m1.state().iccid = "894902";  // another SIM in the slot
  dispatcher_->modem_changed(m1.state());
  EXPECT_FALSE(dispatcher_->sim_status("m1")->manual);
  const auto id = submit();
  ASSERT_TRUE(reaches(id, MessageStatus::sent));
}

// Every reason holds the SIM on its own; clearing one leaves the others in force.
TEST_F(DispatcherTest, PauseReasonsAreSeparateFlags) {
  auto& m1 = add_modem("m1");
  m1.state().iccid = "894901";
  auto options = quick_options();
  options.sims["894901"].enabled = false;  // [[sim]] enabled = false
  start(options);
  dispatcher_->set_manual_pause("894901", true);
  dispatcher_->set_paused("m1", true);  // low balance
  const auto id = submit(1, std::nullopt, true, "m1");

  dispatcher_->set_manual_pause("894901", false);
  settle(150ms);
  dispatcher_->set_paused("m1", false);
  settle(150ms);
  EXPECT_TRUE(m1.calls.empty()) << "still disabled";
  auto status = dispatcher_->sim_status("m1");
  EXPECT_FALSE(status->manual);
  EXPECT_FALSE(status->low_balance);
  EXPECT_TRUE(status->disabled);
  EXPECT_EQ(message(id).status, MessageStatus::queued);

  options.sims["894901"].enabled = true;  // a reload enables it
  dispatcher_->reconfigure(options, false);
  ASSERT_TRUE(reaches(id, MessageStatus::sent));
}

// A pause that comes while a long message is being sent does not cut it: its parts leave
// back to back through the same SIM; the next message waits.
TEST_F(DispatcherTest, MessageMidSendFinishesAllPartsWhenTheSimIsPaused) {
  auto& m1 = add_modem("m1");
  m1.state().iccid = "894901";
  start();
  m1.hold();
  const auto long_one = submit(3, std::nullopt, true, "m1");
  ASSERT_TRUE(run_until([&] { return m1.in_flight == 1; }));  // part 1 on the modem
  dispatcher_->set_manual_pause("894901", true);
  const auto next = submit(1, std::nullopt, true, "m1");
  m1.release();

  ASSERT_TRUE(reaches(long_one, MessageStatus::sent));
  ASSERT_EQ(m1.calls.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(m1.calls[i].pdu, pdu_of(i + 1));
  settle();
  EXPECT_EQ(m1.calls.size(), 3u);
  EXPECT_EQ(message(next).status, MessageStatus::queued);
}

// A modem whose id another node's modem has and keeps takes no new message (a pinned one
// waits, the others go elsewhere), also when it is attached after the conflict was found,
// and sends again once the conflict is over.
TEST_F(DispatcherTest, AModemIdAnotherNodeKeepsHoldsItsSim) {
  auto& m1 = add_modem("m1");
  add_modem("m2");
  start();
  dispatcher_->set_id_conflicts({"m1", "m3"});
  const auto pinned = submit(1, std::nullopt, true, "m1");
  const auto free = submit();
  ASSERT_TRUE(reaches(free, MessageStatus::sent));
  settle();
  EXPECT_TRUE(m1.calls.empty());
  EXPECT_EQ(message(pinned).status, MessageStatus::queued);
  EXPECT_TRUE(dispatcher_->sim_status("m1")->id_conflict);
  EXPECT_FALSE(dispatcher_->sim_status("m2")->id_conflict);

  auto& m3 = add_modem("m3");  // plugged in later
  dispatcher_->attach(m3, scheduler::Limits{});
  EXPECT_TRUE(dispatcher_->sim_status("m3")->id_conflict);

  dispatcher_->set_id_conflicts({});
  ASSERT_TRUE(reaches(pinned, MessageStatus::sent));
  EXPECT_EQ(m1.calls.size(), 1u);
  EXPECT_FALSE(dispatcher_->sim_status("m3")->id_conflict);
}

}  // namespace
}  // namespace smsgw::gateway::testing
