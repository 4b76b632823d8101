// The modem actor against the real smsgw-sim binary over pseudo-terminals: init per
// personality, send with MR and a matched status report, inbound via +CMTI, USSD in each
// encoding, +CMS ERROR classes, hangs and recovery, unplug in the middle of a send,
// garbage and URC floods during sends.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "actor_rig.hpp"
#include "smsgw/modem/modem.hpp"

namespace smsgw::modem {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

// ------------------------------------------------------------------ the simulator process

class Simulator {
 public:
  Simulator(const std::string& personality, const json& modem_settings) {
    char pattern[] = "/tmp/smsgw-modem-it-XXXXXX";
    dir_ = ::mkdtemp(pattern);
    json config{{"defaults", modem_settings}};
    std::ofstream(dir_ / "config.json") << config.dump();
    int out[2];
    if (::pipe(out) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      const int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, STDERR_FILENO);
      ::close(out[0]);
      ::close(out[1]);
      const std::string binary = SMSGW_SIM_BINARY;
      const std::string dir = dir_.string();
      const std::string config_path = (dir_ / "config.json").string();
      ::execl(binary.c_str(), binary.c_str(), "--dir", dir.c_str(), "--modems", "1",
              "--personality", personality.c_str(), "--config", config_path.c_str(), nullptr);
      ::_exit(127);
    }
    ::close(out[1]);
    out_ = out[0];
    // Wait for "ready".
    std::string seen;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (seen.find("ready") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd fd{out_, POLLIN, 0};
      if (::poll(&fd, 1, 100) <= 0) continue;
      char buffer[256];
      const auto got = ::read(out_, buffer, sizeof buffer);
      if (got <= 0) break;
      seen.append(buffer, static_cast<std::size_t>(got));
    }
    ready_ = seen.find("ready") != std::string::npos;
    if (ready_) {
      std::ifstream in(dir_ / "sim.json");
      description_ = json::parse(in, nullptr, false);
    }
  }

  ~Simulator() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    if (out_ >= 0) ::close(out_);
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  [[nodiscard]] bool ready() const { return ready_; }
  [[nodiscard]] const json& modem() const { return description_["modems"][0]; }
  [[nodiscard]] std::string port() const { return (dir_ / "modem0").string(); }
  [[nodiscard]] fs::path dir() const { return dir_; }

  // One control command; the answer line as JSON.
  json control(json request) const {
    request["modem"] = 0;
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const auto path = (dir_ / "control.sock").string();
    std::snprintf(address.sun_path, sizeof address.sun_path, "%s", path.c_str());
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::close(fd);
      return json{{"ok", false}, {"error", "connect"}};
    }
    const std::string line = request.dump() + "\n";
    (void)::write(fd, line.data(), line.size());
    std::string answer;
    char c = 0;
    pollfd pfd{fd, POLLIN, 0};
    while (::poll(&pfd, 1, 5000) > 0 && ::read(fd, &c, 1) == 1 && c != '\n') answer.push_back(c);
    ::close(fd);
    return json::parse(answer, nullptr, false);
  }

  // Lines of sent.jsonl: every PDU the simulated network accepted.
  [[nodiscard]] std::vector<json> sent_log() const {
    std::vector<json> lines;
    std::ifstream in(dir_ / "sent.jsonl");
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) lines.push_back(json::parse(line, nullptr, false));
    }
    return lines;
  }

 private:
  fs::path dir_;
  pid_t pid_ = -1;
  int out_ = -1;
  bool ready_ = false;
  json description_;
};

// ------------------------------------------------------------------ the actor under test

ModemSettings settings_for(const std::string& port) {
  ModemSettings settings;
  settings.id = "sim0";
  settings.port = port;
  settings.send_timeout = 3s;
  settings.command_timeout = 2s;
  settings.long_command_timeout = 3s;
  settings.prompt_timeout = 2s;
  settings.probe_timeout = 500ms;
  settings.probe_attempts = 4;
  settings.poll_interval = 60s;
  settings.ussd_timeout = 5s;
  settings.ussd_release_grace = 300ms;
  settings.backoff_initial = 100ms;
  settings.backoff_max = 500ms;
  settings.absent_poll = 50ms;
  settings.reboot_wait = 300ms;
  return settings;
}

