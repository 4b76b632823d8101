#include <map>
#include <set>

#include "store_fixture.hpp"

namespace smsgw::store::testing {
namespace {

class StoreQueue : public StoreTest {
 protected:
  // Three sends through m1 got TP-MR 5 (the MR wrapped, 256 sends apart), the first two
  // to +491511234567, the third to +447700900123, sent at 1, 101 and 201 s.
  std::vector<std::string> three_sends_with_mr_5() {
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) {
      const auto id = add(message_to(i == 2 ? "+447700900123" : "+491511234567"), at(i));
      EXPECT_TRUE(store_->claim_message(id, "m1", at(i * 100)).ok());
      EXPECT_TRUE(store_->part_sent(id, 1, 5, at(i * 100 + 1)).ok());
      ids.push_back(id);
    }
    return ids;
  }
};

std::vector<std::string> ids_of(const std::vector<StoredMessage>& messages) {
  std::vector<std::string> ids;
  for (const auto& m : messages) ids.push_back(m.id);
  return ids;
}

std::vector<std::string> kinds(const StoredMessage& m) {
  std::vector<std::string> out;
  for (const auto& e : m.events) out.push_back(e.kind);
  return out;
}

TEST_P(StoreQueue, DueMessagesAreOrderedByPriorityThenAgeAndFiltered) {
  const auto low_old = add(message_to("+491", 1, 0), at(1));
  const auto high = add(message_to("+492", 1, 9), at(2));
  const auto low_new = add(message_to("+493", 1, 0), at(3));
  NewMessage later = message_to("+494");
  later.send_at = at(500);
  const auto scheduled = add(later, at(4));
  NewMessage short_lived = message_to("+495");
  short_lived.expires_at = at(50);
  const auto expiring = add(short_lived, at(5));

  auto due = store_->due_in_group("any", at(10), 100);
  ASSERT_TRUE(due.ok()) << due.error().message;
  EXPECT_EQ(ids_of(*due), (std::vector<std::string>{high, low_old, low_new, expiring}));
  // Later: the scheduled one is due, the expired one is not.
  due = store_->due_in_group("any", at(600), 100);
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(ids_of(*due), (std::vector<std::string>{high, low_old, low_new, scheduled}));
  auto next = store_->next_due_time(at(10));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, at(500));
}

// The dispatcher reads its queue group by group (store::queue_group, the same rule in C++
// and SQL) and each group in its order: priority, then longest first, then age.
TEST_P(StoreQueue, QueueGroupsAndTheirDueMessagesComeByIndexInTheDispatchersOrder) {
  auto pinned = message_to("+491");
  pinned.pinned_modem = "m2";
  pinned.destination_operator = "Telekom";
  auto by_operator = message_to("+492");
  by_operator.pinned_operator = "Vodafone";
  by_operator.destination_operator = "Telekom";
  auto telekom_short = message_to("+493");
  telekom_short.destination_operator = "Telekom";
  auto telekom_long = message_to("+494", 3);
  telekom_long.destination_operator = "Telekom";
  auto telekom_urgent = message_to("+495", 1, 5);
  telekom_urgent.destination_operator = "Telekom";
  auto telekom_later = message_to("+496");
  telekom_later.destination_operator = "Telekom";
  telekom_later.send_at = at(100);
  auto nobody = message_to("+497");
  nobody.destination_operator = "";
  std::map<std::string, std::string> ids;
  for (auto* m : {&pinned, &by_operator, &telekom_short, &telekom_long, &telekom_urgent,
                  &telekom_later, &nobody}) {
    ids[m->to] = add(*m, at(ids.size()));
    EXPECT_TRUE(store_->get_message(ids[m->to]).ok());
  }
  std::set<std::string> expected;
  for (const auto* m : {&pinned, &by_operator, &telekom_short, &nobody}) {
    expected.insert(queue_group(m->pinned_modem.value_or(""), m->pinned_operator.value_or(""),
                                m->destination_operator.value_or("")));
  }
  const auto groups = store_->queue_groups();
  ASSERT_TRUE(groups.ok()) << groups.error().message;
  EXPECT_EQ(*groups, (std::vector<std::string>{"any", "modem:m2", "op:Telekom", "op:Vodafone"}));
  EXPECT_EQ(std::set<std::string>(groups->begin(), groups->end()), expected);

  const auto telekom = store_->due_in_group("op:Telekom", at(10), 10);
  ASSERT_TRUE(telekom.ok()) << telekom.error().message;
  EXPECT_EQ(ids_of(*telekom),
            (std::vector<std::string>{ids["+495"], ids["+494"], ids["+493"]}));  // not +496 yet
  EXPECT_EQ(ids_of(*store_->due_in_group("op:Telekom", at(10), 2)),
            (std::vector<std::string>{ids["+495"], ids["+494"]}));
  EXPECT_EQ(store_->due_in_group("op:Telekom", at(200), 10)->size(), 4u);
  EXPECT_EQ(ids_of(*store_->due_in_group("modem:m2", at(10), 10)),
            std::vector<std::string>{ids["+491"]});
}

