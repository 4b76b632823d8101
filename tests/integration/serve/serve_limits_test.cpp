// Operator limits (contract.md [[operator]] limits, per SIM): no SIM sends more than its
// limit, the rest waits queued, or moves to an off-net SIM with fallback "any".
#include <gtest/gtest.h>

#include <thread>

#include "serve_support.hpp"

namespace smsgw::serve_test {
namespace {

int count_status(harness::ServeHarness& gw, const std::vector<std::string>& ids,
                 const std::string& status) {
  int n = 0;
  for (const auto& id : ids) n += gw.message(id).value("status", "") == status;
  return n;
}

// Two Telekom SIMs (modem0, modem1) that may send once a day each and one Vodafone SIM
// (modem2); [routing] fallback = `fallback`, and fallback_wait = `fallback_wait` if given.
harness::HarnessOptions telekom_once_a_day(const std::string& fallback,
                                           const std::string& fallback_wait = "") {
  harness::HarnessOptions options;
  options.sim.modems = 3;
  options.sim.mccmnc = {"26201", "26201", "26202"};
  options.configure = [fallback, fallback_wait](harness::GatewayConfig& config) {
    config.op("Telekom").keys["limits"] = "{ per_day = 1 }";
    config.tables["routing"]["fallback"] = harness::toml_string(fallback);
    if (!fallback_wait.empty()) {
      config.tables["routing"]["fallback_wait"] = harness::toml_string(fallback_wait);
    }
  };
  return options;
}

// per_minute is a smooth rate with a burst of 1 (scheduler/rate_limiter.hpp): with 2 a
// minute each SIM sends one message now and the next 30 s later.
TEST(ServeLimits, PerMinuteCapsEverySimAndTheRestWaits) {
  harness::HarnessOptions options;
  options.sim.modems = 2;
  options.sim.mccmnc = {"26201", "26201"};
  options.configure = [](harness::GatewayConfig& config) {
    config.op("Telekom").keys["limits"] = "{ per_minute = 2 }";
  };
  Gateway gw(options);

  std::vector<std::string> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(gw.submit_ok(number("+49151", 300 + i), "limited"));
  harness::wait_until([&] { return gw.sim().sent().size() >= 2; }, 10s, "two sends");
  std::this_thread::sleep_for(1500ms);  // time for more sends, if the limit leaked

  const auto sent = gw.sim().sent();
  EXPECT_EQ(sent.size(), 2u);
  const auto counts = count_by_modem(sent);
  EXPECT_EQ(counts.size(), 2u) << "both SIMs take their share";
  for (const auto& [modem, count] : counts) {
    EXPECT_EQ(count, 1) << "modem " << modem << " went over per_minute = 2";
  }
  EXPECT_EQ(count_status(gw, ids, "queued"), 4);
  for (const auto& modem : gw.modems()) EXPECT_EQ(modem.value("sent_today", -1), 1) << modem;
}

TEST(ServeLimits, PerDayExhaustedLeavesMessagesQueuedWithFallbackNone) {
  Gateway gw(telekom_once_a_day("none"));

  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(gw.submit_ok(number("+49151", 400 + i), "daily"));
  harness::wait_until([&] { return gw.sim().sent().size() >= 2; }, 10s, "two sends");
  std::this_thread::sleep_for(1000ms);

  const auto sent = gw.sim().sent();
  ASSERT_EQ(sent.size(), 2u);
  const auto counts = count_by_modem(sent);
  EXPECT_EQ(counts.at(0), 1);
  EXPECT_EQ(counts.at(1), 1);
  EXPECT_FALSE(counts.contains(2)) << "the Vodafone SIM carried a Telekom message";
  EXPECT_EQ(count_status(gw, ids, "queued"), 2);
}

TEST(ServeLimits, PerDayExhaustedMovesToAnOffNetSimWithFallbackAny) {
  Gateway gw(telekom_once_a_day("any", "200ms"));

  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(gw.submit_ok(number("+49151", 500 + i), "daily"));
  for (const auto& id : ids) {
    const auto message = gw.wait_status(id, {"delivered", "failed"});
    EXPECT_EQ(message.value("status", ""), "delivered") << message.dump();
  }
  const auto counts = count_by_modem(gw.sim().sent());
  EXPECT_EQ(counts.at(0), 1);
  EXPECT_EQ(counts.at(1), 1);
  EXPECT_EQ(counts.at(2), 2);  // the two over the Telekom SIMs' limit
}

TEST(ServeLimits, ModemLimitOverridesTheOperatorsAndPartsCount) {
  harness::HarnessOptions options;
  options.sim.modems = 1;
  options.configure = [](harness::GatewayConfig& config) {
    config.op("Telekom").keys["limits"] = "{ per_minute = 100 }";
    config.modems.at(0)["limits"] = "{ per_minute = 3 }";
  };
  Gateway gw(options);
  std::string two_parts(200, 'x');
  const auto first = gw.submit_ok("+491516000001", two_parts);   // 2 parts
  const auto second = gw.submit_ok("+491516000002", two_parts);  // 2 more: over 3 a minute
  gw.wait_status(first, {"delivered"});
  std::this_thread::sleep_for(1000ms);
  EXPECT_EQ(gw.message(second).value("status", ""), "queued");
  EXPECT_EQ(gw.sim().sent().size(), 2u);
}

}  // namespace
}  // namespace smsgw::serve_test
