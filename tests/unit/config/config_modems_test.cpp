// [modems] down_after: how long a modem may be not ready before `modem.down` (a positive
// duration, default 2 minutes), and the modem events a [[webhook]] may subscribe to.
#include <gtest/gtest.h>

#include "smsgw/config/config.hpp"

namespace smsgw::config {
namespace {

using namespace std::chrono_literals;

TEST(ConfigModems, DownAfterDefaultsToTwoMinutes) {
  auto config = parse_config("", "/srv/smsgw.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->modem_polling.down_after, 2min);
}

TEST(ConfigModems, DownAfterIsRead) {
  auto config = parse_config("[modems]\ndown_after = \"2s\"\n", "/srv/smsgw.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->modem_polling.down_after, 2s);
  config = parse_config("[modems]\ndown_after = \"5m30s\"\n", "/srv/smsgw.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->modem_polling.down_after, 330s);
}

TEST(ConfigModems, DownAfterMustBePositive) {
  for (const char* text : {"[modems]\ndown_after = \"0s\"\n", "[modems]\ndown_after = -5\n",
                           "[modems]\ndown_after = \"soon\"\n"}) {
    auto config = parse_config(text, "/srv/smsgw.toml");
    ASSERT_FALSE(config.ok()) << text;
    EXPECT_NE(config.error().message.find("modems.down_after: must be a positive duration"),
              std::string::npos)
        << config.error().message;
    EXPECT_NE(config.error().message.find("(line 2)"), std::string::npos);
  }
}

TEST(ConfigModems, WebhooksMaySubscribeToModemEvents) {
  auto config = parse_config(
      "[[webhook]]\nurl = \"http://127.0.0.1:9000/\"\nevents = [\"modem.down\", \"modem.up\"]\n",
      "/srv/smsgw.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  ASSERT_EQ(config->webhooks.size(), 1u);
  EXPECT_EQ(config->webhooks[0].events, (std::vector<std::string>{"modem.down", "modem.up"}));
}

}  // namespace
}  // namespace smsgw::config