// Scheduled messages are found by the time they come due (index), not by reading past
// those not yet due, and join the group's order once due.
TEST_P(StoreQueue, ScheduledMessagesComeDueByIndexAndJoinTheGroupsOrder) {
  auto to_telekom = [](std::string to, int parts, int priority, std::optional<TimePoint> send_at) {
    auto m = message_to(std::move(to), parts, priority);
    m.destination_operator = "Telekom";
    m.send_at = send_at;
    return m;
  };
  for (int i = 0; i < 50; ++i) add(to_telekom("+4915" + std::to_string(i), 1, 9, at(1000)));
  const auto now_low = add(to_telekom("+491", 1, 0, std::nullopt), at(1));
  const auto timed_urgent = add(to_telekom("+492", 1, 5, at(5)), at(2));
  const auto timed_long = add(to_telekom("+493", 2, 0, at(5)), at(3));
  auto later_only = message_to("+494");
  later_only.destination_operator = "Vodafone";
  later_only.send_at = at(1000);
  add(later_only, at(4));

  EXPECT_EQ(*store_->queue_groups(), (std::vector<std::string>{"op:Telekom", "op:Vodafone"}));
  EXPECT_EQ(ids_of(*store_->due_in_group("op:Telekom", at(10), 10)),
            (std::vector<std::string>{timed_urgent, timed_long, now_low}));
  EXPECT_EQ(store_->due_in_group("op:Telekom", at(2000), 10)->size(), 10u);
  EXPECT_EQ(store_->due_in_group("op:Telekom", at(2000), 100)->size(), 53u);
  EXPECT_TRUE(store_->due_in_group("op:Vodafone", at(10), 10)->empty());
  EXPECT_EQ(*store_->next_due_time(at(10)), at(1000));
}

TEST_P(StoreQueue, ClaimSendAndRollUpToDelivered) {
  const auto id = add(message_to("+491511234567", 2));
  auto claimed = store_->claim_message(id, "modem1", at(10));
  ASSERT_TRUE(claimed.ok()) << claimed.error().message;
  EXPECT_EQ(claimed->status, MessageStatus::sending);
  EXPECT_EQ(claimed->assigned_modem, "modem1");
  EXPECT_EQ(claimed->attempts, 1);
  ASSERT_EQ(claimed->parts.size(), 2u);
  EXPECT_EQ(claimed->parts[0].modem, "modem1");
  EXPECT_EQ(claimed->parts[0].status, PartStatus::queued);
  // A claimed message is no longer due and cannot be claimed twice.
  EXPECT_TRUE(due_at(*store_, at(10)).empty());
  auto twice = store_->claim_message(id, "modem2", at(10));
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, "conflict");

  ASSERT_TRUE(store_->part_sending(id, 1, at(11)).ok());
  auto status = store_->part_sent(id, 1, 200, at(12));
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(*status, MessageStatus::sending);
  ASSERT_TRUE(store_->part_sending(id, 2, at(13)).ok());
  status = store_->part_sent(id, 2, 201, at(14));
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(*status, MessageStatus::sent);

  auto sent = store_->get_message(id);
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(sent->sent_at, at(14));
  EXPECT_EQ(sent->parts[0].mr, 200);
  EXPECT_EQ(sent->parts[0].sent_at, at(12));
  EXPECT_EQ(sent->parts[1].status, PartStatus::sent);

  DeliveryReport report{"modem1", 200, "+491511234567", 0x00, {}, {}, "", at(20)};
  status = store_->record_report(id, 1, report);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(*status, MessageStatus::sent);  // one part still waiting
  report.mr = 201;
  report.received_at = at(21);
  status = store_->record_report(id, 2, report);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(*status, MessageStatus::delivered);
  auto delivered = store_->get_message(id);
  ASSERT_TRUE(delivered.ok());
  EXPECT_EQ(delivered->delivered_at, at(21));
  EXPECT_EQ(delivered->parts[1].delivered_at, at(21));
  EXPECT_EQ(delivered->parts[1].report_status, 0);
  EXPECT_EQ(kinds(*delivered), (std::vector<std::string>{"queued", "claimed", "part_sending",
                                                         "part_sent", "part_sending", "part_sent",
                                                         "sent", "report", "report", "delivered"}));
}

