// GET|POST /cgi-bin/sendsms through the ApiHandler: credentials, Kannel's answers and what
// reaches the gateway.
#include <gtest/gtest.h>

#include "fake_gateway.hpp"
#include "handle_request.hpp"
#include "smsgw/http/api_handler.hpp"

namespace smsgw::http {
namespace {

using testing::FakeGateway;

constexpr auto kSend = static_cast<std::uint8_t>(Scope::send);
constexpr auto kRead = static_cast<std::uint8_t>(Scope::read);

class ApiSendsmsTest : public ::testing::Test {
 protected:
  ApiResponse call(std::string_view method, std::string_view target, std::string_view body = "",
                   std::string_view content_type = "application/x-www-form-urlencoded",
                   std::vector<std::pair<std::string_view, std::string_view>> headers = {}) {
    ApiRequest request{
        .method = method,
        .target = target,
        .content_type = body.empty() ? std::string_view{} : content_type,
        .authorization = authorization,
        .idempotency_key = {},
        .body = body,
        .last_event_id = {},
        .if_none_match = {},
        .kannel_headers = std::move(headers),
    };
    return testing::handle_request(io, *handler, request);
  }

  // A token for the REST API and two sendsms accounts: "shop" may send, "viewer" only read.
  void use_accounts() {
    handler = std::make_unique<ApiHandler>(
        gateway, BearerAuth::of({BearerCredential::admin_token(0, "admin-token")}));
    handler->set_sendsms_auth(SendsmsAuth({SendsmsAccount::of("shop", kSend, "shopuser", "pw1"),
                                           SendsmsAccount::of("viewer", kRead, "viewer", "pw2")},
                                          false));
  }

