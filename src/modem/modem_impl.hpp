// ModemActor::Impl: the state of one modem actor, shared by the files that implement it.
// Private to src/modem; the contract is include/smsgw/modem/modem.hpp.
//
//   modem.cpp           state and lifecycle: the public API, port, commands, serve loop
//   modem_init.cpp      initialisation: profile, SIM, storage, indications, identity, polls
//   modem_send.cpp      sending one part (AT+CMGS)
//   modem_inbound.cpp   inbound messages and status reports (stored and direct)
//   modem_urc.cpp       URC handling: the dispatch table
//   modem_recovery.cpp  the recovery ladder
//   modem_reset.cpp     a reset asked for from outside (ModemActor::reset)
//   modem_ussd.cpp      USSD
//
// Everything runs on the actor's executor (one thread). GCC 12 coroutine rules
// (docs/architecture.md "Toolchain pitfalls"): await into a local before testing it
// (never `if (!co_await f())` or `a && co_await f()`), and coroutines take their
// parameters by value.
#pragma once

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>

#include "smsgw/at/channel.hpp"
#include "smsgw/common/event.hpp"
#include "smsgw/modem/modem.hpp"
#include "smsgw/modem/parsers.hpp"
#include "tracking_stream.hpp"

namespace smsgw::modem {

struct ModemActor::Impl {
  using Clock = std::chrono::steady_clock;
  using milliseconds = std::chrono::milliseconds;

  static constexpr std::string_view kEsc = "\x1b\r";  // aborts a stuck "> " prompt (Gammu, Telit)
  static constexpr std::size_t kRecentDirect = 64;    // +CMT / +CDS PDUs remembered for duplicates

  // Why serve() returned.
  enum class Exit { recovered, stop, port_lost, reopen, reboot, reset };

  // A message slot announced by +CMTI / +CDSI or left unacknowledged by the listener.
  struct Slot {
    std::string memory;
    int index = 0;
    bool report = false;  // announced by +CDSI
    friend bool operator<(const Slot& a, const Slot& b) {
      return std::tie(a.memory, a.index) < std::tie(b.memory, b.index);
    }
    friend bool operator==(const Slot& a, const Slot& b) {
      return a.memory == b.memory && a.index == b.index;
    }
  };

  asio::any_io_executor executor;
  ModemSettings settings;
  ModemListener& listener;
  std::shared_ptr<PortOpener> opener;
  std::shared_ptr<spdlog::logger> log;
  ModemSnapshot snap;
  const Profile* profile = &generic_profile();
  const Profile* forced_profile = nullptr;

  // The open port.
  std::shared_ptr<at::Channel> channel;
  std::shared_ptr<IoCounters> io;

  std::shared_ptr<Event> wake;     // work queued, a failure to look at, or stop
  std::shared_ptr<Event> stopped;  // stop() was called
  bool stopping = false;

  // Work for the serve loop, filled by the URC handler.
  std::deque<Slot> pending_reads;
  std::optional<Slot> reading;         // the slot being read now
  std::set<Slot> unacknowledged;       // the listener did not store it yet: offered again
  std::set<Slot> undecodable;          // kept on the SIM, never offered again this session
  std::deque<at::Urc> pending_direct;  // +CMT / +CDS with their PDU
  bool direct_in_progress = false;     // one of them is with the listener or being acked
  std::shared_ptr<Event> direct_done;  // set whenever pending_direct ran empty
  // PDUs of +CMT / +CDS the listener stored lately: a network that missed the
  // acknowledgement delivers the same TPDU again (dropped, acknowledged again).
  std::deque<std::string> recent_direct;
  bool reinit_requested = false;
  bool recovery_requested = false;
  // A reset asked for from outside (modem_reset.cpp): `reset_requested` until the port is
  // reopened, `resetting` until the init that follows has ended.
  bool reset_requested = false;
  bool resetting = false;
  std::shared_ptr<Event> interrupt;  // set by stop() and reset(): ends a back-off early

  // Storage (TS 27.005 3.2.2).
  std::string primary_memory = "SM";
  std::string read_memory;   // the current <mem1>, empty when unknown
  bool sr_memory = false;    // "SR" can be selected as <mem1>
  bool needs_cnma = false;   // +CSMS service 1: +CMT/+CDS must be acknowledged
  bool indications = false;  // some +CNMI variant was accepted
  std::string cnmi_command;  // the accepted variant