TEST_P(StoreQueue, TemporaryReportKeepsSentAndPermanentFailsTheMessage) {
  const auto id = add(message_to("+491511234567", 2));
  ASSERT_TRUE(store_->claim_message(id, "m", at(1)).ok());
  ASSERT_TRUE(store_->part_sent(id, 1, 7, at(2)).ok());
  ASSERT_TRUE(store_->part_sent(id, 2, 8, at(2)).ok());
  DeliveryReport pending{"m", 7, std::nullopt, 0x30, {}, {}, "", at(3)};
  auto status = store_->record_report(id, 1, pending);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(*status, MessageStatus::sent);
  auto message = store_->get_message(id);
  EXPECT_EQ(message->parts[0].status, PartStatus::sent);
  EXPECT_EQ(message->parts[0].report_status, 0x30);
  DeliveryReport failed{"m", 8, std::nullopt, 0x41, {}, {}, "", at(4)};
  status = store_->record_report(id, 2, failed);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(*status, MessageStatus::failed);
  message = store_->get_message(id);
  EXPECT_EQ(message->last_error, "part 2: status report TP-ST 0x41: the service centre gave up");
}

// A part whose answer never came is left unknown: the message is `unknown`, not `failed`
// (it may have arrived); its unsent parts stay queued and it is not due. Reports on its
// parts still roll it up: `failed` when one failed, `delivered` when all were delivered.
TEST_P(StoreQueue, AnUnknownOutcomeLeavesTheMessageUnknownAndReportsSettleIt) {
  const auto id = add(message_to("+491511234567", 3));
  ASSERT_TRUE(store_->claim_message(id, "m", at(1)).ok());
  ASSERT_TRUE(store_->part_sent(id, 1, 7, at(2), 2).ok());
  ASSERT_TRUE(store_
                  ->leave_unknown(id, "the modem may have sent it", at(3),
                                  PartFailure{2, true, "at.timeout"})
                  .ok());
  auto message = store_->get_message(id);
  EXPECT_EQ(message->status, MessageStatus::unknown);
  EXPECT_EQ(message->parts[1].status, PartStatus::unknown);
  EXPECT_EQ(message->parts[2].status, PartStatus::queued);
  EXPECT_EQ(message->events.back().kind, "unknown");
  EXPECT_TRUE(due_at(*store_, at(4)).empty());
  // Only a sending message can become unknown.
  EXPECT_EQ(store_->leave_unknown(id, "again", at(4), PartFailure{2, true, "x"}).error().kind,
            ErrorCode::conflict);

  DeliveryReport delivered{"m", 7, std::nullopt, 0x00, {}, {}, "", at(5)};
  EXPECT_EQ(*store_->record_report(id, 1, delivered), MessageStatus::unknown);
  DeliveryReport failed{"m", 7, std::nullopt, 0x41, {}, {}, "", at(6)};
  const auto other = add(message_to("+491511234568", 1));
  ASSERT_TRUE(store_->claim_message(other, "m", at(1)).ok());
  ASSERT_TRUE(store_->leave_unknown(other, "lost answer", at(2), PartFailure{1, true, "x"}).ok());
  EXPECT_EQ(*store_->record_report(other, 1, failed), MessageStatus::failed);
  const auto third = add(message_to("+491511234569", 1));
  ASSERT_TRUE(store_->claim_message(third, "m", at(1)).ok());
  ASSERT_TRUE(store_->leave_unknown(third, "lost answer", at(2), PartFailure{1, true, "x"}).ok());
  EXPECT_EQ(*store_->record_report(third, 1, delivered), MessageStatus::delivered);
}

