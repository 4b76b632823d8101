// [modems] down_after: how long a modem may be not ready before `modem.down` (a positive
// duration, default 2 minutes), the modem events a [[webhook]] may subscribe to, and
// [[modem]] id_prefix.
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

// [[modem]] id_prefix: prepended to ids derived from the port, for nodes whose ports have
// the same names; letters, digits, '-', '_' or '.'.
TEST(ConfigModems, IdPrefixIsReadAndChecked) {
  auto config =
      parse_config("[[modem]]\nport = \"/dev/smsgw/*\"\nid_prefix = \"a-\"\n", "/srv/smsgw.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->modems.at(0).id_prefix, "a-");
  config = parse_config("[[modem]]\nport = \"/dev/ttyUSB0\"\n", "/srv/smsgw.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->modems.at(0).id_prefix, "");
  config = parse_config("[[modem]]\nport = \"/dev/smsgw/*\"\nid_prefix = \"site a/\"\n",
                        "/srv/smsgw.toml");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find(
                "modem[0].id_prefix: must be letters, digits, '-', '_' or '.', got \"site a/\" "
                "(line 3)"),
            std::string::npos)
      << config.error().message;
}

}  // namespace
}  // namespace smsgw::config