  // Sending and recovery.
  bool send_in_flight = false;
  int command_timeouts = 0;    // consecutive, outside sends
  bool resync_needed = false;  // a command timed out: probe before the next one
  int recovery_level = 0;
  Clock::time_point last_recovery{};
  std::chrono::milliseconds backoff{0};

  // USSD.
  bool ussd_in_flight = false;
  std::deque<UssdNotification> ussd_notes;
  std::shared_ptr<Event> ussd_arrived;

  // Identity of the modem last seen on this port.
  std::string known_imei;
  std::string known_iccid;
  bool pin_refused = false;

  Impl(asio::any_io_executor executor_in, ModemSettings settings_in, ModemListener& listener_in,
       std::shared_ptr<PortOpener> opener_in);

  // ---- state and lifecycle (modem.cpp)
  void set_state(ModemState state);
  void record_error(Error error);
  void notify_changed();
  awaitable<bool> sleep_unless_stopped(milliseconds duration);  // false: stop() came first
  Result<void> connect();
  void disconnect();
  awaitable<void> wait_for_port();
  awaitable<Result<at::Response>> command(std::string text, milliseconds timeout);
  awaitable<Result<at::Response>> command(std::string text);  // settings.command_timeout
  awaitable<Result<void>> probe();
  void request_recovery();
  awaitable<Exit> serve();
  awaitable<void> run();
  void stop();

  // ---- initialisation (modem_init.cpp)
  awaitable<Result<void>> initialise();
  awaitable<Result<void>> select_indications();
  awaitable<void> check_indications();
  awaitable<Result<void>> run_step(InitStep step);
  awaitable<Result<void>> unlock_sim();
  awaitable<void> setup_storage();
  // The SIM's ICCID by the profile's commands; empty when none answers.
  awaitable<std::string> read_iccid();
  awaitable<void> read_identity();
  awaitable<bool> poll_status();

  // ---- sending (modem_send.cpp)
  bool can_send() const;
  awaitable<PartResult> send(pdu::SubmitPart part);

  // ---- inbound and reports (modem_inbound.cpp)
  awaitable<Result<void>> select_memory(std::string memory);
  awaitable<void> sweep();
  awaitable<void> sweep_memory(std::string memory);
  void enqueue(Slot slot);
  awaitable<void> read_slot(Slot slot);
  awaitable<std::optional<bool>> offer(pdu::Decoded decoded, std::string storage, int index,
                                       std::string pdu_hex);
  awaitable<void> hand_over(Slot slot, std::string pdu_hex);
  awaitable<void> handle_direct(at::Urc urc);
  awaitable<void> acknowledge_direct();
  awaitable<void> let_direct_deliveries_finish();

  // ---- URC handling (modem_urc.cpp)
  void on_urc(const at::Urc& urc);
  void on_stored_announcement(const at::Urc& urc);  // +CMTI, +CDSI
  void on_direct_delivery(const at::Urc& urc);      // +CMT, +CDS
  void on_ussd_notification(const at::Urc& urc);    // +CUSD
  void on_registration(const at::Urc& urc);         // +CREG, +CGREG, +CEREG

  // ---- recovery ladder (modem_recovery.cpp)
  awaitable<Exit> recover();

  // ---- reset from outside (modem_reset.cpp)
  Result<void> request_reset();
  awaitable<void> reset_radio();  // after the port was reopened: radio off and on
  // State backoff for `duration`, ended early by stop() or a reset (none when one waits).
  awaitable<void> back_off(milliseconds duration);

  // ---- USSD (modem_ussd.cpp)
  awaitable<Result<UssdReply>> ussd(std::string code);

  // ---- helpers
  static bool is_port_failure(const Error& error) {
    return error.kind == ErrorCode::at_io || error.kind == ErrorCode::at_closed;
  }

  static std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

  // The first reply line that `parse` accepts.
  template <class Parser>
  static auto first_parsed(const at::Response& response, Parser parse)
      -> decltype(parse(std::string_view{})) {
    std::optional<Error> first_error;
    for (const auto& line : response.lines) {
      auto parsed = parse(line);
      if (parsed) return parsed;
      if (!first_error) first_error = parsed.error();
    }
    return first_error ? *first_error
                       : make_error("modem.parse", "the reply had no information line");
  }
};

}  // namespace smsgw::modem