// Settling an unknown outcome by the network's own evidence (scheduler::match_unknown_part):
// a report on the part's SIM for its recipient with an MR no known part has.
DeliveryReport report_for_unknown(int mr, int tp_status, TimePoint received) {
  return DeliveryReport{"m", mr, "+491511234567", tp_status, {}, {}, "", received};
}

TEST_P(StoreQueue, AReportWithAnUnknownMrSettlesTheUnknownPart) {
  const auto id = add(message_to("+491511234567"));
  ASSERT_TRUE(store_->claim_message(id, "m", at(1)).ok());
  ASSERT_TRUE(store_->part_sending(id, 1, at(1)).ok());
  EXPECT_EQ(*store_->leave_unknown(id, "lost answer", at(2), PartFailure{1, true, "at.timeout"}),
            MessageStatus::unknown);
  // Another SIM's report, or one for another number, settles nothing.
  auto other = report_for_unknown(99, 0x00, at(3));
  other.modem = "m2";
  EXPECT_FALSE(store_->settle_report(other)->message_id);
  other = report_for_unknown(99, 0x00, at(3));
  other.recipient = "+491519999999";
  EXPECT_FALSE(store_->settle_report(other)->message_id);

  const auto settled = store_->settle_report(report_for_unknown(99, 0x00, at(4)));
  ASSERT_TRUE(settled.ok()) << settled.error().message;
  EXPECT_EQ(settled->message_id, id);
  EXPECT_TRUE(settled->settled_unknown);
  EXPECT_EQ(settled->status, MessageStatus::delivered);
  const auto message = store_->get_message(id);
  EXPECT_EQ(message->status, MessageStatus::delivered);
  EXPECT_EQ(message->parts[0].status, PartStatus::delivered);
  EXPECT_EQ(message->parts[0].mr, 99);
  const bool logged = std::any_of(message->events.begin(), message->events.end(),
                                  [](const StoredEvent& e) { return e.kind == "settled"; });
  EXPECT_TRUE(logged);
}

// A multipart message whose unknown part turns out to have left goes on with its remaining
// parts through the same SIM, so that it arrives whole.
TEST_P(StoreQueue, ASettledMultipartMessageGoesOnThroughTheSameSim) {
  const auto id = add(message_to("+491511234567", 3));
  ASSERT_TRUE(store_->claim_message(id, "m", at(1)).ok());
  ASSERT_TRUE(store_->part_sending(id, 1, at(1)).ok());
  ASSERT_TRUE(store_->part_sent(id, 1, 7, at(2), 2).ok());
  ASSERT_TRUE(store_->leave_unknown(id, "lost answer", at(3), PartFailure{2, true, "x"}).ok());
  const auto settled = store_->settle_report(report_for_unknown(8, 0x00, at(5)));
  ASSERT_TRUE(settled.ok()) << settled.error().message;
  EXPECT_EQ(settled->index, 2);
  EXPECT_EQ(settled->status, MessageStatus::queued);
  const auto message = store_->get_message(id);
  EXPECT_EQ(message->pinned_modem, "m");
  EXPECT_EQ(message->parts[1].status, PartStatus::delivered);
  EXPECT_EQ(message->parts[2].status, PartStatus::queued);
  const auto due = due_at(*store_, at(6));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].id, id);
}

// The report can come before the part is given up on (the +CMGS was late or lost): it
// waits as unmatched, and giving up on the part settles it with that report at once.
TEST_P(StoreQueue, AReportThatCameFirstSettlesThePartWhenItIsGivenUpOn) {
  const auto id = add(message_to("+491511234567"));
  ASSERT_TRUE(store_->claim_message(id, "m", at(1)).ok());
  ASSERT_TRUE(store_->part_sending(id, 1, at(1)).ok());
  EXPECT_FALSE(store_->settle_report(report_for_unknown(42, 0x00, at(2)))->message_id);
  EXPECT_EQ(store_->unmatched_reports(10)->size(), 1u);
  EXPECT_EQ(*store_->leave_unknown(id, "no answer", at(30), PartFailure{1, true, "at.timeout"}),
            MessageStatus::delivered);
  EXPECT_TRUE(store_->unmatched_reports(10)->empty());
  EXPECT_EQ(store_->get_message(id)->parts[0].mr, 42);
}

