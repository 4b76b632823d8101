// Balance checks and USSD over the simulated modems (POST /api/v1/balance,
// POST /api/v1/modems/{id}/balance, POST /api/v1/modems/{id}/ussd).
#include <gtest/gtest.h>

#include "serve_support.hpp"

namespace smsgw::serve_test {
namespace {

TEST(ServeBalance, EverySimReportsItsAmountAndCurrency) {
  harness::HarnessOptions options;
  options.sim.modems = 3;  // 26201, 26202, 26201
  options.sim.modem[2] = {{"balance", 0.5}, {"balance_reply", "Guthaben: {amount} {currency}"}};
  Gateway gw(options);

  const auto response = gw.client().post("/api/v1/balance", json::object());
  ASSERT_EQ(response.status, 200) << response.describe();
  const auto list = response.json();
  ASSERT_EQ(list.size(), 3u) << response.body;
  std::map<std::string, json> by_modem;
  for (const auto& entry : list) by_modem[entry.value("modem", "")] = entry;
  ASSERT_EQ(by_modem.size(), 3u) << response.body;
  const std::map<std::string, double> expected{
      {"modem0", 12.34}, {"modem1", 13.34}, {"modem2", 0.5}};
  for (const auto& [modem, amount] : expected) {
    const auto& entry = by_modem.at(modem);
    ASSERT_TRUE(entry.at("amount").is_number()) << entry.dump();
    EXPECT_NEAR(entry.at("amount").get<double>(), amount, 1e-9) << entry.dump();
    EXPECT_EQ(entry.value("currency", ""), "EUR");
    EXPECT_TRUE(entry.at("error").is_null()) << entry.dump();
    EXPECT_TRUE(entry.at("checked_at").is_string());
    EXPECT_TRUE(entry.at("iccid").is_string());
    EXPECT_TRUE(entry.at("imei").is_string());
  }
  EXPECT_EQ(by_modem.at("modem0").value("operator", ""), "Telekom");
  EXPECT_EQ(by_modem.at("modem1").value("operator", ""), "Vodafone");
  EXPECT_NE(by_modem.at("modem2").value("raw", "").find("Guthaben"), std::string::npos);

  // The last balance is shown by GET /api/v1/modems.
  for (const auto& modem : gw.modems()) {
    ASSERT_TRUE(modem.at("balance").is_object()) << modem.dump();
    EXPECT_NEAR(modem.at("balance").at("amount").get<double>(), expected.at(modem.value("id", "")),
                1e-9);
  }

  const auto one = gw.client().post("/api/v1/modems/modem1/balance", json::object());
  ASSERT_EQ(one.status, 200) << one.describe();
  ASSERT_EQ(one.json().size(), 1u);
  EXPECT_EQ(one.json().at(0).value("modem", ""), "modem1");
}

TEST(ServeBalance, UssdCodesAnswered) {
  harness::HarnessOptions options;
  options.sim.defaults = {{"ussd", {{"*101#", "Your number is +4915100000"}}}};
  Gateway gw(options);
  const auto reply = gw.client().post("/api/v1/modems/modem0/ussd", json{{"code", "*101#"}});
  ASSERT_EQ(reply.status, 200) << reply.describe();
  EXPECT_EQ(reply.json().value("response", ""), "Your number is +4915100000");
  EXPECT_FALSE(reply.json().value("status", "").empty());
  // A code the network does not know (+CUSD: 4) is the network's answer, not a failure.
  const auto unknown = gw.client().post("/api/v1/modems/modem1/ussd", json{{"code", "*999#"}});
  ASSERT_EQ(unknown.status, 200) << unknown.describe();
  EXPECT_EQ(unknown.json().value("status", ""), "unsupported") << unknown.body;
  EXPECT_EQ(unknown.json().value("response", "?"), "") << unknown.body;
  EXPECT_EQ(gw.sim().stats(0).value("ussd", 0), 1);
}

TEST(ServeBalance, ModemsListShowsIdentityFromTheSims) {
  Gateway gw;
  const auto modems = gw.modems();
  ASSERT_EQ(modems.size(), 2u);
  const auto info = gw.sim().ctl_ok({{"cmd", "info"}});
  for (const auto& modem : modems) {
    const int index = modem.value("id", "") == "modem0" ? 0 : 1;
    const auto& sim = info.at("modems").at(static_cast<std::size_t>(index));
    EXPECT_EQ(modem.value("state", ""), "ready");
    EXPECT_EQ(modem.value("imei", ""), sim.value("imei", ""));
    EXPECT_EQ(modem.value("imsi", ""), gw.sim().imsi(index));
    EXPECT_EQ(modem.at("operator").value("mccmnc", ""), gw.sim().mccmnc(index));
    EXPECT_EQ(modem.at("operator").value("name", ""), index == 0 ? "Telekom" : "Vodafone");
    EXPECT_EQ(modem.value("port", ""), gw.sim().port(index));
    EXPECT_FALSE(modem.value("iccid", "").empty());
  }
}

}  // namespace
}  // namespace smsgw::serve_test
