// The real `smsgw` client subcommands against a running `smsgw serve` on smsgw-sim
// (tests/integration/_harness): what an operator types, end to end.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "harness/serve_harness.hpp"

namespace smsgw::cli_serve_test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// A fixed environment, so the caller's SMSGW_TOKEN, COLUMNS or NO_COLOR never leak in.
std::vector<std::string> environment(std::vector<std::string> extra = {}) {
  std::vector<std::string> env{"PATH=/usr/bin:/bin", "LANG=C.UTF-8", "HOME=/nonexistent"};
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

harness::CommandResult smsgw(std::vector<std::string> args,
                             std::vector<std::string> extra_env = {}) {
  args.insert(args.begin(), harness::smsgw_binary());
  return harness::run_command(args, environment(std::move(extra_env)), 30s);
}

std::string describe(const harness::CommandResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\nstdout:\n" + result.out + "stderr:\n" +
         result.err;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Columns a line takes on a terminal: one per code point (the table uses no wide characters).
std::size_t columns(const std::string& line) {
  return static_cast<std::size_t>(std::count_if(line.begin(), line.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// What the simulator's balance USSD answers for modem i: 12.34 + i (tools/sim/README.md).
std::string balance_text(int modem) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f EUR", 12.34 + modem);
  return buffer;
}

std::string operator_of(harness::ServeHarness& gw, int modem) {
  return gw.sim().mccmnc(modem) == "26201" ? "Telekom" : "Vodafone";
}

// The API's modem entry on simulated port i.
json modem_on_port(harness::ServeHarness& gw, int modem) {
  for (const auto& entry : gw.modems()) {
    if (entry.value("port", "") == gw.sim().port(modem)) return entry;
  }
  ADD_FAILURE() << "no modem on " << gw.sim().port(modem) << " in " << gw.modems().dump();
  return json::object();
}

// Four SIMs, Telekom and Vodafone in turn, every one answering its balance in EUR.
harness::HarnessOptions four_modems() {
  harness::HarnessOptions options;
  options.sim.modems = 4;
  options.sim.defaults["currency"] = "EUR";
  return options;
}

TEST(CliServeModems, TableFitsEightyColumnsWithOperatorAndBalanceOfEverySim) {
  harness::ServeHarness gw(four_modems());
  const auto balance = smsgw({"balance", "--url", gw.base_url()});
  ASSERT_EQ(balance.exit_code, 0) << describe(balance);

  const auto result = smsgw({"modems", "--url", gw.base_url()});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_EQ(result.err, "");
  const auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), 5u) << result.out;  // header + one row per SIM
  for (const auto& line : lines) EXPECT_LE(columns(line), 80u) << "too wide: " << line;
  for (int i = 0; i < 4; ++i) {
    const std::string id = modem_on_port(gw, i).value("id", "?");
    const auto row = std::find_if(lines.begin() + 1, lines.end(),
                                  [&](const std::string& l) { return l.starts_with(id + " "); });
    ASSERT_NE(row, lines.end()) << "no row for " << id << ":\n" << result.out;
    EXPECT_NE(row->find(operator_of(gw, i)), std::string::npos) << *row;
    EXPECT_NE(row->find(balance_text(i)), std::string::npos) << *row;
    EXPECT_NE(row->find("ready"), std::string::npos) << *row;
  }
}

TEST(CliServeModems, JsonIsExactlyTheApisList) {
  harness::ServeHarness gw(four_modems());
  ASSERT_EQ(smsgw({"balance", "--url", gw.base_url()}).exit_code, 0);
  const auto result = smsgw({"modems", "--json", "--url", gw.base_url()});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  const auto printed = json::parse(result.out, nullptr, false);
  ASSERT_TRUE(printed.is_array()) << result.out;
  EXPECT_EQ(printed, gw.modems());
  EXPECT_EQ(printed.size(), 4u);
}

TEST(CliServeBalance, TableAndJsonGiveAmountCurrencyAndReplyOfEverySim) {
  harness::ServeHarness gw(four_modems());
  const auto table = smsgw({"balance", "--url", gw.base_url()});
  ASSERT_EQ(table.exit_code, 0) << describe(table);
  for (int i = 0; i < 4; ++i) {
    const std::string id = modem_on_port(gw, i).value("id", "?");
    const auto lines = lines_of(table.out);
    const auto row = std::find_if(lines.begin(), lines.end(),
                                  [&](const std::string& l) { return l.starts_with(id + " "); });
    ASSERT_NE(row, lines.end()) << "no row for " << id << ":\n" << table.out;
    EXPECT_NE(row->find(balance_text(i)), std::string::npos) << *row;
    EXPECT_NE(row->find("Your balance is " + balance_text(i)), std::string::npos) << *row;
  }

  const auto result = smsgw({"balance", "--json", "--url", gw.base_url()});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  const auto list = json::parse(result.out, nullptr, false);
  ASSERT_TRUE(list.is_array()) << result.out;
  ASSERT_EQ(list.size(), 4u) << result.out;
  for (int i = 0; i < 4; ++i) {
    const auto modem = modem_on_port(gw, i);
    const auto entry = std::find_if(list.begin(), list.end(), [&](const json& e) {
      return e.value("modem", "") == modem.value("id", "?");
    });
    ASSERT_NE(entry, list.end()) << result.out;
    ASSERT_TRUE(entry->at("amount").is_number()) << entry->dump();
    EXPECT_NEAR(entry->at("amount").get<double>(), 12.34 + i, 1e-9) << entry->dump();
    EXPECT_EQ(entry->value("currency", ""), "EUR");
    EXPECT_EQ(entry->value("raw", ""), "Your balance is " + balance_text(i));
    EXPECT_TRUE(entry->at("error").is_null()) << entry->dump();
    EXPECT_EQ(entry->at("iccid"), modem.at("iccid"));
    EXPECT_EQ(entry->at("imei"), modem.at("imei"));
    EXPECT_TRUE(entry->at("checked_at").is_string()) << entry->dump();
  }

  // One SIM: the list of one.
  const std::string second = modem_on_port(gw, 1).value("id", "?");
  const auto one = smsgw({"balance", "--modem", second, "--json", "--url", gw.base_url()});
  ASSERT_EQ(one.exit_code, 0) << describe(one);
  const auto single = json::parse(one.out, nullptr, false);
  ASSERT_TRUE(single.is_array() && single.size() == 1u) << one.out;
  EXPECT_EQ(single[0].value("modem", ""), second);
  EXPECT_EQ(single[0].value("raw", ""), "Your balance is " + balance_text(1));
}

TEST(CliServeSend, WaitFollowsTheMessageToDeliveredAndMessagesShowIt) {
  harness::ServeHarness gw;
  const auto sent = smsgw({"send", "--to", "+491511234567", "--text", "hello from the cli",
                           "--wait", "--url", gw.base_url()});
  ASSERT_EQ(sent.exit_code, 0) << describe(sent);
  const auto lines = lines_of(sent.out);
  ASSERT_GE(lines.size(), 2u) << sent.out;
  const std::string id = lines.front();
  EXPECT_EQ(id.size(), 26u) << sent.out;  // the message id (ULID) first
  const auto message = gw.message(id);
  EXPECT_EQ(message.value("status", ""), "delivered") << message.dump();
  // On-net: a Telekom number leaves through the Telekom SIM.
  const std::string modem = message.value("modem", "");
  EXPECT_EQ(modem, modem_on_port(gw, 0).value("id", "?"));
  EXPECT_TRUE(lines.back().ends_with(" delivered via " + modem)) << sent.out;

  const auto table = smsgw({"messages", "--url", gw.base_url()});
  ASSERT_EQ(table.exit_code, 0) << describe(table);
  const auto rows = lines_of(table.out);
  const auto row = std::find_if(rows.begin(), rows.end(),
                                [&](const std::string& l) { return l.starts_with(id + " "); });
  ASSERT_NE(row, rows.end()) << table.out;
  EXPECT_NE(row->find("+491511234567"), std::string::npos) << *row;
  EXPECT_NE(row->find("delivered"), std::string::npos) << *row;

  const auto delivered =
      smsgw({"messages", "--status", "delivered", "--json", "--url", gw.base_url()});
  ASSERT_EQ(delivered.exit_code, 0) << describe(delivered);
  EXPECT_NE(delivered.out.find("\"" + id + "\""), std::string::npos) << delivered.out;

  const auto one = smsgw({"message", id, "--url", gw.base_url()});
  ASSERT_EQ(one.exit_code, 0) << describe(one);
  for (const std::string& expected : {id, std::string("+491511234567"), std::string("delivered"),
                                      std::string("hello from the cli"), modem}) {
    EXPECT_NE(one.out.find(expected), std::string::npos) << expected << " missing in:\n" << one.out;
  }
  const auto one_json = smsgw({"message", id, "--json", "--url", gw.base_url()});
  ASSERT_EQ(one_json.exit_code, 0) << describe(one_json);
  EXPECT_EQ(json::parse(one_json.out, nullptr, false), gw.message(id));
}

TEST(CliServeSend, NationalNumberGoesOnNetAfterTheDefaultCountryCode) {
  harness::ServeHarness gw;
  const auto sent = smsgw(
      {"send", "--to", "01521234567", "--text", "national", "--wait", "--url", gw.base_url()});
  ASSERT_EQ(sent.exit_code, 0) << describe(sent);
  const auto message = gw.message(lines_of(sent.out).front());
  EXPECT_EQ(message.value("to", ""), "+491521234567");
  EXPECT_EQ(message.value("status", ""), "delivered");
  EXPECT_EQ(message.value("modem", ""), modem_on_port(gw, 1).value("id", "?"));  // Vodafone SIM
}

TEST(CliServeInbox, ShowsInjectedMessagesLongOnesWhole) {
  harness::ServeHarness gw;
  const std::string long_text(200, 'x');
  gw.sim().inject(1, "+4915112340000", "Hello inbox");
  ASSERT_EQ(gw.sim().inject(0, "+4915212340000", "long " + long_text), 2);
  harness::wait_until(
      [&] {
        const auto inbox = gw.client().get("/api/v1/inbox").json().dump();
        return inbox.find(long_text) != std::string::npos &&
               inbox.find("Hello inbox") != std::string::npos;
      },
      15s, "both messages in the inbox");

  const auto table = smsgw({"inbox", "--url", gw.base_url()});
  ASSERT_EQ(table.exit_code, 0) << describe(table);
  EXPECT_NE(table.out.find("+4915112340000"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("Hello inbox"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("+4915212340000"), std::string::npos) << table.out;

  const auto listed = smsgw({"inbox", "--json", "--url", gw.base_url()});
  ASSERT_EQ(listed.exit_code, 0) << describe(listed);
  const auto printed = json::parse(listed.out, nullptr, false);
  EXPECT_EQ(printed, gw.client().get("/api/v1/inbox").json());
  EXPECT_NE(printed.dump().find("\"long " + long_text + "\""), std::string::npos) << listed.out;
}

TEST(CliServeErrors, DaemonDownIsOneLineForEveryClientCommand) {
  harness::ServeHarness gw;
  const std::string url = gw.base_url();
  const std::string id = gw.submit_ok("+491511000001", "before the stop");
  gw.wait_status(id, {"delivered"});
  ASSERT_EQ(gw.stop_gateway(), 0) << gw.gateway_log_tail();

  const std::vector<std::vector<std::string>> commands{
      {"modems"},
      {"modems", "--json"},
      {"balance"},
      {"messages"},
      {"message", id},
      {"inbox"},
      {"ussd", "--modem", "modem0", "*100#"},
      {"send", "--to", "+491511000002", "--text", "x"}};
  for (auto args : commands) {
    args.insert(args.end(), {"--url", url});
    const auto result = smsgw(args);
    EXPECT_EQ(result.exit_code, 1) << args[0] << ": " << describe(result);
    EXPECT_EQ(result.out, "") << args[0];
    EXPECT_EQ(result.err, "smsgw: cannot reach smsgw at " + url +
                              ": connection refused; is `smsgw serve` running?\n")
        << args[0];
  }
}

TEST(CliServeErrors, WrongOrMissingTokenIsOneClearLine) {
  harness::HarnessOptions options;
  options.configure = [](harness::GatewayConfig& config) {
    config.tables["http"]["tokens"] = harness::toml_string_array({"cli-serve-token"});
  };
  harness::ServeHarness gw(options);
  const std::string refused =
      "smsgw: the token was refused (401); pass --token or set SMSGW_TOKEN\n";
  const std::string needed =
      "smsgw: the gateway needs a token (401); pass --token or set SMSGW_TOKEN\n";

  const auto wrong = smsgw({"modems", "--token", "wrong", "--url", gw.base_url()});
  EXPECT_EQ(wrong.exit_code, 1) << describe(wrong);
  EXPECT_EQ(wrong.out, "");
  EXPECT_EQ(wrong.err, refused);
  const auto missing = smsgw({"messages", "--url", gw.base_url()});
  EXPECT_EQ(missing.exit_code, 1) << describe(missing);
  EXPECT_EQ(missing.out, "");
  EXPECT_EQ(missing.err, needed);
  const auto wrong_env =
      smsgw({"send", "--to", "+491511000003", "--text", "no", "--url", gw.base_url()},
            {"SMSGW_TOKEN=stale"});
  EXPECT_EQ(wrong_env.exit_code, 1) << describe(wrong_env);
  EXPECT_EQ(wrong_env.err, refused);
  EXPECT_TRUE(gw.all_messages().empty());  // nothing was accepted

  // The right token, from the environment or from the gateway's own config file.
  const auto from_env = smsgw({"modems", "--url", gw.base_url()}, {"SMSGW_TOKEN=cli-serve-token"});
  EXPECT_EQ(from_env.exit_code, 0) << describe(from_env);
  const auto from_config = smsgw({"modems", "--json", "--config", gw.config_path().string()});
  EXPECT_EQ(from_config.exit_code, 0) << describe(from_config);
  EXPECT_EQ(json::parse(from_config.out, nullptr, false).size(), 2u) << from_config.out;
}

TEST(CliServeSendCsv, BadLinesAreReportedByNumberAndTheRestDelivered) {
  harness::ServeHarness gw;
  const auto csv = gw.dir() / "bulk.csv";
  harness::write_file(csv,
                      "number,text\n"                       // 1: header
                      "+491511000010,first\n"               // 2
                      ",no number\n"                        // 3
                      "+491521000011,\"second, quoted\"\n"  // 4
                      "+4915x,not a number\n"               // 5
                      "01511000012,third\n");               // 6
  const auto result = smsgw({"send", "--csv", csv.string(), "--url", gw.base_url()});
  EXPECT_EQ(result.exit_code, 1) << describe(result);
  EXPECT_EQ(result.out, "3 queued, 2 rejected (lines 3, 5)\n") << describe(result);
  auto errors = lines_of(result.err);
  std::sort(errors.begin(), errors.end());
  ASSERT_EQ(errors.size(), 2u) << result.err;
  EXPECT_TRUE(errors[0].starts_with("smsgw: " + csv.string() + " line 3: ")) << errors[0];
  EXPECT_TRUE(errors[1].starts_with("smsgw: " + csv.string() + " line 5: ")) << errors[1];
  EXPECT_NE(errors[1].find("+4915x"), std::string::npos) << errors[1];

  // The good lines are sent, each through an on-net SIM.
  std::map<std::string, std::string> expected{
      {"+491511000010", "first"}, {"+491521000011", "second, quoted"}, {"+491511000012", "third"}};
  harness::wait_until(
      [&] {
        const auto all = gw.all_messages();
        return all.size() == expected.size() &&
               std::all_of(all.begin(), all.end(),
                           [](const json& m) { return m.value("status", "") == "delivered"; });
      },
      15s, "the three good lines delivered");
  for (const auto& message : gw.all_messages()) {
    const auto to = message.value("to", "");
    ASSERT_TRUE(expected.count(to)) << message.dump();
    EXPECT_EQ(message.value("text", ""), expected[to]);
  }
}

}  // namespace
}  // namespace smsgw::cli_serve_test
