#include "smsgw/http/requests.hpp"

#include <gtest/gtest.h>

#include "smsgw/http/errors.hpp"

namespace smsgw::http {
namespace {

using json = nlohmann::json;

Result<SubmitBody> submit(std::string_view body) {
  auto parsed = parse_json(body);
  if (!parsed) return std::move(parsed).error();
  return parse_submit(*parsed);
}

TEST(Requests, ParsesOneMessageWithEveryField) {
  const auto body = submit(R"({"to": "+4915112345678", "text": "hello", "priority": 5,
      "send_at": "2024-05-01T12:00:00+02:00", "validity": 3600, "flash": true,
      "status_report": false, "modem": "modem0", "operator": "Telekom"})");
  ASSERT_TRUE(body.ok()) << body.error().message;
  EXPECT_FALSE(body->batch);
  ASSERT_EQ(body->messages.size(), 1u);
  const auto& m = body->messages[0];
  EXPECT_EQ(m.to, "+4915112345678");
  EXPECT_EQ(m.text, "hello");
  EXPECT_EQ(m.priority, 5);
  ASSERT_TRUE(m.send_at.has_value());
  EXPECT_EQ(m.send_at->time_since_epoch(), std::chrono::seconds(1714557600));
  EXPECT_EQ(m.validity, std::chrono::seconds(3600));
  EXPECT_TRUE(m.flash);
  EXPECT_EQ(m.status_report, false);
  EXPECT_EQ(m.modem, "modem0");
  EXPECT_EQ(m.operator_name, "Telekom");
}

TEST(Requests, DefaultsAndNullsForOptionalFields) {
  const auto body =
      submit(R"({"to": "0151", "text": "x", "priority": null, "modem": null, "send_at": null})");
  ASSERT_TRUE(body.ok()) << body.error().message;
  const auto& m = body->messages[0];
  EXPECT_EQ(m.priority, 0);
  EXPECT_FALSE(m.send_at.has_value());
  EXPECT_FALSE(m.validity.has_value());
  EXPECT_FALSE(m.flash);
  EXPECT_FALSE(m.status_report.has_value());  // absent: the gateway's [sms] status_report
  EXPECT_FALSE(m.modem.has_value());
  EXPECT_FALSE(m.operator_name.has_value());
}

TEST(Requests, ParsesBatchInOrder) {
  const auto body = submit(R"({"messages": [{"to": "+491", "text": "a"},
                                            {"to": "+492", "text": "b", "priority": -3}]})");
  ASSERT_TRUE(body.ok()) << body.error().message;
  EXPECT_TRUE(body->batch);
  ASSERT_EQ(body->messages.size(), 2u);
  EXPECT_EQ(body->messages[0].to, "+491");
  EXPECT_EQ(body->messages[1].text, "b");
  EXPECT_EQ(body->messages[1].priority, -3);
}

struct BadBody {
  std::string body;
  std::string code;
  std::string message;  // exact
};

class RequestsBadBody : public ::testing::TestWithParam<BadBody> {};

