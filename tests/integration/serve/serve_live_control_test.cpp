// Live control against `smsgw serve` on smsgw-sim: a paused SIM carries nothing until it is
// resumed, also across a restart of serve (the pause is stored by ICCID); a reset recovers
// a hung modem at once; modem.down and modem.up reach a webhook when a modem is unplugged
// for longer than [modems] down_after and comes back.
#include <gtest/gtest.h>

#include <thread>

#include "harness/webhook_receiver.hpp"
#include "serve_support.hpp"

namespace smsgw::serve_test {
namespace {

json modem_by_id(const harness::ServeHarness& gw, const std::string& id) {
  for (const auto& modem : gw.modems()) {
    if (modem.value("id", "") == id) return modem;
  }
  return json();
}

std::string metrics_text(const harness::ServeHarness& gw) {
  const auto response = gw.client().get("/metrics");
  EXPECT_EQ(response.status, 200);
  return response.body;
}

TEST(ServeLiveControl, PausedSimCarriesNothingUntilResumedAlsoAcrossARestart) {
  Gateway gw;
  const auto paused = gw.run_cli({"modem", "pause", "modem0"});
  ASSERT_EQ(paused.exit_code, 0) << paused.out << paused.err;
  EXPECT_NE(paused.out.find("modem0: paused by local"), std::string::npos) << paused.out;

  const auto modem = modem_by_id(gw, "modem0");
  EXPECT_EQ(modem.value("paused", json()), "manual") << modem.dump();
  EXPECT_EQ(modem.value("paused_by", json()), "local");
  ASSERT_TRUE(modem.at("paused_at").is_string()) << modem.dump();
  const std::string paused_at = modem.at("paused_at");
  EXPECT_TRUE(modem_by_id(gw, "modem1").at("paused").is_null());
  EXPECT_NE(metrics_text(gw).find("smsgw_modem_paused{modem=\"modem0\",reason=\"manual\"} 1"),
            std::string::npos);
  const auto table = gw.run_cli({"modems"});
  EXPECT_NE(table.out.find("paused by local"), std::string::npos) << table.out;

  // Pinned to the paused SIM: waits (not failed). Of its operator but not pinned: goes
  // through the other SIM (fallback "any").
  const std::string pinned_to = "+491513300001";
  const auto pinned = gw.submit_ok(pinned_to, "wait for me", {{"modem", "modem0"}});
  const auto other = gw.submit_ok("+491513300002", "go elsewhere");
  const auto delivered = gw.wait_status(other, {"delivered", "failed"}, 20s);
  EXPECT_EQ(delivered.value("status", ""), "delivered") << delivered.dump();
  EXPECT_EQ(count_by_modem(sent_to(gw.sim(), "+491513300002")), (std::map<int, int>{{1, 1}}));
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(gw.message(pinned).value("status", ""), "queued");
  EXPECT_TRUE(sent_to(gw.sim(), pinned_to).empty());

  // A restart keeps the pause, with its who and when.
  ASSERT_EQ(gw.stop_gateway(), 0) << gw.gateway_log_tail();
  gw.start_gateway();
  const auto after = modem_by_id(gw, "modem0");
  EXPECT_EQ(after.value("paused", json()), "manual") << after.dump();
  EXPECT_EQ(after.value("paused_by", json()), "local");
  EXPECT_EQ(after.value("paused_at", json()), paused_at);
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(gw.message(pinned).value("status", ""), "queued");
  EXPECT_TRUE(sent_to(gw.sim(), pinned_to).empty());

  // Resumed: the waiting message leaves through its SIM.
  const auto resumed = gw.client().post("/api/v1/modems/modem0/resume", json::object());
  ASSERT_EQ(resumed.status, 200) << resumed.body;
  EXPECT_TRUE(resumed.json().at("paused").is_null()) << resumed.body;
  EXPECT_TRUE(resumed.json().at("paused_by").is_null());
  const auto sent = gw.wait_status(pinned, {"delivered", "failed"});
  EXPECT_EQ(sent.value("status", ""), "delivered") << sent.dump();
  EXPECT_EQ(count_by_modem(sent_to(gw.sim(), pinned_to)), (std::map<int, int>{{0, 1}}));
  EXPECT_NE(metrics_text(gw).find("smsgw_modem_paused{modem=\"modem0\",reason=\"manual\"} 0"),
            std::string::npos);
}

TEST(ServeLiveControl, UnknownModemIs404ForEveryAction) {
  Gateway gw;
  for (const char* action : {"pause", "resume", "reset"}) {
    const auto response =
        gw.client().post(std::string("/api/v1/modems/nope/") + action, json::object());
    EXPECT_EQ(response.status, 404) << action << " " << response.body;
  }
  const auto cli = gw.run_cli({"modem", "reset", "nope"});
  EXPECT_EQ(cli.exit_code, 1);
  EXPECT_NE(cli.err.find("no modem with id \"nope\""), std::string::npos) << cli.err;
}

// A pause belongs to the SIM: a modem whose SIM was never read (here: PIN-locked, and the
// config has no PIN) cannot be paused, and the answer says why.
TEST(ServeLiveControl, ModemWithoutAKnownIccidCannotBePaused) {
  harness::HarnessOptions options;
  options.sim.modem[0] = {{"pin", "1234"}};
  options.expect_ready = 1;
  Gateway gw(options);
  EXPECT_TRUE(modem_by_id(gw, "modem0").at("iccid").is_null());
  const auto response = gw.client().post("/api/v1/modems/modem0/pause", json::object());
  EXPECT_EQ(response.status, 409) << response.body;
  EXPECT_EQ(response.json().at("error").value("code", ""), "conflict");
  EXPECT_NE(response.json().at("error").value("message", "").find("ICCID is not known"),
            std::string::npos)
      << response.body;
  const auto cli = gw.run_cli({"modem", "pause", "modem0"});
  EXPECT_EQ(cli.exit_code, 1);
  EXPECT_NE(cli.err.find("ICCID is not known"), std::string::npos) << cli.err;
}

// A totally hung modem answers nothing; the actor would find out only at its next poll or
// send. A reset reopens the port at once (which the simulator, like a real USB modem,
// takes as a fresh start), cycles the radio and initialises it: the next message leaves
// at its first attempt.
TEST(ServeLiveControl, ResetRecoversAHungModem) {
  harness::HarnessOptions options;
  options.sim.modems = 1;
  Gateway gw(options);
  gw.sim().fault(0, {{"hang", "total"}});
  ASSERT_EQ(gw.sim().stats(0).at("faults").value("hang", ""), "total");

  const auto reset = gw.run_cli({"modem", "reset", "modem0"});
  ASSERT_EQ(reset.exit_code, 0) << reset.out << reset.err;
  EXPECT_NE(reset.out.find("modem0: reset started"), std::string::npos) << reset.out;
  harness::wait_until([&] { return gw.sim().stats(0).at("faults").value("hang", "") == "none"; },
                      10s, "the port to be reopened");
  gw.wait_modems_ready(1);

  const std::string to = "+491513400001";
  const auto id = gw.submit_ok(to, "after the reset", {{"modem", "modem0"}});
  const auto message = gw.wait_status(id, {"delivered", "failed"});
  EXPECT_EQ(message.value("status", ""), "delivered") << message.dump();
  EXPECT_EQ(message.value("attempts", 0), 1) << message.dump();
  EXPECT_EQ(sent_to(gw.sim(), to).size(), 1u);
}

TEST(ServeLiveControl, ModemDownAndUpReachTheWebhook) {
  harness::WebhookReceiver receiver;
  harness::HarnessOptions options;
  options.configure = [&](harness::GatewayConfig& config) {
    config.tables["modems"]["down_after"] = harness::toml_string("2s");
    config.extra_toml = "[[webhook]]\nurl = " + harness::toml_string(receiver.url("/modems")) +
                        "\nevents = [\"modem.down\", \"modem.up\"]\n";
  };
  Gateway gw(options);
  const std::string iccid = modem_by_id(gw, "modem0").value("iccid", "");
  ASSERT_FALSE(iccid.empty());

  const auto unplugged_at = std::chrono::steady_clock::now();
  gw.sim().unplug(0);
  auto events_named = [](const std::vector<harness::ReceivedRequest>& requests,
                         const std::string& name) {
    std::vector<json> out;
    for (const auto& r : requests) {
      const auto body = r.json();
      if (body.value("event", "") == name) out.push_back(body.at("data"));
    }
    return out;
  };
  ASSERT_TRUE(receiver.wait_until(
      [&](const auto& requests) { return !events_named(requests, "modem.down").empty(); }, 15s))
      << gw.gateway_log_tail();
  EXPECT_GE(std::chrono::steady_clock::now() - unplugged_at, 2s);
  std::this_thread::sleep_for(1s);  // one event per outage, however its states change
  const auto downs = events_named(receiver.requests(), "modem.down");
  ASSERT_EQ(downs.size(), 1u);
  const auto& down = downs.front();
  EXPECT_EQ(down.value("modem", ""), "modem0");
  EXPECT_EQ(down.value("iccid", ""), iccid);
  EXPECT_EQ(down.value("operator", json()), "Telekom");
  EXPECT_NE(down.value("state", ""), "ready");
  EXPECT_TRUE(down.at("since").is_string());
  EXPECT_TRUE(down.at("last_error").is_string()) << down.dump();  // the lost port
  EXPECT_FALSE(down.value("port", "").empty());

  gw.sim().replug(0);
  ASSERT_TRUE(receiver.wait_until(
      [&](const auto& requests) { return !events_named(requests, "modem.up").empty(); }, 20s))
      << gw.gateway_log_tail();
  const auto up = events_named(receiver.requests(), "modem.up").front();
  EXPECT_EQ(up.value("modem", ""), "modem0");
  EXPECT_EQ(up.value("state", ""), "ready");
  EXPECT_EQ(up.value("down_since", json()), down.at("since"));
  // modem1 stayed up: nothing about it.
  for (const auto& r : receiver.requests()) {
    EXPECT_EQ(r.json().at("data").value("modem", ""), "modem0") << r.body;
  }
}

}  // namespace
}  // namespace smsgw::serve_test
