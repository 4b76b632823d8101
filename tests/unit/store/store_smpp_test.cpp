// The SMPP server's tables: receipts written by the trigger in the transaction of the
// status change, inbound rows written when an inbound message becomes complete, client-split
// parts stored, assembled once and failed after the timeout.
#include <sqlite3.h>

#include "store_fixture.hpp"

namespace smsgw::store::testing {
namespace {

using StoreSmpp = StoreTest;

NewMessage smpp_message(std::uint8_t registered_delivery, std::optional<std::string> client) {
  auto m = message_to("+491701234567");
  MessageOrigin origin;
  origin.protocol = "smpp";
  origin.registered_delivery = registered_delivery;
  origin.source_addr = "SHOP";
  origin.source_ton = 5;
  origin.dest_addr = "491701234567";
  origin.dest_ton = 1;
  origin.dest_npi = 1;
  m.origin = origin;
  m.client = std::move(client);
  return m;
}

std::vector<SmppDelivery> due(Store& store, const std::string& client,
                              std::span<const std::int64_t> excluding = {}) {
  auto rows = store.due_smpp_deliveries(client, at(100'000'000), 100, excluding, at(100'000'060));
  EXPECT_TRUE(rows.ok()) << rows.error().message;
  return rows.ok() ? *rows : std::vector<SmppDelivery>{};
}

std::int64_t pending(Store& store) {
  auto n = store.smpp_outbox_pending();
  EXPECT_TRUE(n.ok());
  return n.ok() ? *n : -1;
}

// A message sent and then settled by a report with `tp_status` (0 delivered, 0x40 failed).
void send_and_report(Store& store, const std::string& id, int tp_status) {
  ASSERT_TRUE(store.begin_send(id, "m1", at(1)).ok());
  ASSERT_TRUE(store.part_sent(id, 1, 7, at(2)).ok());
  DeliveryReport report;
  report.modem = "m1";
  report.mr = 7;
  report.tp_status = tp_status;
  report.received_at = at(3);
  ASSERT_TRUE(store.record_report(id, 1, report).ok());
}

TEST_F(StoreSmpp, ReceiptIsWrittenWithTheDeliveredStatus) {
  const auto id = add(smpp_message(1, "shop"));
  const auto commits = store_->commit_count();
  send_and_report(*store_, id, 0);
  EXPECT_EQ(store_->commit_count(), commits + 3);
  const auto rows = due(*store_, "shop");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].kind, SmppDeliveryKind::receipt);
  EXPECT_EQ(rows[0].ref, id);
  ASSERT_TRUE(rows[0].receipt);
  EXPECT_EQ(rows[0].receipt->status, MessageStatus::delivered);
  EXPECT_EQ(rows[0].receipt->done_at, at(3));
  EXPECT_EQ(rows[0].receipt->text, "hello");
  EXPECT_EQ(rows[0].receipt->origin.source_addr, "SHOP");
  EXPECT_EQ(rows[0].receipt->origin.dest_ton, 1);
  EXPECT_TRUE(due(*store_, "other").empty());
  EXPECT_EQ(pending(*store_), 1);
}

TEST_F(StoreSmpp, ReceiptForFailedExpiredAndCancelled) {
  const auto failed = add(smpp_message(1, "shop"));
  ASSERT_TRUE(store_->fail(failed, "no route", at(1)).ok());
  const auto expired = add(smpp_message(1, "shop"));
  ASSERT_TRUE(store_->expire(expired, at(1)).ok());
  const auto cancelled = add(smpp_message(1, "shop"));
  ASSERT_TRUE(store_->cancel(cancelled, at(1)).ok());
  const auto rows = due(*store_, "shop");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].ref, failed);
  EXPECT_EQ(rows[0].receipt->status, MessageStatus::failed);
  EXPECT_EQ(rows[0].receipt->error, "no route");
  EXPECT_EQ(rows[1].receipt->status, MessageStatus::expired);
  EXPECT_EQ(rows[2].receipt->status, MessageStatus::cancelled);
}