// The actor on the simulator's port, with the longer limits a real process needs.
class Rig : public testing::ActorRig {
 public:
  Rig(const std::string& personality, json modem_settings = json::object(),
      const std::function<void(ModemSettings&)>& tune = {})
      : sim(personality, modem_settings) {
    spdlog::set_level(spdlog::level::warn);
    auto settings = settings_for(sim.port());
    if (tune) tune(settings);
    create(std::move(settings));
  }
  ~Rig() override { shutdown(); }

  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 10s) {
    return ActorRig::run_until(done, limit);
  }
  bool ready(std::chrono::milliseconds limit = 10s) { return ActorRig::ready(limit); }

  template <class T>
  std::optional<T> await(awaitable<T> task, std::chrono::milliseconds limit = 15s) {
    return try_await(std::move(task), limit);
  }

  // Sends the parts of `text` one by one, as the dispatcher does, and stops at the first
  // that is not sent: one result per attempted part.
  std::vector<PartResult> send(std::string_view text, bool status_report = false) {
    pdu::SubmitOptions options;
    options.status_report = status_report;
    auto encoded = pdu::encode_submit("+4917012345678", text, options);
    EXPECT_TRUE(encoded);
    std::vector<PartResult> results;
    if (!encoded) return results;
    for (const auto& part : encoded->parts) {
      auto result = await(actor->send(part));
      EXPECT_TRUE(result.has_value()) << "send did not complete";
      if (!result) break;
      results.push_back(std::move(*result));
      if (results.back().outcome != PartResult::Outcome::sent) break;
    }
    return results;
  }

  Simulator sim;
};

// ------------------------------------------------------------------ per personality

class ModemSimPerPersonality : public ::testing::TestWithParam<std::string> {};

TEST_P(ModemSimPerPersonality, InitReportsTheSimulatedIdentity) {
  Rig rig(GetParam());
  ASSERT_TRUE(rig.sim.ready());
  rig.start();
  ASSERT_TRUE(rig.ready());
  const auto& snap = rig.actor->snapshot();
  EXPECT_EQ(snap.profile, GetParam());
  EXPECT_EQ(snap.imei, rig.sim.modem()["imei"].get<std::string>());
  EXPECT_EQ(snap.imsi, rig.sim.modem()["imsi"].get<std::string>());
  EXPECT_EQ(snap.mccmnc, rig.sim.modem()["mccmnc"].get<std::string>());
  EXPECT_EQ(snap.iccid, rig.sim.modem()["iccid"].get<std::string>());
  EXPECT_EQ(snap.registration, "home");
  EXPECT_TRUE(snap.dbm.has_value());
}

TEST_P(ModemSimPerPersonality, SendGetsMrAndTheMatchingStatusReport) {
  Rig rig(GetParam(), json{{"status_report_latency_ms", 100}});
  ASSERT_TRUE(rig.sim.ready());
  rig.start();
  ASSERT_TRUE(rig.ready());
  const auto results = rig.send("status please", true);
  ASSERT_EQ(results.size(), 1u);
  ASSERT_EQ(results[0].outcome, PartResult::Outcome::sent);
  ASSERT_TRUE(rig.run_until([&] { return !rig.listener.reports.empty(); }));
  EXPECT_EQ(rig.listener.reports[0].report.message_reference, results[0].mr);
  EXPECT_EQ(rig.listener.reports[0].report.status_class, pdu::StatusClass::delivered);
  const auto log = rig.sim.sent_log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0]["mr"], results[0].mr);
}

