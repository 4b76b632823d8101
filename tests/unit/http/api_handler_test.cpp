// ApiHandler without a socket: every route, every error status, and the exact bodies.
#include "smsgw/http/api_handler.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "fake_gateway.hpp"
#include "handle_request.hpp"

namespace smsgw::http {
namespace {

using json = nlohmann::json;
using testing::FakeGateway;

class ApiHandlerTest : public ::testing::Test {
 protected:
  ApiResponse call(std::string_view method, std::string_view target, std::string_view body = "",
                   std::string_view content_type = "application/json",
                   std::string_view idempotency_key = "") {
    ApiRequest request{
        .method = method,
        .target = target,
        .content_type = body.empty() ? std::string_view{} : content_type,
        .authorization = authorization,
        .idempotency_key = idempotency_key,
        .body = body,
    };
    return testing::handle_request(io, *handler, request);
  }

  void use_tokens(std::vector<std::string> tokens) {
    handler = std::make_unique<ApiHandler>(gateway, tokens);
  }

  asio::io_context io;
  FakeGateway gateway{io.get_executor()};
  std::unique_ptr<ApiHandler> handler =
      std::make_unique<ApiHandler>(gateway, std::vector<std::string>{});
  std::string authorization;
};

json error_of(const ApiResponse& response) { return json::parse(response.body).at("error"); }

TEST_F(ApiHandlerTest, SubmitOneAnswers202WithLocationAndStoresTheRequest) {
  const auto response =
      call("POST", "/api/v1/messages", R"({"to":"+4915112345678","text":"hello","priority":2})");
  EXPECT_EQ(response.status, 202u);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.location, "/api/v1/messages/01HX1000");
  EXPECT_EQ(json::parse(response.body),
            (json{{"id", "01HX1000"}, {"status", "queued"}, {"parts", 1}, {"encoding", "gsm7"}}));
  ASSERT_EQ(gateway.submitted.size(), 1u);
  EXPECT_EQ(gateway.submitted[0].to, "+4915112345678");
  EXPECT_EQ(gateway.submitted[0].priority, 2);
  EXPECT_FALSE(gateway.idempotency_seen[0].has_value());
}

TEST_F(ApiHandlerTest, SubmitBatchAnswersAListWithoutLocation) {
  const auto response = call("POST", "/api/v1/messages",
                             R"({"messages":[{"to":"+491","text":"a"},{"to":"+492","text":"b"}]})");
  EXPECT_EQ(response.status, 202u);
  EXPECT_TRUE(response.location.empty());
  const auto body = json::parse(response.body);
  ASSERT_TRUE(body.is_array());
  ASSERT_EQ(body.size(), 2u);
  EXPECT_EQ(body[0].at("id"), "01HX1000");
  EXPECT_EQ(body[1].at("id"), "01HX1001");
  EXPECT_EQ(body[1].at("status"), "queued");
}

struct BadRequestCase {
  std::string name;
  std::string method;
  std::string target;
  std::string body;
  std::string content_type;
  unsigned status;
  std::string code;
  std::string field;  // "" when the answer names none
};

class ApiHandlerBadRequest : public ApiHandlerTest,
                             public ::testing::WithParamInterface<BadRequestCase> {};

TEST_P(ApiHandlerBadRequest, AnswersStatusAndNamesTheField) {
  const auto& c = GetParam();
  const auto response = call(c.method, c.target, c.body, c.content_type);
  EXPECT_EQ(response.status, c.status) << response.body;
  EXPECT_EQ(response.content_type, "application/json");
  const auto error = error_of(response);
  EXPECT_EQ(error.at("code"), c.code);
  EXPECT_FALSE(error.at("message").get<std::string>().empty());
  if (c.field.empty()) {
    EXPECT_FALSE(error.contains("field")) << response.body;
  } else {
    EXPECT_EQ(error.value("field", ""), c.field) << response.body;
    EXPECT_NE(error.at("message").get<std::string>().find(c.field), std::string::npos);
  }
  EXPECT_TRUE(gateway.submitted.empty());
}

const std::string kJson = "application/json";

INSTANTIATE_TEST_SUITE_P(
    Table, ApiHandlerBadRequest,
    ::testing::Values(
        BadRequestCase{"to_missing", "POST", "/api/v1/messages", R"({"text":"x"})", kJson, 422,
                       "validation", "to"},
        BadRequestCase{"text_not_string", "POST", "/api/v1/messages", R"({"to":"+1","text":5})",
                       kJson, 422, "validation", "text"},
        BadRequestCase{"priority_not_integer", "POST", "/api/v1/messages",
                       R"({"to":"+1","text":"x","priority":"high"})", kJson, 422, "validation",
                       "priority"},
        BadRequestCase{"send_at_not_rfc3339", "POST", "/api/v1/messages",
                       R"({"to":"+1","text":"x","send_at":"next week"})", kJson, 422, "validation",
                       "send_at"},
        BadRequestCase{"validity_zero", "POST", "/api/v1/messages",
                       R"({"to":"+1","text":"x","validity":0})", kJson, 422, "validation",
                       "validity"},
        BadRequestCase{"unknown_field", "POST", "/api/v1/messages",
                       R"({"to":"+1","text":"x","colour":"red"})", kJson, 422, "validation",
                       "colour"},
        BadRequestCase{"batch_entry", "POST", "/api/v1/messages",
                       R"({"messages":[{"to":"+1","text":"a"},{"to":"+1","text":"a"},
                           {"to":"+1","text":"a"},{"text":"a"}]})",
                       kJson, 422, "validation", "messages[3].to"},
        BadRequestCase{"malformed_json", "POST", "/api/v1/messages", R"({"to":)", kJson, 400,
                       "invalid", ""},
        BadRequestCase{"empty_body", "POST", "/api/v1/messages", "", kJson, 400, "invalid", ""},
        BadRequestCase{"text_plain", "POST", "/api/v1/messages", R"({"to":"+1","text":"x"})",
                       "text/plain", 415, "unsupported_media_type", ""},
        BadRequestCase{"form", "POST", "/api/v1/messages", "to=1&text=x",
                       "application/x-www-form-urlencoded", 415, "unsupported_media_type", ""},
        BadRequestCase{"ussd_text_plain", "POST", "/api/v1/modems/modem0/ussd", "*100#",
                       "text/plain", 415, "unsupported_media_type", ""},
        BadRequestCase{"ussd_bad_code", "POST", "/api/v1/modems/modem0/ussd",
                       R"({"code":"AT+CFUN=0"})", kJson, 422, "validation", "code"},
        BadRequestCase{"balance_with_field", "POST", "/api/v1/balance", R"({"modem":"x"})", kJson,
                       422, "validation", "modem"},
        BadRequestCase{"limit_zero", "GET", "/api/v1/messages?limit=0", "", kJson, 422,
                       "validation", "limit"},
        BadRequestCase{"bad_status", "GET", "/api/v1/messages?status=done", "", kJson, 422,
                       "validation", "status"},
        BadRequestCase{"unknown_parameter", "GET", "/api/v1/modems?verbose=1", "", kJson, 422,
                       "validation", "verbose"},
        BadRequestCase{"query_on_a_post", "POST", "/api/v1/messages?dry_run=1",
                       R"({"to":"+1","text":"x"})", kJson, 422, "validation", "dry_run"},
        BadRequestCase{"inbox_limit", "GET", "/api/v1/inbox?limit=x", "", kJson, 422, "validation",
                       "limit"},
        BadRequestCase{"unknown_path", "GET", "/api/v1/nothing", "", kJson, 404, "not_found", ""},
        BadRequestCase{"wrong_method", "PATCH", "/api/v1/messages", "", kJson, 405,
                       "method_not_allowed", ""}),
    [](const ::testing::TestParamInfo<BadRequestCase>& param_info) {
      return param_info.param.name;
    });

