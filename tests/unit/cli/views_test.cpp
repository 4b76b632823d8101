// The human tables rendered from the API's JSON shapes (contract.md "HTTP API v1").
#include "smsgw/cli/views.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "smsgw/cli/text_width.hpp"
#include "smsgw/http/rfc3339.hpp"

namespace smsgw::cli {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

const TimePoint kNow = *http::parse_rfc3339("2024-05-01T12:00:00Z");

// Two modems as GET /api/v1/modems returns them (src/http/json.cpp).
const json kModems = json::parse(R"([
  {"id": "m1", "port": "/dev/smsgw/usb-1-1.2", "state": "ready", "imei": "867584030123456",
   "imsi": "262011234567890", "iccid": "8949020000012345678",
   "operator": {"name": "Telekom", "mccmnc": "26201"}, "signal": {"csq": 21, "dbm": -71},
   "registration": "home",
   "balance": {"amount": 12.34, "currency": "EUR", "raw": "Ihr Guthaben: 12,34 EUR",
               "checked_at": "2024-05-01T11:55:00Z"},
   "sent_today": 12, "errors": 0, "queue": 3},
  {"id": "m2", "port": "/dev/ttyUSB6", "state": "backoff", "imei": null, "imsi": null,
   "iccid": null, "operator": null, "signal": {"csq": null, "dbm": null},
   "registration": "unknown", "balance": null, "sent_today": 0, "daily_limit": 300,
   "errors": 4, "last_error": "/dev/ttyUSB6: no such device", "queue": 0}
])");

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

TEST(ModemsView, NodeColumnOnlyWithSeveralNodes) {
  json one = kModems;
  for (auto& modem : one) modem["node"] = "site-a";
  const auto single = lines_of(render_modems(one, kNow, TerminalStyle{200, false, false}));
  EXPECT_EQ(single.at(0).find("NODE"), std::string::npos);

  json two = one;
  two[1]["node"] = "site-b";
  const auto lines = lines_of(render_modems(two, kNow, TerminalStyle{200, false, false}));
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[0].rfind("ID", 0), 0u);
  EXPECT_NE(lines[0].find("NODE"), std::string::npos);
  EXPECT_LT(lines[0].find("NODE"), lines[0].find("PORT"));
  EXPECT_NE(lines[1].find("site-a"), std::string::npos);
  EXPECT_NE(lines[2].find("site-b"), std::string::npos);
}

TEST(ModemsView, EightyColumnsPlainText) {
  const std::string table =
      render_modems(kModems, kNow, TerminalStyle{80, false, true}, {{"m1", 500}});
  EXPECT_EQ(table.find('\x1b'), std::string::npos);
  const auto lines = lines_of(table);
  ASSERT_EQ(lines.size(), 3u);
  for (const auto& line : lines) EXPECT_LE(display_width(line), 80u) << line;
  EXPECT_TRUE(lines[0].starts_with("ID  ")) << lines[0];
  EXPECT_NE(lines[0].find("SIGNAL"), std::string::npos);
  EXPECT_NE(lines[0].find("BALANCE"), std::string::npos);
  EXPECT_NE(lines[1].find("\u2582\u2584\u2586\u2588 -71"), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find("12.34 EUR 5m ago"), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find("12/500"), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find("Telekom"), std::string::npos);
  EXPECT_NE(lines[2].find("backoff"), std::string::npos);
  EXPECT_NE(lines[2].find(" ? "), std::string::npos) << lines[2];  // unknown signal
}

TEST(ModemsView, WideTerminalShowsEveryColumn) {
  const auto lines = lines_of(render_modems(kModems, kNow, TerminalStyle{200, false, false}));
  EXPECT_EQ(lines[0],
            "ID  PORT                  STATE    OPERATOR  SIGNAL    REG      ICCID                "
            "IMEI             BALANCE            SENT  QUEUE  LAST ERROR");
  EXPECT_NE(lines[1].find("#### -71"), std::string::npos);
  EXPECT_NE(lines[1].find("8949020000012345678"), std::string::npos);
  // The gateway's daily_limit, and the last error in full.
  EXPECT_NE(lines[2].find("0/300"), std::string::npos) << lines[2];
  EXPECT_TRUE(lines[2].ends_with("/dev/ttyUSB6: no such device")) << lines[2];
}

TEST(ModemsView, NarrowTerminalKeepsIdStateAndSignal) {
  const auto lines = lines_of(render_modems(kModems, kNow, TerminalStyle{40, false, true}));
  for (const auto& line : lines) EXPECT_LE(display_width(line), 40u) << line;
  EXPECT_TRUE(lines[0].starts_with("ID  STATE")) << lines[0];
  EXPECT_NE(lines[0].find("SIGNAL"), std::string::npos) << lines[0];
}

TEST(ModemsView, PausedSimShowsWhyInsteadOfReady) {
  json modems = kModems;
  modems[0]["paused"] = "low_balance";
  modems[1]["paused"] = "benched";
  const auto lines = lines_of(render_modems(modems, kNow, TerminalStyle{200, true, false}));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[1].find("\x1b[33mlow balance\x1b[0m"), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find("\x1b[33mbenched\x1b[0m"), std::string::npos) << lines[2];
}

TEST(ModemsView, ManualPauseShowsWhoAndWhen) {
  json modems = kModems;
  modems[0]["paused"] = "manual";
  modems[0]["paused_by"] = "token";
  modems[0]["paused_at"] = http::format_rfc3339(kNow - std::chrono::minutes(5));
  const auto lines = lines_of(render_modems(modems, kNow, TerminalStyle{200, true, false}));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[1].find("\x1b[33mpaused by token 5m ago\x1b[0m"), std::string::npos) << lines[1];
}

