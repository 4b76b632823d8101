// GET /api/v1/info through ApiHandler and a FakeGateway: who the caller is (name, scopes),
// whether authentication is on, and the gateway's facts rendered as the dashboard contract
// says (dashboard-contract.md "GET /api/v1/info").
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "fake_gateway.hpp"
#include "handle_request.hpp"
#include "smsgw/http/api_handler.hpp"

namespace smsgw::http {
namespace {

using json = nlohmann::json;
using testing::FakeGateway;

class InfoRoute : public ::testing::Test {
 protected:
  ApiResponse get(std::string_view target, std::string_view authorization = "") {
    return testing::handle_request(
        io, *handler, {.method = "GET", .target = target, .authorization = authorization});
  }

  void use_credentials() {
    const auto read = static_cast<std::uint8_t>(Scope::read);
    const auto send_modems =
        static_cast<std::uint8_t>(Scope::send) | static_cast<std::uint8_t>(Scope::modems);
    handler = std::make_unique<ApiHandler>(
        gateway, BearerAuth::of({BearerCredential::admin_token(0, "admin-token"),
                                 BearerCredential::client_token("viewer", read, "viewer-token"),
                                 BearerCredential::client_token("ops", send_modems, "ops-token")}));
  }

  asio::io_context io;
  FakeGateway gateway{io.get_executor()};
  std::unique_ptr<ApiHandler> handler =
      std::make_unique<ApiHandler>(gateway, std::vector<std::string>{});
};

std::vector<std::string> table(std::string_view first) {
  std::vector<std::string> entries(128);
  entries[0] = first;
  return entries;
}

TEST_F(InfoRoute, WithoutAuthenticationTheLocalCallerMayDoEverything) {
  const auto response = get("/api/v1/info");
  ASSERT_EQ(response.status, 200u) << response.body;
  EXPECT_EQ(response.content_type, kJsonContentType);
  const auto body = json::parse(response.body);
  EXPECT_EQ(body.at("version"), "9.9.9");
  EXPECT_EQ(body.at("caller"),
            (json{{"name", "local"}, {"scopes", {"send", "read", "modems", "admin"}}}));
  EXPECT_EQ(body.at("auth"), false);
  EXPECT_EQ(body.at("max_parts"), 7);
  EXPECT_EQ(body.at("shift_tables"), json::array());
  EXPECT_EQ(body.at("alphabets"), json::object());
}

TEST_F(InfoRoute, ACallersNameAndScopesAppear) {
  use_credentials();
  auto body = json::parse(get("/api/v1/info", "Bearer viewer-token").body);
  EXPECT_EQ(body.at("caller"), (json{{"name", "viewer"}, {"scopes", {"read"}}}));
  EXPECT_EQ(body.at("auth"), true);

  body = json::parse(get("/api/v1/info", "Bearer ops-token").body);
  EXPECT_EQ(body.at("caller"), (json{{"name", "ops"}, {"scopes", {"send", "modems"}}}));

  // An admin token may do everything, so every scope is listed.
  body = json::parse(get("/api/v1/info", "Bearer admin-token").body);
  EXPECT_EQ(body.at("caller"),
            (json{{"name", "http.tokens[0]"}, {"scopes", {"send", "read", "modems", "admin"}}}));
}

TEST_F(InfoRoute, NeedsAValidTokenWhenTokensAreConfigured) {
  use_credentials();
  const auto missing = get("/api/v1/info");
  EXPECT_EQ(missing.status, 401u);
  EXPECT_FALSE(missing.www_authenticate.empty());
  EXPECT_EQ(get("/api/v1/info", "Bearer guess").status, 401u);
}

TEST_F(InfoRoute, AlphabetsByNameWithNullForAMissingLockingTable) {
  gateway.gateway_info.shift_tables = {"spanish"};
  gateway.gateway_info.alphabets = {
      Gsm7Alphabet{"default", table("@"), table("")},
      Gsm7Alphabet{"spanish", std::nullopt, table("x")},
  };
  const auto body = json::parse(get("/api/v1/info").body);
  EXPECT_EQ(body.at("shift_tables"), json::array({"spanish"}));
  const auto& alphabets = body.at("alphabets");
  ASSERT_EQ(alphabets.size(), 2u);
  ASSERT_EQ(alphabets.at("default").at("locking").size(), 128u);
  EXPECT_EQ(alphabets.at("default").at("locking")[0], "@");
  EXPECT_EQ(alphabets.at("default").at("locking")[1], "");
  EXPECT_EQ(alphabets.at("default").at("single").size(), 128u);
  EXPECT_TRUE(alphabets.at("spanish").at("locking").is_null());
  EXPECT_EQ(alphabets.at("spanish").at("single")[0], "x");
}

TEST_F(InfoRoute, TakesNoQueryAndPassesFailuresOn) {
  EXPECT_EQ(get("/api/v1/info?x=1").status, 422u);
  gateway.fail_next = Error{"unavailable", "the gateway is stopping"};
  EXPECT_EQ(get("/api/v1/info").status, 503u);
}

}  // namespace
}  // namespace smsgw::http