// sms.after_settle = "resend": a part no report settled in time is queued again, pinned
// to the SIM it went to, only its unknown and unsent parts, and once only.
TEST_P(StoreQueue, AnUnsettledPartIsResentOnceThroughTheSameSim) {
  const auto id = add(message_to("+491511234567", 3));
  const auto young = add(message_to("+491517654321"));
  ASSERT_TRUE(store_->claim_message(id, "m", at(1)).ok());
  ASSERT_TRUE(store_->part_sending(id, 1, at(1)).ok());
  ASSERT_TRUE(store_->part_sent(id, 1, 7, at(2), 2).ok());
  ASSERT_TRUE(store_->leave_unknown(id, "lost answer", at(4), PartFailure{2, true, "x"}).ok());
  ASSERT_TRUE(store_->claim_message(young, "m2", at(20)).ok());
  ASSERT_TRUE(store_->part_sending(young, 1, at(20)).ok());
  ASSERT_TRUE(store_->leave_unknown(young, "no answer", at(21), PartFailure{1, true, "x"}).ok());

  const auto resent = store_->resend_unsettled(at(10), at(30));
  ASSERT_TRUE(resent.ok()) << resent.error().message;
  EXPECT_EQ(*resent, std::vector<std::string>{id});  // `young` began after the cut-off
  auto message = store_->get_message(id);
  EXPECT_EQ(message->status, MessageStatus::queued);
  EXPECT_EQ(message->pinned_modem, "m");
  EXPECT_EQ(message->parts[0].status, PartStatus::sent);
  EXPECT_EQ(message->parts[1].status, PartStatus::queued);
  EXPECT_EQ(message->parts[2].status, PartStatus::queued);
  EXPECT_EQ(kinds(*message).back(), "resend");
  EXPECT_EQ(store_->get_message(young)->status, MessageStatus::unknown);

  // Its answer is lost again: it stays unknown for good.
  ASSERT_TRUE(store_->claim_message(id, "m", at(31)).ok());
  ASSERT_TRUE(store_->part_sending(id, 2, at(31)).ok());
  ASSERT_TRUE(store_->leave_unknown(id, "lost again", at(32), PartFailure{2, true, "x"}).ok());
  EXPECT_EQ(*store_->resend_unsettled(at(100), at(100)), std::vector<std::string>{young});
  EXPECT_EQ(store_->get_message(id)->status, MessageStatus::unknown);
}

TEST_P(StoreQueue, FailedPartThenRequeueResendsOnlyUnsentParts) {
  const auto id = add(message_to("+491", 3));
  ASSERT_TRUE(store_->claim_message(id, "m1", at(1)).ok());
  ASSERT_TRUE(store_->part_sending(id, 1, at(1)).ok());
  ASSERT_TRUE(store_->part_sent(id, 1, 1, at(2)).ok());
  ASSERT_TRUE(store_->part_sending(id, 2, at(2)).ok());
  ASSERT_TRUE(store_->part_failed(id, 2, "+CMS ERROR: 38", at(3)).ok());
  ASSERT_TRUE(store_->requeue(id, at(60), "+CMS ERROR: 38", at(3)).ok());
  auto message = store_->get_message(id);
  ASSERT_TRUE(message.ok());
  EXPECT_EQ(message->status, MessageStatus::queued);
  EXPECT_EQ(message->next_attempt_at, at(60));
  EXPECT_EQ(message->last_error, "+CMS ERROR: 38");
  EXPECT_FALSE(message->assigned_modem);
  EXPECT_EQ(message->parts[0].status, PartStatus::sent);
  EXPECT_EQ(message->parts[1].status, PartStatus::queued);
  EXPECT_EQ(message->parts[2].status, PartStatus::queued);
  // Not due before next_attempt_at.
  EXPECT_TRUE(due_at(*store_, at(30)).empty());
  EXPECT_EQ(due_at(*store_, at(60)).size(), 1u);
  auto again = store_->claim_message(id, "m2", at(61));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->attempts, 2);
  EXPECT_EQ(again->parts[0].modem, "m1");
  EXPECT_EQ(again->parts[1].modem, "m2");
}

