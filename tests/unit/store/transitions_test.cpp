// The transition table (transitions.hpp): every listed move is allowed, everything else
// refused, and the store operations refuse what the table refuses.
#include "smsgw/store/transitions.hpp"

#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "store_fixture.hpp"

namespace smsgw::store::testing {
namespace {

using M = MessageStatus;
using ME = MessageEvent;
using P = PartStatus;
using PE = PartEvent;

// Walks every (status, event): allowed exactly when `expected` lists it, to the listed
// status; refused otherwise.
template <class Status, class Event, class AllStatuses, class AllEvents>
void expect_exactly(const std::set<std::tuple<Status, Event, Status>>& expected,
                    const AllStatuses& statuses, const AllEvents& events) {
  for (const Status from : statuses) {
    for (const Event event : events) {
      const std::optional<Status> to = next_status(from, event);
      bool listed = false;
      for (const auto& [f, e, t] : expected) {
        if (f == from && e == event) {
          listed = true;
          EXPECT_EQ(to, t) << to_string(from) << " x " << to_string(event);
        }
      }
      if (!listed) {
        EXPECT_FALSE(to) << to_string(from) << " x " << to_string(event) << " must be refused";
      }
    }
  }
}

TEST(MessageTransitions, TheTableIsTheContract) {
  const std::set<std::tuple<M, ME, M>> expected{
      {M::queued, ME::claim, M::sending},
      {M::sending, ME::all_parts_left, M::sent},
      {M::queued, ME::requeue, M::queued},
      {M::sending, ME::requeue, M::queued},
      {M::queued, ME::fail, M::failed},
      {M::sending, ME::fail, M::failed},
      {M::queued, ME::expire, M::expired},
      {M::sending, ME::expire, M::expired},
      {M::queued, ME::cancel, M::cancelled},
      {M::sent, ME::parts_delivered, M::delivered},
      {M::sent, ME::part_failed_by_report, M::failed},
      {M::sending, ME::outcome_unknown, M::unknown},
      {M::unknown, ME::parts_delivered, M::delivered},
      {M::unknown, ME::part_failed_by_report, M::failed},
      {M::unknown, ME::all_parts_left, M::sent},
      {M::unknown, ME::requeue, M::queued},
  };
  expect_exactly(expected, kAllMessageStatuses, kAllMessageEvents);
  EXPECT_EQ(message_transitions().size(), expected.size());
}

TEST(MessageTransitions, FinalStatusesHaveNoWayOut) {
  for (const auto from : {M::delivered, M::expired, M::cancelled}) {
    for (const auto event : kAllMessageEvents) {
      EXPECT_FALSE(next_status(from, event)) << to_string(from) << " x " << to_string(event);
    }
  }
  // A failed message changes only through late reports on its parts, never its own status.
  for (const auto event : kAllMessageEvents) EXPECT_FALSE(next_status(M::failed, event));
}

TEST(PartTransitions, TheTableIsTheContract) {
  const std::set<std::tuple<P, PE, P>> expected{
      {P::queued, PE::start_sending, P::sending},
      {P::queued, PE::sent, P::sent},
      {P::sending, PE::sent, P::sent},
      {P::unknown, PE::sent, P::sent},
      {P::queued, PE::send_failed, P::failed},
      {P::sending, PE::send_failed, P::failed},
      {P::unknown, PE::send_failed, P::failed},
      {P::queued, PE::outcome_unknown, P::unknown},
      {P::sending, PE::outcome_unknown, P::unknown},
      {P::unknown, PE::outcome_unknown, P::unknown},
      {P::queued, PE::requeue, P::queued},
      {P::sending, PE::requeue, P::queued},
      {P::failed, PE::requeue, P::queued},
      {P::unknown, PE::requeue, P::queued},
      {P::queued, PE::message_failed, P::failed},
      {P::sending, PE::message_failed, P::failed},
      {P::sent, PE::report_delivered, P::delivered},
      {P::unknown, PE::report_delivered, P::delivered},
      {P::sent, PE::report_pending, P::sent},
      {P::unknown, PE::report_pending, P::unknown},
      {P::sent, PE::report_failed, P::failed},
      {P::unknown, PE::report_failed, P::failed},
  };
  expect_exactly(expected, kAllPartStatuses, kAllPartEvents);
  EXPECT_EQ(part_transitions().size(), expected.size());
}

TEST(PartTransitions, AReportNeverChangesAFinalPart) {
  for (const auto outcome :
       {ReportOutcome::delivered, ReportOutcome::pending, ReportOutcome::failed}) {
    EXPECT_FALSE(next_status(P::delivered, report_event(outcome)));
    EXPECT_FALSE(next_status(P::failed, report_event(outcome)));
  }
  EXPECT_EQ(report_event(ReportOutcome::delivered), PE::report_delivered);
  EXPECT_EQ(report_event(ReportOutcome::pending), PE::report_pending);
  EXPECT_EQ(report_event(ReportOutcome::failed), PE::report_failed);
}

using StoreTransitions = StoreTest;

TEST_P(StoreTransitions, OperationsRefuseWhatTheTableRefuses) {
  const auto id = add(message_to("+491", 2));
  // A part cannot leave before its message is claimed.
  EXPECT_EQ(store_->part_sending(id, 1, at(1)).error().code, "conflict");
  auto begun = store_->begin_send(id, "m1", at(1), DailyCount{"8949", 7, 2});
  ASSERT_TRUE(begun.ok()) << begun.error().message;
  EXPECT_EQ(begun->status, MessageStatus::sending);
  EXPECT_EQ(begun->parts[0].status, PartStatus::sending);
  EXPECT_EQ(begun->parts[1].status, PartStatus::queued);
  EXPECT_EQ(*store_->daily_sent("8949", 7), 2);
  // sending x claim, sending x cancel: refused.
  EXPECT_EQ(store_->claim_message(id, "m2", at(2)).error().code, "conflict");
  EXPECT_EQ(store_->cancel(id, at(2)).error().code, "conflict");
  // Part 1 sent and part 2 marked sending: one transaction.
  const auto commits = store_->commit_count();
  auto status = store_->part_sent(id, 1, 17, at(3), 2);
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(*status, MessageStatus::sending);
  EXPECT_EQ(store_->commit_count(), commits + 1);
  auto message = store_->get_message(id);
  EXPECT_EQ(message->parts[0].status, PartStatus::sent);
  EXPECT_EQ(message->parts[1].status, PartStatus::sending);
  // sent x start_sending: refused.
  EXPECT_EQ(store_->part_sending(id, 1, at(4)).error().code, "conflict");
  // Part 2 sent: the message is sent; now requeue, fail and expire are refused.
  EXPECT_EQ(*store_->part_sent(id, 2, 18, at(5)), MessageStatus::sent);
  EXPECT_EQ(store_->requeue(id, at(6), "x", at(6)).error().code, "conflict");
  EXPECT_EQ(store_->fail(id, "x", at(6)).error().code, "conflict");
  EXPECT_EQ(store_->expire(id, at(6)).error().code, "conflict");
}

TEST_P(StoreTransitions, AFailedAttemptPastItsValidityExpiresInOneTransaction) {
  const auto id = add(message_to("+491", 1));
  ASSERT_TRUE(store_->begin_send(id, "m1", at(1)).ok());
  const auto commits = store_->commit_count();
  auto expired = store_->expire(id, at(2), PartFailure{1, false, "modem.timeout: no prompt"});
  ASSERT_TRUE(expired.ok()) << expired.error().message;
  EXPECT_EQ(store_->commit_count(), commits + 1);
  auto message = store_->get_message(id);
  EXPECT_EQ(message->status, MessageStatus::expired);
  EXPECT_EQ(message->parts[0].status, PartStatus::failed);
  EXPECT_EQ(message->parts[0].error, "modem.timeout: no prompt");
}

TEST_P(StoreTransitions, AFailedOperationLeavesNothingBehind) {
  const auto id = add(message_to("+491", 1));
  ASSERT_TRUE(store_->begin_send(id, "m1", at(1)).ok());
  ASSERT_TRUE(store_->part_sent(id, 1, 3, at(2)).ok());  // the message is sent
  // The part failure is recorded in the same transaction as the refused fail: undone.
  EXPECT_EQ(store_->fail(id, "x", at(3), PartFailure{1, true, "late"}).error().code, "conflict");
  EXPECT_EQ(store_->get_message(id)->parts[0].status, PartStatus::sent);
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreTransitions, STORE_ENGINES);

}  // namespace
}  // namespace smsgw::store::testing