TEST_F(StoreSmpp, NoReceiptForUnknownNorWithoutRegisteredDeliveryNorForRest) {
  const auto unknown = add(smpp_message(1, "shop"));
  ASSERT_TRUE(store_->begin_send(unknown, "m1", at(1)).ok());
  ASSERT_TRUE(
      store_->leave_unknown(unknown, "timeout", at(2), PartFailure{1, true, "timeout"}).ok());
  const auto not_asked = add(smpp_message(0, "shop"));
  ASSERT_TRUE(store_->fail(not_asked, "x", at(1)).ok());
  auto rest = message_to("+491701234567");
  rest.client = "shop";
  ASSERT_TRUE(store_->fail(add(rest), "x", at(1)).ok());
  auto sendsms = smpp_message(1, "shop");
  sendsms.origin->protocol = "sendsms";
  ASSERT_TRUE(store_->fail(add(sendsms), "x", at(1)).ok());
  EXPECT_TRUE(due(*store_, "shop").empty());
  EXPECT_EQ(pending(*store_), 0);
}

TEST_F(StoreSmpp, RegisteredDeliveryTwoAsksOnlyOnFailure) {
  const auto delivered = add(smpp_message(2, "shop"));
  send_and_report(*store_, delivered, 0);
  EXPECT_TRUE(due(*store_, "shop").empty());
  const auto failed = add(smpp_message(2, "shop"));
  send_and_report(*store_, failed, 0x40);
  const auto rows = due(*store_, "shop");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].ref, failed);
}

TEST_F(StoreSmpp, AnonymousClientIsTheEmptyName) {
  const auto id = add(smpp_message(1, std::nullopt));
  ASSERT_TRUE(store_->fail(id, "x", at(1)).ok());
  ASSERT_EQ(due(*store_, "").size(), 1u);
}

TEST_F(StoreSmpp, RowsAreExcludedRescheduledAndDeleted) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(store_->fail(add(smpp_message(1, "c")), "x", at(1)).ok());
  auto rows = due(*store_, "c");
  ASSERT_EQ(rows.size(), 3u);
  const std::int64_t first = rows[0].id;
  EXPECT_EQ(due(*store_, "c", std::span<const std::int64_t>(&first, 1)).size(), 2u);
  auto limited =
      store_->due_smpp_deliveries("c", at(0), 1, std::span<const std::int64_t>(&first, 1), at(60));
  ASSERT_TRUE(limited.ok());
  ASSERT_EQ(limited->size(), 1u);
  EXPECT_EQ(limited->front().id, rows[1].id);

  ASSERT_TRUE(store_->smpp_delivery_failed(first, "ESME_RSYSERR", at(50)).ok());
  auto now_due = store_->due_smpp_deliveries("c", at(49), 10, {}, at(109));
  ASSERT_TRUE(now_due.ok());
  EXPECT_EQ(now_due->size(), 2u);
  auto later = store_->due_smpp_deliveries("c", at(50), 10, {}, at(110));
  ASSERT_TRUE(later.ok());
  ASSERT_EQ(later->size(), 3u);
  EXPECT_EQ(later->front().attempts, 1);
  EXPECT_EQ(later->front().last_error, "ESME_RSYSERR");

  ASSERT_TRUE(store_->smpp_delivery_done(first).ok());
  EXPECT_EQ(due(*store_, "c").size(), 2u);
  EXPECT_FALSE(store_->smpp_delivery_failed(first, "x", at(1)).ok());
}

TEST_F(StoreSmpp, DueQueryIsAnIndexRange) {
  // The plan of due_smpp_deliveries' SQL, read through sqlite3 directly.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_.path() / "smsgw.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* plan = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "EXPLAIN QUERY PLAN SELECT o.id FROM smpp_outbox o INDEXED BY "
                               "smpp_outbox_by_client WHERE o.client = 'c' AND "
                               "o.next_attempt_at <= 5 ORDER BY o.id LIMIT 3",
                               -1, &plan, nullptr),
            SQLITE_OK);
  std::string details;
  while (sqlite3_step(plan) == SQLITE_ROW) {
    details += reinterpret_cast<const char*>(sqlite3_column_text(plan, 3));
    details += "\n";
  }
  sqlite3_finalize(plan);
  sqlite3_close(db);
  EXPECT_NE(details.find("SEARCH o USING COVERING INDEX smpp_outbox_by_client (client=?)"),
            std::string::npos)
      << details;
  EXPECT_EQ(details.find("TEMP B-TREE"), std::string::npos) << details;
}