TEST_P(StoreQueue, MarkFailedAndExpire) {
  const auto failing = add(message_to("+491", 2));
  ASSERT_TRUE(store_->claim_message(failing, "m", at(1)).ok());
  ASSERT_TRUE(store_->fail(failing, "too many attempts", at(2)).ok());
  auto message = store_->get_message(failing);
  EXPECT_EQ(message->status, MessageStatus::failed);
  EXPECT_EQ(message->parts[0].status, PartStatus::failed);
  EXPECT_EQ(message->parts[0].error, "too many attempts");
  EXPECT_EQ(store_->fail(failing, "again", at(3)).error().code, "conflict");

  NewMessage short_lived = message_to("+492");
  short_lived.expires_at = at(10);
  const auto expiring = add(short_lived);
  const auto staying = add(message_to("+493"));
  auto expired = store_->expire_due(at(10));
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(*expired, std::vector<std::string>{expiring});
  EXPECT_EQ(store_->get_message(expiring)->status, MessageStatus::expired);
  EXPECT_EQ(store_->get_message(staying)->status, MessageStatus::queued);
  ASSERT_TRUE(store_->expire(staying, at(11)).ok());
  EXPECT_EQ(store_->expire(staying, at(12)).error().code, "conflict");
}

TEST_P(StoreQueue, CancelOnlyWhileQueued) {
  const auto queued = add(message_to("+491"));
  auto cancelled = store_->cancel(queued, at(1));
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled->status, MessageStatus::cancelled);
  EXPECT_TRUE(due_at(*store_, at(2)).empty());

  const auto sending = add(message_to("+492"));
  ASSERT_TRUE(store_->claim_message(sending, "m", at(1)).ok());
  auto conflict = store_->cancel(sending, at(2));
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().code, "conflict");
  EXPECT_EQ(conflict.error().message,
            "message " + sending + " is sending; only queued messages can be cancelled");
  EXPECT_EQ(store_->cancel(queued, at(3)).error().code, "conflict");
  EXPECT_EQ(store_->cancel("01HNOPE", at(3)).error().code, "not_found");
}

TEST_P(StoreQueue, UnknownIdsAndPartsAreNotFound) {
  const auto id = add(message_to("+491"));
  EXPECT_EQ(store_->get_message("nope").error().code, "not_found");
  EXPECT_EQ(store_->claim_message("nope", "m", at(1)).error().code, "not_found");
  EXPECT_EQ(store_->part_sent(id, 5, 1, at(1)).error().code, "not_found");
  EXPECT_EQ(store_->append_event("nope", "x", "{}", at(1)).error().code, "not_found");
  ASSERT_TRUE(store_->append_event(id, "note", R"({"by":"test"})", at(1)).ok());
  EXPECT_EQ(store_->get_message(id)->events.back().detail_json, R"({"by":"test"})");
}

TEST_P(StoreQueue, ReportCandidatesHandleTheWrappingMessageReference) {
  // Three sends through one modem got TP-MR 5: the MR wrapped (256 sends apart).
  const auto ids = three_sends_with_mr_5();
  const auto other_modem = add(message_to("+491511234567"), at(5));
  ASSERT_TRUE(store_->claim_message(other_modem, "m2", at(250)).ok());
  ASSERT_TRUE(store_->part_sent(other_modem, 1, 5, at(251)).ok());

  auto candidates = store_->report_candidates("m1", 5, at(0));
  ASSERT_TRUE(candidates.ok());
  ASSERT_EQ(candidates->size(), 3u);
  EXPECT_EQ((*candidates)[0].message_id, ids[2]);  // newest first
  EXPECT_EQ((*candidates)[2].message_id, ids[0]);
  // The window drops old sends.
  EXPECT_EQ(store_->report_candidates("m1", 5, at(150))->size(), 1u);
  EXPECT_TRUE(store_->report_candidates("m1", 6, at(0))->empty());
}