TEST_P(RequestsBadBody, NamesFieldAndReason) {
  const auto& c = GetParam();
  const auto result = submit(c.body);
  ASSERT_FALSE(result.ok()) << c.body;
  EXPECT_EQ(result.error().code, c.code) << c.body;
  if (c.code == "invalid") {
    // The reason after the offset is nlohmann-json's own wording: check its start.
    EXPECT_EQ(result.error().message.substr(0, c.message.size()), c.message) << c.body;
  } else {
    EXPECT_EQ(result.error().message, c.message) << c.body;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, RequestsBadBody,
    ::testing::Values(
        BadBody{R"({"text": "x"})", "validation", "to: missing"},
        BadBody{R"({"to": null, "text": "x"})", "validation", "to: missing"},
        BadBody{R"({"to": 491512, "text": "x"})", "validation", "to: must be a string"},
        BadBody{R"({"to": "", "text": "x"})", "validation", "to: must not be empty"},
        BadBody{R"({"to": "+49123456789012345678901234567890", "text": "x"})", "validation",
                "to: longer than 32 bytes"},
        BadBody{R"({"to": "+491"})", "validation", "text: missing"},
        BadBody{R"({"to": "+491", "text": 5})", "validation", "text: must be a string"},
        BadBody{R"({"to": "+491", "text": ["a"]})", "validation", "text: must be a string"},
        BadBody{R"({"to": "+491", "text": ""})", "validation", "text: must not be empty"},
        BadBody{R"({"to": "+491", "text": "x", "priority": "high"})", "validation",
                "priority: must be an integer"},
        BadBody{R"({"to": "+491", "text": "x", "priority": 1.5})", "validation",
                "priority: must be an integer"},
        BadBody{R"({"to": "+491", "text": "x", "priority": 3000000000})", "validation",
                "priority: must be between -2147483648 and 2147483647"},
        BadBody{R"({"to": "+491", "text": "x", "send_at": "tomorrow"})", "validation",
                "send_at: not an RFC 3339 date-time (e.g. \"2024-05-01T12:00:00Z\")"},
        BadBody{R"({"to": "+491", "text": "x", "send_at": 1714557600})", "validation",
                "send_at: must be a string"},
        BadBody{R"({"to": "+491", "text": "x", "validity": 0})", "validation",
                "validity: must be a number of seconds from 1 to 38102400 (63 weeks)"},
        BadBody{R"({"to": "+491", "text": "x", "validity": -5})", "validation",
                "validity: must be a number of seconds from 1 to 38102400 (63 weeks)"},
        BadBody{R"({"to": "+491", "text": "x", "validity": 38102401})", "validation",
                "validity: must be a number of seconds from 1 to 38102400 (63 weeks)"},
        BadBody{R"({"to": "+491", "text": "x", "validity": "1h"})", "validation",
                "validity: must be an integer"},
        BadBody{R"({"to": "+491", "text": "x", "flash": "yes"})", "validation",
                "flash: must be true or false"},
        BadBody{R"({"to": "+491", "text": "x", "status_report": 1})", "validation",
                "status_report: must be true or false"},
        BadBody{R"({"to": "+491", "text": "x", "modem": 0})", "validation",
                "modem: must be a string"},
        BadBody{R"({"to": "+491", "text": "x", "operator": ""})", "validation",
                "operator: must not be empty"},
        BadBody{R"({"to": "+491", "text": "x", "colour": "red"})", "validation",
                "colour: unknown field"},
        BadBody{R"({"to": "+491", "text": "x", "": 1})", "validation", ": unknown field"},
        BadBody{R"([{"to": "+491", "text": "x"}])", "validation", "body: must be a JSON object"},
        BadBody{R"("hello")", "validation", "body: must be a JSON object"},
        // Batches: the error names the entry.
        BadBody{R"({"messages": [{"to":"+1","text":"a"},{"to":"+1","text":"a"},
                 {"to":"+1","text":"a"},{"text":"a"}]})",
                "validation", "messages[3].to: missing"},
        BadBody{R"({"messages": [{"to":"+1","text":"a","priority":"x"}]})", "validation",
                "messages[0].priority: must be an integer"},
        BadBody{R"({"messages": [{"to":"+1","text":"a"}, 7]})", "validation",
                "messages[1]: must be an object"},
        BadBody{R"({"messages": [{"to":"+1","text":"a","x":1}]})", "validation",
                "messages[0].x: unknown field"},
        BadBody{R"({"messages": []})", "validation", "messages: must not be empty"},
        BadBody{R"({"messages": {"to": "+1"}})", "validation", "messages: must be an array"},
        BadBody{R"({"messages": [{"to":"+1","text":"a"}], "to": "+1"})", "validation",
                "to: unknown field (a batch holds only \"messages\")"},
        // Malformed JSON is a 400 with the byte offset.
        BadBody{"", "invalid", "malformed JSON: the body is empty"},
        // Offsets count from 1; one past the end means the input ended too early.
        BadBody{R"({"to": "+491", "text": "x")", "invalid",
                "malformed JSON at byte 27: syntax error while parsing object - unexpected "
                "end of input"},
        BadBody{R"({"to": '+491'})", "invalid",
                "malformed JSON at byte 8: syntax error while parsing value - invalid literal"},
        BadBody{"{\"to\": \"\xff\"}", "invalid",
                "malformed JSON at byte 9: syntax error while parsing value - invalid string: "
                "ill-formed UTF-8 byte"},
        BadBody{R"({"to": "+491"} {})", "invalid",
                "malformed JSON at byte 16: syntax error while parsing value - unexpected '{'"}));

