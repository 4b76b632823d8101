// `smsgw scan --probe` as a user runs it, against pseudo-terminals that this test serves
// like modems: one that answers (with echo and noise, as real modems do), one that stays
// silent, one held by another owner, and one that does not exist.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "smsgw/serial/tty.hpp"

namespace {

using nlohmann::json;

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

ProcessResult run_smsgw(const std::vector<std::string>& args) {
  const std::string binary = SMSGW_BINARY_DIR "/src/smsgw";
  int out_pipe[2];
  int err_pipe[2];
  if (::pipe(out_pipe) != 0 || ::pipe(err_pipe) != 0) return {};
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(err_pipe[1], STDERR_FILENO);
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) ::close(fd);
    std::vector<char*> argv{const_cast<char*>(binary.c_str())};
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  ProcessResult result;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_count = 2;
  while (open_count > 0) {
    if (::poll(fds, 2, -1) < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      char buffer[4096];
      const ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
      if (got > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(got));
      } else {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// A pseudo-terminal whose master side answers AT commands from a table, on a thread;
// with no table it reads and never answers.
class FakeModem {
 public:
  FakeModem(std::map<std::string, std::string> answers, bool echo, std::string noise = {})
      : answers_(std::move(answers)), echo_(echo), noise_(std::move(noise)) {
    char name[256] = {};
    int slave = -1;
    if (::openpty(&master_, &slave, name, nullptr, nullptr) != 0) {
      ADD_FAILURE() << "openpty failed";
      return;
    }
    termios raw{};
    ::tcgetattr(master_, &raw);
    ::cfmakeraw(&raw);
    ::tcsetattr(master_, TCSANOW, &raw);
    ::close(slave);
    path_ = name;
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeModem() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    if (master_ >= 0) ::close(master_);
  }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  void serve() {
    std::string pending;
    while (!stop_) {
      pollfd fd{master_, POLLIN, 0};
      if (::poll(&fd, 1, 20) <= 0) continue;
      char buffer[256];
      const ssize_t got = ::read(master_, buffer, sizeof buffer);
      if (got <= 0) continue;  // EIO while no one has the slave open
      pending.append(buffer, static_cast<std::size_t>(got));
      for (auto end = pending.find('\r'); end != std::string::npos; end = pending.find('\r')) {
        const std::string command = pending.substr(0, end);
        pending.erase(0, end + 1);
        if (answers_.empty()) continue;  // a silent port
        if (command == "ATE0") echo_ = false;
        std::string reply = echo_ ? command + "\r" : "";
        reply += noise_;
        const auto answer = answers_.find(command);
        reply += answer != answers_.end() ? answer->second : "\r\nERROR\r\n";
        (void)!::write(master_, reply.data(), reply.size());
      }
    }
  }

  std::map<std::string, std::string> answers_;
  bool echo_;
  std::string noise_;
  int master_ = -1;
  std::string path_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
};

// What a Quectel EC25 answers (identity lines as its manual shows them).
std::map<std::string, std::string> quectel_answers() {
  return {
      {"AT", "\r\nOK\r\n"},
      {"ATE0", "\r\nOK\r\n"},
      {"AT+CGMI", "\r\nQuectel\r\n\r\nOK\r\n"},
      {"AT+CGMM", "\r\nEC25\r\n\r\nOK\r\n"},
      {"AT+CGMR", "\r\nRevision: EC25EFAR06A06M4G\r\n\r\nOK\r\n"},
      {"AT+CGSN", "\r\n867962041234567\r\n\r\nOK\r\n"},
  };
}

TEST(ScanProbe, IdentifiesAModemThatEchoesAndSendsNoise) {
  FakeModem modem(quectel_answers(), /*echo=*/true, "\r\n^RSSI:25\r\n");
  const auto result = run_smsgw({"scan", "--probe", "--json", "--port", modem.path()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto ports = json::parse(result.out);
  ASSERT_EQ(ports.size(), 1U);
  const auto& port = ports[0];
  EXPECT_EQ(port["port"], modem.path());
  EXPECT_EQ(port["probe"]["at"], true);
  EXPECT_EQ(port["probe"]["manufacturer"], "Quectel");
  EXPECT_EQ(port["probe"]["model"], "EC25");
  EXPECT_EQ(port["probe"]["revision"], "Revision: EC25EFAR06A06M4G");
  EXPECT_EQ(port["probe"]["imei"], "867962041234567");
  EXPECT_TRUE(port["probe"]["error"].is_null());
}

TEST(ScanProbe, ReadsQuotedIdentityReplies) {
  // Some modems prefix the reply (+CGMI: / +CGSN: "...", Motorola G24 manual).
  FakeModem modem(
      {
          {"AT", "\r\nOK\r\n"},
          {"ATE0", "\r\nOK\r\n"},
          {"AT+CGMI", "\r\n+CGMI: \"Motorola\"\r\n\r\nOK\r\n"},
          {"AT+CGMM", "\r\n+CGMM: \"G24\"\r\n\r\nOK\r\n"},
          {"AT+CGMR", "\r\nERROR\r\n"},
          {"AT+CGSN", "\r\n+CGSN: \"351234567890123\"\r\n\r\nOK\r\n"},
      },
      false);
  const auto result = run_smsgw({"scan", "--probe", "--json", "--port", modem.path()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto probe = json::parse(result.out)[0]["probe"];
  EXPECT_EQ(probe["manufacturer"], "Motorola");
  EXPECT_EQ(probe["model"], "G24");
  EXPECT_TRUE(probe["revision"].is_null());
  EXPECT_EQ(probe["imei"], "351234567890123");
}

TEST(ScanProbe, TellsTheAtPortFromASilentOneInOneRun) {
  FakeModem at_port(quectel_answers(), false);
  FakeModem diag_port({}, false);  // a DIAG/NMEA tty: reads, never answers
  const auto result = run_smsgw({"scan", "--probe", "--timeout-ms", "100", "--port",
                                 diag_port.path(), "--port", at_port.path()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  // The human table: one row per port, the AT port marked "yes" with its identity.
  std::string at_row;
  std::string diag_row;
  std::size_t start = 0;
  while (start < result.out.size()) {
    const auto end = result.out.find('\n', start);
    const std::string row = result.out.substr(start, end - start);
    if (row.starts_with(at_port.path() + " ")) at_row = row;
    if (row.starts_with(diag_port.path() + " ")) diag_row = row;
    start = end == std::string::npos ? result.out.size() : end + 1;
  }
  EXPECT_NE(at_row.find(" yes "), std::string::npos) << result.out;
  EXPECT_NE(at_row.find("Quectel EC25"), std::string::npos) << result.out;
  EXPECT_NE(at_row.find("867962041234567"), std::string::npos) << result.out;
  EXPECT_NE(diag_row.find(" no "), std::string::npos) << result.out;
  EXPECT_NE(diag_row.find("not an AT command port"), std::string::npos) << result.out;
}

TEST(ScanProbe, PortHeldByAnotherOwnerIsReportedBusyAndLeftAlone) {
  FakeModem modem(quectel_answers(), false);
  auto held = smsgw::serial::open_tty(modem.path());
  ASSERT_TRUE(held.ok()) << held.error().message;
  const auto result = run_smsgw({"scan", "--probe", "--json", "--port", modem.path()});
  EXPECT_EQ(result.exit_code, 1);
  const auto probe = json::parse(result.out)[0]["probe"];
  EXPECT_EQ(probe["at"], false);
  EXPECT_EQ(probe["error"]["code"], "serial.busy");
  if (::geteuid() == 0) {
    EXPECT_NE(result.err.find("locked by pid " + std::to_string(::getpid())), std::string::npos)
        << result.err;
  }
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
}

TEST(ScanProbe, MissingPortFailsWithOneLine) {
  const auto result = run_smsgw({"scan", "--probe", "--port", "/dev/ttyUSB-smsgw-absent"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("/dev/ttyUSB-smsgw-absent does not exist"), std::string::npos)
      << result.err;
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
}

TEST(ScanProbe, BadUsageExitsTwo) {
  EXPECT_EQ(run_smsgw({"scan", "--baud", "12345"}).exit_code, 2);
  EXPECT_EQ(run_smsgw({"scan", "--timeout-ms", "nope"}).exit_code, 2);
}

TEST(Scan, ListsPortsAsJsonWithoutProbing) {
  const auto result = run_smsgw({"scan", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto ports = json::parse(result.out);
  ASSERT_TRUE(ports.is_array());
  for (const auto& port : ports) {
    EXPECT_TRUE(port.contains("port"));
    EXPECT_TRUE(port.contains("by_path"));
    EXPECT_TRUE(port.contains("vid"));
    EXPECT_FALSE(port.contains("probe"));
  }
}

}  // namespace
