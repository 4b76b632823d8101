#include "smsgw/config/config.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace smsgw::config {
namespace {

using namespace std::chrono_literals;

Result<Config> parse(std::string_view text) { return parse_config(text, "/etc/smsgw/smsgw.toml"); }

Config parse_ok(std::string_view text) {
  auto result = parse(text);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
  return result.ok() ? *result : Config{};
}

std::string parse_error(std::string_view text) {
  auto result = parse(text);
  EXPECT_FALSE(result.ok()) << "parsed: " << text;
  return result.ok() ? "" : result.error().message;
}

TEST(Config, EmptyFileGivesDefaults) {
  const auto config = parse_ok("");
  EXPECT_EQ(config, default_config("/etc/smsgw/smsgw.toml"));
  EXPECT_EQ(config.store.path, std::filesystem::path("/etc/smsgw/smsgw.db"));
  EXPECT_FALSE(config.store.at_least_once);
  EXPECT_EQ(config.http.listen, "127.0.0.1:8080");
  EXPECT_EQ(config.http.listen_port, 8080);
  EXPECT_TRUE(config.http.listen_is_loopback);
  EXPECT_EQ(config.routing.fallback, Fallback::any);
  EXPECT_TRUE(config.sms.status_report);
}

TEST(Config, ExampleFileLoadsAndEqualsDefaults) {
  const std::filesystem::path example =
      std::filesystem::path(SMSGW_SOURCE_DIR) / "config/smsgw.toml";
  auto config = load_config(example);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(*config, default_config(example));
}

TEST(Config, ExampleFileCommentedTablesAreValid) {
  // The commented [[modem]], [[operator]], [[webhook]], [[sim]] and [[client]] examples
  // must load when a user uncomments them.
  std::ifstream in(std::filesystem::path(SMSGW_SOURCE_DIR) / "config/smsgw.toml");
  std::string text;
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("# [[") || line.starts_with("# port") || line.starts_with("# id") ||
        line.starts_with("# baud") || line.starts_with("# pin") || line.starts_with("# profile") ||
        line.starts_with("# limits") || line.starts_with("# send_timeout") ||
        line.starts_with("# enabled") || line.starts_with("# name") ||
        line.starts_with("# mccmnc") || line.starts_with("# prefixes") ||
        line.starts_with("# balance") || line.starts_with("# url") ||
        line.starts_with("# events") || line.starts_with("# secret") ||
        line.starts_with("# iccid") || line.starts_with("# operator") ||
        line.starts_with("# number") || line.starts_with("# label") ||
        line.starts_with("# token") || line.starts_with("# scopes")) {
      line = line.substr(2);
    }
    text += line + "\n";
  }
  auto config = parse_config(text, "/srv/smsgw.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  ASSERT_EQ(config->modems.size(), 1u);
  EXPECT_EQ(config->modems[0].port, "/dev/ttyUSB2");
  EXPECT_EQ(config->modems[0].pin, "1234");
  EXPECT_EQ(config->modems[0].limits.per_minute, 6u);
  ASSERT_EQ(config->operators.size(), 1u);
  EXPECT_EQ(config->operators[0].name, "Telekom");
  ASSERT_TRUE(config->operators[0].balance.has_value());
  EXPECT_EQ(config->operators[0].balance->currency, "EUR");
  EXPECT_EQ(config->operators[0].balance->low_balance, 1.0);
  ASSERT_EQ(config->webhooks.size(), 1u);
  EXPECT_EQ(config->webhooks[0].url, "http://127.0.0.1:9000/smsgw");
  ASSERT_EQ(config->sims.size(), 1u);
  EXPECT_EQ(config->sims[0].iccid, "89490200001234567890");
  EXPECT_EQ(config->sims[0].operator_name, "Telekom");
  EXPECT_EQ(config->sims[0].limits.recipients_per_day, 100u);
  EXPECT_TRUE(config->sims[0].enabled);
  ASSERT_EQ(config->clients.size(), 1u);
  EXPECT_EQ(config->clients[0].name, "shop");
  EXPECT_EQ(config->clients[0].scopes, (std::vector<std::string>{"send", "read"}));
  EXPECT_EQ(config->clients[0].limits.per_minute, 60u);
}

