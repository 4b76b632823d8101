// smsgw-sim end to end: start the binary, open its PTY link with a small raw client and
// run an AT dialogue: init, send a PDU (+CMGS, status report), inject an inbound message
// and read it, USSD, unplug and replug; the control socket and `smsgw-sim ctl`.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>

#include "smsgw/pdu/pdu.hpp"

namespace {

using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// The simulator process in a fresh directory; SIGTERM on destruction.
class SimProcess {
 public:
  SimProcess(int modems, const json& config) {
    char pattern[] = "/tmp/smsgw-sim-it-XXXXXX";
    dir_ = ::mkdtemp(pattern);
    std::ofstream(dir_ / "config.json") << config.dump();
    int out[2];
    if (::pipe(out) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      ::close(out[0]);
      ::close(out[1]);
      const std::string binary = SMSGW_SIM_BINARY;
      const std::string dir = dir_.string(), count = std::to_string(modems),
                        config_path = (dir_ / "config.json").string();
      ::execl(binary.c_str(), binary.c_str(), "--dir", dir.c_str(), "--modems", count.c_str(),
              "--config", config_path.c_str(), nullptr);
      ::_exit(127);
    }
    ::close(out[1]);
    stdout_ = out[0];
  }
  ~SimProcess() {
    stop();
    if (stdout_ >= 0) ::close(stdout_);
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Waits for the "ready" line.
  bool wait_ready() {
    std::string seen;
    const auto deadline = Clock::now() + 10s;
    while (Clock::now() < deadline) {
      pollfd p{stdout_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buffer[256];
      const ssize_t n = ::read(stdout_, buffer, sizeof buffer);
      if (n <= 0) return false;
      seen.append(buffer, static_cast<std::size_t>(n));
      if (seen.find("ready\n") != std::string::npos) return true;
    }
    return false;
  }

  // SIGTERM and the exit status.
  int stop() {
    if (pid_ <= 0) return exit_status_;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return exit_status_;
  }

  // One control line over DIR/control.sock.
  json control(const json& request) const {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string path = (dir_ / "control.sock").string();
    std::snprintf(address.sun_path, sizeof address.sun_path, "%s", path.c_str());
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::close(fd);
      return json{{"ok", false}, {"error", "connect"}};
    }
    const std::string line = request.dump() + "\n";
    (void)!::write(fd, line.data(), line.size());
    std::string answer;
    char c;
    while (::read(fd, &c, 1) == 1 && c != '\n') answer += c;
    ::close(fd);
    return json::parse(answer, nullptr, false);
  }

  [[nodiscard]] const fs::path& dir() const { return dir_; }

 private:
  fs::path dir_;
  pid_t pid_ = -1;
  int stdout_ = -1;
  int exit_status_ = -1;
};

// A raw serial client: what a gateway does with the port, minus everything else.
class PortClient {
 public:
  explicit PortClient(const fs::path& port) {
    fd_ = ::open(port.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK);
    if (fd_ < 0) return;
    termios settings{};
    ::tcgetattr(fd_, &settings);
    ::cfmakeraw(&settings);
    ::tcsetattr(fd_, TCSANOW, &settings);
  }
  ~PortClient() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] bool is_open() const { return fd_ >= 0; }

  void write(const std::string& bytes) { (void)!::write(fd_, bytes.data(), bytes.size()); }

  // Reads until `done(buffer)` holds; returns the buffer (also on timeout or EIO).
  std::string read_until(const std::function<bool(const std::string&)>& done,
                         std::chrono::milliseconds timeout = 5s) {
    const auto deadline = Clock::now() + timeout;
    while (!done(buffer_) && Clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      const int ready = ::poll(&p, 1, 50);
      if (ready <= 0) continue;
      char chunk[1024];
      const ssize_t n = ::read(fd_, chunk, sizeof chunk);
      if (n > 0) {
        buffer_.append(chunk, static_cast<std::size_t>(n));
      } else if (n < 0 && errno != EAGAIN) {
        hung_up_ = true;
        break;
      } else if (n == 0 || (p.revents & POLLHUP)) {
        hung_up_ = true;
        break;
      }
    }
    std::string out;
    out.swap(buffer_);
    return out;
  }
  std::string until_contains(const std::string& text, std::chrono::milliseconds timeout = 5s) {
    return read_until([&](const std::string& b) { return b.find(text) != std::string::npos; },
                      timeout);
  }
  // Sends "<command>\r" and reads up to the final result.
  std::string command(const std::string& command) {
    write(command + "\r");
    return read_until([](const std::string& b) {
      return b.ends_with("\r\nOK\r\n") || b.ends_with("ERROR\r\n") ||
             b.find("ERROR: ") != std::string::npos;
    });
  }
  [[nodiscard]] bool hung_up() const { return hung_up_; }