  asio::io_context io;
  FakeGateway gateway{io.get_executor()};
  std::unique_ptr<ApiHandler> handler =
      std::make_unique<ApiHandler>(gateway, std::vector<std::string>{});
  std::string authorization;
};

bool has_header(const ApiResponse& response, std::string_view name, std::string_view value) {
  for (const auto& header : response.headers) {
    if (header.name == name && header.value == value) return true;
  }
  return false;
}

TEST_F(ApiSendsmsTest, AnsweredLikeKannelAfterTheGatewayStoredEveryMessage) {
  use_accounts();
  const auto response =
      call("GET",
           "/cgi-bin/sendsms?username=shopuser&password=pw1&to=%2B4917011+"
           "%2B4917022&text=Hello+world&dlr-mask=9&dlr-url=http%3A%2F%2Fh%2F%25d");
  EXPECT_EQ(response.status, 202u);
  EXPECT_EQ(response.body, "0: Accepted for delivery");
  EXPECT_EQ(response.content_type, "text/html");
  EXPECT_TRUE(has_header(response, "Pragma", "no-cache"));
  EXPECT_TRUE(has_header(response, "Cache-Control", "no-cache"));
  ASSERT_EQ(gateway.submitted.size(), 2u);
  EXPECT_EQ(gateway.submitted[0].to, "+4917011");
  EXPECT_EQ(gateway.submitted[1].to, "+4917022");
  EXPECT_EQ(gateway.submitted[0].text, "Hello world");
  EXPECT_EQ(gateway.submitted[0].client, "shop");
  ASSERT_TRUE(gateway.submitted[0].origin);
  EXPECT_EQ(gateway.submitted[0].origin->dlr_url, "http://h/%d");
  EXPECT_EQ(gateway.submitted[0].origin->dlr_mask, 9u);
}

TEST_F(ApiSendsmsTest, WrongOrMissingCredentialsOrScopeAre403) {
  use_accounts();
  const auto wrong = call("GET", "/cgi-bin/sendsms?username=shopuser&password=nope&to=1&text=x");
  EXPECT_EQ(wrong.status, 403u);
  EXPECT_EQ(wrong.body, "Authorization failed for sendsms");
  EXPECT_EQ(wrong.content_type, "text/html");
  EXPECT_EQ(call("GET", "/cgi-bin/sendsms?to=1&text=x").status, 403u);
  EXPECT_EQ(call("GET", "/cgi-bin/sendsms?username=viewer&password=pw2&to=1&text=x").status, 403u);
  // A bearer token is not a sendsms credential.
  authorization = "Bearer admin-token";
  EXPECT_EQ(call("GET", "/cgi-bin/sendsms?to=1&text=x").status, 403u);
  EXPECT_TRUE(gateway.submitted.empty());
  // Kannel's aliases.
  authorization.clear();
  EXPECT_EQ(call("GET", "/cgi-bin/sendsms?user=shopuser&pass=pw1&to=1&text=x").status, 202u);
}

TEST_F(ApiSendsmsTest, WithoutAccountsOnlyAnOpenServerTakesAnyone) {
  // Nobody until the server says it is open (loopback, no credentials at all).
  EXPECT_EQ(call("GET", "/cgi-bin/sendsms?to=1&text=x").status, 403u);
  handler->set_sendsms_auth(SendsmsAuth({}, true));
  EXPECT_EQ(call("GET", "/cgi-bin/sendsms?to=1&text=x").status, 202u);
  EXPECT_EQ(call("GET", "/cgi-bin/sendsms?username=any&password=thing&to=1&text=x").status, 202u);
  ASSERT_EQ(gateway.submitted.size(), 2u);
  EXPECT_FALSE(gateway.submitted[0].client);
  // Accounts close it.
  handler->set_sendsms_auth(SendsmsAuth({SendsmsAccount::of("shop", kSend, "u", "p")}, true));
  EXPECT_EQ(call("GET", "/cgi-bin/sendsms?to=1&text=x").status, 403u);
}

TEST_F(ApiSendsmsTest, PostTakesAFormBodyAndTheQuery) {
  use_accounts();
  const auto response = call("POST", "/cgi-bin/sendsms?username=shopuser",
                             "password=pw1&to=0170123&text=Gr%C3%BC%C3%9Fe");
  EXPECT_EQ(response.status, 202u);
  ASSERT_EQ(gateway.submitted.size(), 1u);
  EXPECT_EQ(gateway.submitted[0].text, "Grüße");
  const auto missing = call("POST", "/cgi-bin/sendsms", "username=shopuser&password=pw1&text=x");
  EXPECT_EQ(missing.body, "Missing receiver(s) number(s), rejected");
}

// Kannel's own POST: X-Kannel-* headers, the text as the body in the Content-Type's charset.
TEST_F(ApiSendsmsTest, PostTakesKannelsHeadersAndATextBody) {
  use_accounts();
  const auto response =
      call("POST", "/cgi-bin/sendsms", "Gr\xFC\xDF" "e", "text/plain; charset=\"ISO-8859-1\"",
           {{"X-Kannel-Username", "shopuser"},
            {"X-Kannel-Password", "pw1"},
            {"x-kannel-to", "+4917011"},
            {"X-Kannel-DLR-Mask", "3"},
            {"X-Kannel-DLR-URL", "http://h/%d"},
            {"X-Kannel-Priority", "1"}});
  EXPECT_EQ(response.status, 202u) << response.body;
  ASSERT_EQ(gateway.submitted.size(), 1u);
  EXPECT_EQ(gateway.submitted[0].to, "+4917011");
  EXPECT_EQ(gateway.submitted[0].text, "Grüße");
  EXPECT_EQ(gateway.submitted[0].priority, 1);
  EXPECT_EQ(gateway.submitted[0].origin->dlr_mask, 3u);
  // A hex UDH (concatenation) is refused by name; octets are Kannel's 8-bit coding.
  const auto udh = call("POST", "/cgi-bin/sendsms", "x", "text/plain",
                        {{"X-Kannel-Username", "shopuser"},
                         {"X-Kannel-Password", "pw1"},
                         {"X-Kannel-To", "1"},
                         {"X-Kannel-UDH", "050003010201"}});
  EXPECT_EQ(udh.body.rfind("udh: not supported: let smsgw split long messages: send", 0), 0u)
      << udh.body;
  const std::vector<std::pair<std::string_view, std::string_view>> login{
      {"X-Kannel-Username", "shopuser"}, {"X-Kannel-Password", "pw1"}, {"X-Kannel-To", "1"}};
  EXPECT_EQ(call("POST", "/cgi-bin/sendsms", "x", "application/octet-stream", login)
                .body.rfind("coding: not supported", 0),
            0u);
  const auto html = call("POST", "/cgi-bin/sendsms", "<p>x</p>", "text/html", login);
  EXPECT_EQ(html.status, 400u);
  EXPECT_EQ(html.body.rfind("Invalid content-type: text/html", 0), 0u);
  EXPECT_EQ(call("POST", "/cgi-bin/sendsms", "x", "image/png", login).body,
            "Invalid content-type");
  // Wrong credentials in the headers.
  EXPECT_EQ(call("POST", "/cgi-bin/sendsms", "x", "text/plain",
                 {{"X-Kannel-Username", "shopuser"}, {"X-Kannel-Password", "no"}})
                .status,
            403u);
  EXPECT_EQ(gateway.submitted.size(), 1u);
}

TEST_F(ApiSendsmsTest, RefusalsAndGatewayErrorsAreKannelTexts) {
  use_accounts();
  const auto missing = call("GET", "/cgi-bin/sendsms?username=shopuser&password=pw1&text=x");
  EXPECT_EQ(missing.status, 400u);
  EXPECT_EQ(missing.body, "Missing receiver number, rejected");

  gateway.fail_next = Error{"validation", "messages[1].to: no country code for 0170"};
  const auto invalid =
      call("GET", "/cgi-bin/sendsms?username=shopuser&password=pw1&to=%2B4917011+0170&text=x");
  EXPECT_EQ(invalid.status, 400u);
  EXPECT_EQ(invalid.body, "to 0170: no country code for 0170, rejected");

  Error limited("rate_limited", "client shop is over its limit of 10 per minute");
  limited.retry_after = std::chrono::seconds(20);
  gateway.fail_next = limited;
  const auto busy = call("GET", "/cgi-bin/sendsms?username=shopuser&password=pw1&to=1&text=x");
  EXPECT_EQ(busy.status, 503u);
  EXPECT_EQ(busy.body, "Temporal failure, try again later.");
  EXPECT_EQ(busy.retry_after, std::chrono::seconds(20));

  const auto malformed =
      call("GET", "/cgi-bin/sendsms?username=shopuser&password=pw1&to=1&text=%zz");
  EXPECT_EQ(malformed.status, 400u);
  EXPECT_EQ(malformed.body, "text: malformed percent-escape, rejected");
}

TEST_F(ApiSendsmsTest, OtherMethodsAre405) {
  const auto response = call("PUT", "/cgi-bin/sendsms?to=1&text=x");
  EXPECT_EQ(response.status, 405u);
  EXPECT_EQ(response.allow, "GET, POST");
}

}  // namespace
}  // namespace smsgw::http