TEST(ModemsView, ColourOnlyWhenAsked) {
  const std::string table = render_modems(kModems, kNow, TerminalStyle{120, true, true});
  EXPECT_NE(table.find("\x1b[32mready\x1b[0m"), std::string::npos);
  EXPECT_NE(table.find("\x1b[31mbackoff\x1b[0m"), std::string::npos);
}

TEST(ModemsView, EmptyListAndNonsense) {
  EXPECT_EQ(render_modems(json::array(), kNow, TerminalStyle{}), "no modems\n");
  EXPECT_EQ(
      render_modems(json::parse(R"([{"id": 5, "signal": "strong"}, 7])"), kNow, TerminalStyle{})
          .find("ID"),
      0u);
}

TEST(BalanceView, AmountsRawRepliesAndErrors) {
  const json balances = json::parse(R"json([
    {"modem": "m1", "imei": "1", "iccid": "894902", "operator": "Telekom", "amount": 12.34,
     "currency": "EUR", "raw": "Ihr Guthaben: 12,34 EUR", "checked_at": "2024-05-01T12:00:00Z",
     "error": null},
    {"modem": "m2", "imei": null, "iccid": null, "operator": null, "amount": null,
     "currency": "", "raw": "", "checked_at": null, "error": "modem m2 is not ready (backoff)"}
  ])json");
  const auto lines = lines_of(render_balances(balances, kNow, TerminalStyle{100, false, true}));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[1].find("12.34 EUR"), std::string::npos);
  EXPECT_NE(lines[1].find("Ihr Guthaben: 12,34 EUR"), std::string::npos);
  EXPECT_NE(lines[2].find("error"), std::string::npos);
  EXPECT_NE(lines[2].find("modem m2 is not ready (backoff)"), std::string::npos);
}

TEST(MessagesView, ListAndDetail) {
  const json page = json::parse(R"({"messages": [
    {"id": "01HX1", "to": "+4915112345678", "text": "hello\nworld", "status": "delivered",
     "operator": "Telekom", "modem": "m1", "parts": [{"index": 1}], "attempts": 1,
     "created_at": "2024-05-01T11:58:00Z", "sent_at": null, "delivered_at": null,
     "error": null}], "next_before": "01HX1"})");
  const std::string list = render_messages(page, kNow, TerminalStyle{80, false, true});
  EXPECT_NE(list.find("01HX1"), std::string::npos);
  EXPECT_NE(list.find("delivered"), std::string::npos);
  EXPECT_NE(list.find("2m ago"), std::string::npos);
  EXPECT_NE(list.find("hello world"), std::string::npos);
  EXPECT_NE(list.find("(more: --before 01HX1)"), std::string::npos);

  const json message = json::parse(R"({"id": "01HX2", "to": "+49151", "text": "hi",
    "status": "failed", "operator": null, "modem": "m1",
    "parts": [{"index": 1, "status": "failed", "modem": "m1", "mr": 17,
               "error": "+CMS ERROR: 38", "sent_at": null, "delivered_at": null}],
    "attempts": 3, "created_at": "2024-05-01T11:00:00Z", "sent_at": null,
    "delivered_at": null, "error": "network out of order",
    "events": [{"at": "2024-05-01T11:00:00Z", "kind": "queued", "detail": ""}]})");
  const std::string detail = render_message(message, kNow, TerminalStyle{80, false, true});
  EXPECT_NE(detail.find("status    failed\n"), std::string::npos) << detail;
  EXPECT_NE(detail.find("error     network out of order\n"), std::string::npos) << detail;
  EXPECT_NE(detail.find("+CMS ERROR: 38"), std::string::npos);
  EXPECT_NE(detail.find("created   2024-05-01T11:00:00Z (1h ago)"), std::string::npos);
  EXPECT_NE(detail.find("\nevents\n"), std::string::npos);
  EXPECT_EQ(detail.find("reference"), std::string::npos);  // not set: no line

  json tagged = message;
  tagged["client"] = nullptr;
  tagged["reference"] = "order-17";
  tagged["callback_url"] = "https://hooks.example.com/sms";
  const std::string with_tags = render_message(tagged, kNow, TerminalStyle{80, false, true});
  EXPECT_NE(with_tags.find("reference order-17\n"), std::string::npos) << with_tags;
  EXPECT_NE(with_tags.find("callback  https://hooks.example.com/sms\n"), std::string::npos);
  EXPECT_EQ(with_tags.find("client"), std::string::npos);
}

TEST(InboxView, IncompleteLongMessagesShowPartsReceived) {
  const json page = json::parse(R"({"messages": [
    {"id": "i1", "modem": "m1", "from": "+491701", "text": "first half", "parts": 3,
     "parts_received": 2, "complete": false, "sent_at": null,
     "received_at": "2024-05-01T11:59:00Z"}], "next_before": null})");
  const std::string table = render_inbox(page, kNow, TerminalStyle{80, false, true});
  EXPECT_NE(table.find("2/3"), std::string::npos);
  EXPECT_NE(table.find("1m ago"), std::string::npos);
  EXPECT_EQ(
      render_inbox(json::parse(R"({"messages": [], "next_before": null})"), kNow, TerminalStyle{}),
      "no received messages\n");
}

}  // namespace
}  // namespace smsgw::cli