TEST_F(ApiHandlerTest, WrongMethodListsTheAllowedOnes) {
  const auto response = call("PUT", "/api/v1/messages/01HX1");
  EXPECT_EQ(response.status, 405u);
  EXPECT_EQ(response.allow, "GET, DELETE");
}

TEST_F(ApiHandlerTest, BadIdempotencyKeyIs400) {
  const auto response =
      call("POST", "/api/v1/messages", R"({"to":"+1","text":"x"})", kJson, "has space");
  EXPECT_EQ(response.status, 400u);
  EXPECT_EQ(error_of(response).at("code"), "invalid");
  EXPECT_TRUE(gateway.submitted.empty());
}

TEST_F(ApiHandlerTest, FacadeErrorsMapToStatuses) {
  const std::pair<Error, unsigned> cases[] = {
      {Error{"validation", "to: no country code for 0151"}, 422},
      {Error{ErrorCode::conflict, "taken"}, 409},
      {Error{ErrorCode::not_found, "no modem"}, 404},
      {Error{"unavailable", "modem0 is not ready"}, 503},
      {Error{"timeout", "no USSD reply within 30 s"}, 504},
      {Error{"store.io", "disk full"}, 500},
  };
  for (const auto& [error, status] : cases) {
    gateway.fail_next = error;
    const auto response = call("POST", "/api/v1/modems/modem0/ussd", R"({"code":"*100#"})");
    EXPECT_EQ(response.status, status) << error.code;
    EXPECT_EQ(error_of(response).at("code"), error.code);
    EXPECT_EQ(error_of(response).at("message"), error.message);
  }
  // A 422 from the gateway names its field too.
  gateway.fail_next = Error{"validation", "to: no country code for 0151"};
  const auto response = call("POST", "/api/v1/messages", R"({"to":"0151","text":"x"})");
  EXPECT_EQ(error_of(response).at("field"), "to");
}

TEST_F(ApiHandlerTest, AnExceptionFromTheGatewayIs500) {
  gateway.throw_next = true;
  const auto response = call("GET", "/api/v1/modems");
  EXPECT_EQ(response.status, 500u);
  EXPECT_EQ(error_of(response).at("code"), "internal");
  // The handler keeps working.
  EXPECT_EQ(call("GET", "/api/v1/modems").status, 200u);
}

TEST_F(ApiHandlerTest, GetListAndCancelMessages) {
  (void)call("POST", "/api/v1/messages", R"({"to":"+491","text":"a"})");
  (void)call("POST", "/api/v1/messages", R"({"to":"+492","text":"b"})");
  auto response = call("GET", "/api/v1/messages/01HX1000");
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(json::parse(response.body).at("to"), "+491");
  EXPECT_TRUE(json::parse(response.body).at("events").is_array());

  response = call("GET", "/api/v1/messages?limit=1&status=queued");
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(gateway.last_query.limit, 1);
  EXPECT_EQ(gateway.last_query.status, "queued");
  const auto page = json::parse(response.body);
  ASSERT_EQ(page.at("messages").size(), 1u);
  EXPECT_EQ(page.at("messages")[0].at("id"), "01HX1001");
  EXPECT_EQ(page.at("next_before"), "01HX1001");
  EXPECT_FALSE(page.at("messages")[0].contains("events"));

  response = call("DELETE", "/api/v1/messages/01HX1000");
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(json::parse(response.body).at("status"), "cancelled");
  response = call("DELETE", "/api/v1/messages/01HX1000");
  EXPECT_EQ(response.status, 409u);
  response = call("GET", "/api/v1/messages/nope");
  EXPECT_EQ(response.status, 404u);
}

// `to` and `modem` reach the gateway as given (the gateway normalises `to`), and its
// refusal of a number is a 422 naming `to`.
TEST_F(ApiHandlerTest, ListMessagesByRecipientAndModem) {
  (void)call("POST", "/api/v1/messages", R"({"to":"+491","text":"a"})");
  (void)call("POST", "/api/v1/messages", R"({"to":"+492","text":"b"})");
  gateway.messages["01HX1000"].modem = "m1";
  gateway.messages["01HX1001"].modem = "m2";

  auto response = call("GET", "/api/v1/messages?to=%2B492");
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(gateway.last_query.to, "+492");
  auto page = json::parse(response.body);
  ASSERT_EQ(page.at("messages").size(), 1u);
  EXPECT_EQ(page.at("messages")[0].at("id"), "01HX1001");

  response = call("GET", "/api/v1/messages?modem=m1&status=queued");
  EXPECT_EQ(gateway.last_query.modem, "m1");
  EXPECT_FALSE(gateway.last_query.to.has_value());
  page = json::parse(response.body);
  ASSERT_EQ(page.at("messages").size(), 1u);
  EXPECT_EQ(page.at("messages")[0].at("id"), "01HX1000");

  gateway.fail_next = Error{"validation", "to: number.ambiguous: 22022 is not a number"};
  response = call("GET", "/api/v1/messages?to=22022");
  EXPECT_EQ(response.status, 422u);
  EXPECT_EQ(error_of(response).at("field"), "to");
  EXPECT_EQ(call("GET", "/api/v1/messages?to=").status, 422u);
}

TEST_F(ApiHandlerTest, ModemsUssdBalanceInbox) {
  auto response = call("GET", "/api/v1/modems");
  EXPECT_EQ(response.status, 200u);
  const auto modems = json::parse(response.body);
  ASSERT_EQ(modems.size(), 1u);
  EXPECT_EQ(modems[0].at("operator"), (json{{"name", "Telekom"}, {"mccmnc", "26201"}}));

  response = call("POST", "/api/v1/modems/modem0/ussd", R"({"code":"*100#"})");
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(json::parse(response.body),
            (json{{"response", "Your balance is 12.34 EUR"}, {"status", "done"}}));
  EXPECT_EQ(gateway.last_ussd_code, "*100#");
  EXPECT_EQ(call("POST", "/api/v1/modems/modem9/ussd", R"({"code":"*100#"})").status, 404u);

  response = call("POST", "/api/v1/modems/modem0/balance");
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(gateway.last_balance_modem, "modem0");
  EXPECT_EQ(json::parse(response.body)[0].at("amount"), 12.34);
  response = call("POST", "/api/v1/balance", "{}");
  EXPECT_EQ(response.status, 200u);
  EXPECT_FALSE(gateway.last_balance_modem.has_value());

  response = call("GET", "/api/v1/inbox?limit=5");
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(json::parse(response.body),
            (json{{"messages", json::array()}, {"next_before", nullptr}}));
}

TEST_F(ApiHandlerTest, HealthMetricsAndOpenApi) {
  auto response = call("GET", "/healthz");
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(json::parse(response.body), (json{{"status", "ok"}}));

  gateway.snapshot.queue_depth = 3;
  handler->counters().responses_by_class[2] = 9;
  response = call("GET", "/metrics");
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(response.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(response.body.find("\nsmsgw_queue_depth 3\n"), std::string::npos);
  EXPECT_NE(response.body.find("smsgw_http_responses_total{class=\"2xx\"} 9"), std::string::npos);

  response = call("GET", "/api/v1/openapi.json");
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(json::parse(response.body).at("info").at("title"), "smsgw HTTP API");
}

TEST_F(ApiHandlerTest, TokensGuardEveryRouteButHealthAndApiDescription) {
  use_tokens({"s3cret", "other"});
  auto response = call("GET", "/api/v1/modems");
  EXPECT_EQ(response.status, 401u);
  EXPECT_EQ(response.www_authenticate, "Bearer realm=\"smsgw\"");
  EXPECT_EQ(error_of(response).at("code"), "unauthorized");

  authorization = "Bearer wrong";
  response = call("GET", "/metrics");
  EXPECT_EQ(response.status, 401u);
  EXPECT_EQ(response.www_authenticate, "Bearer realm=\"smsgw\", error=\"invalid_token\"");
  response = call("POST", "/api/v1/messages", R"({"to":"+1","text":"x"})");
  EXPECT_EQ(response.status, 401u);
  EXPECT_TRUE(gateway.submitted.empty());

  EXPECT_EQ(call("GET", "/healthz").status, 200u);
  EXPECT_EQ(call("GET", "/api/v1/openapi.json").status, 200u);

  authorization = "Bearer other";
  EXPECT_EQ(call("GET", "/api/v1/modems").status, 200u);
  authorization = "bearer s3cret";
  EXPECT_EQ(call("GET", "/metrics").status, 200u);
}

// A [[client]]'s submission carries its name, and its Idempotency-Keys are its own: the
// same key from another client (or an admin token) is another key.
TEST_F(ApiHandlerTest, AClientsSubmissionsCarryItsNameAndItsOwnKeys) {
  const auto send = static_cast<std::uint8_t>(Scope::send);
  handler = std::make_unique<ApiHandler>(
      gateway, BearerAuth::of({BearerCredential::admin_token(0, "admin-token"),
                               BearerCredential::client_token("shop", send, "shop-token"),
                               BearerCredential::client_token("blog", send, "blog-token")}));
  const std::string body = R"({"to":"+4915112345678","text":"hello"})";
  authorization = "Bearer shop-token";
  EXPECT_EQ(call("POST", "/api/v1/messages", body, "application/json", "k-1").status, 202u);
  authorization = "Bearer blog-token";
  const auto blog = call("POST", "/api/v1/messages", body, "application/json", "k-1");
  EXPECT_EQ(blog.status, 202u);
  EXPECT_FALSE(blog.replayed) << "another client's key was replayed";
  authorization = "Bearer admin-token";
  EXPECT_FALSE(call("POST", "/api/v1/messages", body, "application/json", "k-1").replayed);

  ASSERT_EQ(gateway.submitted.size(), 3u);
  EXPECT_EQ(gateway.submitted[0].client, "shop");
  EXPECT_EQ(gateway.submitted[1].client, "blog");
  EXPECT_FALSE(gateway.submitted[2].client.has_value());  // an admin token is no client
  ASSERT_EQ(gateway.idempotency_seen.size(), 3u);
  EXPECT_NE(gateway.idempotency_seen[0]->key, gateway.idempotency_seen[1]->key);
  EXPECT_EQ(gateway.idempotency_seen[2]->key, "k-1");
}

}  // namespace
}  // namespace smsgw::http
