// Low balance: with [[operator]] balance.interval and low_balance, the gateway checks every
// SIM's balance as soon as it is ready; a SIM under the threshold is paused for sending
// (GET /api/v1/modems "paused": "low_balance"), raises one sim.low_balance webhook, and its
// operator's messages wait (fallback "none") or leave through another operator's SIM after
// fallback_wait (fallback "any"). Balances show in /metrics and `smsgw balance --json`.
#include <gtest/gtest.h>

#include <sstream>
#include <thread>

#include "harness/webhook_receiver.hpp"
#include "serve_support.hpp"

namespace smsgw::serve_test {
namespace {

constexpr double kThreshold = 13.0;
// The simulator's balance replies: "Your balance is 12.34 EUR" (modem0, Telekom) and
// 13.34 (modem1, Vodafone).
const std::map<std::string, double> kBalances{{"modem0", 12.34}, {"modem1", 13.34}};

harness::HarnessOptions low_balance_options(const harness::WebhookReceiver& receiver,
                                            const std::string& fallback) {
  harness::HarnessOptions options;
  options.sim.modem[0] = {{"balance", kBalances.at("modem0")}, {"currency", "EUR"}};
  options.sim.modem[1] = {{"balance", kBalances.at("modem1")}, {"currency", "EUR"}};
  const std::string url = receiver.url();
  options.configure = [url, fallback](harness::GatewayConfig& config) {
    const std::string balance =
        "{ ussd = \"*100#\", pattern = \"([0-9]+[.,][0-9]+)\", currency = \"EUR\", "
        "interval = \"1h\", low_balance = 13.0 }";
    for (auto& op : config.operators) op.keys["balance"] = balance;
    config.tables["routing"]["fallback"] = harness::toml_string(fallback);
    config.tables["routing"]["fallback_wait"] = harness::toml_string("1s");
    config.extra_toml =
        "[[webhook]]\nurl = " + harness::toml_string(url) + "\nevents = [\"sim.low_balance\"]\n";
  };
  return options;
}

// GET /api/v1/modems by id, once both balances were checked and modem0 is paused.
std::map<std::string, json> wait_checked_and_paused(const harness::ServeHarness& gw) {
  std::map<std::string, json> by_id;
  harness::wait_until(
      [&] {
        by_id.clear();
        for (const auto& modem : gw.modems()) by_id[modem.value("id", "")] = modem;
        for (const auto& [id, amount] : kBalances) {
          if (!by_id.contains(id) || !by_id[id].at("balance").is_object()) return false;
        }
        return by_id["modem0"].value("paused", json()) == "low_balance";
      },
      10s, "both balances checked at start and modem0 paused");
  return by_id;
}

std::vector<json> low_balance_hooks(const harness::WebhookReceiver& receiver) {
  std::vector<json> hooks;
  for (const auto& request : receiver.accepted()) {
    const auto body = request.json();
    EXPECT_EQ(body.value("event", ""), "sim.low_balance") << request.body;
    hooks.push_back(body.value("data", json()));
  }
  return hooks;
}

TEST(ServeLowBalance, SimUnderTheThresholdIsPausedAndReported) {
  harness::WebhookReceiver receiver;
  Gateway gw(low_balance_options(receiver, "none"));

  // Checked at start, without any request: modem0 paused, modem1 not.
  auto modems = wait_checked_and_paused(gw);
  for (const auto& [id, amount] : kBalances) {
    const auto& balance = modems.at(id).at("balance");
    EXPECT_NEAR(balance.at("amount").get<double>(), amount, 1e-9) << modems.at(id).dump();
    EXPECT_EQ(balance.value("currency", ""), "EUR");
  }
  EXPECT_TRUE(modems.at("modem1").at("paused").is_null()) << modems.at("modem1").dump();

  // One sim.low_balance for modem0, none for modem1.
  ASSERT_TRUE(receiver.wait_until([](const auto& r) { return !r.empty(); }, 10s))
      << gw.gateway_log_tail();
  std::this_thread::sleep_for(300ms);
  auto hooks = low_balance_hooks(receiver);
  ASSERT_EQ(hooks.size(), 1u) << json(hooks).dump();
  const auto& data = hooks.front();
  EXPECT_EQ(data.value("modem", ""), "modem0");
  EXPECT_EQ(data.value("iccid", ""), modems.at("modem0").value("iccid", "?"));
  EXPECT_FALSE(data.value("iccid", "").empty());
  ASSERT_TRUE(data.at("amount").is_number()) << data.dump();
  EXPECT_NEAR(data.at("amount").get<double>(), 12.34, 1e-9);
  EXPECT_EQ(data.value("currency", ""), "EUR");
  ASSERT_TRUE(data.at("threshold").is_number()) << data.dump();
  EXPECT_NEAR(data.at("threshold").get<double>(), kThreshold, 1e-9);

  // A Telekom message does not leave through the paused Telekom SIM, nor (fallback "none")
  // through the Vodafone one; a Vodafone message still goes out.
  const std::string telekom = "+491517700001";
  const auto waiting = gw.submit_ok(telekom, "no credit for this");
  const auto vodafone = gw.submit_ok("+491527700001", "the other SIM still works");
  EXPECT_EQ(gw.wait_status(vodafone, {"delivered", "failed"}).value("status", ""), "delivered");
  std::this_thread::sleep_for(1500ms);  // past fallback_wait
  EXPECT_EQ(gw.message(waiting).value("status", ""), "queued");
  EXPECT_TRUE(sent_to(gw.sim(), telekom).empty()) << json(sent_to(gw.sim(), telekom)).dump();
  EXPECT_EQ(count_by_modem(gw.sim().sent()), (std::map<int, int>{{1, 1}}));

  // /metrics: both balances.
  const auto metrics = gw.client().get("/metrics");
  ASSERT_EQ(metrics.status, 200) << metrics.describe();
  std::map<std::string, double> metric_balances;
  std::istringstream lines(metrics.body);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("smsgw_modem_balance{")) continue;
    EXPECT_NE(line.find("currency=\"EUR\""), std::string::npos) << line;
    const auto id_at = line.find("modem=\"") + 7;
    metric_balances[line.substr(id_at, line.find('"', id_at) - id_at)] =
        std::stod(line.substr(line.rfind(' ') + 1));
  }
  ASSERT_EQ(metric_balances.size(), 2u) << metrics.body;
  for (const auto& [id, amount] : kBalances) EXPECT_NEAR(metric_balances.at(id), amount, 1e-9);