TEST_P(ModemSimPerPersonality, InboundMessageIsReadHandedOverAndDeleted) {
  Rig rig(GetParam());
  ASSERT_TRUE(rig.sim.ready());
  rig.start();
  ASSERT_TRUE(rig.ready());
  auto answer = rig.sim.control(
      json{{"cmd", "inject"}, {"from", "+4915112345678"}, {"text", "hello gateway"}});
  ASSERT_EQ(answer["ok"], true) << answer.dump();
  ASSERT_TRUE(rig.run_until([&] { return !rig.listener.inbound.empty(); }));
  EXPECT_EQ(rig.listener.inbound[0].deliver.user_data.text, "hello gateway");
  EXPECT_EQ(rig.listener.inbound[0].deliver.from.text, "+4915112345678");
  EXPECT_EQ(rig.actor->snapshot().received_total, 1u);
}

TEST_P(ModemSimPerPersonality, UssdBalanceInThePersonalitysEncoding) {
  Rig rig(GetParam(), json{{"ussd_latency_ms", 100}, {"balance", 12.34}, {"currency", "EUR"}});
  ASSERT_TRUE(rig.sim.ready());
  rig.start();
  ASSERT_TRUE(rig.ready());
  auto reply = rig.await(rig.actor->ussd("*100#"));
  ASSERT_TRUE(reply.has_value());
  ASSERT_TRUE(*reply) << reply->error().message;
  EXPECT_EQ((*reply)->text, "Your balance is 12.34 EUR");
}

INSTANTIATE_TEST_SUITE_P(Personalities, ModemSimPerPersonality,
                         ::testing::Values("generic", "huawei", "zte", "simcom", "quectel"));

// ------------------------------------------------------------------ faults

TEST(ModemSimFaults, StoredMessagesAreSweptAtStart) {
  Rig rig("generic",
          json{{"stored",
                json::array({json{{"from", "+4915199999999"}, {"text", "waiting since boot"}}})}});
  ASSERT_TRUE(rig.sim.ready());
  rig.start();
  ASSERT_TRUE(rig.ready());
  ASSERT_EQ(rig.listener.inbound.size(), 1u);
  EXPECT_EQ(rig.listener.inbound[0].deliver.user_data.text, "waiting since boot");
}

TEST(ModemSimFaults, CmsErrorsFailThePart) {
  Rig rig("generic");
  ASSERT_TRUE(rig.sim.ready());
  rig.start();
  ASSERT_TRUE(rig.ready());
  const std::vector<int> codes = {38, 42, 21};
  for (const int code : codes) {
    auto answer = rig.sim.control(
        json{{"cmd", "fault"}, {"cms_error_codes", json::array({code})}, {"cms_error_next", 1}});
    ASSERT_EQ(answer["ok"], true) << answer.dump();
    const auto results = rig.send("refused");
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].outcome, PartResult::Outcome::failed);
    EXPECT_EQ(results[0].error->code, "cms." + std::to_string(code));
    ASSERT_TRUE(rig.ready());
  }
  EXPECT_EQ(rig.send("accepted")[0].outcome, PartResult::Outcome::sent);
}

TEST(ModemSimFaults, LostAnswerIsUnknownAndTheModemRecovers) {
  Rig rig("generic");
  ASSERT_TRUE(rig.sim.ready());
  rig.start();
  ASSERT_TRUE(rig.ready());
  rig.sim.control(json{{"cmd", "fault"}, {"lost_answer_next", 1}});
  const auto results = rig.send("lost");
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, PartResult::Outcome::unknown);
  ASSERT_TRUE(rig.ready());
  EXPECT_GE(rig.actor->snapshot().recoveries_total, 1u);
  EXPECT_EQ(rig.send("after")[0].outcome, PartResult::Outcome::sent);
  EXPECT_EQ(rig.sim.sent_log().size(), 2u);  // the lost one did leave
}

