// ModemActor: the one owner of one modem port. A coroutine that opens the port, runs the
// init sequence of the vendor profile, serves sends, USSD, inbound messages and status
// reports, polls signal and registration, and recovers from hangs and unplugs by itself.
//
// Threading: everything runs on the io_context of the executor given to the constructor
// (one thread, no locks). The actor must outlive the coroutines of run(), send() and
// ussd(); destroy it only after run() has returned.
//
// States (contract.md, GET /api/v1/modems "state"):
//   absent        the port does not exist (unplugged, re-enumerating); looked for every
//                 `absent_poll`
//   opening       opening the port
//   initialising  init sequence or recovery in progress
//   ready         can send (can_send() also needs no send in flight)
//   sending       a send() is in flight
//   backoff       waiting before the next attempt after a failure (exponential)
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "smsgw/common/net.hpp"
#include "smsgw/common/result.hpp"
#include "smsgw/modem/part_sender.hpp"
#include "smsgw/modem/port_opener.hpp"
#include "smsgw/modem/profile.hpp"
#include "smsgw/pdu/pdu.hpp"

namespace smsgw::modem {

struct ModemSettings {
  std::string id;    // stable name (logger "modem.<id>", events)
  std::string port;  // device path
  int baud = 115200;
  std::optional<std::string> pin;  // sent once; a refused PIN is never retried (PUK risk)
  // The PIN configured for the SIM with this ICCID ([[sim]] pin), asked first when the SIM
  // wants one (the ICCID is readable before the PIN: TS 31.102 EF_ICCID is always
  // readable); `pin` when it has none.
  std::function<std::optional<std::string>(const std::string& iccid)> pin_for_sim;
  std::string profile = "auto";    // "auto" or a profile name (profile.hpp)

  std::chrono::milliseconds send_timeout{60000};   // +CMGS after the PDU (networks: up to 120 s)
  std::chrono::milliseconds poll_interval{30000};  // signal / registration refresh
  std::chrono::milliseconds ussd_timeout{30000};   // AT+CUSD=1 until +CUSD (Gammu: 30 s)
  // After "+CUSD: 2[,...]" some modems still send the real answer (python-gsmmodem): how
  // long to wait for it.
  std::chrono::milliseconds ussd_release_grace{2000};
  std::chrono::milliseconds command_timeout{5000};
  std::chrono::milliseconds long_command_timeout{30000};  // CMGL, COPS, CFUN
  std::chrono::milliseconds prompt_timeout{5000};         // "> " after AT+CMGS (50-90 ms real)
  std::chrono::milliseconds probe_timeout{1000};          // each "AT" of a liveness probe
  int probe_attempts = 3;
  int timeouts_before_recovery = 2;  // consecutive command timeouts (a send timeout: 1)
  std::chrono::milliseconds backoff_initial{1000};
  std::chrono::milliseconds backoff_max{60000};
  // Serving this long without trouble resets the back-off to `backoff_initial`.
  std::chrono::milliseconds backoff_reset_after{600000};
  std::chrono::milliseconds absent_poll{1000};      // how often a missing port is looked for
  std::chrono::milliseconds reboot_wait{5000};      // after AT+CFUN=1,1, before reopening
  std::chrono::milliseconds sim_ready_wait{10000};  // after the PIN, until +CPIN: READY
};

struct InboundSms {
  std::string modem_id;
  std::string storage;  // "SM", "ME", ...; empty for direct delivery (+CMT)
  int index = -1;       // -1 for direct delivery
  pdu::Deliver deliver;
  std::string pdu_hex;
};

struct StatusReportEvent {
  std::string modem_id;
  pdu::StatusReport report;
  std::string pdu_hex;
};

class ModemListener {  // implemented by the gateway
 public:
  virtual ~ModemListener() = default;
  // State changes, identity found, signal/registration changes.
  virtual void on_state_changed(const ModemSnapshot&) = 0;
  // Resume with true once the message is durably stored; only then is it deleted from the
  // SIM or acknowledged (+CNMA). false keeps it on the SIM: it is offered again at the next
  // poll and after every re-init. The actor awaits one offer at a time.
  virtual awaitable<bool> on_inbound(InboundSms) = 0;
  virtual awaitable<bool> on_status_report(StatusReportEvent) = 0;
};

struct UssdReply {
  int status = 0;    // +CUSD <m>: 0 done, 1 further action (session closed), 2 ended
  std::string text;  // decoded UTF-8
  std::optional<int> dcs;
  std::string raw;  // the string as the modem sent it
};

class ModemActor final : public PartSender {
 public:
  ModemActor(asio::any_io_executor executor, ModemSettings settings, ModemListener& listener,
             std::shared_ptr<PortOpener> opener = make_tty_port_opener());
  ~ModemActor() override;
  ModemActor(const ModemActor&) = delete;
  ModemActor& operator=(const ModemActor&) = delete;

  // Supervises forever: open, init, serve, recover, reopen. Returns after stop().
  awaitable<void> run();
  // Ends run() promptly: closes the port; pending commands fail with "at.closed".
  void stop();

  // Starts a reset now, the recovery ladder's strong rungs in one go, without waiting for
  // the actor to find a hang by itself: the port is closed and reopened (a send in flight
  // finishes first, so no part is left of unknown outcome; no new send starts meanwhile),
  // the radio is switched off and on (AT+CFUN=0;+CFUN=1, TS 27.007 8.2), then the init
  // sequence runs. A back-off in progress is cut short. Returns once the reset has begun;
  // resetting() is true until the init after it has ended. Errors: "conflict" while a reset
  // runs, ErrorCode::modem_not_ready when the port is absent (nothing to reopen) or the
  // actor is stopping.
  Result<void> reset();
  [[nodiscard]] bool resetting() const;

  [[nodiscard]] const ModemSnapshot& snapshot() const override;
  [[nodiscard]] const Profile& profile() const;
  // state == ready and no send in flight.
  [[nodiscard]] bool can_send() const;

  // Sends one part with AT+CMGS (TS 27.005 3.5.1). A part whose PDU was written but whose
  // +CMGS never came (timeout, port gone) is `unknown` (maybe sent); one refused or not
  // fully written is `failed`. Not ready or a send already in flight: `failed`,
  // "modem.not_ready". The caller sends the parts of a message one by one and stops at the
  // first that is not `sent`.
  awaitable<PartResult> send(pdu::SubmitPart part) override;

  // Runs one USSD request (AT+CUSD=1) in the profile's encoding and waits for +CUSD
  // without holding the port (sends go on meanwhile). Errors: "modem.not_ready",
  // "modem.busy" (another USSD in flight), "modem.ussd_code", "modem.ussd_timeout" (then
  // AT+CUSD=2 cancels), "modem.ussd_unsupported" (<m>=4), "modem.ussd" (<m>=3), and the
  // AT errors of AT+CUSD=1 itself. A reply with <m>=1 is returned and the session closed.
  awaitable<Result<UssdReply>> ussd(std::string code);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace smsgw::modem
