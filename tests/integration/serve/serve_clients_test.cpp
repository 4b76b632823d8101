// API clients ([[client]]): scopes, their own messages, limits that slow only them.
#include <gtest/gtest.h>

#include "serve_support.hpp"

namespace smsgw::serve_test {
namespace {

constexpr const char* kAdmin = "admin-token-0123456789";
constexpr const char* kShop = "shop-token-0123456789";
constexpr const char* kAlerts = "alerts-token-0123456789";

harness::HarnessOptions two_clients() {
  harness::HarnessOptions options;
  options.sim.modems = 1;
  options.sim.mccmnc = {"26201"};
  options.configure = [](harness::GatewayConfig& config) {
    config.tables["http"]["tokens"] = harness::toml_string_array({kAdmin});
    config.extra_toml = std::string("[[client]]\nname = \"shop\"\ntoken = \"") + kShop +
                        "\"\nlimits = { per_minute = 2 }\n"
                        "[[client]]\nname = \"alerts\"\ntoken = \"" +
                        kAlerts + "\"\nscopes = [\"send\", \"read\", \"modems\"]\n";
  };
  return options;
}

harness::HttpResponse submit_as(const harness::ServeHarness& gw, const char* token,
                                const std::string& to) {
  harness::HttpClient client(gw.http_port(), "127.0.0.1", token);
  return client.post("/api/v1/messages", json{{"to", to}, {"text", "from a client"}});
}

TEST(ServeClients, AClientOverItsLimitGets429AndAnotherIsUnaffected) {
  Gateway gw(two_clients());
  const auto first = submit_as(gw, kShop, number("+49151", 800));
  const auto second =
      harness::HttpClient(gw.http_port(), "127.0.0.1", kShop)
          .post("/api/v1/messages", json{{"to", number("+49151", 801)}, {"text", "from a client"}},
                {{"Idempotency-Key", "order-801"}});
  ASSERT_EQ(first.status, 202) << first.describe();
  ASSERT_EQ(second.status, 202) << second.describe();
  const auto over = submit_as(gw, kShop, number("+49151", 802));
  EXPECT_EQ(over.status, 429) << over.describe();
  EXPECT_EQ(over.json()["error"]["code"], "rate_limited");
  EXPECT_EQ(over.json()["error"]["message"],
            "client shop is over its limit of 2 parts per minute; try again in 30 s");
  EXPECT_EQ(over.header("Retry-After"), "30");
  // Over the limit, a retry of a stored submission (same Idempotency-Key) still gets its
  // first answer; a new keyed one does not.
  harness::HttpClient shop(gw.http_port(), "127.0.0.1", kShop);
  const json body{{"to", number("+49151", 801)}, {"text", "from a client"}};
  const auto retried = shop.post("/api/v1/messages", body, {{"Idempotency-Key", "order-801"}});
  EXPECT_EQ(retried.status, 202) << retried.describe();
  EXPECT_EQ(retried.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(retried.json().value("id", ""), second.json().value("id", ""));
  const json other_body{{"to", number("+49151", 804)}, {"text", "new"}};
  EXPECT_EQ(shop.post("/api/v1/messages", other_body, {{"Idempotency-Key", "order-804"}}).status,
            429);
  for (int i = 0; i < 5; ++i) {
    const auto other = submit_as(gw, kAlerts, number("+49151", 810 + i));
    EXPECT_EQ(other.status, 202) << "alerts was slowed by shop's limit: " << other.describe();
  }

  // The message records its client, and /metrics counts per client.
  const auto id = first.json().value("id", "");
  EXPECT_EQ(gw.message(id).value("client", json()), "shop");
  const auto metrics = gw.client().get("/metrics").body;
  EXPECT_NE(metrics.find("smsgw_client_submissions_total{client=\"shop\"} 2"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("smsgw_client_submissions_total{client=\"alerts\"} 5"), std::string::npos);
}

TEST(ServeClients, ScopesAndOwnMessages) {
  Gateway gw(two_clients());
  const auto mine = submit_as(gw, kShop, number("+49151", 820)).json().value("id", "");
  const auto theirs = submit_as(gw, kAlerts, number("+49151", 821)).json().value("id", "");
  harness::HttpClient shop(gw.http_port(), "127.0.0.1", kShop);
  harness::HttpClient alerts(gw.http_port(), "127.0.0.1", kAlerts);

  const auto modems = shop.get("/api/v1/modems");
  EXPECT_EQ(modems.status, 403);
  EXPECT_EQ(modems.json()["error"]["message"],
            "shop may not GET /api/v1/modems: that needs the scope \"modems\"");
  EXPECT_EQ(alerts.get("/api/v1/modems").status, 200);
  EXPECT_EQ(alerts.post("/api/v1/modems/modem0/pause", json::object()).status, 403);
  EXPECT_EQ(gw.client().post("/api/v1/modems/modem0/pause", json::object()).status, 200);
  EXPECT_EQ(gw.modems().at(0).value("paused_by", json()), "http.tokens[0]");

  EXPECT_EQ(shop.get("/api/v1/messages/" + mine).status, 200);
  EXPECT_EQ(shop.get("/api/v1/messages/" + theirs).status, 404);
  EXPECT_EQ(shop.del("/api/v1/messages/" + theirs).status, 404);
  const auto listed = shop.get("/api/v1/messages").json();
  ASSERT_EQ(listed["messages"].size(), 1u) << listed;
  EXPECT_EQ(listed["messages"][0]["id"], mine);
  EXPECT_EQ(shop.get("/api/v1/messages?client=alerts").status, 403);
  EXPECT_EQ(gw.client().get("/api/v1/messages?client=alerts").json()["messages"].size(), 1u);
  EXPECT_EQ(harness::HttpClient(gw.http_port(), "127.0.0.1", "wrong-token-0123456789")
                .get("/api/v1/messages")
                .status,
            401);
}

// The client's per_day survives a restart: its count is read back from the store.
TEST(ServeClients, PerDayHoldsAcrossARestart) {
  auto options = two_clients();
  options.configure = [](harness::GatewayConfig& config) {
    config.tables["http"]["tokens"] = harness::toml_string_array({kAdmin});
    config.extra_toml = std::string("[[client]]\nname = \"shop\"\ntoken = \"") + kShop +
                        "\"\nlimits = { per_day = 2 }\n";
  };
  Gateway gw(options);
  ASSERT_EQ(submit_as(gw, kShop, number("+49151", 830)).status, 202);
  ASSERT_EQ(submit_as(gw, kShop, number("+49151", 831)).status, 202);
  ASSERT_EQ(gw.stop_gateway(), 0);
  gw.start_gateway();
  const auto over = submit_as(gw, kShop, number("+49151", 832));
  EXPECT_EQ(over.status, 429) << over.describe();
  EXPECT_NE(over.json()["error"]["message"].get<std::string>().find("2 parts per day"),
            std::string::npos);
}

}  // namespace
}  // namespace smsgw::serve_test