TEST(ModemSimFaults, TotalHangIsRecoveredByTheLadder) {
  Rig rig("generic");
  ASSERT_TRUE(rig.sim.ready());
  rig.start();
  ASSERT_TRUE(rig.ready());
  rig.sim.control(json{{"cmd", "fault"}, {"hang", "total"}});
  const auto results = rig.send("into the void");
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, PartResult::Outcome::failed);  // no prompt: never written
  ASSERT_TRUE(rig.ready(20s));
  EXPECT_EQ(rig.send("back")[0].outcome, PartResult::Outcome::sent);
}

TEST(ModemSimFaults, CmgsHangEscalatesUntilCleared) {
  Rig rig("generic");
  ASSERT_TRUE(rig.sim.ready());
  rig.start();
  ASSERT_TRUE(rig.ready());
  rig.sim.control(json{{"cmd", "fault"}, {"hang", "cmgs"}});
  EXPECT_EQ(rig.send("one")[0].outcome, PartResult::Outcome::unknown);
  ASSERT_TRUE(rig.ready(20s));
  EXPECT_EQ(rig.send("two")[0].outcome, PartResult::Outcome::unknown);
  ASSERT_TRUE(rig.ready(20s));
  EXPECT_GE(rig.actor->snapshot().recoveries_total, 2u);
  rig.sim.control(json{{"cmd", "fault"}, {"reset", true}});
  EXPECT_EQ(rig.send("three")[0].outcome, PartResult::Outcome::sent);
}

TEST(ModemSimFaults, UnplugMidSendThenRecoveryOnReplug) {
  Rig rig("generic", json{{"send_latency_ms", 1500}});
  ASSERT_TRUE(rig.sim.ready());
  rig.start();
  ASSERT_TRUE(rig.ready());
  const auto imei = rig.actor->snapshot().imei;
  std::optional<PartResult> result;
  asio::co_spawn(
      rig.io,
      [&]() -> awaitable<void> {
        auto encoded = pdu::encode_submit("+4917012345678", "unplugged").value();
        result.emplace(co_await rig.actor->send(encoded.parts.front()));
      },
      asio::detached);
  // Wait until the PDU has reached the simulated network, then pull the plug.
  ASSERT_TRUE(rig.run_until([&] { return rig.sim.sent_log().size() == 1; }));
  auto answer = rig.sim.control(json{{"cmd", "fault"}, {"unplug_ms", 1000}});
  ASSERT_EQ(answer["ok"], true) << answer.dump();
  ASSERT_TRUE(rig.run_until([&] { return result.has_value(); }));
  EXPECT_EQ(result->outcome, PartResult::Outcome::unknown);
  EXPECT_EQ(result->error->code, "at.io");
  ASSERT_TRUE(rig.run_until([&] { return rig.actor->snapshot().state == ModemState::absent; }));
  ASSERT_TRUE(rig.ready(15s));
  EXPECT_EQ(rig.actor->snapshot().imei, imei);
  EXPECT_EQ(rig.actor->snapshot().identity_changes, 0u);
  EXPECT_EQ(rig.send("after replug")[0].outcome, PartResult::Outcome::sent);
}

TEST(ModemSimFaults, GarbageAndUrcFloodsDuringSends) {
  Rig rig("huawei", json{{"send_latency_ms", 20}});
  ASSERT_TRUE(rig.sim.ready());
  rig.start();
  ASSERT_TRUE(rig.ready());
  auto answer = rig.sim.control(json{{"cmd", "fault"},
                                     {"garbage_probability", 0.3},
                                     {"urc_in_reply_probability", 0.5},
                                     {"urc_flood", 200}});
  ASSERT_EQ(answer["ok"], true) << answer.dump();
  std::vector<int> mrs;
  for (int i = 0; i < 10; ++i) {
    const auto results = rig.send("noisy " + std::to_string(i));
    ASSERT_EQ(results.size(), 1u);
    ASSERT_EQ(results[0].outcome, PartResult::Outcome::sent) << results[0].error->message;
    mrs.push_back(results[0].mr);
    rig.sim.control(json{{"cmd", "fault"}, {"urc_flood", 50}});
  }
  for (std::size_t i = 1; i < mrs.size(); ++i) EXPECT_EQ(mrs[i], (mrs[i - 1] + 1) % 256);
  EXPECT_EQ(rig.sim.sent_log().size(), 10u);  // nothing sent twice
}

