// Settings an operator changes while the bank runs: a SIGHUP reload (and a refused one),
// [[sim]] tables that follow their SIM to another port, per_day at local midnight.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "serve_support.hpp"

namespace smsgw::serve_test {
namespace {

constexpr const char* kAdminToken = "admin-token-0123456789";

// One HTTP/1.1 connection kept open across requests (keep-alive).
class KeptConnection {
 public:
  explicit KeptConnection(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      throw std::runtime_error("connect failed");
    }
  }
  ~KeptConnection() { ::close(fd_); }
  KeptConnection(const KeptConnection&) = delete;
  KeptConnection& operator=(const KeptConnection&) = delete;

  // GET /healthz on this connection; the answer's status line, "" when the connection is gone.
  std::string healthz() {
    const std::string request =
        "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
        std::string(kAdminToken) + "\r\n\r\n";
    if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) < 0) return "";
    std::string answer;
    char buffer[4096];
    while (answer.find("\r\n\r\n") == std::string::npos ||
           answer.find("\"ok\"}") == std::string::npos) {
      const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) return "";
      answer.append(buffer, static_cast<std::size_t>(n));
    }
    return answer.substr(0, answer.find("\r\n"));
  }

 private:
  int fd_;
};

harness::HarnessOptions one_telekom_modem() {
  harness::HarnessOptions options;
  options.sim.modems = 1;
  options.sim.mccmnc = {"26201"};
  options.configure = [](harness::GatewayConfig& config) {
    config.tables["http"]["tokens"] = harness::toml_string_array({kAdminToken});
  };
  return options;
}

TEST(ServeReload, ASimLimitAndANewClientApplyWithoutDroppingAConnectionOrASend) {
  auto options = one_telekom_modem();
  options.sim.defaults = {{"send_latency_ms", 1500}};  // a send is in flight at the reload
  Gateway gw(options);
  const auto iccid = gw.modems().at(0).value("iccid", "");
  ASSERT_FALSE(iccid.empty());
  KeptConnection connection(gw.http_port());
  ASSERT_EQ(connection.healthz(), "HTTP/1.1 200 OK");
  harness::HttpClient shop(gw.http_port(), "127.0.0.1", "shop-token-0123456789");
  EXPECT_EQ(shop.get("/api/v1/messages").status, 401);

  const auto in_flight = gw.submit_ok(number("+49151", 700), "sending during the reload");
  harness::wait_until([&] { return gw.message(in_flight).value("status", "") == "sending"; }, 10s,
                      "the first message sending");
  gw.config().extra_toml = "[[sim]]\niccid = \"" + iccid +
                           "\"\nlimits = { per_day = 2 }\n"
                           "[[client]]\nname = \"shop\"\ntoken = \"shop-token-0123456789\"\n";
  gw.reload_gateway();
  harness::wait_until(
      [&] { return gw.gateway_log().find("config reloaded from") != std::string::npos; }, 10s,
      "the reload");

  EXPECT_EQ(connection.healthz(), "HTTP/1.1 200 OK") << "the kept connection was dropped";
  gw.wait_status(in_flight, {"sent", "delivered"});
  EXPECT_EQ(gw.message(in_flight).value("attempts", 0), 1);
  EXPECT_EQ(shop.get("/api/v1/messages").status, 200) << "the new client is not known";

  // per_day = 2 from the [[sim]] table, the part sent before the reload counted.
  EXPECT_EQ(gw.modems().at(0).value("daily_limit", json()), 2);
  const auto second = gw.submit_ok(number("+49151", 701), "the second of the day");
  const auto third = gw.submit_ok(number("+49151", 702), "over the SIM's limit");
  gw.wait_status(second, {"sent", "delivered"});
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(gw.message(third).value("status", ""), "queued");
  EXPECT_EQ(gw.sim().sent().size(), 2u);
}

TEST(ServeReload, ABadFileIsRefusedWithItsOneLineAndTheOldConfigRunsOn) {
  Gateway gw(one_telekom_modem());
  const auto good = harness::run_command(
      {harness::smsgw_binary(), "check-config", "--config", gw.config_path().string()});
  EXPECT_EQ(good.exit_code, 0) << good.err;
  EXPECT_NE(good.out.find(": ok ("), std::string::npos) << good.out;

  gw.config().extra_toml = "[[sim]]\niccid = \"not-digits\"\n";
  gw.reload_gateway();
  const std::string reason =
      "sim[0].iccid: must be the SIM's ICCID digits as the modems list shows them (10 to 22 "
      "digits), got \"not-digits\"";
  harness::wait_until(
      [&] { return gw.gateway_log().find("config reload refused") != std::string::npos; }, 10s,
      "the refusal");
  const auto log = gw.gateway_log();
  EXPECT_NE(log.find("config reload refused, the running config stays: " +
                     gw.config_path().string() + ": " + reason),
            std::string::npos)
      << gw.gateway_log_tail();
  const auto bad = harness::run_command(
      {harness::smsgw_binary(), "check-config", "--config", gw.config_path().string()});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_TRUE(
      bad.err.starts_with("smsgw: " + gw.config_path().string() + ": " + reason + " (line "))
      << bad.err;
  EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;

  ASSERT_TRUE(gw.gateway_running());
  const auto id = gw.submit_ok(number("+49151", 710), "still sending");
  gw.wait_status(id, {"sent", "delivered"});
}

