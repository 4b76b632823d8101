// Dispatcher with scripted modems (PartSender) and a real store on a temporary file behind a
// StoreWorker (dispatcher_fixture.hpp).
#include "dispatcher_fixture.hpp"

namespace smsgw::gateway::testing {
namespace {

TEST_F(DispatcherTest, SinglePartIsClaimedSentAndRecordedWithItsMr) {
  auto& m1 = add_modem("m1");
  network_.script = {sent(42)};
  start();
  const auto id = submit();

  ASSERT_TRUE(reaches(id, MessageStatus::sent));
  ASSERT_EQ(m1.calls.size(), 1u);
  EXPECT_EQ(m1.calls[0].pdu, pdu_of(1));
  EXPECT_EQ(m1.calls[0].length, 21u);
  const auto stored = message(id);
  EXPECT_EQ(stored.status, MessageStatus::sent);
  EXPECT_EQ(stored.attempts, 1);
  EXPECT_EQ(stored.assigned_modem.value_or(""), "m1");
  ASSERT_EQ(stored.parts.size(), 1u);
  EXPECT_EQ(stored.parts[0].status, PartStatus::sent);
  EXPECT_EQ(stored.parts[0].mr, 42);
  EXPECT_EQ(stored.parts[0].modem.value_or(""), "m1");
  EXPECT_EQ(observer_.parts_sent, 1);
}

TEST_F(DispatcherTest, MultipartLeavesPartByPartThroughOneModem) {
  auto& m1 = add_modem("m1");
  auto& m2 = add_modem("m2");
  start();
  const auto id = submit(3);

  ASSERT_TRUE(reaches(id, MessageStatus::sent));
  auto& used = m1.calls.empty() ? m2 : m1;
  auto& idle = m1.calls.empty() ? m1 : m2;
  EXPECT_TRUE(idle.calls.empty());
  ASSERT_EQ(used.calls.size(), 3u);
  const auto stored = message(id);
  EXPECT_EQ(stored.status, MessageStatus::sent);
  ASSERT_EQ(stored.parts.size(), 3u);
  for (int k = 0; k < 3; ++k) {
    SCOPED_TRACE(k);
    EXPECT_EQ(used.calls[k].pdu, pdu_of(k + 1));
    EXPECT_EQ(stored.parts[k].status, PartStatus::sent);
    EXPECT_EQ(stored.parts[k].mr, static_cast<int>(used.calls[k].result.mr));
    EXPECT_EQ(stored.parts[k].modem.value_or(""), used.snapshot().id);
  }
}

TEST_F(DispatcherTest, RetryOtherSimRequeuesWithBackOffOnTheOtherModem) {
  ASSERT_EQ(scheduler::classify_send_error(make_error("cms.38", "")),
            scheduler::FailureClass::retry_other_sim);
  auto& m1 = add_modem("m1");
  auto& m2 = add_modem("m2");
  network_.script = {failed("cms.38")};
  start();
  const auto id = submit();

  ASSERT_TRUE(reaches(id, MessageStatus::queued));
  ASSERT_TRUE(reaches(id, MessageStatus::sent));
  ASSERT_EQ(m1.calls.size(), 1u);
  ASSERT_EQ(m2.calls.size(), 1u);
  auto& first = m1.calls[0].at < m2.calls[0].at ? m1 : m2;
  auto& second = &first == &m1 ? m2 : m1;
  EXPECT_FALSE(first.calls[0].result.outcome == PartResult::Outcome::sent);
  EXPECT_GE(second.calls[0].at - first.calls[0].at, 100ms) << "the retry waited its back-off";
  const auto stored = message(id);
  EXPECT_EQ(stored.status, MessageStatus::sent);
  EXPECT_EQ(stored.attempts, 2);
  EXPECT_EQ(stored.parts[0].modem.value_or(""), second.snapshot().id);
  EXPECT_EQ(stored.parts[0].mr, static_cast<int>(second.calls[0].result.mr));
}

TEST_F(DispatcherTest, PermanentErrorFailsTheMessage) {
  ASSERT_EQ(scheduler::classify_send_error(make_error("cms.1", "")),
            scheduler::FailureClass::permanent);
  add_modem("m1");
  add_modem("m2");
  network_.script = {failed("cms.1")};
  start();
  const auto id = submit();

  ASSERT_TRUE(reaches(id, MessageStatus::failed));
  const auto part = one_send_ended(id, MessageStatus::failed);
  EXPECT_EQ(part.status, PartStatus::failed);
  EXPECT_NE(part.error.value_or("").find("cms.1"), std::string::npos);
}

TEST_F(DispatcherTest, FailureOnALaterPartPinsTheRetryToTheSameModem) {
  auto& m1 = add_modem("m1");
  auto& m2 = add_modem("m2");
  network_.script = {sent(7), failed("cms.38")};
  start();
  const auto id = submit(3);

  ASSERT_TRUE(reaches(id, MessageStatus::sent));
  auto& used = m1.calls.empty() ? m2 : m1;
  auto& idle = m1.calls.empty() ? m1 : m2;
  EXPECT_TRUE(idle.calls.empty()) << "a part left through the other modem";
  ASSERT_EQ(used.calls.size(), 4u);
  EXPECT_EQ(used.calls[0].pdu, pdu_of(1));
  EXPECT_EQ(used.calls[1].pdu, pdu_of(2));
  EXPECT_EQ(used.calls[2].pdu, pdu_of(2));
  EXPECT_EQ(used.calls[3].pdu, pdu_of(3));
  const auto stored = message(id);
  EXPECT_EQ(stored.status, MessageStatus::sent);
  EXPECT_EQ(stored.pinned_modem.value_or(""), used.snapshot().id);
  ASSERT_EQ(stored.parts.size(), 3u);
  EXPECT_EQ(stored.parts[0].mr, 7);
  EXPECT_EQ(stored.parts[1].mr, static_cast<int>(used.calls[2].result.mr));
  EXPECT_EQ(stored.parts[2].mr, static_cast<int>(used.calls[3].result.mr));
  for (const auto& part : stored.parts) {
    EXPECT_EQ(part.status, PartStatus::sent);
    EXPECT_EQ(part.modem.value_or(""), used.snapshot().id);
  }
}

TEST_F(DispatcherTest, UnknownOutcomeLeavesThePartUnknownAndIsNotResent) {
  add_modem("m1");
  add_modem("m2");
  network_.script = {unknown("at.timeout")};
  auto options = quick_options();
  options.retry.resend_unknown_outcome = false;  // store.at_least_once off
  start(options);
  const auto id = submit();

  ASSERT_TRUE(reaches(id, MessageStatus::unknown));
  EXPECT_EQ(one_send_ended(id, MessageStatus::unknown).status, PartStatus::unknown);
}

TEST_F(DispatcherTest, NotReadyRequeuesWithoutChargingAnAttempt) {
  ASSERT_EQ(scheduler::classify_send_error(make_error("cms.17", "")),
            scheduler::FailureClass::retry_soon);
  add_modem("m1");
  network_.script = {failed("modem.not_ready"), failed("modem.not_ready"), failed("cms.17")};
  auto options = quick_options();
  options.retry.max_attempts = 2;  // one real failure may be retried once
  start(options);
  const auto id = submit();

  ASSERT_TRUE(run_until([&] {
    return observer_.saw(id, MessageStatus::sent) || observer_.saw(id, MessageStatus::failed);
  }));
  EXPECT_FALSE(observer_.saw(id, MessageStatus::failed))
      << "the not-ready sends were charged as attempts: " << message(id).last_error.value_or("");
  EXPECT_TRUE(observer_.saw(id, MessageStatus::sent));
  EXPECT_EQ(total_calls(), 4u);
  EXPECT_EQ(message(id).status, MessageStatus::sent);
}

TEST_F(DispatcherTest, ValidityEndingDuringBackOffExpiresTheMessage) {
  add_modem("m1");
  network_.script = {failed("cms.17")};
  auto options = quick_options();
  options.retry.backoff_initial = 10s;
  options.retry.backoff_max = 10s;
  start(options);
  const auto id = submit(1, Clock::now() + 1s);

  ASSERT_TRUE(reaches(id, MessageStatus::expired));
  expect_expired_after_one_send(id);
}

TEST_F(DispatcherTest, ValidityEndingWhileQueuedForRetryExpiresTheMessage) {
  auto& m1 = add_modem("m1");
  m1.absent_after_send = true;  // no modem can take the retry before the validity ends
  network_.script = {failed("cms.17")};
  start();  // back-off 100 ms
  const auto id = submit(1, Clock::now() + 1s);

  ASSERT_TRUE(reaches(id, MessageStatus::queued));
  ASSERT_TRUE(reaches(id, MessageStatus::expired));
  expect_expired_after_one_send(id);
}

// A backlog at one priority goes out the most parts first (then oldest first), so the
// last round is not one long message on one SIM while the others idle.
TEST_F(DispatcherTest, ABacklogGoesOutLongestFirst) {
  auto& m1 = add_modem("m1");
  m1.hold();
  start();
  const auto first = submit(1);
  ASSERT_TRUE(run_until([&] { return m1.in_flight == 1; }));
  const auto one = submit(1);
  const auto three = submit(3);
  const auto two = submit(2);
  m1.release();
  for (const auto& id : {first, one, three, two}) ASSERT_TRUE(reaches(id, MessageStatus::sent));
  std::vector<std::size_t> lengths;  // tpdu length 20 + part index (submit)
  for (const auto& c : m1.calls) lengths.push_back(c.length);
  EXPECT_EQ(lengths, (std::vector<std::size_t>{21, 21, 22, 23, 21, 22, 21}));
}

// Memory holds a bounded window of each queue group, its first messages in order; the rest
// wait in the store and are read by index as the window drains. They leave in order.
TEST_F(DispatcherTest, ABacklogBeyondTheWindowWaitsInTheStoreAndLeavesInOrder) {
  auto& m1 = add_modem("m1");
  m1.hold();
  auto options = quick_options();
  options.group_window = 4;
  start(options);
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) ids.push_back(submit(1));
  ASSERT_TRUE(run_until([&] { return m1.in_flight == 1; }));
  std::size_t most = dispatcher_->messages_in_memory();
  m1.release();
  ASSERT_TRUE(run_until([&] {
    most = std::max(most, dispatcher_->messages_in_memory());
    return observer_.saw(ids.back(), MessageStatus::sent);
  }));
  EXPECT_LE(most, 4u);
  std::vector<int> order;  // the network's MR of each message, in submission order
  for (const auto& id : ids) {
    ASSERT_TRUE(reaches(id, MessageStatus::sent)) << id;
    order.push_back(message(id).parts.at(0).mr.value_or(-1));
  }
  EXPECT_TRUE(std::is_sorted(order.begin(), order.end()));
  EXPECT_EQ(m1.calls.size(), 20u);
}

// After a restart the queue is read group by group, a window each, not whole.
TEST_F(DispatcherTest, ARestartReadsAWindowOfEachGroup) {
  auto& m1 = add_modem("m1");
  std::vector<std::string> ids;
  for (int i = 0; i < 12; ++i) ids.push_back(submit(1 + i % 2, std::nullopt, false));
  m1.hold();
  auto options = quick_options();
  options.group_window = 3;
  start(options);
  ASSERT_TRUE(run_until([&] { return m1.in_flight == 1; }));
  settle(50ms);
  EXPECT_LE(dispatcher_->messages_in_memory(), 3u);
  m1.release();
  for (const auto& id : ids) {
    ASSERT_TRUE(reaches(id, MessageStatus::sent))
        << id << " " << m1.calls.size() << " " << store::to_string(message(id).status) << " "
        << dispatcher_->messages_in_memory();
  }
  // Longest first: the six two-part messages, then the six single ones.
  std::vector<std::size_t> lengths;
  for (const auto& c : m1.calls) lengths.push_back(c.length);
  EXPECT_EQ(std::count(lengths.begin(), lengths.begin() + 12, 22u), 6);
  EXPECT_EQ(lengths.size(), 18u);
}

TEST_F(DispatcherTest, StopLetsTheSendInFlightFinish) {
  auto& m1 = add_modem("m1");
  m1.hold();
  network_.script = {sent(9)};
  start();
  const auto id = submit();

  ASSERT_TRUE(run_until([&] { return m1.in_flight == 1; }));
  dispatcher_->stop();
  settle(100ms);
  EXPECT_FALSE(run_done_) << "run() returned with a send in flight";
  m1.release();
  ASSERT_TRUE(run_until([&] { return run_done_; }));
  const auto stored = message(id);
  EXPECT_EQ(stored.status, MessageStatus::sent);
  EXPECT_EQ(stored.parts.at(0).mr, 9);
  EXPECT_EQ(total_calls(), 1u);
}

}  // namespace
}  // namespace smsgw::gateway::testing