TEST(ModemSimFaults, MultipartLeavesBackToBack) {
  Rig rig("quectel", json{{"send_latency_ms", 20}});
  ASSERT_TRUE(rig.sim.ready());
  rig.start();
  ASSERT_TRUE(rig.ready());
  const auto results = rig.send(std::string(400, 'x'));
  ASSERT_EQ(results.size(), 3u);
  for (const auto& result : results) EXPECT_EQ(result.outcome, PartResult::Outcome::sent);
  const auto log = rig.sim.sent_log();
  ASSERT_EQ(log.size(), 3u);
}

// ------------------------------------------------------------------ direct delivery

// A modem that refuses stored routing (mt=1): the actor falls back to +CNMI=2,2,0,1,0
// (+CMT and +CDS with their PDU) under +CSMS=1, and acknowledges each with AT+CNMA.
json direct_only(json settings = json::object()) {
  settings["cnmi_supported"] = "(0-2),(0,2),(0,2),(0-2),(0,1)";
  settings["status_report_latency_ms"] = 100;
  return settings;
}

json sim_stats(const Simulator& sim) { return sim.control(json{{"cmd", "stats"}})["modems"][0]; }

class ModemSimDirect : public ::testing::TestWithParam<std::string> {};

TEST_P(ModemSimDirect, CmtIsHandedOverAndAcknowledged) {
  Rig rig(GetParam(), direct_only());
  ASSERT_TRUE(rig.sim.ready());
  rig.start();
  ASSERT_TRUE(rig.ready());
  for (const char* text : {"first direct", "second direct"}) {
    auto answer =
        rig.sim.control(json{{"cmd", "inject"}, {"from", "+4915112345678"}, {"text", text}});
    ASSERT_EQ(answer["ok"], true) << answer.dump();
  }
  // With +CSMS=1 the second +CMT comes only after the first was acknowledged.
  ASSERT_TRUE(rig.run_until([&] { return rig.listener.inbound.size() == 2; }));
  for (const auto& sms : rig.listener.inbound) {
    EXPECT_EQ(sms.storage, "");
    EXPECT_EQ(sms.index, -1);
  }
  EXPECT_EQ(rig.listener.inbound[0].deliver.user_data.text, "first direct");
  EXPECT_EQ(rig.listener.inbound[1].deliver.user_data.text, "second direct");
  ASSERT_TRUE(rig.run_until([&] { return sim_stats(rig.sim)["acknowledged"] == 2; }));
  const auto stats = sim_stats(rig.sim);
  EXPECT_EQ(stats["unacknowledged"], 0);
  EXPECT_EQ(stats["sm_used"], 0);  // never stored
  EXPECT_EQ(stats["awaiting_ack"], false);
  EXPECT_EQ(rig.actor->snapshot().received_total, 2u);
}

TEST_P(ModemSimDirect, CdsIsHandedOverAndAcknowledged) {
  Rig rig(GetParam(), direct_only());
  ASSERT_TRUE(rig.sim.ready());
  rig.start();
  ASSERT_TRUE(rig.ready());
  const auto results = rig.send("report directly", true);
  ASSERT_EQ(results.size(), 1u);
  ASSERT_EQ(results[0].outcome, PartResult::Outcome::sent);
  ASSERT_TRUE(rig.run_until([&] { return !rig.listener.reports.empty(); }));
  EXPECT_EQ(rig.listener.reports[0].report.message_reference, results[0].mr);
  EXPECT_EQ(rig.listener.reports[0].report.status_class, pdu::StatusClass::delivered);
  ASSERT_TRUE(rig.run_until([&] { return sim_stats(rig.sim)["acknowledged"] == 1; }));
  EXPECT_EQ(sim_stats(rig.sim)["sr_used"], 0);
  EXPECT_EQ(sim_stats(rig.sim)["unacknowledged"], 0);
}

