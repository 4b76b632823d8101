// The dispatcher among several nodes on one store: reload() reads what another node queued
// (coalesced, within the windows), messages pinned to another node's modem stay in the
// store for that node (never held, never failed), a claim another node won first drops
// the message quietly, and a node's share of the queue goes first.
#include "dispatcher_fixture.hpp"

namespace smsgw::gateway::testing {
namespace {

TEST_F(DispatcherTest, ReloadReadsWhatAnotherNodeQueued) {
  add_modem("m1");
  start();
  settle(100ms);
  // Stored by another node: this dispatcher was not told.
  const auto id = submit(1, std::nullopt, /*hand_over=*/false);
  settle();
  EXPECT_EQ(total_calls(), 0u);
  dispatcher_->reload();
  ASSERT_TRUE(reaches(id, MessageStatus::sent));
  EXPECT_EQ(total_calls(), 1u);
}

TEST_F(DispatcherTest, ReloadsComingTogetherStayWithinTheWindow) {
  auto& m1 = add_modem("m1");
  m1.hold();
  auto options = quick_options();
  options.group_window = 3;
  start(options);
  settle(100ms);
  std::vector<std::string> ids;
  for (int i = 0; i < 10; ++i) ids.push_back(submit(1, std::nullopt, false));
  for (int i = 0; i < 5; ++i) dispatcher_->reload();  // one load runs, one more is queued
  settle();
  // One is being sent (held), the window holds at most 3 more.
  EXPECT_EQ(m1.in_flight, 1);
  EXPECT_LE(dispatcher_->messages_in_memory(), 3u);
  m1.release();
  for (const auto& id : ids) ASSERT_TRUE(reaches(id, MessageStatus::sent)) << id;
  EXPECT_EQ(total_calls(), ids.size());
}

TEST_F(DispatcherTest, MessagesPinnedToAnotherNodesModemStayQueuedForIt) {
  add_modem("m1");
  start();
  dispatcher_->set_remote_modems({"m7"});
  EXPECT_EQ(dispatcher_->remote_modems(), std::set<std::string>{"m7"});
  const auto handed = submit(1, std::nullopt, /*hand_over=*/true, "m7");
  const auto stored = submit(1, std::nullopt, /*hand_over=*/false, "m7");
  dispatcher_->reload();
  settle();
  EXPECT_EQ(dispatcher_->messages_in_memory(), 0u);
  EXPECT_EQ(total_calls(), 0u);
  EXPECT_TRUE(observer_.part_errors.empty());
  for (const auto& id : {handed, stored}) {
    EXPECT_EQ(message(id).status, MessageStatus::queued) << id;  // not failed
    EXPECT_FALSE(observer_.saw(id, MessageStatus::failed));
  }
}

TEST_F(DispatcherTest, AModemBecomingRemoteLeavesItsMessagesAndComingBackReloadsThem) {
  add_modem("m1");
  start();
  // Pinned to a modem nobody reported yet: it waits in memory.
  const auto id = submit(1, std::nullopt, true, "m7");
  settle(100ms);
  EXPECT_EQ(dispatcher_->messages_in_memory(), 1u);
  dispatcher_->set_remote_modems({"m7"});
  EXPECT_EQ(dispatcher_->messages_in_memory(), 0u);
  // Its node no longer reports it: the message is read back (and waits for m7 here).
  dispatcher_->set_remote_modems({});
  ASSERT_TRUE(run_until([&] { return dispatcher_->messages_in_memory() == 1u; }));
  EXPECT_EQ(message(id).status, MessageStatus::queued);
}

TEST_F(DispatcherTest, AClaimAnotherNodeWonFirstDropsTheMessageQuietly) {
  auto& m1 = add_modem("m1");
  m1.hold();
  start();
  const auto first = submit();
  ASSERT_TRUE(run_until([&] { return m1.in_flight == 1; }));
  const auto second = submit();  // in memory, waiting for m1
  settle(100ms);
  // Another node claims it first (the store serialises the claims).
  auto claim = [second](store::Store& s) { return s.claim_message(second, "m9", Clock::now()); };
  ASSERT_TRUE(call(claim).ok());
  m1.release();
  ASSERT_TRUE(reaches(first, MessageStatus::sent));
  settle();
  EXPECT_EQ(total_calls(), 1u);  // the second never reached this node's modem
  EXPECT_EQ(dispatcher_->messages_in_memory(), 0u);
  EXPECT_TRUE(observer_.part_errors.empty());
  EXPECT_FALSE(observer_.saw(second, MessageStatus::failed));
  EXPECT_FALSE(observer_.saw(second, MessageStatus::queued));
  EXPECT_EQ(message(second).status, MessageStatus::sending);  // the other node's
}

// The claim of a SIM allowed one message a minute is lost to another node: nothing left
// through the SIM, so its rate is not used up and the next message leaves at once.
TEST_F(DispatcherTest, AClaimAnotherNodeWonLeavesTheSimsRateUnused) {
  add_modem("m1");
  start();
  scheduler::Limits one_a_minute;
  one_a_minute.per_minute = 1;
  dispatcher_->set_modem_limits("m1", one_a_minute);
  const auto lost = submit(1, std::nullopt, /*hand_over=*/false);
  const auto as_read = queued_from(message(lost));
  auto claim = [lost](store::Store& s) { return s.claim_message(lost, "m9", Clock::now()); };
  ASSERT_TRUE(call(claim).ok());
  dispatcher_->enqueue(as_read);  // read before the other node's claim
  settle(100ms);
  EXPECT_EQ(total_calls(), 0u);
  const auto next = submit();
  ASSERT_TRUE(reaches(next, MessageStatus::sent));  // not a minute later
  EXPECT_EQ(total_calls(), 1u);
  EXPECT_EQ(dispatcher_->sim_status("m1")->sent_today, 1u);
}

TEST_F(DispatcherTest, ASharedQueueReloadDropsWhatAnotherNodeClaimedMeanwhile) {
  auto& m1 = add_modem("m1");
  m1.hold();
  auto options = quick_options();
  options.shared_queue = true;
  options.claim_spread = kSharedClaimSpread;  // any of the waiting ones may go first
  start(options);
  const auto first = submit();
  ASSERT_TRUE(run_until([&] { return m1.in_flight == 1; }));
  std::vector<std::string> waiting;
  for (int i = 0; i < 4; ++i) waiting.push_back(submit());  // in memory, waiting for m1
  settle(100ms);
  ASSERT_EQ(dispatcher_->messages_in_memory(), 4u);
  // Another node claims two of them; this node learns it from the next read of the queue.
  for (int i = 0; i < 2; ++i) {
    auto claim = [id = waiting[static_cast<std::size_t>(i)]](store::Store& s) {
      return s.claim_message(id, "m9", Clock::now());
    };
    ASSERT_TRUE(call(claim).ok());
  }
  dispatcher_->reload();
  ASSERT_TRUE(run_until([&] { return dispatcher_->messages_in_memory() == 2u; }));
  m1.release();
  for (std::size_t i = 2; i < 4; ++i) ASSERT_TRUE(reaches(waiting[i], MessageStatus::sent));
  ASSERT_TRUE(reaches(first, MessageStatus::sent));
  settle();
  EXPECT_EQ(total_calls(), 3u);  // never tried the two the other node holds
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(message(waiting[i]).status, MessageStatus::sending);  // the other node's
  }
}

TEST_F(DispatcherTest, WithAShareOfTheQueueAFreeSimTakesItsNodesMessagesFirst) {
  auto& m1 = add_modem("m1");
  m1.hold();
  auto options = quick_options();
  options.shared_queue = true;
  options.claim_spread = kSharedClaimSpread;
  start(options);
  const scheduler::QueueShare share{0, 1, 2};  // this node of two, equal
  dispatcher_->set_queue_share(share);
  const auto first = submit();
  ASSERT_TRUE(run_until([&] { return m1.in_flight == 1; }));
  std::vector<std::string> ours;
  std::vector<std::string> theirs;
  while (ours.size() < 3 || theirs.size() < 3) {
    const auto id = submit();  // waiting for m1
    (scheduler::in_share(id, share) ? ours : theirs).push_back(id);
  }
  m1.release();
  for (const auto& id : ours) ASSERT_TRUE(reaches(id, MessageStatus::sent)) << id;
  // With none of its own left, the node helps with the other node's.
  for (const auto& id : theirs) ASSERT_TRUE(reaches(id, MessageStatus::sent)) << id;
  const auto& order = observer_.sending_order;
  ASSERT_EQ(order.size(), 1 + ours.size() + theirs.size());
  EXPECT_EQ(order.front(), first);
  EXPECT_EQ(std::vector<std::string>(order.begin() + 1, order.begin() + 1 + ours.size()), ours);
}

}  // namespace
}  // namespace smsgw::gateway::testing
