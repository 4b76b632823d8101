// On-net routing with two operators (contract.md "Config"): a destination of Telekom leaves
// through Telekom SIMs only, shared among them; routing.fallback decides what happens when
// no on-net SIM can carry it.
#include <gtest/gtest.h>

#include <thread>

#include "serve_support.hpp"

namespace smsgw::serve_test {
namespace {

TEST(ServeRouting, EachOperatorsMessagesLeaveThroughItsOwnSimsSharedEvenly) {
  harness::HarnessOptions options;
  options.sim.modems = 4;  // modem0, modem2: Telekom (26201); modem1, modem3: Vodafone (26202)
  options.sim.defaults = {{"send_latency_ms", 30}};
  options.configure = [](harness::GatewayConfig& config) {
    // Fallback stays allowed, but far beyond this test's duration.
    config.tables["routing"]["fallback_wait"] = harness::toml_string("60s");
  };
  Gateway gw(options);

  constexpr int kEach = 8;
  std::vector<std::string> ids;
  std::set<std::string> telekom_numbers, vodafone_numbers;
  for (int i = 0; i < kEach; ++i) {
    telekom_numbers.insert(number("+49151", i));
    vodafone_numbers.insert(number("+49152", i));
    ids.push_back(gw.submit_ok(number("+49151", i), "to Telekom " + std::to_string(i)));
    ids.push_back(gw.submit_ok(number("+49152", i), "to Vodafone " + std::to_string(i)));
  }
  for (const auto& id : ids) {
    const auto message = gw.wait_status(id, {"delivered", "failed"});
    ASSERT_EQ(message.value("status", ""), "delivered") << message.dump();
    const bool telekom = message.value("to", "").rfind("+49151", 0) == 0;
    EXPECT_EQ(message.value("operator", ""), telekom ? "Telekom" : "Vodafone");
  }

  std::map<int, int> per_modem;
  for (const auto& record : gw.sim().sent()) {
    const std::string to = record.value("to", "");
    const int modem = record.at("modem");
    ++per_modem[modem];
    if (telekom_numbers.contains(to)) {
      EXPECT_TRUE(modem == 0 || modem == 2) << to << " left through modem " << modem;
    } else if (vodafone_numbers.contains(to)) {
      EXPECT_TRUE(modem == 1 || modem == 3) << to << " left through modem " << modem;
    } else {
      ADD_FAILURE() << "unexpected PDU to " << to;
    }
  }
  // Shared: every SIM carried part of its operator's traffic, none carried nearly all.
  for (int modem = 0; modem < 4; ++modem) {
    EXPECT_GE(per_modem[modem], 2) << "modem " << modem << " was left idle";
    EXPECT_LE(per_modem[modem], kEach - 2) << "modem " << modem << " took nearly all";
  }
  EXPECT_EQ(per_modem[0] + per_modem[2], kEach);
  EXPECT_EQ(per_modem[1] + per_modem[3], kEach);
}

// The Telekom SIM (modem0) is unplugged before the gateway starts; only Vodafone's modem1 is
// there.
harness::HarnessOptions without_telekom(const std::string& fallback) {
  harness::HarnessOptions options;
  options.start_gateway = false;
  options.configure = [fallback](harness::GatewayConfig& config) {
    config.tables["routing"]["fallback"] = harness::toml_string(fallback);
    config.tables["routing"]["fallback_wait"] = harness::toml_string("300ms");
  };
  return options;
}

// Unplugs the Telekom SIM, then starts the gateway with Vodafone's modem1 alone.
void start_without_telekom(Gateway& gw) {
  gw.sim().unplug(0);
  gw.start_gateway(1);
}

TEST(ServeRouting, FallbackNoneKeepsTheMessageQueuedUntilAnOnNetSimComes) {
  Gateway gw(without_telekom("none"));
  start_without_telekom(gw);

  const std::string to = "+491512000001";
  const auto id = gw.submit_ok(to, "only through Telekom");
  const auto other = gw.submit_ok("+491522000001", "Vodafone is there");
  gw.wait_status(other, {"delivered"});
  // Well past the fallback wait: still queued, nothing went out for it.
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(gw.message(id).value("status", ""), "queued");
  EXPECT_TRUE(sent_to(gw.sim(), to).empty());

  gw.sim().replug(0);
  const auto message = gw.wait_status(id, {"delivered", "failed"});
  ASSERT_EQ(message.value("status", ""), "delivered") << message.dump();
  EXPECT_EQ(message.value("modem", ""), "modem0");
  const auto sent = sent_to(gw.sim(), to);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].value("modem", -1), 0);
}

TEST(ServeRouting, FallbackAnyUsesAnOffNetSimAfterTheWait) {
  Gateway gw(without_telekom("any"));
  start_without_telekom(gw);

  const std::string to = "+491512000002";
  const auto id = gw.submit_ok(to, "any SIM will do");
  const auto message = gw.wait_status(id, {"delivered", "failed"});
  ASSERT_EQ(message.value("status", ""), "delivered") << message.dump();
  EXPECT_EQ(message.value("operator", ""), "Telekom");  // the destination's operator
  EXPECT_EQ(message.value("modem", ""), "modem1");      // carried off-net by Vodafone
  const auto sent = sent_to(gw.sim(), to);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].value("modem", -1), 1);
}

TEST(ServeRouting, DestinationOfNoOperatorGoesThroughAnySim) {
  Gateway gw;
  const auto id = gw.submit_ok("+4930123456", "landline-ish, no operator prefix");
  const auto message = gw.wait_status(id, {"delivered", "failed"});
  ASSERT_EQ(message.value("status", ""), "delivered") << message.dump();
  EXPECT_EQ(sent_to(gw.sim(), "+4930123456").size(), 1u);
}

TEST(ServeRouting, NationalNumberUsesTheDefaultCountryCode) {
  Gateway gw;
  const auto id = gw.submit_ok("01521234567", "national format");
  const auto message = gw.wait_status(id, {"delivered", "failed"});
  ASSERT_EQ(message.value("status", ""), "delivered") << message.dump();
  EXPECT_EQ(message.value("operator", ""), "Vodafone");
  const auto sent = sent_to(gw.sim(), "+491521234567");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].value("modem", -1), 1);
}

}  // namespace
}  // namespace smsgw::serve_test
