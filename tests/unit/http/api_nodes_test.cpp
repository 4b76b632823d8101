// Several nodes through the API: every modem item names its node, another node's modem is
// listed as that node stored it, and per-modem requests for it answer 409
// "modem.on_other_node" with the gateway's message (naming the node and its url).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fake_gateway.hpp"
#include "handle_request.hpp"
#include "smsgw/http/api_handler.hpp"
#include "smsgw/http/json.hpp"

namespace smsgw::http {
namespace {

using json = nlohmann::json;
using testing::FakeGateway;

const std::string kElsewhere =
    "modem m7 is on node site-b (http://10.0.0.2:8080): send the request there";

TEST(ApiNodes, ModemItemsNameTheirNode) {
  ModemInfo local;
  local.id = "m1";
  local.state = "ready";
  local.node = "site-a";
  EXPECT_EQ(json_of(local).at("node"), "site-a");

  ModemInfo remote;
  remote.id = "m7";
  remote.node = "site-b";
  remote.snapshot_json = R"({"id":"m7","state":"sending","sent_today":4,"node":"stale"})";
  const auto item = json_of(remote);
  EXPECT_EQ(item.at("node"), "site-b");
  EXPECT_EQ(item.at("state"), "sending");
  EXPECT_EQ(item.at("sent_today"), 4);
  EXPECT_FALSE(item.contains("port"));  // as stored, nothing added but the node

  remote.snapshot_json = "[1,2";
  const auto broken = json_of(remote);
  EXPECT_EQ(broken.at("id"), "m7");
  EXPECT_EQ(broken.at("state"), "absent");
  EXPECT_EQ(broken.at("node"), "site-b");
}

class OtherNodeRoutes : public ::testing::TestWithParam<const char*> {
 protected:
  asio::io_context io;
  FakeGateway gateway{io.get_executor()};
  ApiHandler handler{gateway, std::vector<std::string>{}};
};

TEST_P(OtherNodeRoutes, AnswerConflictNamingTheNode) {
  gateway.fail_next = make_error("modem.on_other_node", kElsewhere);
  const std::string target = std::string("/api/v1/modems/m7/") + GetParam();
  const std::string body = std::string(GetParam()) == "ussd" ? R"({"code":"*100#"})" : "{}";
  ApiRequest request{
      .method = "POST",
      .target = target,
      .content_type = "application/json",
      .authorization = "",
      .idempotency_key = "",
      .body = body,
  };
  const auto response = testing::handle_request(io, handler, request);
  EXPECT_EQ(response.status, 409u) << response.body;
  const auto error = json::parse(response.body).at("error");
  EXPECT_EQ(error.at("code"), "modem.on_other_node");
  EXPECT_EQ(error.at("message"), kElsewhere);
  EXPECT_FALSE(error.contains("field"));
}

INSTANTIATE_TEST_SUITE_P(PerModemRequests, OtherNodeRoutes,
                         ::testing::Values("ussd", "balance", "pause", "resume", "reset"));

}  // namespace
}  // namespace smsgw::http
