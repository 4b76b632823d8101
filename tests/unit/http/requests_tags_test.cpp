// POST /api/v1/messages: callback_url and reference; the list and inbox filters.
#include <gtest/gtest.h>

#include "smsgw/http/requests.hpp"

namespace smsgw::http {
namespace {

Result<SubmitBody> submit(std::string_view body) {
  auto parsed = parse_json(body);
  if (!parsed) return std::move(parsed).error();
  return parse_submit(*parsed);
}

std::string error_of(std::string_view body) {
  const auto parsed = submit(body);
  if (parsed.ok()) return "ok";
  return parsed.error().code + ": " + parsed.error().message;
}

TEST(RequestsTags, CallbackUrlAndReferenceInSingleAndBatch) {
  auto body = submit(R"({"to": "+491", "text": "x", "reference": "order-17",
      "callback_url": "https://hooks.example.com/sms?x=1"})");
  ASSERT_TRUE(body.ok()) << body.error().message;
  EXPECT_EQ(body->messages[0].reference, "order-17");
  EXPECT_EQ(body->messages[0].callback_url, "https://hooks.example.com/sms?x=1");
  EXPECT_FALSE(body->messages[0].client.has_value());  // never from the body

  body = submit(R"({"messages": [{"to": "+491", "text": "a", "reference": "r1"},
      {"to": "+492", "text": "b", "callback_url": "http://10.0.0.5:8080/cb"}]})");
  ASSERT_TRUE(body.ok()) << body.error().message;
  EXPECT_EQ(body->messages[0].reference, "r1");
  EXPECT_FALSE(body->messages[0].callback_url.has_value());
  EXPECT_EQ(body->messages[1].callback_url, "http://10.0.0.5:8080/cb");  // the host: gateway
  EXPECT_FALSE(body->messages[1].reference.has_value());

  body = submit(R"({"to": "+491", "text": "x", "reference": null, "callback_url": null})");
  ASSERT_TRUE(body.ok());
  EXPECT_FALSE(body->messages[0].reference || body->messages[0].callback_url);
}

TEST(RequestsTags, ReferenceIsUpToSixtyFourCharacters) {
  const std::string ascii64(64, 'r');
  EXPECT_EQ(error_of(R"({"to": "+491", "text": "x", "reference": ")" + ascii64 + "\"}"), "ok");
  EXPECT_EQ(error_of(R"({"to": "+491", "text": "x", "reference": ")" + ascii64 + "r\"}"),
            "validation: reference: longer than 64 characters");
  // Characters, not bytes: 64 two-byte characters pass.
  std::string umlauts;
  for (int i = 0; i < 64; ++i) umlauts += "\xc3\xa4";
  EXPECT_EQ(error_of(R"({"to": "+491", "text": "x", "reference": ")" + umlauts + "\"}"), "ok");
  EXPECT_EQ(error_of(R"({"to": "+491", "text": "x", "reference": ""})"),
            "validation: reference: must not be empty");
  EXPECT_EQ(error_of(R"({"to": "+491", "text": "x", "reference": 17})"),
            "validation: reference: must be a string");
  EXPECT_EQ(error_of(R"({"messages": [{"to": "+491", "text": "x"}, {"to": "+491", "text": "x",
      "reference": ")" +
                     ascii64 + "rr\"}]}"),
            "validation: messages[1].reference: longer than 64 characters");
}

TEST(RequestsTags, CallbackUrlMustBeAnHttpOrHttpsUrl) {
  EXPECT_EQ(error_of(R"({"to": "+491", "text": "x", "callback_url": "ftp://h/x"})"),
            "validation: callback_url: must start with http:// or https://");
  EXPECT_EQ(error_of(R"({"to": "+491", "text": "x", "callback_url": "https://u:p@h/x"})"),
            "validation: callback_url: user information in the URL is not supported");
  EXPECT_EQ(error_of(R"({"to": "+491", "text": "x", "callback_url": 5})"),
            "validation: callback_url: must be a string");
  EXPECT_EQ(error_of(R"({"to": "+491", "text": "x", "callback_url": "https://h/)" +
                     std::string(2100, 'a') + "\"}"),
            "validation: callback_url: longer than 2048 bytes");
}

TEST(RequestsTags, MessageListFilters) {
  auto query = parse_message_query("reference=order%2017&client=shop&status=sent");
  ASSERT_TRUE(query.ok()) << query.error().message;
  EXPECT_EQ(query->reference, "order 17");
  EXPECT_EQ(query->client, "shop");
  EXPECT_EQ(query->status, "sent");
  EXPECT_EQ(parse_message_query("reference=").error().message, "reference: must not be empty");
  EXPECT_EQ(parse_message_query("client=").error().message, "client: must not be empty");
}

// The recipient goes to the gateway as typed (it normalises it like a submission's `to`).
TEST(RequestsTags, MessageListRecipientAndModemFilters) {
  auto query = parse_message_query("to=0151%20123%204567&modem=usb%3A1-2&limit=5");
  ASSERT_TRUE(query.ok()) << query.error().message;
  EXPECT_EQ(query->to, "0151 123 4567");
  EXPECT_EQ(query->modem, "usb:1-2");
  EXPECT_EQ(query->limit, 5);
  query = parse_message_query("to=%2B4915112345678");
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(query->to, "+4915112345678");
  EXPECT_FALSE(query->modem.has_value());
  EXPECT_EQ(parse_message_query("to=").error().message, "to: must not be empty");
  EXPECT_EQ(parse_message_query("modem=").error().message, "modem: must not be empty");
  EXPECT_EQ(parse_message_query("to=1&to=2").error().message, "to: given twice");
}

TEST(RequestsTags, InboxFilters) {
  auto query = parse_inbox_query("since=2024-05-01T12:00:00%2B02:00&from=%2B4917012&modem=m1");
  ASSERT_TRUE(query.ok()) << query.error().message;
  ASSERT_TRUE(query->since.has_value());
  EXPECT_EQ(query->since->time_since_epoch(), std::chrono::seconds(1714557600));
  EXPECT_EQ(query->from, "+4917012");
  EXPECT_EQ(query->modem, "m1");
  EXPECT_EQ(parse_inbox_query("since=yesterday").error().message,
            "since: not an RFC 3339 date-time (e.g. \"2024-05-01T12:00:00Z\")");
  EXPECT_EQ(parse_inbox_query("from=").error().message, "from: must not be empty");
  EXPECT_EQ(parse_inbox_query("modem=").error().message, "modem: must not be empty");
}

}  // namespace
}  // namespace smsgw::http