  // `smsgw balance --json` checks again and lists both SIMs.
  const auto cli = gw.run_cli({"balance", "--json"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  const auto list = json::parse(cli.out, nullptr, false);
  ASSERT_TRUE(list.is_array()) << cli.out;
  ASSERT_EQ(list.size(), 2u) << cli.out;
  for (const auto& entry : list) {
    const std::string id = entry.value("modem", "");
    ASSERT_TRUE(kBalances.contains(id)) << entry.dump();
    ASSERT_TRUE(entry.at("amount").is_number()) << entry.dump();
    EXPECT_NEAR(entry.at("amount").get<double>(), kBalances.at(id), 1e-9);
    EXPECT_EQ(entry.value("currency", ""), "EUR");
    EXPECT_TRUE(entry.at("error").is_null()) << entry.dump();
  }
  // Still low: still paused, and no second webhook for the same SIM.
  for (const auto& modem : gw.modems()) {
    EXPECT_EQ(modem.value("paused", json()),
              modem.value("id", "") == "modem0" ? json("low_balance") : json())
        << modem.dump();
  }
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(low_balance_hooks(receiver).size(), 1u);
  EXPECT_EQ(gw.message(waiting).value("status", ""), "queued");
}

TEST(ServeLowBalance, FallbackAnyCarriesTheMessageThroughAnotherOperatorsSim) {
  harness::WebhookReceiver receiver;
  Gateway gw(low_balance_options(receiver, "any"));
  wait_checked_and_paused(gw);

  const std::string telekom = "+491517700002";
  const auto id = gw.submit_ok(telekom, "through Vodafone");
  EXPECT_EQ(gw.wait_status(id, {"delivered", "failed"}).value("status", ""), "delivered");
  const auto records = sent_to(gw.sim(), telekom);
  ASSERT_EQ(records.size(), 1u) << json(records).dump();
  EXPECT_EQ(records.front().value("modem", -1), 1) << "left through the paused SIM";
  EXPECT_EQ(count_by_modem(gw.sim().sent()).count(0), 0u);
}

}  // namespace
}  // namespace smsgw::serve_test
