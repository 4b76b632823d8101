// The harness drives the CLI against the running gateway (ServeHarness::run_cli); the
// contract's promise that `smsgw modems --json` prints exactly GET /api/v1/modems.
#include <gtest/gtest.h>

#include "serve_support.hpp"

namespace smsgw::serve_test {
namespace {

TEST(ServeHarnessCli, ModemsJsonIsTheApiList) {
  harness::HarnessOptions options;
  options.configure = [](harness::GatewayConfig& config) {
    config.tables["http"]["tokens"] = harness::toml_string_array({"cli-token"});
  };
  Gateway gw(options);
  const auto result = gw.run_cli({"modems", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(json::parse(result.out, nullptr, false), gw.modems());
}

TEST(ServeHarnessCli, SendWaitFollowsTheMessageToDelivery) {
  Gateway gw;
  const auto result =
      gw.run_cli({"send", "--to", "+491511900001", "--text", "from the CLI", "--wait"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto sent = sent_to(gw.sim(), "+491511900001");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].value("text", ""), "from the CLI");
  const auto messages = gw.all_messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].value("status", ""), "delivered");
}

}  // namespace
}  // namespace smsgw::serve_test
