// What the dashboard needs of the real `smsgw serve`: GET /api/v1/info, and the message
// list's `to` and `modem` filters (dashboard-contract.md).
#include <gtest/gtest.h>

#include "serve_support.hpp"
#include "smsgw/common/version.hpp"

namespace smsgw::serve_test {
namespace {

constexpr const char* kAdmin = "admin-token-0123456789";
constexpr const char* kViewer = "viewer-token-0123456789";

harness::HarnessOptions with_tokens(std::vector<std::string> shift_tables = {}) {
  harness::HarnessOptions options;
  options.configure = [shift_tables](harness::GatewayConfig& config) {
    config.tables["http"]["tokens"] = harness::toml_string_array({kAdmin});
    if (!shift_tables.empty()) {
      config.tables["sms"]["shift_tables"] = harness::toml_string_array(shift_tables);
    }
    config.extra_toml = std::string("[[client]]\nname = \"viewer\"\ntoken = \"") + kViewer +
                        "\"\nscopes = [\"read\"]\n";
  };
  return options;
}

TEST(ServeDashboard, InfoNamesTheCallerAndTheEncodersTables) {
  Gateway gw(with_tokens({"turkish", "spanish"}));
  harness::HttpClient viewer(gw.http_port(), "127.0.0.1", kViewer);
  const auto response = viewer.get("/api/v1/info");
  ASSERT_EQ(response.status, 200) << response.describe();
  const auto info = response.json();
  EXPECT_EQ(info["version"], std::string(kVersion));
  EXPECT_EQ(info["caller"], (json{{"name", "viewer"}, {"scopes", {"read"}}}));
  EXPECT_EQ(info["auth"], true);
  EXPECT_EQ(info["max_parts"], 10);
  EXPECT_EQ(info["shift_tables"], (json{"turkish", "spanish"}));

  const auto& standard = info["alphabets"]["default"];
  ASSERT_EQ(standard["locking"].size(), 128u);
  ASSERT_EQ(standard["single"].size(), 128u);
  EXPECT_EQ(standard["locking"][0x00], "@");
  EXPECT_EQ(standard["locking"][0x1B], "");
  EXPECT_EQ(standard["single"][0x65], "\u20AC");
  EXPECT_EQ(info["alphabets"]["turkish"]["locking"][0x1B], "");
  EXPECT_TRUE(info["alphabets"]["spanish"]["locking"].is_null());
  EXPECT_EQ(info["alphabets"]["spanish"]["single"].size(), 128u);

  harness::HttpClient admin(gw.http_port(), "127.0.0.1", kAdmin);
  EXPECT_EQ(admin.get("/api/v1/info").json()["caller"]["scopes"],
            (json{"send", "read", "modems", "admin"}));
}

TEST(ServeDashboard, MessagesFilterByRecipientAsWrittenAndByModem) {
  Gateway gw;
  const auto first = gw.submit_ok("+4915123000001", "one");
  const auto second = gw.submit_ok("+4915123000002", "two");
  const auto third = gw.submit_ok("+4915123000001", "three");
  gw.wait_status(first, {"delivered"});
  gw.wait_status(second, {"delivered"});
  const auto sent = gw.wait_status(third, {"delivered"});

  // The national form finds the normalised number, newest first.
  auto page = gw.client().get("/api/v1/messages?to=0151%2023000001");
  ASSERT_EQ(page.status, 200) << page.describe();
  auto messages = page.json()["messages"];
  ASSERT_EQ(messages.size(), 2u) << page.body;
  EXPECT_EQ(messages[0]["id"], third);
  EXPECT_EQ(messages[1]["id"], first);

  const auto refused = gw.client().get("/api/v1/messages?to=not-a-number");
  EXPECT_EQ(refused.status, 422) << refused.describe();
  EXPECT_EQ(refused.json()["error"]["field"], "to");

  const std::string modem = sent.value("modem", "");
  ASSERT_FALSE(modem.empty()) << sent.dump();
  page = gw.client().get("/api/v1/messages?to=%2B4915123000001&modem=" + modem);
  ASSERT_EQ(page.status, 200) << page.describe();
  for (const auto& message : page.json()["messages"]) EXPECT_EQ(message["modem"], modem);
  page = gw.client().get("/api/v1/messages?modem=no-such-modem");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(page.json()["messages"].empty());
}

}  // namespace
}  // namespace smsgw::serve_test
