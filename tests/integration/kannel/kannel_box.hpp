// Kannel 1.4.5 (Debian package `kannel`) as a real, independent SMPP client of smsgw:
// its bearerbox with one `smsc = smpp` connection to smsgw's [smpp] port, and its smsbox
// with the sendsms HTTP interface and one sms-service, from a generated kannel.conf.
//
//   Kannel kannel({.smpp_port = port, .system_id = "kannel", .password = "secret"});
//   kannel.wait_smsc_online();
//   kannel.sendsms({{"to", "+491511234567"}, {"text", "hello"}});
//
// What it does, in order:
//   1. a temporary folder (TempDir "smsgw-kannel-XXXXXX") holding kannel.conf, the boxes'
//      log files (bearerbox.log, smsbox.log at log-level 0: every SMPP PDU is dumped),
//      access.log and the boxes' own output (bearerbox.out, smsbox.out);
//   2. bearerbox, then (once its admin port answers) smsbox, each on free ports of
//      127.0.0.1. Run as root (CI), both are started with `-u kannel` (the package's system
//      user; "nobody" when it is missing), which they switch to before reading the config,
//      and the folder is handed to that user; otherwise they run as the caller. Switching
//      users clears the harness's parent-death signal (and one set again after the switch,
//      by setpriv --pdeathsig, was not delivered here), so as root a forked watchdog kills
//      the boxes when the test process is gone (a crash, a kill);
//   3. waits until the admin status lists the smsbox connection.
// The SMSC connection comes up on its own (reconnect-delay 1 s): wait_smsc_online().
// The destructor stops smsbox, then bearerbox (SIGTERM: Kannel unbinds and exits).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "harness/http_client.hpp"
#include "harness/orphan_watchdog.hpp"
#include "harness/process.hpp"
#include "harness/temp_dir.hpp"

namespace smsgw::kannel_test {

using namespace std::chrono_literals;

inline constexpr const char* kBearerbox = "/usr/sbin/bearerbox";
inline constexpr const char* kSmsbox = "/usr/sbin/smsbox";

// True when the Kannel package's boxes are installed (the tests skip otherwise).
bool kannel_installed();

struct KannelOptions {
  std::uint16_t smpp_port = 0;  // smsgw's [smpp] listen port on 127.0.0.1
  std::string system_id;        // smsc-username (a [[client]] system_id)
  std::string password;         // smsc-password (at most 8 characters in SMPP 3.4)
  // true: one bind_transceiver; false: a bind_transmitter and a bind_receiver (two smsc
  // groups with one smsc-id: `port` and `receive-port`, both smsgw's port).
  bool transceiver = true;
  // Kannel's window: submit_sm it sends before waiting for a submit_sm_resp (Kannel's
  // default 10, as smsgw's [smpp] window).
  int max_pending_submits = 10;
  // Seconds of silence before Kannel sends an enquire_link.
  int enquire_link_interval = 30;
  // The sms-service every inbound message goes to (keyword "default"); Kannel GETs it with
  // from=%p&to=%P&coding=%c&text=%b (%b: the message's octets, UTF-16BE when coding is 2).
  // Empty: no sms-service.
  std::string mo_url;
};

// The sendsms-user the tests submit with.
inline constexpr const char* kSendsmsUser = "tester";
inline constexpr const char* kSendsmsPassword = "sendsms-secret";

class Kannel {
 public:
  explicit Kannel(KannelOptions options);
  ~Kannel();
  Kannel(const Kannel&) = delete;
  Kannel& operator=(const Kannel&) = delete;

  [[nodiscard]] const std::filesystem::path& dir() const noexcept { return dir_.path(); }
  [[nodiscard]] std::uint16_t admin_port() const noexcept { return admin_port_; }
  [[nodiscard]] std::uint16_t sendsms_port() const noexcept { return sendsms_port_; }
  // The user the boxes run as ("" when they run as the caller).
  [[nodiscard]] const std::string& user() const noexcept { return user_; }

  // GET /status.txt on the admin port ("" when it does not answer).
  [[nodiscard]] std::string status() const;
  // Waits until the status shows every SMSC connection "online"; throws with the status and
  // the tail of bearerbox.log after `timeout`.
  void wait_smsc_online(std::chrono::milliseconds timeout = 15s) const;

  // GET /cgi-bin/sendsms with the sendsms-user's credentials and `parameters` (URL-encoded
  // here); Kannel answers "0: Accepted for delivery" with 202.
  harness::HttpResponse sendsms(
      const std::vector<std::pair<std::string, std::string>>& parameters) const;

  [[nodiscard]] std::string bearerbox_log() const;
  [[nodiscard]] std::string smsbox_log() const;
  // The last lines of both logs and of the boxes' output, for failure messages.
  [[nodiscard]] std::string log_tails(std::size_t lines = 40) const;

  // SIGTERM to smsbox, then bearerbox; returns bearerbox's exit code.
  int stop();
  // Keeps the folder (config, logs) after the test; its path is printed then.
  void keep_files() noexcept { dir_.keep(); }

 private:
  [[noreturn]] void fail(const std::string& what) const;
  std::vector<std::string> box_argv(const char* box) const;
  [[nodiscard]] std::size_t smsc_groups() const;

  harness::TempDir dir_;
  KannelOptions options_;
  std::string user_;
  std::uint16_t admin_port_ = 0;
  std::uint16_t smsbox_port_ = 0;
  std::uint16_t sendsms_port_ = 0;
  std::unique_ptr<harness::ChildProcess> bearerbox_;
  std::unique_ptr<harness::ChildProcess> smsbox_;
  harness::OrphanWatchdog watchdog_;  // SIGKILLs the boxes once the test is gone
};

// The SMPP PDUs in a bearerbox.log written at log-level 0, in order: {"sent" or "got",
// type_name} (e.g. {"got", "enquire_link"}).
std::vector<std::pair<std::string, std::string>> logged_pdus(const std::string& log);

// application/x-www-form-urlencoded escaping of one value (unreserved characters stay).
std::string url_encode(const std::string& text);
// The value of `name` in a request target's query ("a=1&b=x%20y" -> "x y"; '+' is a
// space); "" when absent.
std::string query_value(const std::string& target, const std::string& name);

}  // namespace smsgw::kannel_test
