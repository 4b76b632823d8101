#include "smsgw/gateway/api_mapping.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "smsgw/common/version.hpp"

namespace smsgw::gateway {
namespace {

using namespace std::chrono_literals;

const TimePoint kAt = TimePoint{} + std::chrono::hours(24 * 365 * 50);

store::StoredMessage two_part_message() {
  store::StoredMessage m;
  m.id = "01HXAAAAAAAAAAAAAAAAAAAAAA";
  m.to = "+4915112345678";
  m.text = "hello";
  m.status = store::MessageStatus::sent;
  m.destination_operator = "telekom";
  m.assigned_modem = "modem-1";
  m.attempts = 2;
  m.created_at = kAt;
  m.sent_at = kAt + 3s;
  m.last_error = "cms.42: congestion";
  store::StoredPart first;
  first.index = 1;
  first.status = store::PartStatus::delivered;
  first.modem = "modem-1";
  first.mr = 17;
  first.sent_at = kAt + 2s;
  first.delivered_at = kAt + 9s;
  store::StoredPart second;
  second.index = 2;
  second.status = store::PartStatus::unknown;
  second.error = "at.timeout: no answer";
  m.parts = {first, second};
  m.events.push_back(store::StoredEvent{1, m.id, kAt, "queued", "{}"});
  m.events.push_back(
      store::StoredEvent{2, m.id, kAt + 1s, "claimed", R"({"modem":"modem-1","attempt":1})"});
  return m;
}

TEST(ApiMapping, StoredMessageKeepsItsFieldsAndStatusNames) {
  const auto api = to_api(two_part_message());
  EXPECT_EQ(api.id, "01HXAAAAAAAAAAAAAAAAAAAAAA");
  EXPECT_EQ(api.to, "+4915112345678");
  EXPECT_EQ(api.text, "hello");
  EXPECT_EQ(api.status, "sent");
  EXPECT_EQ(api.operator_name, "telekom");
  EXPECT_EQ(api.modem, "modem-1");
  EXPECT_EQ(api.attempts, 2);
  EXPECT_EQ(api.created_at, kAt);
  EXPECT_EQ(api.sent_at, kAt + 3s);
  EXPECT_FALSE(api.delivered_at);
  EXPECT_EQ(api.error, "cms.42: congestion");
  ASSERT_EQ(api.parts.size(), 2u);
  EXPECT_EQ(api.parts[0].index, 1);
  EXPECT_EQ(api.parts[0].status, "delivered");
  EXPECT_EQ(api.parts[0].mr, 17);
  EXPECT_EQ(api.parts[0].delivered_at, kAt + 9s);
  EXPECT_EQ(api.parts[1].status, "unknown");
  EXPECT_FALSE(api.parts[1].modem);
  EXPECT_EQ(api.parts[1].error, "at.timeout: no answer");
}

TEST(ApiMapping, EventWithoutDetailsHasAnEmptyDetail) {
  const auto api = to_api(two_part_message());
  ASSERT_EQ(api.events.size(), 2u);
  EXPECT_EQ(api.events[0].kind, "queued");
  EXPECT_EQ(api.events[0].detail, "");
  EXPECT_EQ(api.events[1].kind, "claimed");
  EXPECT_EQ(api.events[1].detail, R"({"modem":"modem-1","attempt":1})");
  EXPECT_EQ(api.events[1].at, kAt + 1s);
}

TEST(ApiMapping, InboundMessage) {
  store::StoredInbound m;
  m.id = "in-1";
  m.modem = "modem-2";
  m.sender = "+4917000000";
  m.text = "hi there";
  m.total = 3;
  m.parts_received = 2;
  m.smsc_time = kAt;
  m.received_at = kAt + 5s;
  const auto api = to_api(m);
  EXPECT_EQ(api.id, "in-1");
  EXPECT_EQ(api.modem, "modem-2");
  EXPECT_EQ(api.from, "+4917000000");
  EXPECT_EQ(api.text, "hi there");
  EXPECT_EQ(api.parts, 3);
  EXPECT_EQ(api.parts_received, 2);
  EXPECT_EQ(api.sent_at, kAt);
  EXPECT_EQ(api.received_at, kAt + 5s);
}

modem::ModemSnapshot ready_snapshot() {
  modem::ModemSnapshot s;
  s.id = "modem-1";
  s.port = "/dev/ttyUSB2";
  s.state = modem::ModemState::ready;
  s.imei = "861234567890123";
  s.iccid = "8949000000000000001";
  s.csq = 99;
  s.dbm = -71;
  s.registration = "home";
  s.errors_total = 4;
  return s;
}

TEST(ApiMapping, ModemInfoLeavesUnknownFieldsOut) {
  const auto info = modem_info(ready_snapshot(), std::nullopt, nullptr);
  EXPECT_EQ(info.id, "modem-1");
  EXPECT_EQ(info.state, "ready");
  EXPECT_EQ(info.imei, "861234567890123");
  EXPECT_FALSE(info.imsi);  // empty in the snapshot: not known yet
  EXPECT_FALSE(info.mccmnc);
  EXPECT_FALSE(info.csq);  // 99: unknown
  EXPECT_EQ(info.dbm, -71);
  EXPECT_EQ(info.errors, 4u);
  EXPECT_FALSE(info.operator_name);
  EXPECT_FALSE(info.paused);
  EXPECT_FALSE(info.balance);
}

TEST(ApiMapping, ModemInfoShowsTheSimStatusAndBalance) {
  Dispatcher::SimStatus sim;
  sim.operator_name = "telekom";
  sim.sent_today = 12;
  sim.per_day = 100;
  sim.queue = 3;
  sim.low_balance = true;
  sim.benched = true;
  const store::BalanceRecord balance{"8949000000000000001", 0.5, "EUR", "Guthaben 0,50", kAt};
  const auto info = modem_info(ready_snapshot(), sim, &balance);
  EXPECT_EQ(info.operator_name, "telekom");
  EXPECT_EQ(info.sent_today, 12u);
  EXPECT_EQ(info.daily_limit, 100u);
  EXPECT_EQ(info.queue, 3u);
  EXPECT_EQ(info.paused, "low_balance");  // low balance before benched
  ASSERT_TRUE(info.balance);
  EXPECT_EQ(info.balance->amount, 0.5);
  EXPECT_EQ(info.balance->currency, "EUR");
  EXPECT_EQ(info.balance->checked_at, kAt);

  sim.low_balance = false;
  EXPECT_EQ(modem_info(ready_snapshot(), sim, nullptr).paused, "benched");
}

// Several reasons at once show the first of manual, disabled, low_balance, benched; who
// paused it and when only for a manual pause.
TEST(ApiMapping, ModemInfoShowsTheFirstPauseReasonAndWhoPausedIt) {
  Dispatcher::SimStatus sim;
  sim.manual = sim.disabled = sim.low_balance = sim.benched = true;
  const store::SimPause pause{"8949000000000000001", "token", kAt, "modem0"};
  auto info = modem_info(ready_snapshot(), sim, nullptr, &pause);
  EXPECT_EQ(info.paused, "manual");
  EXPECT_EQ(info.paused_by, "token");
  EXPECT_EQ(info.paused_at, kAt);
  sim.manual = false;
  info = modem_info(ready_snapshot(), sim, nullptr, &pause);
  EXPECT_EQ(info.paused, "disabled");
  EXPECT_FALSE(info.paused_by);
  EXPECT_FALSE(info.paused_at);
  sim.disabled = false;
  EXPECT_EQ(modem_info(ready_snapshot(), sim, nullptr).paused, "low_balance");

  const auto metrics = modem_metrics(ready_snapshot(), sim, nullptr, 0, 0);
  EXPECT_FALSE(metrics.paused_manual);
  EXPECT_FALSE(metrics.paused_disabled);
  EXPECT_TRUE(metrics.paused_low_balance);
}

TEST(ApiMapping, ModemMetrics) {
  Dispatcher::SimStatus sim;
  sim.operator_name = "telekom";
  const store::BalanceRecord balance{"8949000000000000001", 4.2, "EUR", "", kAt};
  const auto m = modem_metrics(ready_snapshot(), sim, &balance, 7, 2);
  EXPECT_EQ(m.operator_name, "telekom");
  EXPECT_TRUE(m.up);
  EXPECT_EQ(m.signal_dbm, -71);
  EXPECT_EQ(m.balance, 4.2);
  EXPECT_EQ(m.sent, 7u);
  EXPECT_EQ(m.failed, 2u);
  EXPECT_EQ(m.errors, 4u);
  auto backoff = ready_snapshot();
  backoff.state = modem::ModemState::backoff;
  EXPECT_FALSE(modem_metrics(backoff, std::nullopt, nullptr, 0, 0).up);
}

TEST(ApiMapping, StatusCountsGiveTheQueueDepth) {
  http::MetricsSnapshot snapshot;
  add_status_counts({{store::MessageStatus::queued, 5}, {store::MessageStatus::sent, 9}}, snapshot);
  EXPECT_EQ(snapshot.queue_depth, 5u);
  ASSERT_EQ(snapshot.messages_by_status.size(), 2u);
  EXPECT_EQ(snapshot.messages_by_status[1], (std::pair<std::string, std::uint64_t>{"sent", 9}));
}

TEST(ApiMapping, WebhookBacklogGivesPendingAndTheOldestAge) {
  http::MetricsSnapshot snapshot;
  add_webhook_backlog({3, kAt - 90s}, kAt, snapshot);
  EXPECT_EQ(snapshot.webhook_outbox_pending, 3u);
  EXPECT_DOUBLE_EQ(snapshot.webhook_outbox_oldest_seconds, 90.0);
  add_webhook_backlog({0, std::nullopt}, kAt, snapshot);
  EXPECT_EQ(snapshot.webhook_outbox_pending, 0u);
  EXPECT_DOUBLE_EQ(snapshot.webhook_outbox_oldest_seconds, 0.0);
  add_webhook_backlog({1, kAt + 5s}, kAt, snapshot);  // enqueued "later": the clock stepped back
  EXPECT_DOUBLE_EQ(snapshot.webhook_outbox_oldest_seconds, 0.0);
}

TEST(ApiMapping, UssdRepliesAndFailures) {
  const auto done = to_api(Result<modem::UssdReply>(modem::UssdReply{0, "Balance 5 EUR", {}, ""}));
  ASSERT_TRUE(done);
  EXPECT_EQ(done->response, "Balance 5 EUR");
  EXPECT_EQ(done->status, "done");

  const auto unsupported =
      to_api(Result<modem::UssdReply>(make_error(ErrorCode::modem_ussd_unsupported, "+CUSD: 4")));
  ASSERT_TRUE(unsupported);
  EXPECT_EQ(unsupported->status, "unsupported");

  const auto timeout = to_api(
      Result<modem::UssdReply>(make_error(ErrorCode::modem_ussd_timeout, "no reply in 30 s")));
  ASSERT_FALSE(timeout);
  EXPECT_EQ(timeout.error().code, "timeout");
  EXPECT_EQ(timeout.error().message, "no reply in 30 s");

  const auto not_ready = to_api(
      Result<modem::UssdReply>(make_error(ErrorCode::modem_not_ready, "the modem is absent")));
  ASSERT_FALSE(not_ready);
  EXPECT_EQ(not_ready.error().code, "unavailable");
}

// GET /api/v1/info's alphabets come from the codec's tables: the default alphabet (TS
// 23.038 6.2.1) and its extension table (6.2.1.1), then each configured shift table.
TEST(ApiMapping, GatewayInfoHasTheDefaultAlphabetAndEachShiftTable) {
  config::SmsConfig sms;
  sms.max_parts = 4;
  sms.shift_tables = {"turkish", "spanish"};
  const auto info = gateway_info(sms);
  EXPECT_EQ(info.version, kVersion);
  EXPECT_FALSE(info.version.empty());
  EXPECT_EQ(info.max_parts, 4u);
  EXPECT_EQ(info.shift_tables, sms.shift_tables);
  ASSERT_EQ(info.alphabets.size(), 3u);

  const auto& standard = info.alphabets[0];
  EXPECT_EQ(standard.name, "default");
  ASSERT_TRUE(standard.locking.has_value());
  ASSERT_EQ(standard.locking->size(), 128u);
  ASSERT_EQ(standard.single.size(), 128u);
  EXPECT_EQ((*standard.locking)[0x00], "@");
  EXPECT_EQ((*standard.locking)[0x01], "\u00A3");  // £, as UTF-8
  EXPECT_EQ((*standard.locking)[0x0A], "\n");
  EXPECT_EQ((*standard.locking)[0x1B], "");  // the escape
  EXPECT_EQ((*standard.locking)[0x20], " ");
  EXPECT_EQ(standard.single[0x65], "\u20AC");  // €
  EXPECT_EQ(standard.single[0x3C], "[");
  EXPECT_EQ(standard.single[0x1B], "");
  EXPECT_EQ(standard.single[0x41], "");  // unassigned

  EXPECT_EQ(info.alphabets[1].name, "turkish");
  ASSERT_TRUE(info.alphabets[1].locking.has_value());
  EXPECT_EQ((*info.alphabets[1].locking)[0x04], "\u20AC");  // A.3.1
  EXPECT_EQ(info.alphabets[2].name, "spanish");
  EXPECT_FALSE(info.alphabets[2].locking.has_value());  // A.3 has no Spanish table
  EXPECT_EQ(info.alphabets[2].single[0x09], "\u00E7");  // A.2.2: ç
}

TEST(ApiMapping, GatewayInfoWithoutShiftTablesListsOnlyTheDefault) {
  const auto info = gateway_info(config::SmsConfig{});
  EXPECT_TRUE(info.shift_tables.empty());
  ASSERT_EQ(info.alphabets.size(), 1u);
  EXPECT_EQ(info.alphabets[0].name, "default");
}

}  // namespace
}  // namespace smsgw::gateway