// The ICCID the simulator gave modem `index`.
std::string iccid_of(harness::Simulator& sim, int index) {
  return sim.ctl_ok({{"cmd", "info"}}).at("modems").at(index).value("iccid", "");
}

TEST(ServeSims, ASimTableFollowsItsSimToAnotherPortAndUnlocksItsPin) {
  harness::HarnessOptions options;
  options.sim.modems = 2;
  options.sim.mccmnc = {"26201", "26201"};
  options.sim.modem[1] = {{"pin", "4321"}};  // no [[modem]] pin: only the [[sim]] has it
  options.start_gateway = false;
  Gateway gw(options);
  const auto first = iccid_of(gw.sim(), 0);
  const auto second = iccid_of(gw.sim(), 1);
  gw.config().tables["http"]["tokens"] = harness::toml_string_array({kAdminToken});
  gw.config().extra_toml = "[[sim]]\niccid = \"" + second +
                           "\"\npin = \"4321\"\nnumber = \"+4915100000002\"\nlabel = \"rack B\"\n"
                           "limits = { per_day = 7 }\n";
  gw.start_gateway();

  auto by_id = [&](const std::string& id) {
    for (const auto& modem : gw.modems()) {
      if (modem.value("id", "") == id) return modem;
    }
    return json();
  };
  EXPECT_EQ(by_id("modem1").value("state", ""), "ready") << "the [[sim]] pin did not unlock it";
  EXPECT_EQ(by_id("modem1").value("label", json()), "rack B");
  EXPECT_EQ(by_id("modem1").value("number", json()), "+4915100000002");
  EXPECT_EQ(by_id("modem1").value("daily_limit", json()), 7);
  EXPECT_TRUE(by_id("modem0").value("label", json()).is_null());

  // Swap the SIMs between the two sockets (each SIM keeps its ICCID and its PIN).
  gw.sim().ctl_ok({{"cmd", "set"}, {"modem", 0}, {"iccid", second}, {"pin", "4321"}});
  gw.sim().ctl_ok({{"cmd", "set"}, {"modem", 1}, {"iccid", first}, {"pin", nullptr}});
  for (int modem = 0; modem < 2; ++modem) {
    gw.sim().ctl_ok({{"cmd", "unplug"}, {"modem", modem}, {"ms", 300}});
  }
  harness::wait_until(
      [&] {
        return by_id("modem0").value("iccid", "") == second &&
               by_id("modem0").value("state", "") == "ready" &&
               by_id("modem1").value("iccid", "") == first;
      },
      20s, "the swapped SIMs back in service");
  EXPECT_EQ(by_id("modem0").value("label", json()), "rack B");
  EXPECT_EQ(by_id("modem0").value("number", json()), "+4915100000002");
  EXPECT_EQ(by_id("modem0").value("daily_limit", json()), 7);
  EXPECT_TRUE(by_id("modem1").value("label", json()).is_null());
  EXPECT_TRUE(by_id("modem1").value("daily_limit", json()).is_null());
}

constexpr const char* kFakeTime = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";

// The gateway runs on a clock set to 22:59:30 UTC, 23:59:30 in Berlin: per_day (1) must
// give the second message its turn at Berlin's midnight, an hour before UTC's.
TEST(ServeLimits, PerDayRollsOverAtLocalMidnight) {
  if (!std::filesystem::exists(kFakeTime))
    GTEST_SKIP() << "faketime is not installed (tools/setup.sh)";
  harness::HarnessOptions options;
  options.sim.modems = 1;
  options.sim.mccmnc = {"26201"};
  options.serve_environment = {std::string("LD_PRELOAD=") + kFakeTime,
                               "FAKETIME=@2026-12-04 22:59:30", "FAKETIME_DONT_FAKE_MONOTONIC=1",
                               "TZ=UTC"};
  options.configure = [](harness::GatewayConfig& config) {
    config.op("Telekom").keys["limits"] = "{ per_day = 1 }";
    config.tables["routing"]["timezone"] = harness::toml_string("Europe/Berlin");
  };
  Gateway gw(options);
  const auto first = gw.submit_ok(number("+49151", 720), "before midnight");
  const auto second = gw.submit_ok(number("+49151", 721), "after midnight");
  const auto sent = gw.wait_status(first, {"sent", "delivered"});
  EXPECT_LT(sent.value("sent_at", ""), "2026-12-04T23:00:00") << sent;
  EXPECT_EQ(gw.message(second).value("status", ""), "queued");
  const auto later = gw.wait_status(second, {"sent", "delivered"}, 60s);
  const auto at = later.value("sent_at", "");
  EXPECT_GE(at, "2026-12-04T23:00:00") << later;
  EXPECT_LT(at, "2026-12-04T23:01:00") << "per_day waited for UTC midnight, not Berlin's";
}

}  // namespace
}  // namespace smsgw::serve_test