TEST(Requests, BatchOfMoreThanTheLimitIsRefused) {
  json batch{{"messages", json::array()}};
  for (std::size_t i = 0; i <= kMaxBatchSize; ++i) {
    batch["messages"].push_back(json{{"to", "+491"}, {"text", "x"}});
  }
  const auto result = parse_submit(batch);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message, "messages: more than 1000 messages in one batch");
  batch["messages"].erase(0);
  EXPECT_TRUE(parse_submit(batch).ok());
}

TEST(Requests, DeepNestingIsRefusedWithoutRecursion) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const auto result = parse_json(deep);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "invalid");
  EXPECT_NE(result.error().message.find("nesting deeper than 32 levels"), std::string::npos)
      << result.error().message;
  EXPECT_TRUE(parse_json(std::string(32, '[') + std::string(32, ']')).ok());
}

TEST(Requests, ContentTypeMustBeJson) {
  EXPECT_TRUE(check_json_content_type("application/json", "{}").ok());
  EXPECT_TRUE(check_json_content_type("Application/JSON; charset=utf-8", "{}").ok());
  EXPECT_TRUE(check_json_content_type("application/merge-patch+json", "{}").ok());
  EXPECT_TRUE(check_json_content_type("", "").ok());  // no body, no type: balance endpoints
  const auto plain = check_json_content_type("text/plain", "{}");
  ASSERT_FALSE(plain.ok());
  EXPECT_EQ(plain.error().code, "unsupported_media_type");
  EXPECT_EQ(plain.error().message, "Content-Type must be application/json, got text/plain");
  const auto missing = check_json_content_type("", "{}");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "Content-Type must be application/json, got none");
  EXPECT_FALSE(check_json_content_type("application/x-www-form-urlencoded", "a=1").ok());
  EXPECT_FALSE(check_json_content_type("application/jsonx", "{}").ok());
  EXPECT_FALSE(check_json_content_type("+json", "{}").ok());
}

TEST(Requests, UssdCode) {
  EXPECT_EQ(parse_ussd(json{{"code", "*100#"}}).value(), "*100#");
  EXPECT_EQ(parse_ussd(json::object()).error().message, "code: missing");
  EXPECT_EQ(parse_ussd(json{{"code", 100}}).error().message, "code: must be a string");
  EXPECT_EQ(parse_ussd(json{{"code", "*100#; AT+CFUN=0"}}).error().message,
            "code: may hold only digits, '*', '#' and '+'");
  EXPECT_EQ(parse_ussd(json{{"code", "*100#"}, {"modem", "x"}}).error().message,
            "modem: unknown field");
  EXPECT_EQ(parse_ussd(json{{"code", std::string(161, '1')}}).error().message,
            "code: longer than 160 bytes");
}

TEST(Requests, BalanceTakesNoBodyOrAnEmptyObject) {
  EXPECT_TRUE(parse_balance("").ok());
  EXPECT_TRUE(parse_balance("{}").ok());
  EXPECT_TRUE(parse_balance(" { } ").ok());
  EXPECT_EQ(parse_balance(R"({"modem":"x"})").error().message, "modem: unknown field");
  EXPECT_EQ(parse_balance("[]").error().code, "validation");
  EXPECT_EQ(parse_balance("{").error().code, "invalid");
}

TEST(Requests, MessageQuery) {
  auto query = parse_message_query("");
  ASSERT_TRUE(query.ok());
  EXPECT_FALSE(query->status.has_value());
  EXPECT_EQ(query->limit, 50);
  EXPECT_FALSE(query->before.has_value());

  query = parse_message_query("status=sent&limit=10&before=01HX%2B1");
  ASSERT_TRUE(query.ok()) << query.error().message;
  EXPECT_EQ(query->status, "sent");
  EXPECT_EQ(query->limit, 10);
  EXPECT_EQ(query->before, "01HX+1");

  EXPECT_TRUE(parse_message_query("&&limit=1000&").ok());
}

struct BadQuery {
  std::string query;
  std::string code;
  std::string message;
};

class RequestsBadQuery : public ::testing::TestWithParam<BadQuery> {};