InboundPart inbound(int index, int total, std::vector<std::string> clients) {
  InboundPart p;
  p.modem = "modem0";
  p.sender = "+491709999999";
  p.concat_ref = total > 1 ? std::optional<int>(9) : std::nullopt;
  p.part = index;
  p.total = total;
  p.text = "part" + std::to_string(index);
  p.pdu_hex = "0791" + std::to_string(index) + std::to_string(total);
  p.received_at = at(index);
  p.smpp_clients = std::move(clients);
  p.smpp_recipient = "+4915100000001";
  return p;
}

TEST_F(StoreSmpp, InboundRowsOnlyWhenCompleteAndOnlyForTheListedClients) {
  ASSERT_TRUE(store_->store_inbound(inbound(2, 2, {"a", "b"})).ok());
  EXPECT_TRUE(due(*store_, "a").empty());
  auto repeat = store_->store_inbound(inbound(2, 2, {"a", "b"}));
  ASSERT_TRUE(repeat.ok());
  EXPECT_TRUE(repeat->duplicate);
  auto done = store_->store_inbound(inbound(1, 2, {"a", "b"}));
  ASSERT_TRUE(done.ok());
  ASSERT_TRUE(done->complete);
  for (const std::string client : {"a", "b"}) {
    const auto rows = due(*store_, client);
    ASSERT_EQ(rows.size(), 1u) << client;
    EXPECT_EQ(rows[0].kind, SmppDeliveryKind::inbound);
    ASSERT_TRUE(rows[0].inbound);
    EXPECT_EQ(rows[0].inbound->inbound_id, done->message_id);
    EXPECT_EQ(rows[0].inbound->text, "part1part2");
    EXPECT_EQ(rows[0].inbound->sender, "+491709999999");
    EXPECT_EQ(rows[0].inbound->modem, "modem0");
    EXPECT_EQ(rows[0].inbound->recipient, "+4915100000001");
    EXPECT_EQ(rows[0].inbound->received_at, at(2));
  }
  EXPECT_TRUE(due(*store_, "c").empty());
  // The same complete message delivered again by the modem: a duplicate, no new rows.
  auto again = store_->store_inbound(inbound(1, 2, {"a", "b"}));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(pending(*store_), 2);
  // A single message for nobody.
  ASSERT_TRUE(store_->store_inbound(inbound(1, 1, {})).ok());
  EXPECT_EQ(pending(*store_), 2);
}

SmppPart smpp_part(int seq, int total, std::string id, int registered_delivery = 0) {
  SmppPart p;
  p.key = SmppGroupKey{"shop", "+491701234567", 77, total};
  p.seq = seq;
  p.text = "<" + std::to_string(seq) + ">";
  p.registered_delivery = registered_delivery;
  p.message_id = std::move(id);
  p.source_addr = "SHOP";
  p.priority = 2;
  p.validity = std::chrono::seconds(600);
  p.received_at = at(seq);
  return p;
}

TEST_F(StoreSmpp, PartsShareTheFirstPartsIdAndRepeatsAreIdempotent) {
  auto second = store_->store_smpp_part(smpp_part(2, 3, "ID-A"));
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->message_id, "ID-A");
  EXPECT_FALSE(second->duplicate);
  EXPECT_EQ(second->parts_received, 1);
  auto first = store_->store_smpp_part(smpp_part(1, 3, "ID-B", 1));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->message_id, "ID-A");
  auto repeat = store_->store_smpp_part(smpp_part(2, 3, "ID-C"));
  ASSERT_TRUE(repeat.ok());
  EXPECT_EQ(repeat->message_id, "ID-A");
  EXPECT_TRUE(repeat->duplicate);
  EXPECT_EQ(repeat->parts_received, 2);
  EXPECT_FALSE(repeat->complete);
  // Another reference is another group.
  auto other = smpp_part(1, 3, "ID-D");
  other.key.ref = 78;
  EXPECT_EQ(store_->store_smpp_part(other).value().message_id, "ID-D");
  auto last = store_->store_smpp_part(smpp_part(3, 3, "ID-E"));
  ASSERT_TRUE(last.ok());
  EXPECT_TRUE(last->complete);
  EXPECT_EQ(last->message_id, "ID-A");
  EXPECT_FALSE(store_->store_smpp_part(smpp_part(4, 3, "X")).ok());

  auto parts = store_->smpp_group_parts(smpp_part(1, 3, "").key);
  ASSERT_TRUE(parts.ok());
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0].text, "<1>");
  EXPECT_EQ((*parts)[0].registered_delivery, 1);
  EXPECT_EQ((*parts)[2].text, "<3>");
  EXPECT_EQ((*parts)[0].validity, std::chrono::seconds(600));
  EXPECT_EQ((*parts)[0].priority, 2);
}