TEST(Config, ContractExampleParses) {
  const auto config = parse_ok(R"toml(
[store]
path = "smsgw.db"

[http]
listen = "127.0.0.1:8080"
tokens = []

[[modem]]
port = "/dev/ttyUSB2"

[[operator]]
name = "Telekom"
mccmnc = ["26201"]
prefixes = ["+49151", "+49160", "+49170"]
balance = { ussd = "*100#", pattern = "([0-9]+[.,][0-9]+)" }
limits = { per_minute = 10, per_day = 1000 }

[routing]
fallback = "any"
default_country_code = "49"
)toml");
  ASSERT_EQ(config.operators.size(), 1u);
  const auto& op = config.operators[0];
  EXPECT_EQ(op.mccmnc, std::vector<std::string>{"26201"});
  EXPECT_EQ(op.prefixes.size(), 3u);
  EXPECT_EQ(op.limits.per_minute, 10u);
  EXPECT_EQ(op.limits.per_day, 1000u);
  ASSERT_TRUE(op.balance);
  EXPECT_EQ(op.balance->ussd, "*100#");
  EXPECT_EQ(op.balance->interval, 6h);
  EXPECT_FALSE(op.balance->low_balance);
  ASSERT_EQ(config.modems.size(), 1u);
  EXPECT_EQ(config.modems[0].baud, 115200u);
  EXPECT_TRUE(config.modems[0].enabled);
  EXPECT_FALSE(config.modems[0].limits.per_minute);
  EXPECT_EQ(config.routing.default_country_code, "49");
}

TEST(Config, EveryKeyIsRead) {
  const auto config = parse_ok(R"toml(
[store]
path = "/var/lib/smsgw/db.sqlite"
at_least_once = true
[http]
listen = "[::]:9090"
tokens = ["abc", "def"]
body_limit = 2048
request_timeout = "2s"
max_connections = 10
[[modem]]
port = "/dev/smsgw/*"
id = "bank-a"
baud = 9600
pin = "0000"
profile = "quectel"
limits = { per_minute = 1, per_day = 2 }
send_timeout = 90
enabled = false
[[operator]]
name = "O2"
mccmnc = ["26207", "26208"]
prefixes = ["+49176"]
balance = { ussd = "*101#", pattern = "(\\d+)", currency = "EUR", interval = 0, low_balance = 2 }
[routing]
fallback = "none"
fallback_wait = "1m"
default_country_code = "44"
[retry]
max_attempts = 2
backoff_initial = "1s"
backoff_max = "1h"
bench_after_failures = 5
bench_cooldown = "0s"
[sms]
max_parts = 4
shift_tables = ["turkish", "portuguese"]
status_report = false
report_window = "1d"
settle_unknown = "20s"
after_settle = "resend"
[log]
level = "debug"
format = "json"
[[webhook]]
url = "http://hooks.example.com/sms"
events = ["message.status", "message.received"]
secret = "s3cret"
[ussd]
timeout = 45
[modems]
poll_interval = "1m30s"
rescan_interval = "500ms"
)toml");
  EXPECT_EQ(config.store.path, std::filesystem::path("/var/lib/smsgw/db.sqlite"));
  EXPECT_TRUE(config.store.at_least_once);
  EXPECT_EQ(config.http.listen_host, "::");
  EXPECT_EQ(config.http.listen_port, 9090);
  EXPECT_FALSE(config.http.listen_is_loopback);
  EXPECT_EQ(config.http.tokens, (std::vector<std::string>{"abc", "def"}));
  EXPECT_EQ(config.http.body_limit, 2048u);
  EXPECT_EQ(config.http.request_timeout, 2s);
  EXPECT_EQ(config.http.max_connections, 10u);
  ASSERT_EQ(config.modems.size(), 1u);
  const auto& modem = config.modems[0];
  EXPECT_EQ(modem.port, "/dev/smsgw/*");
  EXPECT_EQ(modem.id, "bank-a");
  EXPECT_EQ(modem.baud, 9600u);
  EXPECT_EQ(modem.pin, "0000");
  EXPECT_EQ(modem.profile, "quectel");
  EXPECT_EQ(modem.limits.per_minute, 1u);
  EXPECT_EQ(modem.limits.per_day, 2u);
  EXPECT_EQ(modem.send_timeout, 90s);
  EXPECT_FALSE(modem.enabled);
  const auto& op = config.operators.at(0);
  EXPECT_EQ(op.balance->pattern, "(\\d+)");
  EXPECT_EQ(op.balance->interval, 0s);
  EXPECT_EQ(op.balance->low_balance, 2.0);
  EXPECT_FALSE(op.limits.per_day);
  EXPECT_EQ(config.routing.fallback, Fallback::none);
  EXPECT_EQ(config.routing.fallback_wait, 1min);
  EXPECT_EQ(config.retry.max_attempts, 2u);
  EXPECT_EQ(config.retry.backoff_initial, 1s);
  EXPECT_EQ(config.retry.backoff_max, 1h);
  EXPECT_EQ(config.retry.bench_after_failures, 5u);
  EXPECT_EQ(config.retry.bench_cooldown, 0s);
  EXPECT_EQ(config.sms.max_parts, 4u);
  EXPECT_EQ(config.sms.shift_tables, (std::vector<std::string>{"turkish", "portuguese"}));
  EXPECT_FALSE(config.sms.status_report);
  EXPECT_EQ(config.sms.report_window, 24h);
  EXPECT_EQ(config.sms.settle_unknown, 20s);
  EXPECT_EQ(config.sms.after_settle, "resend");
  EXPECT_EQ(config.log.level, "debug");
  EXPECT_EQ(config.log.format, "json");
  ASSERT_EQ(config.webhooks.size(), 1u);
  EXPECT_EQ(config.webhooks[0].events.size(), 2u);
  EXPECT_EQ(config.webhooks[0].secret, "s3cret");
  EXPECT_EQ(config.ussd.timeout, 45s);
  EXPECT_EQ(config.modem_polling.poll_interval, 90s);
  EXPECT_EQ(config.modem_polling.rescan_interval, 500ms);
}

