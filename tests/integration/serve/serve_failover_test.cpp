// Failing modems (tools/sim faults): a SIM answering +CMS ERROR, a modem that hangs, a
// modem unplugged mid-run and plugged back. Messages move to the other SIMs of the
// operator; nothing is lost and nothing leaves twice, except under the documented
// unknown-outcome rule (store.at_least_once, config/smsgw.toml).
#include <gtest/gtest.h>

#include <thread>

#include "serve_support.hpp"

namespace smsgw::serve_test {
namespace {

harness::HarnessOptions telekom_sims(int count) {
  harness::HarnessOptions options;
  options.sim.modems = count;
  options.sim.mccmnc.assign(static_cast<std::size_t>(count), "26201");
  return options;
}

// Every message in `ids` delivered, each to its own number, exactly once in sent.jsonl.
void expect_delivered_exactly_once(harness::ServeHarness& gw, const std::vector<std::string>& ids,
                                   std::chrono::milliseconds timeout = 15s) {
  for (const auto& id : ids) {
    const auto message = gw.wait_status(id, {"delivered", "failed", "expired"}, timeout);
    EXPECT_EQ(message.value("status", ""), "delivered") << message.dump();
    EXPECT_EQ(sent_to(gw.sim(), message.value("to", "")).size(), 1u)
        << "message " << id << " to " << message.value("to", "") << " left more or less than once";
  }
}

bool has_event(const json& message, const std::string& kind) {
  for (const auto& event : message.at("events")) {
    if (event.value("kind", "") == kind) return true;
  }
  return false;
}

TEST(ServeFailover, CmsErrorsMoveMessagesToAnotherSimOfTheOperator) {
  auto options = telekom_sims(2);
  // modem0 refuses every send: +CMS ERROR: 38 (network out of order).
  options.sim.modem[0] = {{"faults", {{"cms_error_probability", 1.0}, {"cms_error_codes", {38}}}}};
  options.configure = [](harness::GatewayConfig& config) {
    config.tables["routing"]["fallback"] = harness::toml_string("none");
  };
  Gateway gw(options);

  std::vector<std::string> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(gw.submit_ok(number("+49151", 600 + i), "retry me"));
  expect_delivered_exactly_once(gw, ids);
  int retried = 0;
  for (const auto& id : ids) {
    const auto message = gw.message(id);
    EXPECT_EQ(message.value("modem", ""), "modem1") << message.dump();
    if (has_event(message, "part_failed")) {
      ++retried;
      EXPECT_EQ(message.value("attempts", 0), 2) << message.dump();
      EXPECT_TRUE(has_event(message, "requeued")) << message.dump();
    }
  }
  EXPECT_GE(retried, 1) << "modem0 was never tried: the fault was not exercised";
  for (const auto& record : gw.sim().sent()) EXPECT_EQ(record.value("modem", -1), 1);
  EXPECT_EQ(gw.sim().stats(0).value("send_errors", 0), retried);
}

// Contract: all parts of one message leave through one SIM. When a later part fails, the
// parts still to send are retried through the SIM that sent the first ones; another SIM
// would hand the recipient parts from two senders that no phone can join.
TEST(ServeFailover, LongMessageFailingMidwayFinishesOnItsFirstSim) {
  auto options = telekom_sims(2);
  options.sim.defaults = {{"send_latency_ms", 400}};
  Gateway gw(options);
  const std::string to = "+491516300001";
  const std::string text(400, 'L');  // 3 parts
  const auto id = gw.submit_ok(to, text);
  harness::wait_until([&] { return !sent_to(gw.sim(), to).empty(); }, 10s, "the first part");
  const int first_modem = sent_to(gw.sim(), to).front().at("modem");
  // The first part is taken; its +CMGS comes 400 ms later. The second part is refused with
  // a cause that normally moves a message to another SIM (38: network out of order).
  gw.sim().fault(first_modem, {{"cms_error_next", 1}, {"cms_error_codes", {38}}});

  const auto message = gw.wait_status(id, {"delivered", "failed"});
  ASSERT_EQ(message.value("status", ""), "delivered") << message.dump();
  EXPECT_EQ(gw.sim().stats(first_modem).value("send_errors", 0), 1);
  std::vector<int> parts;
  for (const auto& record : sent_to(gw.sim(), to)) {
    EXPECT_EQ(record.value("modem", -1), first_modem) << "parts left through two SIMs";
    parts.push_back(record.at("concat").at("part").get<int>());
  }
  EXPECT_EQ(parts, (std::vector<int>{1, 2, 3}));
  for (const auto& part : message.at("parts")) {
    EXPECT_EQ(part.value("modem", ""), "modem" + std::to_string(first_modem)) << message.dump();
  }
}

TEST(ServeFailover, PermanentCmsErrorFailsTheMessageWithoutRetry) {
  auto options = telekom_sims(2);
  options.sim.defaults = {{"faults", {{"cms_error_probability", 1.0}, {"cms_error_codes", {1}}}}};
  Gateway gw(options);
  const auto id = gw.submit_ok("+491516100001", "to an unassigned number");
  const auto message = gw.wait_status(id, {"delivered", "failed"});
  EXPECT_EQ(message.value("status", ""), "failed");
  EXPECT_EQ(message.value("attempts", 0), 1);
  EXPECT_TRUE(message.at("error").is_string()) << message.dump();
  EXPECT_EQ(gw.sim().stats(0).value("send_errors", 0) + gw.sim().stats(1).value("send_errors", 0),
            1);
}

TEST(ServeFailover, TotallyHungModemIsRoutedAroundAndRecoversByItself) {
  auto options = telekom_sims(2);
  Gateway gw(options);
  gw.sim().fault(0, {{"hang", "total"}});

  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(gw.submit_ok(number("+49151", 700 + i), "hang on"));
  expect_delivered_exactly_once(gw, ids, 30s);
  for (const auto& record : gw.sim().sent()) EXPECT_EQ(record.value("modem", -1), 1);

  // Reopening the port clears the sim's hang: modem0 comes back without help and sends again.
  gw.wait_modems_ready(2, 30s);
  std::vector<std::string> later;
  for (int i = 0; i < 6; ++i) later.push_back(gw.submit_ok(number("+49151", 710 + i), "back"));
  expect_delivered_exactly_once(gw, later);
  int on_modem0 = 0;
  for (const auto& id : later) on_modem0 += gw.message(id).value("modem", "") == "modem0";
  EXPECT_GE(on_modem0, 1) << "modem0 was not used again after it recovered";
}

// The PDU is taken and logged, but +CMGS never comes: it may have left. Without a status
// report nothing can tell: the message stays `unknown` and is never resent by default.
TEST(ServeFailover, SendThatNeverAnswersIsUnknownAndNotResentByDefault) {
  auto options = telekom_sims(2);
  options.configure = [](harness::GatewayConfig& config) {
    config.modems.at(0)["send_timeout"] = harness::toml_string("1s");
  };
  Gateway gw(options);
  gw.sim().fault(0, {{"lost_answer_next", 1}});
  const std::string to = "+491516200001";
  const auto id =
      gw.submit_ok(to, "did it leave?", {{"modem", "modem0"}, {"status_report", false}});
  const auto message = gw.wait_status(id, {"delivered", "failed", "unknown"});
  EXPECT_EQ(message.value("status", ""), "unknown") << message.dump();
  ASSERT_EQ(message.at("parts").size(), 1u);
  EXPECT_EQ(message.at("parts").at(0).value("status", ""), "unknown") << message.dump();
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(sent_to(gw.sim(), to).size(), 1u) << "an unknown outcome was resent";
  EXPECT_EQ(gw.message(id).value("status", ""), "unknown");

  // The modem answers again after the lost answer and carries the next message.
  const auto next = gw.submit_ok("+491516200002", "after the silence", {{"modem", "modem0"}});
  EXPECT_EQ(gw.wait_status(next, {"delivered", "failed"}).value("status", ""), "delivered");
}

// The same lost answer with a status report asked for: the network's report (an MR no
// known part has, same SIM, same recipient, after the send began) settles the part, and
// the message ends as the network says, `delivered`, sent once.
TEST(ServeFailover, ALostAnswerIsSettledByTheNetworksStatusReport) {
  auto options = telekom_sims(2);
  options.configure = [](harness::GatewayConfig& config) {
    config.modems.at(0)["send_timeout"] = harness::toml_string("1s");
  };
  Gateway gw(options);
  gw.sim().fault(0, {{"lost_answer_next", 1}});
  const std::string to = "+491516200003";
  const auto id = gw.submit_ok(to, "did it leave?", {{"modem", "modem0"}});
  const auto message = gw.wait_status(id, {"delivered", "failed"}, 20s);
  EXPECT_EQ(message.value("status", ""), "delivered") << message.dump();
  EXPECT_EQ(message.at("parts").at(0).value("status", ""), "delivered") << message.dump();
  EXPECT_TRUE(message.value("error", nlohmann::json()).is_null()) << message.dump();
  bool settled = false;
  for (const auto& event : message.at("events")) settled = settled || event.value("kind", "") == "settled";
  EXPECT_TRUE(settled) << message.dump();
  EXPECT_EQ(sent_to(gw.sim(), to).size(), 1u);
}

TEST(ServeFailover, SendThatNeverAnswersIsResentElsewhereWithAtLeastOnce) {
  auto options = telekom_sims(2);
  options.configure = [](harness::GatewayConfig& config) {
    config.tables["store"]["at_least_once"] = "true";
    config.modems.at(0)["send_timeout"] = harness::toml_string("1s");
  };
  Gateway gw(options);
  gw.sim().fault(0, {{"hang", "cmgs"}});  // the PDU vanishes without an answer

  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(gw.submit_ok(number("+49151", 800 + i), "again"));
  // A swallowed PDU is not in sent.jsonl: every message is there exactly once, via modem1.
  expect_delivered_exactly_once(gw, ids, 20s);
  for (const auto& record : gw.sim().sent()) EXPECT_EQ(record.value("modem", -1), 1);
}

TEST(ServeFailover, UnpluggedModemMidRunThenReplugged) {
  auto options = telekom_sims(3);
  options.sim.defaults = {{"send_latency_ms", 80}};
  Gateway gw(options);

  std::vector<std::string> ids;
  for (int i = 0; i < 15; ++i) ids.push_back(gw.submit_ok(number("+49151", 900 + i), "unplug"));
  harness::wait_until(
      [&] {
        for (const auto& record : gw.sim().sent()) {
          if (record.value("modem", -1) == 0) return true;
        }
        return false;
      },
      10s, "a first send on modem0");
  gw.sim().unplug(0);

  // Every message reaches a final status; one in flight on modem0 when it vanished may have
  // an unknown outcome (at_least_once off: unknown, never resent); all others are delivered.
  int unknown = 0;
  for (const auto& id : ids) {
    const auto message = gw.wait_status(id, {"delivered", "failed", "sent", "unknown"}, 20s);
    const std::string to = message.value("to", "");
    const auto copies = sent_to(gw.sim(), to).size();
    if (message.value("status", "") == "unknown") {
      ++unknown;
      EXPECT_EQ(message.at("parts").at(0).value("status", ""), "unknown") << message.dump();
      EXPECT_LE(copies, 1u) << message.dump();
    } else {
      EXPECT_EQ(copies, 1u) << message.dump();
    }
  }
  EXPECT_LE(unknown, 1);
  for (const auto& modem : gw.modems()) {
    if (modem.value("id", "") == "modem0") {
      EXPECT_EQ(modem.value("state", ""), "absent");
    }
  }

  // Plugged back: ready again by itself, and used again.
  const auto before = gw.sim().sent().size();
  gw.sim().replug(0);
  gw.wait_modems_ready(3, 15s);
  std::vector<std::string> later;
  for (int i = 0; i < 9; ++i) later.push_back(gw.submit_ok(number("+49151", 950 + i), "replug"));
  expect_delivered_exactly_once(gw, later);
  int on_modem0 = 0;
  const auto sent = gw.sim().sent();
  for (std::size_t k = before; k < sent.size(); ++k) on_modem0 += sent[k].value("modem", -1) == 0;
  EXPECT_GE(on_modem0, 1) << "modem0 was not used after it came back";
}

}  // namespace
}  // namespace smsgw::serve_test