TEST_F(StoreSmpp, CompleteGroupIsAssembledOnceInOneTransaction) {
  const auto key = smpp_part(1, 2, "").key;
  ASSERT_TRUE(store_->store_smpp_part(smpp_part(1, 2, "01SMPPGROUP0000000000000000")).ok());
  ASSERT_TRUE(store_->store_smpp_part(smpp_part(2, 2, "other")).ok());
  auto finish = store_->smpp_groups_to_finish(at(-100));
  ASSERT_TRUE(finish.ok());
  ASSERT_EQ(finish->size(), 1u);
  EXPECT_TRUE(finish->front().complete());
  EXPECT_EQ(finish->front().message_id, "01SMPPGROUP0000000000000000");

  auto m = smpp_message(1, "shop");
  m.id = "01SMPPGROUP0000000000000000";
  m.text = "<1><2>";
  const auto commits = store_->commit_count();
  auto assembled = store_->assemble_smpp_group(key, m, std::nullopt, at(5));
  ASSERT_TRUE(assembled.ok()) << assembled.error().message;
  EXPECT_TRUE(*assembled);
  EXPECT_EQ(store_->commit_count(), commits + 1);
  EXPECT_EQ(store_->get_message(m.id).value().status, MessageStatus::queued);
  EXPECT_EQ(store_->get_message(m.id).value().text, "<1><2>");
  EXPECT_TRUE(store_->smpp_group_parts(key).value().empty());
  // A second attempt (a repeated last part, or the sweep) stores nothing.
  auto again = store_->assemble_smpp_group(key, m, std::nullopt, at(6));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
  EXPECT_TRUE(store_->smpp_groups_to_finish(at(100)).value().empty());
}

TEST_F(StoreSmpp, TimedOutGroupBecomesAFailedMessageWithItsReceipt) {
  const auto key = smpp_part(1, 3, "").key;
  ASSERT_TRUE(store_->store_smpp_part(smpp_part(1, 3, "01SMPPGROUP0000000000000001", 1)).ok());
  ASSERT_TRUE(store_->store_smpp_part(smpp_part(3, 3, "x")).ok());
  EXPECT_TRUE(store_->smpp_groups_to_finish(at(1)).value().empty());
  auto finish = store_->smpp_groups_to_finish(at(2));
  ASSERT_TRUE(finish.ok());
  ASSERT_EQ(finish->size(), 1u);
  EXPECT_FALSE(finish->front().complete());
  EXPECT_EQ(finish->front().parts_received, 2);
  EXPECT_EQ(finish->front().first_received_at, at(1));

  auto m = smpp_message(1, "shop");
  m.id = "01SMPPGROUP0000000000000001";
  const std::string error = "smpp: 2 of 3 parts arrived within 10m";
  ASSERT_TRUE(store_->assemble_smpp_group(key, m, error, at(700)).value());
  const auto stored = store_->get_message(m.id).value();
  EXPECT_EQ(stored.status, MessageStatus::failed);
  EXPECT_EQ(stored.last_error, error);
  EXPECT_EQ(stored.events.back().kind, "failed");
  const auto rows = due(*store_, "shop");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].ref, m.id);
  EXPECT_EQ(rows[0].receipt->status, MessageStatus::failed);
}

}  // namespace
}  // namespace smsgw::store::testing
