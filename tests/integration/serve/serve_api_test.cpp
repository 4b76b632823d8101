// The HTTP API's edges over the real server: idempotent replays, and every kind of bad
// request answered with a clear 4xx and no change of state.
#include <gtest/gtest.h>

#include "serve_support.hpp"

namespace smsgw::serve_test {
namespace {

using harness::HttpResponse;

std::size_t message_count(const harness::ServeHarness& gw) { return gw.all_messages().size(); }

// A 4xx with the error body of the contract; `field` non-empty: the error names it.
void expect_error(const HttpResponse& response, int status, const std::string& field = {}) {
  EXPECT_EQ(response.status, status) << response.describe();
  const auto body = response.json();
  ASSERT_TRUE(body.is_object() && body.contains("error")) << response.describe();
  EXPECT_TRUE(body.at("error").at("code").is_string()) << response.body;
  const std::string message = body.at("error").value("message", "");
  EXPECT_FALSE(message.empty()) << response.body;
  EXPECT_EQ(response.header("Content-Type").rfind("application/json", 0), 0u);
  if (!field.empty()) {
    EXPECT_EQ(body.at("error").value("field", ""), field) << response.body;
    EXPECT_NE(message.find(field), std::string::npos) << response.body;
  }
}

TEST(ServeApi, IdempotentReplayReturnsTheFirstAnswerAndStoresOneMessage) {
  Gateway gw;
  const auto api = gw.client();
  const json body{{"to", "+491511500001"}, {"text", "once only"}};
  const harness::HttpHeaders key{{"Idempotency-Key", "order-4711"}};
  const auto first = api.post("/api/v1/messages", body, key);
  ASSERT_EQ(first.status, 202) << first.describe();
  EXPECT_TRUE(first.header("Idempotent-Replayed").empty());
  const auto second = api.post("/api/v1/messages", body, key);
  ASSERT_EQ(second.status, 202) << second.describe();
  EXPECT_EQ(second.json().value("id", ""), first.json().value("id", ""));
  EXPECT_EQ(second.json(), first.json());
  EXPECT_EQ(second.header("Location"), first.header("Location"));
  EXPECT_EQ(second.header("Idempotent-Replayed"), "true");

  // Same key, another body: a conflict, nothing stored.
  const json other{{"to", "+491511500001"}, {"text", "something else"}};
  expect_error(api.post("/api/v1/messages", other, key), 409);
  // Another key: a new message.
  const auto third = api.post("/api/v1/messages", body, {{"Idempotency-Key", "order-4712"}});
  ASSERT_EQ(third.status, 202) << third.describe();
  EXPECT_NE(third.json().value("id", ""), first.json().value("id", ""));

  gw.wait_status(first.json().value("id", ""), {"delivered"});
  gw.wait_status(third.json().value("id", ""), {"delivered"});
  EXPECT_EQ(message_count(gw), 2u);
  EXPECT_EQ(sent_to(gw.sim(), "+491511500001").size(), 2u);
  // A replay after delivery still answers the first answer, and sends nothing.
  const auto late = api.post("/api/v1/messages", body, key);
  EXPECT_EQ(late.status, 202);
  EXPECT_EQ(late.json().value("id", ""), first.json().value("id", ""));
  EXPECT_EQ(message_count(gw), 2u);
}

TEST(ServeApi, IdempotentBatchReplay) {
  Gateway gw;
  const json batch{
      {"messages",
       {{{"to", "+491511600001"}, {"text", "a"}}, {{"to", "+491521600002"}, {"text", "b"}}}}};
  const harness::HttpHeaders key{{"Idempotency-Key", "batch-1"}};
  const auto first = gw.client().post("/api/v1/messages", batch, key);
  ASSERT_EQ(first.status, 202) << first.describe();
  ASSERT_EQ(first.json().size(), 2u);
  const auto again = gw.client().post("/api/v1/messages", batch, key);
  ASSERT_EQ(again.status, 202) << again.describe();
  EXPECT_EQ(again.json(), first.json());
  EXPECT_EQ(message_count(gw), 2u);
}

TEST(ServeApi, BadRequestsAreRefusedWithoutChangingState) {
  harness::HarnessOptions options;
  options.configure = [](harness::GatewayConfig& config) {
    config.tables["http"]["body_limit"] = "4096";
  };
  Gateway gw(options);
  const auto api = gw.client();
  const auto kept = gw.submit_ok("+491511700001", "the one message");
  gw.wait_status(kept, {"delivered"});
  const auto sent_before = gw.sim().sent().size();

  // 400: not JSON, JSON of the wrong shape.
  expect_error(api.request("POST", "/api/v1/messages", "{\"to\": \"+49151\", "), 400);
  expect_error(api.request("POST", "/api/v1/messages", "[1, 2"), 400);
  // 422 naming the field.
  expect_error(api.post("/api/v1/messages", json{{"text", "no number"}}), 422, "to");
  expect_error(api.post("/api/v1/messages", json{{"to", "+491511700002"}}), 422, "text");
  expect_error(api.post("/api/v1/messages", json{{"to", "not a number"}, {"text", "x"}}), 422,
               "to");
  expect_error(api.post("/api/v1/messages", json{{"to", 491511700002}, {"text", "x"}}), 422, "to");
  expect_error(api.post("/api/v1/messages",
                        json{{"to", "+491511700002"}, {"text", "x"}, {"priority", "high"}}),
               422, "priority");
  expect_error(api.post("/api/v1/messages",
                        json{{"to", "+491511700002"}, {"text", "x"}, {"send_at", "tomorrow"}}),
               422, "send_at");
  expect_error(
      api.post("/api/v1/messages", json{{"to", "+491511700002"}, {"text", "x"}, {"validity", 0}}),
      422, "validity");
  expect_error(
      api.post("/api/v1/messages", json{{"to", "+491511700002"}, {"text", "x"}, {"colour", "red"}}),
      422, "colour");
  expect_error(api.post("/api/v1/messages",
                        json{{"to", "+491511700002"}, {"text", "x"}, {"modem", "modem9"}}),
               422, "modem");
  expect_error(api.post("/api/v1/messages",
                        json{{"to", "+491511700002"}, {"text", "x"}, {"operator", "Nobody"}}),
               422, "operator");
  // A batch is all or nothing: the bad second message keeps the good first one out.
  expect_error(
      api.post("/api/v1/messages",
               json{{"messages",
                     {{{"to", "+491511700003"}, {"text", "fine"}}, {{"to", "+491511700004"}}}}}),
      422, "messages[1].text");
  expect_error(api.post("/api/v1/messages", json{{"messages", json::array()}}), 422);
  // Too long for [sms] max_parts (10 by default).
  expect_error(
      api.post("/api/v1/messages", json{{"to", "+491511700005"}, {"text", std::string(1700, 'y')}}),
      422, "text");
  // 415: not JSON by its Content-Type.
  expect_error(
      api.request("POST", "/api/v1/messages", json{{"to", "+491511700006"}, {"text", "x"}}.dump(),
                  {{"Content-Type", "text/plain"}}),
      415);
  // 413: over [http] body_limit.
  const auto huge =
      api.request("POST", "/api/v1/messages",
                  json{{"to", "+491511700007"}, {"text", std::string(8000, 'z')}}.dump());
  EXPECT_EQ(huge.status, 413) << huge.describe();
  // 404: unknown id, unknown route, unknown modem.
  expect_error(api.get("/api/v1/messages/01HZZZZZZZZZZZZZZZZZZZZZZZ"), 404);
  expect_error(api.get("/api/v1/nothing-here"), 404);
  expect_error(api.post("/api/v1/modems/modem9/ussd", json{{"code", "*100#"}}), 404);
  expect_error(api.post("/api/v1/modems/modem9/balance", json::object()), 404);
  expect_error(api.del("/api/v1/messages/01HZZZZZZZZZZZZZZZZZZZZZZZ"), 404);
  // 405 with Allow.
  const auto put = api.request("PUT", "/api/v1/messages", json{{"to", "x"}}.dump());
  expect_error(put, 405);
  EXPECT_NE(put.header("Allow").find("POST"), std::string::npos) << put.header("Allow");
  expect_error(api.request("DELETE", "/api/v1/modems"), 405);
  // 409: cancelling a message that was already sent.
  expect_error(api.del("/api/v1/messages/" + kept), 409);
  // Query parameters: unknown, out of range, on a route without any.
  expect_error(api.get("/api/v1/messages?limit=0"), 422, "limit");
  expect_error(api.get("/api/v1/messages?status=lost"), 422, "status");
  expect_error(api.get("/api/v1/messages?colour=red"), 422, "colour");
  EXPECT_GE(api.get("/api/v1/modems?x=1").status, 400);
  // USSD body errors.
  expect_error(api.post("/api/v1/modems/modem0/ussd", json::object()), 422, "code");

  EXPECT_EQ(message_count(gw), 1u);
  EXPECT_EQ(gw.message(kept).value("status", ""), "delivered");
  EXPECT_EQ(gw.sim().sent().size(), sent_before);
  // The server is still fine after all that.
  EXPECT_EQ(api.get("/healthz").status, 200);
}

TEST(ServeApi, BearerTokensWhenConfigured) {
  harness::HarnessOptions options;
  options.configure = [](harness::GatewayConfig& config) {
    config.tables["http"]["tokens"] = harness::toml_string_array({"s3cret-token", "second"});
  };
  Gateway gw(options);
  harness::HttpClient anonymous(gw.http_port());
  harness::HttpClient wrong(gw.http_port(), "127.0.0.1", "guess");
  harness::HttpClient second(gw.http_port(), "127.0.0.1", "second");
  const json body{{"to", "+491511800001"}, {"text", "x"}};

  const auto missing = anonymous.post("/api/v1/messages", body);
  expect_error(missing, 401);
  EXPECT_NE(missing.header("WWW-Authenticate").find("Bearer"), std::string::npos);
  const auto bad = wrong.post("/api/v1/messages", body);
  expect_error(bad, 401);
  EXPECT_NE(bad.header("WWW-Authenticate").find("invalid_token"), std::string::npos);
  expect_error(wrong.get("/api/v1/messages"), 401);
  expect_error(wrong.get("/api/v1/modems"), 401);
  expect_error(anonymous.get("/metrics"), 401);
  EXPECT_EQ(anonymous.get("/healthz").status, 200);  // liveness stays open
  EXPECT_EQ(message_count(gw), 0u);

  EXPECT_EQ(second.post("/api/v1/messages", body).status, 202);
  EXPECT_EQ(gw.client().get("/api/v1/messages").json().at("messages").size(), 1u);
}

TEST(ServeApi, CancelWhileQueuedThenNeverSent) {
  Gateway gw(with_fallback_none());
  gw.sim().unplug(1);  // Vodafone's only SIM
  const std::string to = "+491521900001";
  const auto id = gw.submit_ok(to, "cancel me");
  const auto cancelled = gw.client().del("/api/v1/messages/" + id);
  ASSERT_EQ(cancelled.status, 200) << cancelled.describe();
  EXPECT_EQ(cancelled.json().value("status", ""), "cancelled");
  expect_error(gw.client().del("/api/v1/messages/" + id), 409);
  gw.sim().replug(1);
  gw.wait_modems_ready(2);
  const auto probe = gw.submit_ok("+491521900002", "after the cancel");
  gw.wait_status(probe, {"delivered"});
  EXPECT_TRUE(sent_to(gw.sim(), to).empty());
  EXPECT_EQ(gw.message(id).value("status", ""), "cancelled");
}

TEST(ServeApi, MetricsAndOpenApiAnswer) {
  Gateway gw;
  const auto id = gw.submit_ok("+491512000009", "count me");
  gw.wait_status(id, {"delivered"});
  const auto metrics = gw.client().get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.header("Content-Type").rfind("text/plain", 0), 0u)
      << metrics.header("Content-Type");
  EXPECT_NE(metrics.body.find("# TYPE"), std::string::npos);
  const auto openapi = gw.client().get("/api/v1/openapi.json");
  ASSERT_EQ(openapi.status, 200);
  EXPECT_TRUE(openapi.json().contains("paths"));
}

}  // namespace
}  // namespace smsgw::serve_test
