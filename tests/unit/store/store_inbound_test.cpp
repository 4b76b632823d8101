#include "store_fixture.hpp"

namespace smsgw::store::testing {
namespace {

using StoreInbound = StoreTest;

InboundPart part(int index, int total, std::optional<int> ref, std::string text, TimePoint when,
                 std::string modem = "m1", std::string sender = "+491701234567") {
  InboundPart p;
  p.modem = std::move(modem);
  p.sender = std::move(sender);
  p.smsc_time = when - std::chrono::seconds(2);
  p.concat_ref = ref;
  p.part = index;
  p.total = total;
  p.pdu_hex = "07911326040000F0" + text + std::to_string(index) + std::to_string(ref.value_or(0));
  p.text = std::move(text);
  p.received_at = when;
  return p;
}

TEST_P(StoreInbound, SingleMessageIsCompleteAtOnce) {
  auto stored = store_->store_inbound(part(1, 1, std::nullopt, "Hello", at(1)));
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  EXPECT_TRUE(stored->complete);
  EXPECT_FALSE(stored->duplicate);
  EXPECT_EQ(stored->text, "Hello");
  EXPECT_EQ(stored->total, 1);
}

TEST_P(StoreInbound, ConcatenatedPartsInAnyOrderAreReassembled) {
  auto third = store_->store_inbound(part(3, 3, 7, "C", at(1)));
  ASSERT_TRUE(third.ok());
  EXPECT_FALSE(third->complete);
  auto first = store_->store_inbound(part(1, 3, 7, "A", at(2)));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->message_id, third->message_id);
  EXPECT_EQ(first->text, "AC");
  EXPECT_EQ(first->parts_received, 2);
  // Another sender's message with the same reference stays apart.
  auto other = store_->store_inbound(part(2, 3, 7, "x", at(2), "m1", "+491709999999"));
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->message_id, first->message_id);
  auto second = store_->store_inbound(part(2, 3, 7, "B", at(3)));
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->complete);
  EXPECT_EQ(second->text, "ABC");

  auto inbox = store_->list_inbox(10, std::nullopt);
  ASSERT_TRUE(inbox.ok());
  ASSERT_EQ(inbox->messages.size(), 2u);
  const auto& complete =
      inbox->messages[1].id == first->message_id ? inbox->messages[1] : inbox->messages[0];
  EXPECT_TRUE(complete.complete);
  EXPECT_EQ(complete.text, "ABC");
  EXPECT_EQ(complete.total, 3);
  EXPECT_EQ(complete.parts_received, 3);
  EXPECT_EQ(complete.concat_ref, 7);
  EXPECT_EQ(complete.smsc_time, at(-1));
}

TEST_P(StoreInbound, DuplicatePartsAndRedeliveredPdusAreDropped) {
  const auto p1 = part(1, 2, 9, "A", at(1));
  ASSERT_TRUE(store_->store_inbound(p1).ok());
  // Same part again with another PDU (e.g. re-read from the SIM with a new SCTS).
  auto again = part(1, 2, 9, "A", at(2));
  again.pdu_hex += "FF";
  auto duplicate = store_->store_inbound(again);
  ASSERT_TRUE(duplicate.ok());
  EXPECT_TRUE(duplicate->duplicate);
  EXPECT_EQ(duplicate->parts_received, 1);
  auto done = store_->store_inbound(part(2, 2, 9, "B", at(3)));
  ASSERT_TRUE(done->complete);
  // The modem delivers the first PDU again after the message completed.
  auto redelivered = store_->store_inbound(p1);
  ASSERT_TRUE(redelivered.ok());
  EXPECT_TRUE(redelivered->duplicate);
  EXPECT_EQ(redelivered->message_id, done->message_id);
  EXPECT_EQ(redelivered->text, "AB");
  // A single message delivered twice.
  const auto single = part(1, 1, std::nullopt, "Hi", at(4));
  auto a = store_->store_inbound(single);
  auto b = store_->store_inbound(single);
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->duplicate);
  EXPECT_EQ(a->message_id, b->message_id);
  EXPECT_EQ(store_->list_inbox(10, std::nullopt)->messages.size(), 2u);
}

TEST_P(StoreInbound, OutsideTheWindowAPartStartsANewMessage) {
  ASSERT_TRUE(store_->store_inbound(part(1, 2, 3, "A", at(0))).ok());
  auto late = store_->store_inbound(part(2, 2, 3, "B", at(0) + std::chrono::hours(25)));
  ASSERT_TRUE(late.ok());
  EXPECT_FALSE(late->complete);
  EXPECT_EQ(late->parts_received, 1);
}

TEST_P(StoreInbound, InvalidPartNumbersAreRefused) {
  EXPECT_EQ(store_->store_inbound(part(3, 2, 1, "x", at(0))).error().code, "invalid");
  EXPECT_EQ(store_->store_inbound(part(0, 2, 1, "x", at(0))).error().code, "invalid");
}

TEST_P(StoreInbound, InboxPages) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(
        store_->store_inbound(part(1, 1, std::nullopt, "m" + std::to_string(i), at(i))).ok());
  }
  auto page = store_->list_inbox(2, std::nullopt);
  ASSERT_EQ(page->messages.size(), 2u);
  EXPECT_EQ(page->messages[0].text, "m4");
  ASSERT_TRUE(page->next_before);
  page = store_->list_inbox(10, page->next_before);
  ASSERT_EQ(page->messages.size(), 3u);
  EXPECT_EQ(page->messages[0].text, "m2");
  EXPECT_FALSE(page->next_before);
}

using StoreSims = StoreTest;