TEST(Config, ErrorMessageIsOneLineWithFileKeyReasonAndLine) {
  auto result = parse_config(R"([[operator]]
name = "A"
[[operator]]
name = "B"
limits = { per_minute = "ten" }
)",
                             "smsgw.toml");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "config.invalid");
  EXPECT_EQ(result.error().message,
            "smsgw.toml: operator[1].limits.per_minute: must be a positive integer, got \"ten\" "
            "(line 5)");
}

TEST(Config, RelativeStorePathIsResolvedAgainstTheConfigFolder) {
  EXPECT_EQ(parse_config("[store]\npath = \"data/gw.db\"\n", "/srv/gw/smsgw.toml")->store.path,
            std::filesystem::path("/srv/gw/data/gw.db"));
  EXPECT_EQ(parse_config("[store]\npath = \"/abs/gw.db\"\n", "/srv/gw/smsgw.toml")->store.path,
            std::filesystem::path("/abs/gw.db"));
  EXPECT_EQ(parse_config("", "smsgw.toml")->store.path, std::filesystem::path("smsgw.db"));
  EXPECT_EQ(parse_config("", "conf/smsgw.toml")->store.path,
            std::filesystem::path("conf/smsgw.db"));
}

TEST(Config, LoadConfigReadsAFileAndReportsAMissingOne) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("smsgw-config-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream out(dir / "gw.toml");
    out << "[http]\nlisten = \"127.0.0.1:0\"\n";
  }
  auto loaded = load_config(dir / "gw.toml");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->http.listen_port, 0);
  EXPECT_EQ(loaded->store.path, dir / "smsgw.db");
  auto missing = load_config(dir / "absent.toml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "config.io");
  EXPECT_NE(missing.error().message.find("absent.toml: cannot be read"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(Config, SyntaxErrorNamesFileAndLine) {
  auto result = parse_config("[http]\nlisten = \n", "smsgw.toml");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "config.syntax");
  EXPECT_TRUE(result.error().message.starts_with("smsgw.toml:2: ")) << result.error().message;
  EXPECT_EQ(result.error().message.find('\n'), std::string::npos);
}

TEST(Config, ListenForms) {
  struct Case {
    const char* listen;
    const char* host;
    std::uint16_t port;
    bool loopback;
  };
  for (const Case& c :
       {Case{"127.0.0.1:8080", "127.0.0.1", 8080, true}, Case{"127.5.5.5:1", "127.5.5.5", 1, true},
        Case{"localhost:80", "localhost", 80, true}, Case{"[::1]:8080", "::1", 8080, true},
        Case{"0.0.0.0:8080", "0.0.0.0", 8080, false}, Case{"[::]:443", "::", 443, false},
        Case{"gw.example.com:8080", "gw.example.com", 8080, false}}) {
    const auto config =
        parse_ok(std::string("[http]\nlisten = \"") + c.listen + "\"\ntokens = [\"t\"]\n");
    EXPECT_EQ(config.http.listen_host, c.host) << c.listen;
    EXPECT_EQ(config.http.listen_port, c.port) << c.listen;
    EXPECT_EQ(config.http.listen_is_loopback, c.loopback) << c.listen;
  }
}

TEST(Config, DurationForms) {
  EXPECT_EQ(*parse_duration("500ms"), 500ms);
  EXPECT_EQ(*parse_duration("30s"), 30s);
  EXPECT_EQ(*parse_duration("5m"), 5min);
  EXPECT_EQ(*parse_duration("2h"), 2h);
  EXPECT_EQ(*parse_duration("3d"), 72h);
  EXPECT_EQ(*parse_duration("1h30m"), 90min);
  EXPECT_EQ(*parse_duration("1m30s250ms"), 90250ms);
  EXPECT_EQ(*parse_duration("0s"), 0s);
  for (const char* bad : {"", "30", "s", "5 m", "5x", "1.5s", "-1s", "m5", "99999999999d"}) {
    EXPECT_FALSE(parse_duration(bad).ok()) << bad;
  }
  EXPECT_EQ(parse_ok("[ussd]\ntimeout = 12\n").ussd.timeout, 12s);
  EXPECT_EQ(parse_ok("[ussd]\ntimeout = \"12s\"\n").ussd.timeout, 12s);
}

// Each invalid snippet and the error text it must produce (after "<file>: ").
struct Invalid {
  const char* toml;
  const char* message;
};

class ConfigInvalidTest : public ::testing::TestWithParam<Invalid> {};

TEST_P(ConfigInvalidTest, IsRefusedWithThisMessage) {
  // A message ending in '*' is a prefix (the rest comes from the standard library).
  const auto message = parse_error(GetParam().toml);
  std::string expected = std::string("/etc/smsgw/smsgw.toml: ") + GetParam().message;
  if (expected.ends_with('*')) {
    expected.pop_back();
    EXPECT_TRUE(message.starts_with(expected)) << message;
  } else {
    EXPECT_EQ(message, expected);
  }
  EXPECT_EQ(message.find('\n'), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    EveryKey, ConfigInvalidTest,
    ::testing::Values(
        // unknown keys, at every level
        Invalid{"colour = 1\n",
                "colour: unknown key (known here: store, http, modem, operator, routing, retry, "
                "sms, log, webhook, ussd, modems, sim, client, smpp, node) (line 1)"},
        Invalid{"[http]\nlisen = \"x\"\n",
                "http.lisen: unknown key (known here: listen, tokens, body_limit, "
                "request_timeout, max_connections, ca_file, callback_hosts, callback_secret) "
                "(line 2)"},
        Invalid{"[[modem]]\nport = \"/dev/x\"\nlimits = { per_hour = 1 }\n",
                "modem[0].limits.per_hour: unknown key (known here: per_minute, per_day, "
                "per_month, recipients_per_day) (line 3)"},
        Invalid{"[[operator]]\nname = \"A\"\nbalance = { ussd = \"*1#\", pattern = \"(1)\", "
                "x = 1 }\n",
                "operator[0].balance.x: unknown key (known here: ussd, pattern, currency, "
                "interval, low_balance) (line 3)"},
        // table shapes
        Invalid{"store = 5\n", "store: must be a table, got 5 (line 1)"},
        Invalid{"[modem]\nport = \"/dev/x\"\n",
                "modem: must be an array of tables written [[modem]], got a table (line 1)"},
        Invalid{"modem = [1]\n", "modem[0]: must be a table, got 1 (line 1)"},
        // store
        Invalid{"[store]\npath = 1\n", "store.path: must be a string, got 1 (line 2)"},
        Invalid{"[store]\npath = \"\"\n", "store.path: must not be empty, got \"\" (line 2)"},
        Invalid{"[store]\nat_least_once = \"yes\"\n",
                "store.at_least_once: must be true or false, got \"yes\" (line 2)"},
        // http
        Invalid{"[http]\nlisten = \"8080\"\n",
                "http.listen: must be host:port or [ipv6]:port, got \"8080\" (line 2)"},
        Invalid{"[http]\nlisten = \"127.0.0.1:99999\"\n",
                "http.listen: port \"99999\" must be a number from 0 to 65535, got "
                "\"127.0.0.1:99999\" (line 2)"},
        Invalid{"[http]\nlisten = \"::1:8080\"\n",
                "http.listen: an IPv6 address must be written in brackets, e.g. [::1]:8080, got "
                "\"::1:8080\" (line 2)"},
        Invalid{"[http]\nlisten = \"[zz]:80\"\n",
                "http.listen: \"zz\" is not an IPv6 address, got \"[zz]:80\" (line 2)"},
        Invalid{"[http]\nlisten = \"a b:80\"\n",
                "http.listen: \"a b\" is neither an IP address nor a host name, got \"a b:80\" "
                "(line 2)"},
        Invalid{"[http]\nlisten = \"0.0.0.0:8080\"\n",
                "http.tokens: must name at least one token (or add a [[client]] with a token) when listen "
                "(\"0.0.0.0:8080\") is "
                "not a loopback address"},
        Invalid{"[http]\nlisten = \"[::]:8080\"\ntokens = []\n",
                "http.tokens: must name at least one token (or add a [[client]] with a token) when listen "
                "(\"[::]:8080\") is not a "
                "loopback address (line 3)"},
        Invalid{"[http]\ntokens = \"abc\"\n",
                "http.tokens: must be an array of strings, got \"abc\" (line 2)"},
        Invalid{"[http]\ntokens = [\"a\", 2]\n",
                "http.tokens[1]: must be a string, got 2 (line 2)"},
        Invalid{"[http]\ntokens = [\"a b\"]\n",
                "http.tokens[0]: must not contain white space, got \"a b\" (line 2)"},
        Invalid{"[http]\nbody_limit = 0\n",
                "http.body_limit: must be a positive integer up to 1073741824, got 0 (line 2)"},
        Invalid{"[http]\nrequest_timeout = \"0s\"\n",
                "http.request_timeout: must be a positive duration in seconds or a string such "
                "as \"30s\", \"5m\" or \"1h30m\", got \"0s\" (line 2)"},
        Invalid{"[http]\nrequest_timeout = \"10 sec\"\n",
                "http.request_timeout: must be a positive duration in seconds or a string such "
                "as \"30s\", \"5m\" or \"1h30m\": \"10 sec\" needs a unit (ms, s, m, h or d) "
                "after 10 (line 2)"},
        Invalid{"[http]\nrequest_timeout = true\n",
                "http.request_timeout: must be a positive duration in seconds or a string such "
                "as \"30s\", \"5m\" or \"1h30m\", got true (line 2)"},
        Invalid{"[http]\nmax_connections = -1\n",
                "http.max_connections: must be a positive integer up to 1000000, got -1 (line 2)"},
        // modem
        Invalid{"[[modem]]\nbaud = 9600\n", "modem[0].port: is required (line 1)"},
        Invalid{"[[modem]]\nport = \"\"\n", "modem[0].port: must not be empty, got \"\" (line 2)"},
        Invalid{"[[modem]]\nport = \"/dev/a\"\nbaud = 12345\n",
                "modem[0].baud: must be a standard rate such as 9600 or 115200, got 12345 (line "
                "3)"},
        Invalid{"[[modem]]\nport = \"/dev/a\"\npin = 1234\n",
                "modem[0].pin: must be a string, got 1234 (line 3)"},
        Invalid{"[[modem]]\nport = \"/dev/a\"\npin = \"12a4\"\n",
                "modem[0].pin: must be 4 to 8 digits in quotes, got \"12a4\" (line 3)"},
        Invalid{"[[modem]]\nport = \"/dev/a\"\nid = \"a/b\"\n",
                "modem[0].id: must be letters, digits, '-', '_' or '.', got \"a/b\" (line 3)"},
        Invalid{"[[modem]]\nport = \"/dev/a\"\nprofile = \"\"\n",
                "modem[0].profile: must be a profile name, got \"\" (line 3)"},
        Invalid{"[[modem]]\nport = \"/dev/a\"\nlimits = { per_day = 0 }\n",
                "modem[0].limits.per_day: must be a positive integer, got 0 (line 3)"},
        Invalid{"[[modem]]\nport = \"/dev/a\"\nsend_timeout = -5\n",
                "modem[0].send_timeout: must be a positive duration in seconds or a string such "
                "as \"30s\", \"5m\" or \"1h30m\", got -5 (line 3)"},
        Invalid{"[[modem]]\nport = \"/dev/a\"\nenabled = 1\n",
                "modem[0].enabled: must be true or false, got 1 (line 3)"},
        Invalid{"[[modem]]\nport = \"/dev/a\"\n[[modem]]\nport = \"/dev/a\"\n",
                "modem[1].port: \"/dev/a\" is already the port of modem[0] (line 4)"},
        Invalid{"[[modem]]\nport = \"/dev/a\"\nid = \"x\"\n[[modem]]\nport = \"/dev/b\"\nid = "
                "\"x\"\n",
                "modem[1].id: \"x\" is already the id of modem[0] (line 6)"},
        // operator
        Invalid{"[[operator]]\nmccmnc = [\"26201\"]\n", "operator[0].name: is required (line 1)"},
        Invalid{"[[operator]]\nname = \"A\"\nmccmnc = [\"2620\"]\n",
                "operator[0].mccmnc[0]: must be 5 or 6 digits, got \"2620\" (line 3)"},
        Invalid{"[[operator]]\nname = \"A\"\nmccmnc = 26201\n",
                "operator[0].mccmnc: must be an array of strings, got 26201 (line 3)"},
        Invalid{"[[operator]]\nname = \"A\"\nprefixes = [\"+49-151\"]\n",
                "operator[0].prefixes[0]: must be digits with an optional leading '+', got "
                "\"+49-151\" (line 3)"},
        Invalid{"[[operator]]\nname = \"A\"\n[[operator]]\nname = \"A\"\n",
                "operator[1].name: \"A\" is already the name of operator[0] (line 4)"},
        Invalid{"[[operator]]\nname = \"A\"\nmccmnc = [\"26201\"]\n[[operator]]\nname = "
                "\"B\"\nmccmnc = [\"262011\"]\n",
                "operator[1].mccmnc: \"262011\" overlaps \"26201\" of operator[0] (\"A\") (line "
                "6)"},
        Invalid{"[[operator]]\nname = \"A\"\nprefixes = [\"+49151\"]\n[[operator]]\nname = "
                "\"B\"\nprefixes = [\"+49151\"]\n",
                "operator[1].prefixes: \"+49151\" is already a prefix of operator[0] (\"A\") "
                "(line 6)"},
        Invalid{"[[operator]]\nname = \"A\"\nbalance = \"*100#\"\n",
                "operator[0].balance: must be a table, got \"*100#\" (line 3)"},
        Invalid{"[[operator]]\nname = \"A\"\nbalance = { pattern = \"(1)\" }\n",
                "operator[0].balance.ussd: is required (line 3)"},
        Invalid{"[[operator]]\nname = \"A\"\nbalance = { ussd = \"call me\", pattern = \"(1)\" "
                "}\n",
                "operator[0].balance.ussd: must be a USSD code of digits, '*', '#' and '+', got "
                "\"call me\" (line 3)"},
        Invalid{"[[operator]]\nname = \"A\"\nbalance = { ussd = \"*1#\", pattern = \"([0-9\" "
                "}\n",
                "operator[0].balance.pattern: is not a valid regular expression (*"},
        Invalid{"[[operator]]\nname = \"A\"\nbalance = { ussd = \"*1#\", pattern = \"[0-9]+\" "
                "}\n",
                "operator[0].balance.pattern: needs a capture group for the amount, e.g. "
                "\"([0-9]+[.,][0-9]+)\" (line 3)"},
        Invalid{"[[operator]]\nname = \"A\"\nbalance = { ussd = \"*1#\", pattern = \"(1)\", "
                "low_balance = \"low\" }\n",
                "operator[0].balance.low_balance: must be a number, got \"low\" (line 3)"},
        Invalid{"[[operator]]\nname = \"A\"\nbalance = { ussd = \"*1#\", pattern = \"(1)\", "
                "interval = \"daily\" }\n",
                "operator[0].balance.interval: must be a duration in seconds or a string such as "
                "\"30s\", \"5m\" or \"1h30m\": \"daily\" must be <number><unit> groups such as "
                "\"30s\" or \"1h30m\" (line 3)"},
        Invalid{"[[operator]]\nname = \"A\"\nlimits = { per_minute = 1.5 }\n",
                "operator[0].limits.per_minute: must be a positive integer, got 1.500000 (line "
                "3)"},
        // routing
        Invalid{"[routing]\nfallback = \"some\"\n",
                "routing.fallback: must be \"any\" or \"none\", got \"some\" (line 2)"},
        Invalid{"[routing]\ndefault_country_code = \"+49\"\n",
                "routing.default_country_code: must be 1 to 3 digits without a leading 0 or "
                "'+', got \"+49\" (line 2)"},
        Invalid{"[routing]\ndefault_country_code = 49\n",
                "routing.default_country_code: must be a string, got 49 (line 2)"},
        Invalid{"[routing]\nfallback_wait = \"x\"\n",
                "routing.fallback_wait: must be a duration in seconds or a string such as "
                "\"30s\", \"5m\" or \"1h30m\": \"x\" must be <number><unit> groups such as "
                "\"30s\" or \"1h30m\" (line 2)"},
        // retry
        Invalid{"[retry]\nmax_attempts = 0\n",
                "retry.max_attempts: must be a positive integer up to 1000, got 0 (line 2)"},
        Invalid{"[retry]\nbackoff_initial = \"1m\"\nbackoff_max = \"10s\"\n",
                "retry.backoff_max: must not be shorter than retry.backoff_initial (line 3)"},
        Invalid{"[retry]\nbench_after_failures = \"3\"\n",
                "retry.bench_after_failures: must be a positive integer up to 1000, got \"3\" "
                "(line 2)"},
        Invalid{"[retry]\nbench_cooldown = \"1y\"\n",
                "retry.bench_cooldown: must be a duration in seconds or a string such as "
                "\"30s\", \"5m\" or \"1h30m\": \"1y\" has unknown unit \"y\" (use ms, s, m, h or "
                "d) (line 2)"},
        // sms
        Invalid{"[sms]\nmax_parts = 256\n",
                "sms.max_parts: must be a positive integer up to 255, got 256 (line 2)"},
        Invalid{"[sms]\nshift_tables = [\"klingon\"]\n",
                "sms.shift_tables[0]: must be one of \"turkish\", \"spanish\" or \"portuguese\", "
                "got \"klingon\" (line 2)"},
        Invalid{"[sms]\nstatus_report = \"true\"\n",
                "sms.status_report: must be true or false, got \"true\" (line 2)"},
        Invalid{"[sms]\nafter_settle = \"retry\"\n",
                "sms.after_settle: must be \"keep\" or \"resend\", got \"retry\" (line 2)"},
        Invalid{"[sms]\nsettle_unknown = \"0s\"\n",
                "sms.settle_unknown: must be a positive duration in seconds or a string such as "
                "\"30s\", \"5m\" or \"1h30m\", got \"0s\" (line 2)"},
        // log
        Invalid{"[log]\nlevel = \"verbose\"\n",
                "log.level: must be \"trace\", \"debug\", \"info\", \"warn\", \"error\", "
                "\"critical\" or \"off\", got \"verbose\" (line 2)"},
        Invalid{"[log]\nformat = \"xml\"\n",
                "log.format: must be \"text\" or \"json\", got \"xml\" (line 2)"},
        // webhook
        Invalid{"[[webhook]]\nevents = []\n", "webhook[0].url: is required (line 1)"},
        Invalid{"[[webhook]]\nurl = \"ftp://x/y\"\n",
                "webhook[0].url: must be an http:// or https:// URL with a host, got "
                "\"ftp://x/y\" (line 2)"},
        Invalid{"[[webhook]]\nurl = \"https:///x\"\n",
                "webhook[0].url: must be an http:// or https:// URL with a host, got "
                "\"https:///x\" (line 2)"},
        Invalid{"[[webhook]]\nurl = \"http:///path\"\n",
                "webhook[0].url: must be an http:// or https:// URL with a host, got "
                "\"http:///path\" (line 2)"},
        // http: https webhooks and callbacks
        Invalid{"[http]\ncallback_hosts = [\"hooks.example.com\", \"10.0.0.0/40\"]\n",
                "http.callback_hosts[1]: the prefix length must be a number from 0 to 32, got "
                "\"10.0.0.0/40\" (line 2)"},
        Invalid{"[http]\ncallback_hosts = [\"http://x/\"]\n",
                "http.callback_hosts[0]: not an IP address before the '/', got \"http://x/\" "
                "(line 2)"},
        Invalid{"[http]\ncallback_hosts = \"*\"\n",
                "http.callback_hosts: must be an array of strings, got \"*\" (line 2)"},
        Invalid{"[http]\ncallback_secret = 7\n",
                "http.callback_secret: must be a string, got 7 (line 2)"},
        Invalid{"[http]\nca_file = \"/nonexistent/ca.pem\"\n",
                "http.ca_file: cannot be read (No such file or directory): /nonexistent/ca.pem "
                "(line 2)"},
        Invalid{"[[webhook]]\nurl = \"http://h/\"\nevents = [\"message.lost\"]\n",
                "webhook[0].events[0]: must be one of \"message.status\", "
                "\"message.received\", \"sim.low_balance\", \"modem.down\" or \"modem.up\", "
                "got \"message.lost\" (line 3)"},
        Invalid{"[[webhook]]\nurl = \"http://h/\"\nsecret = 5\n",
                "webhook[0].secret: must be a string, got 5 (line 3)"},
        // ussd, modems
        Invalid{"[ussd]\ntimeout = 0\n",
                "ussd.timeout: must be a positive duration in seconds or a string such as "
                "\"30s\", \"5m\" or \"1h30m\", got 0 (line 2)"},
        Invalid{"[modems]\npoll_interval = []\n",
                "modems.poll_interval: must be a positive duration in seconds or a string such "
                "as \"30s\", \"5m\" or \"1h30m\", got an array (line 2)"},
        Invalid{"[modems]\nrescan = 5\n",
                "modems.rescan: unknown key (known here: poll_interval, rescan_interval, "
                "down_after) (line 2)"}));

// A config file with tokens or webhook secrets that every user may read gets a warning that
// names it, its mode and the fix; a private one, or one without secrets, gets none.
}  // namespace
}  // namespace smsgw::config
