// The dlr-url calls of /cgi-bin/sendsms messages (trigger sendsms_dlr): the outbox row of a
// status change is written by the one transaction (one commit) that makes the change, with
// the Kannel type the mask asks for (kannel_dlr.hpp: sent 8, delivered 1, failed after a
// part left or expired 2, failed before any part left or cancelled 16, also when only 2 is
// asked), the dlr-url unexpanded and a payload naming the message, type, status, time and
// modem; none for REST or SMPP messages, an empty dlr-url, a mask that does not ask, or a
// status that is no DLR (sending, unknown, queued).
#include <nlohmann/json.hpp>

#include "store_fixture.hpp"

namespace smsgw::store::testing {
namespace {

using StoreSendsmsDlr = StoreTest;
using json = nlohmann::json;

constexpr const char* kDlrUrl = "http://127.0.0.1/dlr?type=%d&id=%I&to=%p";

NewMessage sendsms_message(std::uint32_t mask, std::string dlr_url = kDlrUrl, int parts = 1) {
  auto m = message_to("+491701234567", parts);
  m.client = "kshop";
  MessageOrigin origin;
  origin.protocol = "sendsms";
  origin.source_addr = "ACME";
  origin.dest_addr = "+491701234567";
  origin.dlr_url = std::move(dlr_url);
  origin.dlr_mask = mask;
  m.origin = origin;
  return m;
}

// The dlr-url rows of the outbox, oldest first, whenever due.
std::vector<WebhookDelivery> dlr_rows(Store& store) {
  auto rows = store.due_webhooks(std::chrono::system_clock::now() + 24h, 1000);
  EXPECT_TRUE(rows.ok()) << rows.error().message;
  std::vector<WebhookDelivery> out;
  if (!rows.ok()) return out;
  for (auto& row : *rows) {
    if (row.kind == WebhookKind::dlr_url) out.push_back(std::move(row));
  }
  return out;
}

// The types of `id`'s rows, in order.
std::vector<int> types_of(Store& store, const std::string& id) {
  std::vector<int> types;
  for (const auto& row : dlr_rows(store)) {
    const auto payload = json::parse(row.payload_json);
    if (payload.at("id") == id) types.push_back(payload.at("type").get<int>());
  }
  return types;
}

// Runs `change` (one store operation) and checks that it was one commit and that `id`'s rows
// are `types` right after it.
template <class Change>
void expect_rows_with(Store& store, const std::string& id, Change change,
                      const std::vector<int>& types) {
  const auto commits = store.commit_count();
  change();
  EXPECT_EQ(store.commit_count(), commits + 1);
  EXPECT_EQ(types_of(store, id), types);
}

DeliveryReport report(int tp_status, TimePoint when) {
  DeliveryReport r;
  r.modem = "m1";
  r.mr = 7;
  r.tp_status = tp_status;
  r.received_at = when;
  return r;
}

TEST_P(StoreSendsmsDlr, SentThenDeliveredEachInItsTransaction) {
  const auto id = add(sendsms_message(31));
  expect_rows_with(*store_, id, [&] { ASSERT_TRUE(store_->begin_send(id, "m1", at(1)).ok()); }, {});
  expect_rows_with(*store_, id, [&] { ASSERT_TRUE(store_->part_sent(id, 1, 7, at(2)).ok()); }, {8});
  expect_rows_with(*store_, id,
                   [&] { ASSERT_TRUE(store_->record_report(id, 1, report(0, at(3))).ok()); },
                   {8, 1});

  const auto rows = dlr_rows(*store_);
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& row : rows) {
    EXPECT_EQ(row.url, kDlrUrl);  // expanded at delivery
    EXPECT_EQ(row.event, kDlrUrlEvent);
    EXPECT_EQ(row.client, "kshop");
    EXPECT_EQ(row.attempts, 0);
    ASSERT_TRUE(row.next_attempt_at);
    EXPECT_LE(*row.next_attempt_at, std::chrono::system_clock::now());  // due at once
  }
  const auto sent = json::parse(rows[0].payload_json);
  EXPECT_EQ(sent.at("status"), "sent");
  EXPECT_EQ(sent.at("modem"), "m1");
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  EXPECT_NEAR(static_cast<double>(sent.at("at").get<std::int64_t>()), static_cast<double>(now_ms),
              60'000.0);
  EXPECT_EQ(json::parse(rows[1].payload_json).at("status"), "delivered");
}

TEST_P(StoreSendsmsDlr, AFailedReportIsTwoAfterEight) {
  const auto id = add(sendsms_message(10));
  ASSERT_TRUE(store_->begin_send(id, "m1", at(1)).ok());
  expect_rows_with(*store_, id, [&] { ASSERT_TRUE(store_->part_sent(id, 1, 7, at(2)).ok()); }, {8});
  expect_rows_with(*store_, id,
                   [&] { ASSERT_TRUE(store_->record_report(id, 1, report(0x40, at(3))).ok()); },
                   {8, 2});
  const auto rows = dlr_rows(*store_);
  EXPECT_EQ(json::parse(rows.back().payload_json).at("status"), "failed");
}

TEST_P(StoreSendsmsDlr, FailedAfterAPartLeftIsTwoBeforeAnyLeftIsSixteen) {
  // Two parts: the first left, the second failed: 2 (not 16), as kannel_dlr.hpp says.
  const auto left = add(sendsms_message(2, kDlrUrl, 2));
  ASSERT_TRUE(store_->begin_send(left, "m1", at(1)).ok());
  ASSERT_TRUE(store_->part_sent(left, 1, 7, at(2), 2).ok());
  expect_rows_with(
      *store_, left,
      [&] {
        ASSERT_TRUE(store_->fail(left, "rejected", at(3), PartFailure{2, false, "rejected"}).ok());
      },
      {2});
  // Nothing left: 16 for a mask of 16, and of 2 only; none for 1|8.
  for (const std::uint32_t mask : {16u, 2u}) {
    const auto id = add(sendsms_message(mask), at(1));
    ASSERT_TRUE(store_->begin_send(id, "m1", at(1)).ok());
    expect_rows_with(
        *store_, id,
        [&] {
          ASSERT_TRUE(store_->fail(id, "rejected", at(2), PartFailure{1, false, "rejected"}).ok());
        },
        {16});
  }
  const auto not_asked = add(sendsms_message(9), at(2));
  expect_rows_with(*store_, not_asked,
                   [&] { ASSERT_TRUE(store_->fail(not_asked, "x", at(2)).ok()); }, {});
  // Failed after it left, with a mask of 16 only: 2 is not asked for, so none.
  const auto left16 = add(sendsms_message(16), at(3));
  ASSERT_TRUE(store_->begin_send(left16, "m1", at(1)).ok());
  ASSERT_TRUE(store_->part_sent(left16, 1, 9, at(2)).ok());
  expect_rows_with(*store_, left16,
                   [&] {
                     DeliveryReport r = report(0x40, at(3));
                     r.mr = 9;
                     ASSERT_TRUE(store_->record_report(left16, 1, r).ok());
                   },
                   {});
}

TEST_P(StoreSendsmsDlr, ExpiredIsTwoCancelledIsSixteen) {
  const auto expired = add(sendsms_message(2));
  expect_rows_with(*store_, expired, [&] { ASSERT_TRUE(store_->expire(expired, at(1)).ok()); },
                   {2});
  const auto expired16 = add(sendsms_message(16), at(1));
  expect_rows_with(*store_, expired16, [&] { ASSERT_TRUE(store_->expire(expired16, at(1)).ok()); },
                   {});
  const auto cancelled = add(sendsms_message(2), at(3));
  expect_rows_with(*store_, cancelled, [&] { ASSERT_TRUE(store_->cancel(cancelled, at(4)).ok()); },
                   {16});
  const auto cancelled1 = add(sendsms_message(1), at(4));
  expect_rows_with(*store_, cancelled1,
                   [&] { ASSERT_TRUE(store_->cancel(cancelled1, at(5)).ok()); }, {});
}

TEST_P(StoreSendsmsDlr, ExpirySweepWritesTheRowInItsTransaction) {
  auto m = sendsms_message(2);
  m.expires_at = at(10);
  const auto id = add(m);
  expect_rows_with(*store_, id, [&] { ASSERT_EQ(store_->expire_due(at(11))->size(), 1u); }, {2});
}

TEST_P(StoreSendsmsDlr, UnknownAndRestartRecoveryWriteNoneUntilAFinalStatus) {
  const auto unknown = add(sendsms_message(31));
  ASSERT_TRUE(store_->begin_send(unknown, "m1", at(1)).ok());
  expect_rows_with(
      *store_, unknown,
      [&] {
        ASSERT_TRUE(
            store_->leave_unknown(unknown, "timeout", at(2), PartFailure{1, true, "timeout"}).ok());
      },
      {});
  // Claimed, no part written yet: the recovery queues it again (no DLR for that).
  const auto sending = add(sendsms_message(31), at(1));
  ASSERT_TRUE(store_->claim_message(sending, "m2", at(1)).ok());
  expect_rows_with(*store_, sending,
                   [&] { ASSERT_TRUE(store_->recover_after_restart(false, at(3)).ok()); }, {});
  // Requeued by the recovery, then failed for good: 16 (nothing left).
  expect_rows_with(*store_, sending, [&] { ASSERT_TRUE(store_->fail(sending, "x", at(4)).ok()); },
                   {16});
}

TEST_P(StoreSendsmsDlr, NoneForRestSmppOrAnEmptyDlrUrl) {
  auto rest = message_to("+491701234567");
  rest.client = "kshop";
  rest.callback_url = "http://127.0.0.1/cb";
  const auto rest_id = add(rest);
  auto smpp = sendsms_message(31);
  smpp.origin->protocol = "smpp";
  smpp.origin->registered_delivery = 1;
  const auto smpp_id = add(smpp, at(1));
  const auto empty_id = add(sendsms_message(31, ""), at(2));
  for (const auto& id : {rest_id, smpp_id, empty_id}) {
    ASSERT_TRUE(store_->begin_send(id, "m1", at(3)).ok());
    ASSERT_TRUE(store_->part_sent(id, 1, 7, at(4)).ok());
    ASSERT_TRUE(store_->record_report(id, 1, report(0, at(5))).ok());
  }
  EXPECT_TRUE(dlr_rows(*store_).empty());
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreSendsmsDlr, STORE_ENGINES);

}  // namespace
}  // namespace smsgw::store::testing