 private:
  int fd_ = -1;
  std::string buffer_;
  bool hung_up_ = false;
};

// The PDU line after "+CMGR: ...\r\n".
std::string pdu_of(const std::string& reply, const std::string& header) {
  const auto at = reply.find(header);
  if (at == std::string::npos) return {};
  const auto begin = reply.find("\r\n", at) + 2;
  return reply.substr(begin, reply.find("\r\n", begin) - begin);
}

const json kFastModem = {{"defaults",
                          {{"send_latency_ms", 30},
                           {"status_report_latency_ms", 60},
                           {"ussd_latency_ms", 30},
                           {"boot_ms", 50}}}};

TEST(SimIntegration, AtDialogueSendReceiveUssdAndReplug) {
  SimProcess sim(2, kFastModem);
  ASSERT_TRUE(sim.wait_ready());
  const json description = json::parse(std::ifstream(sim.dir() / "sim.json"), nullptr, false);
  ASSERT_EQ(description["modems"].size(), 2u);
  const std::string imei = description["modems"][0]["imei"];
  const fs::path port = sim.dir() / "modem0";
  ASSERT_TRUE(fs::is_symlink(port));

  auto client = std::make_unique<PortClient>(port);
  ASSERT_TRUE(client->is_open());
  // Init (at-protocol.md): echo is on until ATE0.
  EXPECT_EQ(client->command("AT"), "AT\r\r\nOK\r\n");
  EXPECT_EQ(client->command("ATE0"), "ATE0\r\r\nOK\r\n");
  EXPECT_EQ(client->command("AT+CMEE=1"), "\r\nOK\r\n");
  EXPECT_EQ(client->command("AT+CPIN?"), "\r\n+CPIN: READY\r\n\r\nOK\r\n");
  EXPECT_EQ(client->command("AT+CMGF=0"), "\r\nOK\r\n");
  EXPECT_EQ(client->command("AT+CNMI=2,1,0,2,0"), "\r\nOK\r\n");
  EXPECT_EQ(client->command("AT+CGSN"), "\r\n" + imei + "\r\n\r\nOK\r\n");

  // Send with a status report.
  smsgw::pdu::SubmitOptions options;
  options.status_report = true;
  auto encoded = smsgw::pdu::encode_submit("+4917612345678", "integration hello", options);
  ASSERT_TRUE(encoded.ok());
  const auto& part = encoded->parts[0];
  client->write("AT+CMGS=" + std::to_string(part.length) + "\r");
  EXPECT_EQ(client->until_contains("> "), "\r\n> ");
  client->write(part.pdu + "\x1a");
  EXPECT_EQ(client->until_contains("OK\r\n"), "\r\n+CMGS: 0\r\n\r\nOK\r\n");
  EXPECT_EQ(client->until_contains("+CDSI"), "\r\n+CDSI: \"SR\",1\r\n");
  EXPECT_EQ(client->command("AT+CPMS=\"SR\""), "\r\n+CPMS: 1,30,0,30,0,30\r\n\r\nOK\r\n");
  auto report = smsgw::pdu::decode(pdu_of(client->command("AT+CMGR=1"), "+CMGR:"));
  ASSERT_TRUE(report.ok());
  const auto& status = std::get<smsgw::pdu::StatusReport>(report->tpdu);
  EXPECT_EQ(status.message_reference, 0);
  EXPECT_EQ(status.recipient.text, "+4917612345678");
  EXPECT_EQ(status.status, 0);

  // The sent log has exactly that PDU.
  std::ifstream log(sim.dir() / "sent.jsonl");
  std::string line;
  ASSERT_TRUE(std::getline(log, line));
  const json sent = json::parse(line);
  EXPECT_EQ(sent["modem"], 0);
  EXPECT_EQ(sent["imei"], imei);
  EXPECT_EQ(sent["mr"], 0);
  EXPECT_EQ(sent["to"], "+4917612345678");
  EXPECT_EQ(sent["text"], "integration hello");
  EXPECT_EQ(sent["srr"], true);
  EXPECT_EQ(sent["pdu"], part.pdu);
  EXPECT_FALSE(std::getline(log, line));

  // Inbound.
  const json injected = sim.control(
      {{"cmd", "inject"}, {"modem", 0}, {"from", "+4915112345678"}, {"text", "hello back"}});
  EXPECT_EQ(injected["ok"], true) << injected.dump();
  EXPECT_EQ(client->until_contains("+CMTI"), "\r\n+CMTI: \"SM\",1\r\n");
  EXPECT_EQ(client->command("AT+CPMS=\"SM\""), "\r\n+CPMS: 1,30,1,30,1,30\r\n\r\nOK\r\n");
  auto inbound = smsgw::pdu::decode(pdu_of(client->command("AT+CMGR=1"), "+CMGR:"));
  ASSERT_TRUE(inbound.ok());
  EXPECT_EQ(std::get<smsgw::pdu::Deliver>(inbound->tpdu).user_data.text, "hello back");
  EXPECT_EQ(client->command("AT+CMGD=1"), "\r\nOK\r\n");

  // USSD: OK first, then the reply.
  EXPECT_EQ(client->command("AT+CUSD=1,\"*100#\",15"), "\r\nOK\r\n");
  EXPECT_EQ(client->until_contains(",15\r\n"), "\r\n+CUSD: 0,\"Your balance is 12.34 EUR\",15\r\n");

  // Unplug: the open port hangs up and the link goes; replug: a new tty, boot URCs.
  EXPECT_EQ(sim.control({{"cmd", "fault"}, {"modem", 0}, {"unplug_ms", 300}})["ok"], true);
  client->read_until([](const std::string&) { return false; }, 2s);
  EXPECT_TRUE(client->hung_up());
  client.reset();
  const auto deadline = Clock::now() + 10s;
  while (!fs::exists(port) && Clock::now() < deadline) std::this_thread::sleep_for(20ms);
  ASSERT_TRUE(fs::exists(port));
  client = std::make_unique<PortClient>(port);
  ASSERT_TRUE(client->is_open());
  EXPECT_EQ(client->until_contains("+CPIN: READY\r\n"), "\r\nRDY\r\n\r\n+CPIN: READY\r\n");
  EXPECT_EQ(client->command("AT+CGSN"), "AT+CGSN\r\r\n" + imei + "\r\n\r\nOK\r\n");

  // The ctl client and stats.
  FILE* ctl = ::popen((std::string(SMSGW_SIM_BINARY) + " ctl " + sim.dir().string() +
                       " '{\"cmd\":\"stats\",\"modem\":0}'")
                          .c_str(),
                      "r");
  ASSERT_NE(ctl, nullptr);
  std::string output;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, ctl)) output += buffer;
  EXPECT_EQ(::pclose(ctl), 0);
  const json stats = json::parse(output, nullptr, false);
  ASSERT_TRUE(stats.is_object()) << output;
  EXPECT_EQ(stats["modems"][0]["sent"], 1);
  EXPECT_EQ(stats["modems"][0]["received"], 1);
  EXPECT_EQ(stats["modems"][0]["status_reports"], 1);
  EXPECT_EQ(stats["modems"][0]["unplugs"], 1);

  // SIGTERM: clean exit, links removed.
  client.reset();
  EXPECT_EQ(sim.stop(), 0);
  EXPECT_FALSE(fs::exists(sim.dir() / "modem0", *std::make_unique<std::error_code>()));
  EXPECT_FALSE(fs::is_symlink(sim.dir() / "modem1"));
  EXPECT_FALSE(fs::exists(sim.dir() / "control.sock"));
}

TEST(SimIntegration, TotalHangRecoversWhenThePortIsReopened) {
  SimProcess sim(1, kFastModem);
  ASSERT_TRUE(sim.wait_ready());
  const fs::path port = sim.dir() / "modem0";
  auto client = std::make_unique<PortClient>(port);
  EXPECT_EQ(client->command("AT"), "AT\r\r\nOK\r\n");
  EXPECT_EQ(sim.control({{"cmd", "fault"}, {"modem", 0}, {"hang", "total"}})["ok"], true);
  client->write("AT\r");
  EXPECT_EQ(client->read_until([](const std::string&) { return false; }, 300ms), "");
  client = std::make_unique<PortClient>(port);  // close and reopen
  EXPECT_EQ(client->command("AT"), "AT\r\r\nOK\r\n");
}

TEST(SimIntegration, BadConfigExitsWithUsageError) {
  SimProcess sim(1, json{{"defaults", {{"csq", 77}}}});
  EXPECT_FALSE(sim.wait_ready());
  EXPECT_EQ(sim.stop(), 2);
}

}  // namespace