TEST_P(RequestsBadQuery, NamesParameterAndReason) {
  const auto result = parse_message_query(GetParam().query);
  ASSERT_FALSE(result.ok()) << GetParam().query;
  EXPECT_EQ(result.error().code, GetParam().code);
  EXPECT_EQ(result.error().message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Table, RequestsBadQuery,
    ::testing::Values(
        BadQuery{"limit=0", "validation", "limit: must be an integer from 1 to 1000"},
        BadQuery{"limit=1001", "validation", "limit: must be an integer from 1 to 1000"},
        BadQuery{"limit=ten", "validation", "limit: must be an integer from 1 to 1000"},
        BadQuery{"limit=5x", "validation", "limit: must be an integer from 1 to 1000"},
        BadQuery{"limit=", "validation", "limit: must be an integer from 1 to 1000"},
        BadQuery{"limit=-1", "validation", "limit: must be an integer from 1 to 1000"},
        BadQuery{"status=done", "validation",
                 "status: must be one of queued, sending, sent, delivered, failed, expired, "
                 "cancelled, unknown"},
        BadQuery{"before=", "validation", "before: must not be empty"},
        BadQuery{"sort=asc", "validation", "sort: unknown query parameter"},
        BadQuery{"limit=1&limit=2", "validation", "limit: given twice"},
        BadQuery{"before=%zz", "validation", "before: malformed percent-escape"},
        BadQuery{"%zz=1", "invalid", "query: malformed percent-escape in a parameter name"}));

TEST(Requests, InboxAndEmptyQueries) {
  const auto inbox = parse_inbox_query("limit=3&before=abc");
  ASSERT_TRUE(inbox.ok());
  EXPECT_EQ(inbox->limit, 3);
  EXPECT_EQ(inbox->before, "abc");
  EXPECT_EQ(parse_inbox_query("status=sent").error().message, "status: unknown query parameter");
  EXPECT_TRUE(parse_empty_query("").ok());
  EXPECT_EQ(parse_empty_query("x=1").error().message, "x: unknown query parameter");
}

TEST(Requests, FingerprintIgnoresKeyOrderAndWhitespace) {
  const auto a = parse_json(R"({"to":"+4915112345678","text":"hi"})");
  const auto b = parse_json("{ \"text\" : \"hi\",\n \"to\" : \"+4915112345678\" }");
  const auto c = parse_json(R"({"to":"+4915112345678","text":"hi!"})");
  // Independent value: sha256 of the sorted compact JSON, computed with Python's hashlib.
  EXPECT_EQ(request_fingerprint(*a),
            "eb14f1bb594ee9048f6ff20552f5fdaddc47a4b34ddc61b273794676e16c2b6d");
  EXPECT_EQ(request_fingerprint(*a), request_fingerprint(*b));
  EXPECT_NE(request_fingerprint(*a), request_fingerprint(*c));
}

TEST(Errors, StatusForEveryCode) {
  EXPECT_EQ(status_for_error("invalid"), 400u);
  EXPECT_EQ(status_for_error("unauthorized"), 401u);
  EXPECT_EQ(status_for_error("not_found"), 404u);
  EXPECT_EQ(status_for_error("method_not_allowed"), 405u);
  EXPECT_EQ(status_for_error("conflict"), 409u);
  EXPECT_EQ(status_for_error("too_large"), 413u);
  EXPECT_EQ(status_for_error("unsupported_media_type"), 415u);
  EXPECT_EQ(status_for_error("validation"), 422u);
  EXPECT_EQ(status_for_error("headers_too_large"), 431u);
  EXPECT_EQ(status_for_error("unavailable"), 503u);
  EXPECT_EQ(status_for_error("timeout"), 504u);
  EXPECT_EQ(status_for_error("store.busy"), 500u);
  EXPECT_EQ(status_for_error(""), 500u);
}

TEST(Errors, BodyShapeAndField) {
  EXPECT_EQ(field_of_message("messages[3].to: missing"), "messages[3].to");
  EXPECT_EQ(field_of_message("no such message 42"), "");
  EXPECT_EQ(field_of_message("the bearer token: bad"), "");
  const auto body = json::parse(error_body("validation", "to: missing", "to"));
  EXPECT_EQ(
      body,
      (json{{"error", {{"code", "validation"}, {"message", "to: missing"}, {"field", "to"}}}}));
  const auto plain = json::parse(error_body("not_found", "no message x"));
  EXPECT_EQ(plain, (json{{"error", {{"code", "not_found"}, {"message", "no message x"}}}}));
  // Invalid UTF-8 from a facade message never makes the error answer throw.
  const auto replaced = json::parse(error_body("internal", "bad \xff byte"));
  EXPECT_EQ(replaced.at("error").at("message"), "bad \xEF\xBF\xBD byte");
}

}  // namespace
}  // namespace smsgw::http