TEST_P(StoreQueue, SettleReportAppliesTheMatcherToTheCandidates) {
  // Three sends through one modem got TP-MR 5 (the MR wrapped), two to one subscriber.
  const auto ids = three_sends_with_mr_5();
  const scheduler::MatchOptions options{std::chrono::hours(1), std::chrono::seconds(5)};
  auto report_to = [&](std::string recipient, TimePoint scts) {
    return DeliveryReport{"m1", 5, std::move(recipient), 0x00, scts, scts, "0006", at(300)};
  };
  // National form of the recipient; SCTS just after the second send: that one.
  auto settled = store_->settle_report(report_to("01511234567", at(102)), options);
  ASSERT_TRUE(settled.ok()) << settled.error().message;
  ASSERT_TRUE(settled->message_id);
  EXPECT_EQ(*settled->message_id, ids[1]);
  EXPECT_EQ(settled->status, MessageStatus::delivered);
  // SCTS after the first send only: the first, though the second is newer.
  settled = store_->settle_report(report_to("+491511234567", at(50)), options);
  ASSERT_TRUE(settled.ok());
  EXPECT_EQ(settled->message_id.value_or(""), ids[0]);
  // The recipient narrows it to the third.
  settled = store_->settle_report(report_to("447700900123", at(299)), options);
  ASSERT_TRUE(settled.ok());
  EXPECT_EQ(settled->message_id.value_or(""), ids[2]);
  // Another subscriber: unmatched, and kept.
  settled = store_->settle_report(report_to("+4917600000000", at(299)), options);
  ASSERT_TRUE(settled.ok());
  EXPECT_FALSE(settled->message_id);
  EXPECT_EQ(store_->unmatched_reports(10)->size(), 1u);
  // Outside the window (1 h before the report's arrival at 300 s is long past): unmatched.
  auto late = report_to("+491511234567", at(102));
  late.received_at = at(102) + std::chrono::hours(2);
  settled = store_->settle_report(late, options);
  ASSERT_TRUE(settled.ok());
  EXPECT_FALSE(settled->message_id);
}

TEST_P(StoreQueue, AReportDoesNotChangeAFinalPart) {
  const auto id = add(message_to("+491511234567"), at(0));
  ASSERT_TRUE(store_->claim_message(id, "m1", at(1)).ok());
  ASSERT_TRUE(store_->part_sent(id, 1, 7, at(2)).ok());
  DeliveryReport delivered{"m1", 7, "+491511234567", 0x00, at(3), at(3), "0006", at(4)};
  EXPECT_EQ(*store_->record_report(id, 1, delivered), MessageStatus::delivered);
  DeliveryReport failed{"m1", 7, "+491511234567", 0x41, at(5), at(5), "0006", at(6)};
  EXPECT_EQ(*store_->record_report(id, 1, failed), MessageStatus::delivered);
  const auto message = store_->get_message(id);
  EXPECT_EQ(message->parts[0].status, PartStatus::delivered);
  EXPECT_NE(message->events.back().detail_json.find("already delivered"), std::string::npos)
      << message->events.back().detail_json;
}

TEST_P(StoreQueue, UnmatchedReportsAreKept) {
  DeliveryReport report{"m1", 42, "+491", 0x00, at(1), at(2), "0006", at(3)};
  auto id = store_->store_unmatched_report(report);
  ASSERT_TRUE(id.ok());
  auto kept = store_->unmatched_reports(10);
  ASSERT_TRUE(kept.ok());
  ASSERT_EQ(kept->size(), 1u);
  EXPECT_EQ((*kept)[0].mr, 42);
  EXPECT_EQ((*kept)[0].recipient, "+491");
  EXPECT_EQ((*kept)[0].scts, at(1));
  EXPECT_EQ((*kept)[0].discharge, at(2));
  EXPECT_EQ((*kept)[0].pdu_hex, "0006");
  EXPECT_EQ((*kept)[0].received_at, at(3));
}

