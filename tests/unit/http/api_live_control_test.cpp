// Live control routes (POST /api/v1/modems/{id}/pause, /resume, /reset) through ApiHandler
// and a FakeGateway: statuses, bodies, who paused, and the admin marking of the routes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "fake_gateway.hpp"
#include "handle_request.hpp"
#include "smsgw/http/api_handler.hpp"
#include "smsgw/http/prometheus.hpp"
#include "smsgw/http/router.hpp"

namespace smsgw::http {
namespace {

using json = nlohmann::json;
using testing::FakeGateway;

class LiveControlRoutes : public ::testing::Test {
 protected:
  LiveControlRoutes() {
    ModemInfo modem;
    modem.id = "modem0";
    modem.port = "/dev/smsgw/modem0";
    modem.state = "ready";
    modem.iccid = "8949010000000000016";
    gateway.modems_by_id["modem0"] = modem;
  }

  ApiResponse post(std::string_view target, std::string_view body = "",
                   std::string_view authorization = "") {
    ApiRequest request{
        .method = "POST",
        .target = target,
        .content_type = body.empty() ? std::string_view{} : std::string_view{"application/json"},
        .authorization = authorization,
        .idempotency_key = "",
        .body = body,
    };
    return testing::handle_request(io, *handler, request);
  }

  asio::io_context io;
  FakeGateway gateway{io.get_executor()};
  std::unique_ptr<ApiHandler> handler =
      std::make_unique<ApiHandler>(gateway, std::vector<std::string>{});
};

TEST_F(LiveControlRoutes, PauseAnswersTheModemWithWhoAndWhen) {
  const auto response = post("/api/v1/modems/modem0/pause");
  EXPECT_EQ(response.status, 200u);
  const auto body = json::parse(response.body);
  EXPECT_EQ(body.at("id"), "modem0");
  EXPECT_EQ(body.at("paused"), "manual");
  EXPECT_EQ(body.at("paused_by"), "local");  // no credentials configured: the local caller
  EXPECT_EQ(body.at("paused_at"), "2023-11-14T22:13:20Z");

  const auto resumed = post("/api/v1/modems/modem0/resume", "{}");
  EXPECT_EQ(resumed.status, 200u);
  const auto after = json::parse(resumed.body);
  EXPECT_TRUE(after.at("paused").is_null());
  EXPECT_TRUE(after.at("paused_by").is_null());
  EXPECT_TRUE(after.at("paused_at").is_null());
}

TEST_F(LiveControlRoutes, ThePauseRecordsWhoPausedIt) {
  handler = std::make_unique<ApiHandler>(gateway, std::vector<std::string>{"secret"});
  EXPECT_EQ(post("/api/v1/modems/modem0/pause").status, 401u);
  EXPECT_EQ(post("/api/v1/modems/modem0/pause", "", "Bearer secret").status, 200u);
  ASSERT_EQ(gateway.paused_by_seen.size(), 1u);
  EXPECT_EQ(gateway.paused_by_seen[0], "http.tokens[0]");
}

TEST_F(LiveControlRoutes, OnlyAClientWithTheAdminScopeMayPause) {
  const auto send = static_cast<std::uint8_t>(Scope::send);
  const auto admin = static_cast<std::uint8_t>(Scope::admin);
  handler = std::make_unique<ApiHandler>(
      gateway, BearerAuth::of({BearerCredential::client_token("shop", send, "shop-token"),
                               BearerCredential::client_token("ops", admin, "ops-token")}));
  const auto refused = post("/api/v1/modems/modem0/reset", "", "Bearer shop-token");
  EXPECT_EQ(refused.status, 403u);
  EXPECT_EQ(json::parse(refused.body)["error"]["message"],
            "shop may not POST /api/v1/modems/{id}/reset: that needs the scope \"admin\"");
  EXPECT_EQ(post("/api/v1/modems/modem0/pause", "", "Bearer ops-token").status, 200u);
  ASSERT_EQ(gateway.paused_by_seen.size(), 1u);
  EXPECT_EQ(gateway.paused_by_seen[0], "ops");
}

TEST_F(LiveControlRoutes, ResetAnswers202ThenConflictWhileItRuns) {
  const auto started = post("/api/v1/modems/modem0/reset");
  EXPECT_EQ(started.status, 202u);
  EXPECT_EQ(json::parse(started.body).at("id"), "modem0");
  const auto again = post("/api/v1/modems/modem0/reset");
  EXPECT_EQ(again.status, 409u);
  EXPECT_EQ(json::parse(again.body).at("error").at("code"), "conflict");
  EXPECT_NE(
      json::parse(again.body).at("error").at("message").get<std::string>().find("already running"),
      std::string::npos);
}

TEST_F(LiveControlRoutes, UnknownModemIs404AndBadBodiesAreRefused) {
  for (const char* action : {"pause", "resume", "reset"}) {
    const auto response = post(std::string("/api/v1/modems/nope/") + action);
    EXPECT_EQ(response.status, 404u) << action;
    EXPECT_EQ(json::parse(response.body).at("error").at("code"), "not_found");
  }
  EXPECT_EQ(post("/api/v1/modems/modem0/pause", R"({"reason":"x"})").status, 422u);
  EXPECT_EQ(post("/api/v1/modems/modem0/pause", "{").status, 400u);
  EXPECT_TRUE(gateway.paused_by_seen.empty());
}

TEST_F(LiveControlRoutes, GatewayConflictAndUnavailableKeepTheirStatus) {
  gateway.fail_next = Error{ErrorCode::conflict, "modem modem0 cannot be paused: no ICCID"};
  EXPECT_EQ(post("/api/v1/modems/modem0/pause").status, 409u);
  gateway.fail_next = make_error("unavailable", "the store is busy");
  EXPECT_EQ(post("/api/v1/modems/modem0/resume").status, 503u);
}

TEST(LiveControlRouteTable, OnlyTheLiveControlRoutesAreAdmin) {
  std::vector<std::string> admin;
  for (const auto& route : routes()) {
    if (route.scope == Scope::admin)
      admin.push_back(std::string(route.method) + " " + std::string(route.pattern));
    EXPECT_FALSE(route.scope == Scope::admin && route.open) << route.pattern;
  }
  EXPECT_EQ(admin, (std::vector<std::string>{"POST /api/v1/modems/{id}/pause",
                                             "POST /api/v1/modems/{id}/resume",
                                             "POST /api/v1/modems/{id}/reset"}));
  EXPECT_EQ(match_route("GET", "/api/v1/modems/modem0/pause").outcome,
            RouteMatch::Outcome::method_not_allowed);
}

// smsgw_modem_paused: every modem has all three reasons, 1 for those that hold it.
TEST(LiveControlMetrics, PausedGaugeHasEveryReason) {
  MetricsSnapshot snapshot;
  ModemMetrics modem;
  modem.id = "modem0";
  modem.paused_manual = true;
  modem.paused_low_balance = true;
  snapshot.modems.push_back(modem);
  const std::string text = format_prometheus(snapshot, HttpCounters{});
  EXPECT_NE(text.find("# TYPE smsgw_modem_paused gauge"), std::string::npos);
  EXPECT_NE(text.find("smsgw_modem_paused{modem=\"modem0\",reason=\"manual\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("smsgw_modem_paused{modem=\"modem0\",reason=\"disabled\"} 0"),
            std::string::npos);
  EXPECT_NE(text.find("smsgw_modem_paused{modem=\"modem0\",reason=\"low_balance\"} 1"),
            std::string::npos);
}

}  // namespace
}  // namespace smsgw::http