TEST_P(StoreSims, SimsAreUpsertedKeepingFirstSeen) {
  ASSERT_TRUE(
      store_->upsert_sim(SimSeen{"8949", "3566", "262011", "Telekom", "m1", at(1), at(1)}).ok());
  ASSERT_TRUE(store_
                  ->upsert_sim(SimSeen{"8949", std::nullopt, std::nullopt, std::nullopt, "m2",
                                       at(50), at(50)})
                  .ok());
  auto sims = store_->list_sims();
  ASSERT_TRUE(sims.ok());
  ASSERT_EQ(sims->size(), 1u);
  EXPECT_EQ((*sims)[0].imei, "3566");
  EXPECT_EQ((*sims)[0].operator_name, "Telekom");
  EXPECT_EQ((*sims)[0].modem, "m2");
  EXPECT_EQ((*sims)[0].first_seen, at(1));
  EXPECT_EQ((*sims)[0].last_seen, at(50));
}

TEST_P(StoreSims, BalanceHistoryNewestFirst) {
  ASSERT_TRUE(
      store_->record_balance(BalanceRecord{"8949", 12.5, "EUR", "Guthaben 12,50", at(1)}).ok());
  ASSERT_TRUE(
      store_->record_balance(BalanceRecord{"8949", std::nullopt, "EUR", "???", at(2)}).ok());
  ASSERT_TRUE(store_->record_balance(BalanceRecord{"1111", 1.0, "", "1.00", at(3)}).ok());
  auto latest = store_->latest_balance("8949");
  ASSERT_TRUE(latest.ok());
  ASSERT_TRUE(*latest);
  EXPECT_FALSE((*latest)->amount);
  EXPECT_EQ((*latest)->raw, "???");
  auto history = store_->balance_history("8949", 10);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[1].amount, 12.5);
  EXPECT_FALSE(*store_->latest_balance("none"));
}

TEST_P(StoreSims, DailyCountersSurviveReopen) {
  EXPECT_EQ(*store_->add_daily_sent("8949", 19800, 3), 3);
  EXPECT_EQ(*store_->add_daily_sent("8949", 19800, 2), 5);
  EXPECT_EQ(*store_->add_daily_sent("8949", 19801, 1), 1);
  auto reopened = reopen();
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(*(*reopened)->daily_sent("8949", 19800), 5);
  EXPECT_EQ(*(*reopened)->daily_sent("8949", 19802), 0);
}

TEST_P(StoreSims, WebhookOutboxDeliversRetriesAndGivesUp) {
  auto first = store_->enqueue_webhook("message.delivered", R"({"id":"x"})", "http://h/a", at(1));
  auto second = store_->enqueue_webhook("message.failed", R"({"id":"y"})", "http://h/a", at(2));
  ASSERT_TRUE(first.ok() && second.ok());
  auto due = store_->due_webhooks(at(5), 10);
  ASSERT_EQ(due->size(), 2u);
  EXPECT_EQ((*due)[0].id, *first);
  EXPECT_EQ((*due)[0].payload_json, R"({"id":"x"})");
  ASSERT_TRUE(store_->webhook_delivered(*first, at(6)).ok());
  ASSERT_TRUE(store_->webhook_failed(*second, "connection refused", at(60)).ok());
  EXPECT_TRUE(store_->due_webhooks(at(30), 10)->empty());
  due = store_->due_webhooks(at(60), 10);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].attempts, 1);
  EXPECT_EQ((*due)[0].last_error, "connection refused");
  ASSERT_TRUE(store_->webhook_failed(*second, "still refused", std::nullopt).ok());
  EXPECT_TRUE(store_->due_webhooks(at(1000), 10)->empty());
  EXPECT_EQ(store_->webhook_delivered(999, at(1)).error().code, "not_found");
}

TEST_P(StoreSims, WebhookBacklogCountsWhatWillStillBeAttempted) {
  auto backlog = store_->webhook_backlog();
  ASSERT_TRUE(backlog.ok());
  EXPECT_EQ(backlog->pending, 0);
  EXPECT_EQ(backlog->oldest_created_at, std::nullopt);

  auto delivered = store_->enqueue_webhook("message.status", "{}", "http://h/a", at(1));
  auto given_up = store_->enqueue_webhook("message.status", "{}", "http://h/a", at(2));
  auto retrying = store_->enqueue_webhook("message.status", "{}", "http://h/a", at(3));
  auto fresh = store_->enqueue_webhook("message.received", "{}", "http://h/b", at(4));
  ASSERT_TRUE(delivered.ok() && given_up.ok() && retrying.ok() && fresh.ok());
  backlog = store_->webhook_backlog();
  EXPECT_EQ(backlog->pending, 4);
  EXPECT_EQ(backlog->oldest_created_at, at(1));

  ASSERT_TRUE(store_->webhook_delivered(*delivered, at(5)).ok());
  ASSERT_TRUE(store_->webhook_failed(*given_up, "gone", std::nullopt).ok());
  ASSERT_TRUE(store_->webhook_failed(*retrying, "refused", at(60)).ok());
  backlog = store_->webhook_backlog();
  EXPECT_EQ(backlog->pending, 2);  // the retrying one and the fresh one
  EXPECT_EQ(backlog->oldest_created_at, at(3));

  ASSERT_TRUE(store_->webhook_delivered(*retrying, at(61)).ok());
  ASSERT_TRUE(store_->webhook_delivered(*fresh, at(61)).ok());
  backlog = store_->webhook_backlog();
  EXPECT_EQ(backlog->pending, 0);
  EXPECT_EQ(backlog->oldest_created_at, std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreInbound, STORE_ENGINES);
INSTANTIATE_TEST_SUITE_P(Engines, StoreSims, STORE_ENGINES);

}  // namespace
}  // namespace smsgw::store::testing