TEST_P(ModemSimDirect, RepeatedDeliveriesAreDroppedButAcknowledged) {
  Rig rig(GetParam(), direct_only(json{{"faults", {{"duplicate_direct_probability", 1.0}}}}));
  ASSERT_TRUE(rig.sim.ready());
  rig.start();
  ASSERT_TRUE(rig.ready());
  auto answer =
      rig.sim.control(json{{"cmd", "inject"}, {"from", "+4915112345678"}, {"text", "said twice"}});
  ASSERT_EQ(answer["ok"], true) << answer.dump();
  ASSERT_TRUE(rig.run_until([&] { return sim_stats(rig.sim)["acknowledged"] == 2; }));
  EXPECT_EQ(rig.listener.inbound.size(), 1u);

  const auto results = rig.send("report twice", true);
  ASSERT_EQ(results.size(), 1u);
  ASSERT_EQ(results[0].outcome, PartResult::Outcome::sent);
  ASSERT_TRUE(rig.run_until([&] { return sim_stats(rig.sim)["acknowledged"] == 4; }));
  EXPECT_EQ(rig.listener.reports.size(), 1u);
  EXPECT_EQ(sim_stats(rig.sim)["duplicates"], 2);
  EXPECT_EQ(sim_stats(rig.sim)["unacknowledged"], 0);
  EXPECT_EQ(rig.actor->snapshot().received_total, 1u);
  EXPECT_EQ(rig.actor->snapshot().reports_total, 1u);
}

TEST_P(ModemSimDirect, RefusedMessageComesBackThroughStorage) {
  // The listener cannot store it: no AT+CNMA, the modem times out, turns routing off and
  // the network stores its second attempt; the actor restores routing at the next poll
  // and sweeps the message out of SM.
  Rig rig(GetParam(), direct_only(json{{"cnma_timeout_ms", 300}}),
          [](ModemSettings& settings) { settings.poll_interval = 300ms; });
  ASSERT_TRUE(rig.sim.ready());
  rig.listener.store_inbound = false;
  rig.start();
  ASSERT_TRUE(rig.ready());
  auto answer = rig.sim.control(
      json{{"cmd", "inject"}, {"from", "+4915112345678"}, {"text", "store me later"}});
  ASSERT_EQ(answer["ok"], true) << answer.dump();
  ASSERT_TRUE(rig.run_until([&] { return rig.listener.inbound.size() == 1; }));
  rig.listener.store_inbound = true;
  ASSERT_TRUE(rig.run_until([&] { return rig.listener.inbound.size() == 2; }));
  EXPECT_EQ(rig.listener.inbound[1].deliver.user_data.text, "store me later");
  EXPECT_EQ(rig.listener.inbound[1].storage, "SM");
  ASSERT_TRUE(rig.run_until([&] { return sim_stats(rig.sim)["sm_used"] == 0; }));
  EXPECT_EQ(sim_stats(rig.sim)["unacknowledged"], 1);

  // Routing is back: the next message comes as +CMT again.
  answer = rig.sim.control(
      json{{"cmd", "inject"}, {"from", "+4915112345678"}, {"text", "direct again"}});
  ASSERT_EQ(answer["ok"], true) << answer.dump();
  ASSERT_TRUE(rig.run_until([&] { return rig.listener.inbound.size() == 3; }));
  EXPECT_EQ(rig.listener.inbound[2].index, -1);
  EXPECT_EQ(rig.actor->snapshot().received_total, 2u);
}

INSTANTIATE_TEST_SUITE_P(Personalities, ModemSimDirect,
                         ::testing::Values("generic", "huawei", "simcom", "quectel"));

}  // namespace
}  // namespace smsgw::modem
