#include "smsgw/http/json.hpp"

#include <gtest/gtest.h>

namespace smsgw::http {
namespace {

using json = nlohmann::json;
using namespace std::chrono;

const TimePoint kCreated = sys_days{2024y / May / 1} + hours(12);

TEST(Json, AcceptedMessage) {
  EXPECT_EQ(json_of(AcceptedMessage{"01HX1", 2, "ucs2"}),
            (json{{"id", "01HX1"}, {"status", "queued"}, {"parts", 2}, {"encoding", "ucs2"}}));
}

TEST(Json, MessageCarriesClientReferenceAndCallbackUrl) {
  Message message;
  message.id = "01HX2";
  message.created_at = kCreated;
  message.client = "shop";
  message.reference = "order-17";
  message.callback_url = "https://hooks.example.com/sms";
  const auto rendered = json_of(message, false);
  EXPECT_EQ(rendered.at("client"), "shop");
  EXPECT_EQ(rendered.at("reference"), "order-17");
  EXPECT_EQ(rendered.at("callback_url"), "https://hooks.example.com/sms");
}

TEST(Json, MessageHasTheContractFieldsWithNulls) {
  Message message;
  message.id = "01HX1";
  message.to = "+4915112345678";
  message.text = "hi";
  message.status = "sent";
  message.operator_name = "Telekom";
  message.modem = "modem0";
  message.attempts = 1;
  message.created_at = kCreated;
  message.sent_at = kCreated + seconds(3);
  message.parts.push_back(MessagePart{.index = 1,
                                      .status = "sent",
                                      .modem = "modem0",
                                      .mr = 17,
                                      .error = std::nullopt,
                                      .sent_at = kCreated + seconds(3),
                                      .delivered_at = std::nullopt});
  message.events.push_back(MessageEvent{kCreated, "queued", ""});
  const json expected{
      {"id", "01HX1"},
      {"to", "+4915112345678"},
      {"text", "hi"},
      {"status", "sent"},
      {"operator", "Telekom"},
      {"modem", "modem0"},
      {"parts", json::array({{{"index", 1},
                              {"status", "sent"},
                              {"modem", "modem0"},
                              {"mr", 17},
                              {"error", nullptr},
                              {"sent_at", "2024-05-01T12:00:03Z"},
                              {"delivered_at", nullptr}}})},
      {"attempts", 1},
      {"created_at", "2024-05-01T12:00:00Z"},
      {"sent_at", "2024-05-01T12:00:03Z"},
      {"delivered_at", nullptr},
      {"error", nullptr},
      {"client", nullptr},
      {"reference", nullptr},
      {"callback_url", nullptr},
  };
  EXPECT_EQ(json_of(message, false), expected);
  auto with_events = expected;
  with_events["events"] =
      json::array({{{"at", "2024-05-01T12:00:00Z"}, {"kind", "queued"}, {"detail", ""}}});
  EXPECT_EQ(json_of(message, true), with_events);
}

TEST(Json, ModemShape) {
  ModemInfo modem;
  modem.id = "modem0";
  modem.port = "/dev/ttyUSB2";
  modem.state = "ready";
  modem.node = "site-a";
  modem.imei = "356938035643809";
  modem.iccid = "8949020000012345678";
  modem.operator_name = "Telekom";
  modem.mccmnc = "26201";
  modem.csq = 20;
  modem.dbm = -73;
  modem.registration = "home";
  modem.balance = Balance{12.34, "EUR", "Your balance is 12.34 EUR", kCreated};
  modem.sent_today = 5;
  modem.daily_limit = 500;
  modem.sent_this_month = 120;
  modem.monthly_limit = 3000;
  modem.number = "+4915112345678";
  modem.last_error = "+CMS ERROR: 38";
  modem.paused = "benched";
  const json expected{
      {"id", "modem0"},
      {"port", "/dev/ttyUSB2"},
      {"state", "ready"},
      {"imei", "356938035643809"},
      {"imsi", nullptr},
      {"iccid", "8949020000012345678"},
      {"operator", {{"name", "Telekom"}, {"mccmnc", "26201"}}},
      {"signal", {{"csq", 20}, {"dbm", -73}}},
      {"registration", "home"},
      {"balance",
       {{"amount", 12.34},
        {"currency", "EUR"},
        {"raw", "Your balance is 12.34 EUR"},
        {"checked_at", "2024-05-01T12:00:00Z"}}},
      {"sent_today", 5},
      {"daily_limit", 500},
      {"sent_this_month", 120},
      {"monthly_limit", 3000},
      {"number", "+4915112345678"},
      {"label", nullptr},
      {"errors", 0},
      {"last_error", "+CMS ERROR: 38"},
      {"paused", "benched"},
      {"queue", 0},
      {"paused_by", nullptr},
      {"paused_at", nullptr},
      {"node", "site-a"},
  };
  EXPECT_EQ(json_of(std::vector<ModemInfo>{modem}), json::array({expected}));

  ModemInfo absent;
  absent.id = "modem1";
  absent.state = "absent";
  const auto shown = json_of(absent);
  EXPECT_TRUE(shown.at("operator").is_null());
  EXPECT_TRUE(shown.at("balance").is_null());
  EXPECT_TRUE(shown.at("daily_limit").is_null());
  EXPECT_TRUE(shown.at("last_error").is_null());
  EXPECT_TRUE(shown.at("paused").is_null());
  EXPECT_EQ(shown.at("signal"), (json{{"csq", nullptr}, {"dbm", nullptr}}));

  // A manual pause shows who paused the SIM and when.
  ModemInfo paused;
  paused.id = "modem2";
  paused.paused = "manual";
  paused.paused_by = "token";
  paused.paused_at = kCreated;
  const auto manual = json_of(paused);
  EXPECT_EQ(manual.at("paused"), "manual");
  EXPECT_EQ(manual.at("paused_by"), "token");
  EXPECT_EQ(manual.at("paused_at"), "2024-05-01T12:00:00Z");
}

TEST(Json, BalanceResultShape) {
  BalanceResult failed;
  failed.modem = "modem1";
  failed.error = "USSD timed out";
  EXPECT_EQ(json_of(failed), (json{{"modem", "modem1"},
                                   {"imei", nullptr},
                                   {"iccid", nullptr},
                                   {"operator", nullptr},
                                   {"amount", nullptr},
                                   {"currency", ""},
                                   {"raw", ""},
                                   {"checked_at", nullptr},
                                   {"error", "USSD timed out"}}));
}

TEST(Json, PagesCarryTheNextCursor) {
  MessagePage page;
  page.next_before = "01HX9";
  EXPECT_EQ(json_of(page), (json{{"messages", json::array()}, {"next_before", "01HX9"}}));
  InboxPage inbox;
  inbox.messages.push_back(
      InboundMessage{"in1", "modem0", "+491", "long text", 3, 2, std::nullopt, kCreated});
  const auto shown = json_of(inbox);
  EXPECT_TRUE(shown.at("next_before").is_null());
  EXPECT_EQ(shown.at("messages").at(0).at("complete"), false);
  EXPECT_EQ(shown.at("messages").at(0).at("parts_received"), 2);
  EXPECT_EQ(shown.at("messages").at(0).at("received_at"), "2024-05-01T12:00:00Z");
}

TEST(Json, DumpReplacesInvalidUtf8) {
  EXPECT_EQ(dump(json{{"text", "a\xff"}}), "{\"text\":\"a\xEF\xBF\xBD\"}");
}

}  // namespace
}  // namespace smsgw::http