TEST_P(StoreQueue, ListingIsNewestFirstWithStatusFilterAndCursor) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(add(message_to("+49" + std::to_string(i)), at(i)));
  ASSERT_TRUE(store_->cancel(ids[1], at(10)).ok());
  ASSERT_TRUE(store_->cancel(ids[3], at(10)).ok());

  auto page =
      store_->list_messages(ListQuery{std::nullopt, 2, std::nullopt, std::nullopt, std::nullopt});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(ids_of(page->messages), (std::vector<std::string>{ids[4], ids[3]}));
  ASSERT_TRUE(page->next_before);
  EXPECT_EQ(page->messages[0].parts.size(), 1u);
  page = store_->list_messages(
      ListQuery{std::nullopt, 2, page->next_before, std::nullopt, std::nullopt});
  EXPECT_EQ(ids_of(page->messages), (std::vector<std::string>{ids[2], ids[1]}));
  page = store_->list_messages(
      ListQuery{std::nullopt, 2, page->next_before, std::nullopt, std::nullopt});
  EXPECT_EQ(ids_of(page->messages), (std::vector<std::string>{ids[0]}));
  EXPECT_FALSE(page->next_before);

  page = store_->list_messages(
      ListQuery{MessageStatus::cancelled, 10, std::nullopt, std::nullopt, std::nullopt});
  EXPECT_EQ(ids_of(page->messages), (std::vector<std::string>{ids[3], ids[1]}));
  page = store_->list_messages(
      ListQuery{MessageStatus::queued, 1, ids[4], std::nullopt, std::nullopt});
  EXPECT_EQ(ids_of(page->messages), (std::vector<std::string>{ids[2]}));
  EXPECT_TRUE(page->next_before);

  auto counts = store_->count_by_status();
  ASSERT_TRUE(counts.ok());
  ASSERT_EQ(counts->size(), 8u);
  EXPECT_EQ((*counts)[0], std::make_pair(MessageStatus::queued, std::int64_t{3}));
  EXPECT_EQ((*counts)[6], std::make_pair(MessageStatus::cancelled, std::int64_t{2}));
  EXPECT_EQ((*counts)[2].second, 0);
}

TEST(StoreRecords, StatusNamesRoundTrip) {
  for (const auto status : kAllMessageStatuses) {
    EXPECT_EQ(parse_message_status(to_string(status)), status);
  }
  for (const auto status : {PartStatus::queued, PartStatus::sending, PartStatus::sent,
                            PartStatus::delivered, PartStatus::failed, PartStatus::unknown}) {
    EXPECT_EQ(parse_part_status(to_string(status)), status);
  }
  EXPECT_FALSE(parse_message_status("lost"));
}

TEST(StoreRecords, ReportStatusClassesFollow23040) {
  EXPECT_EQ(classify_report_status(0x00), ReportOutcome::delivered);
  EXPECT_EQ(classify_report_status(0x02), ReportOutcome::delivered);
  EXPECT_EQ(classify_report_status(0x20), ReportOutcome::pending);
  EXPECT_EQ(classify_report_status(0x3f), ReportOutcome::pending);
  EXPECT_EQ(classify_report_status(0x40), ReportOutcome::failed);
  EXPECT_EQ(classify_report_status(0x65), ReportOutcome::failed);
  EXPECT_EQ(classify_report_status(0xff), ReportOutcome::failed);
  // Reserved values take the class of their range; bit 7 set and values outside one
  // octet are failed.
  EXPECT_EQ(classify_report_status(0x03), ReportOutcome::delivered);
  EXPECT_EQ(classify_report_status(0x10), ReportOutcome::delivered);
  EXPECT_EQ(classify_report_status(0x1f), ReportOutcome::delivered);
  EXPECT_EQ(classify_report_status(0x25), ReportOutcome::pending);
  EXPECT_EQ(classify_report_status(0x46), ReportOutcome::failed);
  EXPECT_EQ(classify_report_status(0x7f), ReportOutcome::failed);
  EXPECT_EQ(classify_report_status(0x80), ReportOutcome::failed);
  EXPECT_EQ(classify_report_status(-1), ReportOutcome::failed);
  EXPECT_EQ(classify_report_status(0x100), ReportOutcome::failed);
}

TEST(StoreRecords, RollUp) {
  using P = PartStatus;
  using M = MessageStatus;
  const std::vector<P> delivered{P::delivered, P::delivered};
  const std::vector<P> mixed{P::delivered, P::sent};
  const std::vector<P> failed{P::delivered, P::failed};
  EXPECT_EQ(roll_up(M::sent, delivered), M::delivered);
  EXPECT_EQ(roll_up(M::sent, mixed), M::sent);
  EXPECT_EQ(roll_up(M::sent, failed), M::failed);
  EXPECT_EQ(roll_up(M::sent, std::vector<P>{P::delivered, P::failed, P::delivered}), M::failed);
  EXPECT_EQ(roll_up(M::sent, std::vector<P>{P::delivered, P::unknown}), M::sent);
  EXPECT_EQ(roll_up(M::sent, std::vector<P>{P::sent}), M::sent);
  EXPECT_EQ(roll_up(M::sending, delivered), M::sending);
  EXPECT_EQ(roll_up(M::cancelled, delivered), M::cancelled);
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreQueue, STORE_ENGINES);

}  // namespace
}  // namespace smsgw::store::testing
