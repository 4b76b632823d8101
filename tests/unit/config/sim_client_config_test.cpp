// [[sim]], [[client]], the new limits and [routing] timezone.
#include <gtest/gtest.h>

#include "smsgw/config/config.hpp"

namespace smsgw::config {
namespace {

constexpr std::string_view kFile = "/etc/smsgw/smsgw.toml";

Config parse_ok(std::string_view text) {
  auto result = parse_config(text, kFile);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
  return result.ok() ? *result : Config{};
}

std::string parse_error(std::string_view text) {
  auto result = parse_config(text, kFile);
  EXPECT_FALSE(result.ok()) << "parsed: " << text;
  if (result.ok()) return "";
  EXPECT_EQ(result.error().message.find('\n'), std::string::npos);
  return result.error().message.substr(kFile.size() + 2);
}

constexpr std::string_view kOperator = R"(
[[operator]]
name = "Telekom"
mccmnc = ["26201"]
)";

TEST(SimConfig, EveryKeyIsRead) {
  const auto config = parse_ok(std::string(kOperator) + R"(
[[sim]]
iccid = "8949010000000000016"
pin = "1234"
operator = "Telekom"
number = "+4915112345678"
label = "rack 2, slot 4"
enabled = false
limits = { per_minute = 6, per_day = 500, per_month = 10000, recipients_per_day = 200 }
)");
  ASSERT_EQ(config.sims.size(), 1U);
  const auto& sim = config.sims[0];
  EXPECT_EQ(sim.iccid, "8949010000000000016");
  EXPECT_EQ(sim.pin, "1234");
  EXPECT_EQ(sim.operator_name, "Telekom");
  EXPECT_EQ(sim.number, "+4915112345678");
  EXPECT_EQ(sim.label, "rack 2, slot 4");
  EXPECT_FALSE(sim.enabled);
  EXPECT_EQ(sim.limits.per_minute, 6U);
  EXPECT_EQ(sim.limits.per_day, 500U);
  EXPECT_EQ(sim.limits.per_month, 10000U);
  EXPECT_EQ(sim.limits.recipients_per_day, 200U);
}

TEST(SimConfig, TheNewLimitsAreAcceptedWhereverLimitsAre) {
  const auto config = parse_ok(R"(
[[modem]]
port = "/dev/ttyUSB0"
limits = { per_month = 3000 }
[[operator]]
name = "O2"
mccmnc = ["26207"]
limits = { recipients_per_day = 150 }
)");
  EXPECT_EQ(config.modems[0].limits.per_month, 3000U);
  EXPECT_EQ(config.operators[0].limits.recipients_per_day, 150U);
}

TEST(SimConfig, MistakesAreNamed) {
  EXPECT_EQ(parse_error("[[sim]]\npin = \"1234\"\n"), "sim[0].iccid: is required");
  EXPECT_EQ(parse_error("[[sim]]\niccid = \"89490100000000000F\"\n"),
            "sim[0].iccid: must be the SIM's ICCID digits as the modems list shows them (10 to "
            "22 digits), got \"89490100000000000F\" (line 2)");
  EXPECT_EQ(parse_error("[[sim]]\niccid = \"8949010000000000016\"\noperator = \"Vodafone\"\n"),
            "sim[0].operator: \"Vodafone\" is not the name of an [[operator]], got \"Vodafone\" "
            "(line 3)");
  EXPECT_EQ(parse_error("[[sim]]\niccid = \"8949010000000000016\"\nnumber = \"015112345678\"\n"),
            "sim[0].number: must be an international number, \"+\" and up to 15 digits, got "
            "\"015112345678\" (line 3)");
  EXPECT_EQ(parse_error("[[sim]]\niccid = \"8949010000000000016\"\n"
                        "[[sim]]\niccid = \"8949010000000000016\"\n"),
            "sim[1].iccid: \"8949010000000000016\" is already the iccid of sim[0] (line 4)");
  EXPECT_EQ(parse_error("[[sim]]\niccid = \"8949010000000000016\"\nslot = 3\n"),
            "sim[0].slot: unknown key (known here: iccid, pin, limits, operator, number, label, "
            "enabled) (line 3)");
  EXPECT_EQ(parse_error("[[sim]]\niccid = \"8949010000000000016\"\n"
                        "limits = { per_month = 0 }\n"),
            "sim[0].limits.per_month: must be a positive integer, got 0 (line 3)");
}

TEST(ClientConfig, EveryKeyIsReadAndScopesDefaultToSendAndRead) {
  const auto config = parse_ok(R"(
[[client]]
name = "shop"
token = "long-random-string-1"
scopes = ["send", "read", "modems", "admin"]
limits = { per_minute = 60, per_day = 5000 }
secret = "for-signing"
[[client]]
name = "alerts"
token_sha256 = "4c5dc9b7708905f77f5e5d16316b5dfb425e68cb326dcd55a860e90a7707031e"
)");
  ASSERT_EQ(config.clients.size(), 2U);
  EXPECT_EQ(config.clients[0].name, "shop");
  EXPECT_EQ(config.clients[0].token, "long-random-string-1");
  EXPECT_EQ(config.clients[0].scopes,
            (std::vector<std::string>{"send", "read", "modems", "admin"}));
  EXPECT_EQ(config.clients[0].limits.per_minute, 60U);
  EXPECT_EQ(config.clients[0].limits.per_day, 5000U);
  EXPECT_EQ(config.clients[0].secret, "for-signing");
  EXPECT_EQ(config.clients[1].scopes, (std::vector<std::string>{"send", "read"}));
  EXPECT_TRUE(config.clients[1].token.empty());
}

TEST(ClientConfig, AClientIsEnoughOffLoopback) {
  const auto config = parse_ok(R"(
[http]
listen = "0.0.0.0:8080"
[[client]]
name = "shop"
token = "long-random-string-1"
)");
  EXPECT_TRUE(config.http.tokens.empty());
  EXPECT_EQ(
      parse_error("[http]\nlisten = \"0.0.0.0:8080\"\n"),
      "http.tokens: must name at least one token (or add a [[client]] with a token) when listen "
      "(\"0.0.0.0:8080\") is not a loopback address");
}

TEST(ClientConfig, MistakesAreNamed) {
  EXPECT_EQ(parse_error("[[client]]\ntoken = \"long-random-string-1\"\n"),
            "client[0].name: is required");
  EXPECT_EQ(parse_error("[[client]]\nname = \"shop\"\n"),
            "client[0].token: is required (or token_sha256, or system_id and password for SMPP)");
  EXPECT_EQ(parse_error("[[client]]\nname = \"shop\"\ntoken = \"long-random-string-1\"\n"
                        "token_sha256 = \"4c5dc9b7708905f77f5e5d16316b5dfb425e68cb326dcd55a860e90a"
                        "7707031e\"\n"),
            "client[0].token_sha256: give exactly one of token and token_sha256 (line 4)");
  EXPECT_EQ(parse_error("[[client]]\nname = \"shop\"\ntoken = \"short\"\n"),
            "client[0].token: must be at least 16 characters (line 3)");
  EXPECT_EQ(parse_error("[[client]]\nname = \"shop\"\ntoken = \"long-random-string-1\"\n"
                        "scopes = [\"send\", \"everything\"]\n"),
            "client[0].scopes[1]: must be one of \"send\", \"read\", \"modems\" or \"admin\", "
            "got \"everything\" (line 4)");
  EXPECT_EQ(parse_error("[[client]]\nname = \"shop\"\ntoken_sha256 = \"ABC\"\n"),
            "client[0].token_sha256: must be 64 lowercase hex digits (sha256sum of the token), "
            "got \"ABC\" (line 3)");
  EXPECT_EQ(parse_error("[[client]]\nname = \"a\"\ntoken = \"long-random-string-1\"\n"
                        "[[client]]\nname = \"a\"\ntoken = \"long-random-string-2\"\n"),
            "client[1].name: \"a\" is already the name of client[0] (line 5)");
  EXPECT_EQ(parse_error("[http]\ntokens = [\"long-random-string-1\"]\n"
                        "[[client]]\nname = \"a\"\ntoken = \"long-random-string-1\"\n"),
            "client[0].token: is the same token as http.tokens[0]'s; every client needs its "
            "own (line 5)");
  EXPECT_EQ(parse_error("[[client]]\nname = \"a\"\ntoken = \"long-random-string-1\"\n"
                        "limits = { per_month = 5 }\n"),
            "client[0].limits.per_month: unknown key (known here: per_minute, per_day) (line 4)");
}

TEST(ClientConfig, SmppAccountsAndTheSmppServer) {
  const auto config = parse_ok(R"(
[smpp]
listen = "0.0.0.0:2775"
window = 100
enquire_link_interval = "20s"
enquire_link_timeout = "5s"
max_binds = 8
parts_timeout = "2m"
[[client]]
name = "legacy"
system_id = "legacy_app"
password = "pw123456"
inbound = ["+4915112345678", "modem-1"]
[[client]]
name = "shop"
token = "long-random-string-1"
system_id = "shop"
password = "x"
)");
  EXPECT_EQ(config.smpp.listen_host, "0.0.0.0");
  EXPECT_EQ(config.smpp.listen_port, 2775);
  EXPECT_FALSE(config.smpp.listen_is_loopback);
  EXPECT_EQ(config.smpp.window, 100U);
  EXPECT_EQ(config.smpp.enquire_link_interval, std::chrono::seconds(20));
  EXPECT_EQ(config.smpp.enquire_link_timeout, std::chrono::seconds(5));
  EXPECT_EQ(config.smpp.max_binds, 8U);
  EXPECT_EQ(config.smpp.parts_timeout, std::chrono::minutes(2));
  ASSERT_EQ(config.clients.size(), 2U);
  EXPECT_EQ(config.clients[0].system_id, "legacy_app");
  EXPECT_EQ(config.clients[0].password, "pw123456");
  EXPECT_TRUE(config.clients[0].token.empty());
  EXPECT_EQ(config.clients[0].inbound, (std::vector<std::string>{"+4915112345678", "modem-1"}));
  EXPECT_FALSE(config.clients[1].inbound.has_value());  // every inbound message
  EXPECT_TRUE(parse_ok("").smpp.listen.empty());        // off by default
  EXPECT_EQ(parse_ok("").smpp.window, 10U);
}

TEST(ClientConfig, SmppMistakesAreNamedAndPasswordsNeverQuoted) {
  EXPECT_EQ(parse_error("[smpp]\nlisten = \"0.0.0.0:2775\"\n"),
            "smpp.listen: \"0.0.0.0:2775\" is not a loopback address: add a [[client]] with "
            "system_id and password, so that binds must authenticate (line 2)");
  EXPECT_EQ(parse_error("[smpp]\nlisten = \"2775\"\n").substr(0, 12), "smpp.listen:");
  EXPECT_EQ(parse_error("[smpp]\nwindow = 0\n").substr(0, 12), "smpp.window:");
  EXPECT_EQ(parse_ok("[[client]]\nname = \"a\"\nsystem_id = \"a\"\npassword = \"smpp-password\"\n")
                .clients[0]
                .password,
            "smpp-password");  // the contract's example: longer than a bind can carry
  EXPECT_EQ(parse_error("[[client]]\nname = \"a\"\nsystem_id = \"a\"\npassword = \"" +
                        std::string(65, 'p') + "\"\n"),
            "client[0].password: must be 1 to 64 printable ASCII characters without spaces "
            "(an SMPP bind sends its first 8: SMPP 3.4 5.2.2)");
  EXPECT_EQ(parse_error("[[client]]\nname = \"a\"\nsystem_id = \"a\"\n"),
            "client[0].password: is required with system_id");
  EXPECT_EQ(parse_error("[[client]]\nname = \"a\"\nsystem_id = \"sixteen-chars-xx\"\n"
                        "password = \"p\"\n"),
            "client[0].system_id: must be 1 to 15 printable ASCII characters without spaces "
            "(SMPP 3.4 5.2.1), got \"sixteen-chars-xx\" (line 3)");
  EXPECT_EQ(parse_error("[[client]]\nname = \"a\"\nsystem_id = \"s\"\npassword = \"p\"\n"
                        "[[client]]\nname = \"b\"\nsystem_id = \"s\"\npassword = \"q\"\n"),
            "client[1].system_id: \"s\" is already the system_id of client[0] (line 7)");
}

TEST(RoutingConfig, TimezoneNamesAZoneOfTheTzDatabase) {
  EXPECT_EQ(parse_ok("").routing.timezone, "");
  EXPECT_EQ(parse_ok("[routing]\ntimezone = \"\"\n").routing.timezone, "");  // the system's
  EXPECT_EQ(parse_ok("[routing]\ntimezone = \"Europe/Berlin\"\n").routing.timezone,
            "Europe/Berlin");
  EXPECT_EQ(parse_error("[routing]\ntimezone = \"Europe/Atlantis\"\n"),
            "routing.timezone: is not a time zone in /usr/share/zoneinfo (install tzdata, or "
            "check the name), got \"Europe/Atlantis\" (line 2)");
  EXPECT_EQ(parse_error("[routing]\ntimezone = \"../etc/passwd\"\n"),
            "routing.timezone: must be a tz database name such as \"Europe/Berlin\", got "
            "\"../etc/passwd\" (line 2)");
}

}  // namespace
}  // namespace smsgw::config
