// SimulatedModem: one GSM modem and its SIM, as a gateway sees them over a serial line.
//
// Pure: bytes in (on_input), bytes out (ModemHost::write), time through
// ModemHost::schedule. It interprets AT commands the way the personality's real devices
// do (shared/reference/at-protocol.md): echo, CMEE error forms, two-phase +CMGS with
// PDU validation and an 8-bit message reference that wraps, SM/SR memories, +CMTI/+CMT/
// +CDSI/+CDS routing by +CNMI, USSD per coding, boot URCs, and the faults of its
// FaultConfig. URCs that belong to SMS/USSD wait while a command runs (CNMI mode 2);
// noise URCs (^RSSI, floods) come at any time, also inside a reply.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "at_command.hpp"
#include "fault_plan.hpp"
#include "message_store.hpp"
#include "modem_config.hpp"
#include "modem_host.hpp"
#include "personality.hpp"
#include "smsgw/common/result.hpp"
#include "smsgw/pdu/pdu.hpp"

namespace smsgw::sim {

// An inbound message the simulated network delivers.
struct InjectRequest {
  std::string from;
  std::string text;
  pdu::EncodingChoice encoding = pdu::EncodingChoice::automatic;
  std::optional<int> message_class;
  unsigned concat_reference = 0;
};

// How the network delivers the parts of an injected message.
struct InjectDelivery {
  // The order the parts reach the modem, 0-based part indexes: a permutation of every
  // part; empty: in order.
  std::vector<int> order;
  // This part (0-based) is delivered a second time right after its first copy, as a
  // network does that repeats a part.
  std::optional<int> repeat_part;
};

struct ModemCounters {
  std::uint64_t commands = 0;
  std::uint64_t sent = 0;         // PDUs accepted and logged (incl. lost answers)
  std::uint64_t send_errors = 0;  // +CMS ERROR on send, by fault
  std::uint64_t lost_answers = 0;
  std::uint64_t swallowed = 0;       // hang "cmgs": PDUs that vanished
  std::uint64_t bad_pdus = 0;        // +CMS ERROR: 304
  std::uint64_t received = 0;        // inbound parts delivered (stored or +CMT)
  std::uint64_t status_reports = 0;  // reports delivered (stored or +CDS)
  std::uint64_t ussd = 0;
  std::uint64_t reboots = 0;
  std::uint64_t unplugs = 0;
  std::uint64_t unacknowledged = 0;  // +CSMS=1 deliveries without AT+CNMA in time
  std::uint64_t acknowledged = 0;    // AT+CNMA accepted
  std::uint64_t duplicates = 0;      // +CMT / +CDS sent a second time (fault)
};

class SimulatedModem {
 public:
  SimulatedModem(ModemConfig config, ModemHost& host);
  SimulatedModem(const SimulatedModem&) = delete;
  SimulatedModem& operator=(const SimulatedModem&) = delete;

  // Power-on: silent for boot_ms, then the boot URCs; session settings at defaults.
  // `already_booted`: the boot happened before anyone listened (the URCs are printed at
  // once and commands are answered at once).
  void power_on(bool already_booted = false);
  // Power lost (unplug): forgets the session; SIM contents and the MR counter stay.
  void power_off();
  [[nodiscard]] bool powered() const { return power_ != Power::off; }

  void on_input(std::string_view bytes);
  // The gateway (re)opened the port: clears a total hang.
  void on_port_opened();

  // The network delivers a message (one part per PDU), in `delivery.order` and with
  // `delivery.repeat_part` twice. Returns the number of parts; an order that
  // is not a permutation of the parts, or a repeat_part out of range, is an error and
  // nothing is delivered.
  Result<int> inject_message(const InjectRequest& request, const InjectDelivery& delivery = {});
  // The network sends a status report for `mr` and `recipient` with TP-ST `status`.
  Result<void> inject_status_report(std::uint8_t mr, std::string_view recipient, int status);
  // `lines` noise URCs (^RSSI / +CREG) at once.
  void urc_flood(int lines);
  // Clears hangs and pending "next N" faults.
  void clear_faults();

  // Runtime changes ("set" / "fault" control commands); all or nothing.
  Result<void> set(const nlohmann::json& settings);
  Result<void> set_faults(const nlohmann::json& settings);

  [[nodiscard]] const ModemConfig& config() const { return config_; }
  [[nodiscard]] const Personality& personality() const { return *personality_; }
  [[nodiscard]] const MessageStore& store() const { return store_; }
  [[nodiscard]] const ModemCounters& counters() const { return counters_; }
  void count_unplug() { ++counters_.unplugs; }
  [[nodiscard]] nlohmann::json stats() const;
  [[nodiscard]] IccidForm iccid_form() const;
  [[nodiscard]] std::string mccmnc() const;

 private:
  enum class Power { off, booting, on };
  enum class Mode { command, busy, prompt };
  enum class SimState { ready, pin, puk };
  enum class Status { done, failed, suspended };
  using Handler = Status (SimulatedModem::*)(const AtCommand&);

  struct Session {
    bool echo = true;
    int cmee = 0;
    std::array<int, 5> cnmi{2, 1, 0, 2, 0};
    std::array<std::string, 3> cpms{"SM", "SM", "SM"};
    int csms = 0;
    std::string cscs = "GSM";
    int cfun = 1;
    int creg_n = 0, cgreg_n = 0, cereg_n = 0;
    int cops_format = 0;
    bool curc = true;           // Huawei ^CURC
    bool ussd_mode_ok = false;  // Huawei ^USSDMODE=0 sent
    int cmms = 0;
  };

  // Input.
  void process_bytes(std::string_view bytes);
  void command_byte(char byte);
  void prompt_byte(char byte);
  void hung_byte(char byte);
  void execute_line(const std::string& line);
  void run_commands(std::vector<AtCommand> commands);
  Status dispatch(const AtCommand& command);

  // Output.
  void emit(std::string_view bytes) { out_ += bytes; }
  void flush();
  void info(std::string line);
  void info_block(std::vector<std::string> lines);
  void finish(std::string_view final_result);
  // The command line is over: queued URCs go out, held input is processed.
  void back_to_command_mode();
  std::string render_reply(std::string_view final_result);
  void emit_urc(std::string text);    // waits while busy
  void emit_noise(std::string text);  // never waits
  void flush_urcs();
  std::string noise_line(std::size_t which);
  Status fail_cme(int code);
  Status fail_cms(int code);
  Status fail_plain();
  Status fail_unsupported();

  // Time.
  // `action` in `ms`, unless the modem was powered off or rebooted meanwhile.
  void after(int ms, std::function<void()> action);
  // `action` in `ms` whatever becomes of the modem: the network's doing.
  void network_after(int ms, std::function<void()> action);
  void boot_complete();
  void reboot(bool reply_ok);
  void schedule_noise();

  // SMS.
  // A +CMT (message) or +CDS (status report) routed to the TE with its PDU.
  struct DirectDelivery {
    bool report = false;
    std::string pdu_hex;
  };
  void finish_pdu();
  void deliver_pending_inbound();
  void deliver_status_report(const std::string& pdu_hex);
  void route_status_report(const std::string& pdu_hex);
  void deliver_direct(DirectDelivery delivery);
  void deliver_direct_once(DirectDelivery delivery);
  void acknowledged();
  void return_to_network(DirectDelivery delivery);
  // The reports for a message the network took; the first comes `answer_ms` (when the
  // +CMGS answer is due) plus status_report_latency_ms later.
  void schedule_status_reports(std::uint8_t mr, const pdu::Address& recipient, pdu::Timestamp scts,
                               int answer_ms);
  pdu::Timestamp timestamp_now();
  [[nodiscard]] bool registered() const;
  [[nodiscard]] int effective_registration() const;
  [[nodiscard]] bool sim_ready() const { return sim_ == SimState::ready; }
  void registration_changed();

  // USSD.
  std::optional<std::string> ussd_reply_for(const std::string& code) const;
  std::string encode_ussd(const std::string& text, int& dcs) const;

  // Command handlers (modem_commands.cpp).
  Status cmd_basic(const AtCommand&);
  Status cmd_identity(const AtCommand&);
  Status cmd_cimi(const AtCommand&);
  Status cmd_iccid(const AtCommand&);
  Status cmd_crsm(const AtCommand&);
  Status cmd_cmee(const AtCommand&);
  Status cmd_cpin(const AtCommand&);
  Status cmd_cmgf(const AtCommand&);
  Status cmd_cscs(const AtCommand&);
  Status cmd_csms(const AtCommand&);
  Status cmd_cpms(const AtCommand&);
  Status cmd_cnmi(const AtCommand&);
  Status cmd_csq(const AtCommand&);
  Status cmd_creg(const AtCommand&);
  Status cmd_cops(const AtCommand&);
  Status cmd_csca(const AtCommand&);
  Status cmd_cmgs(const AtCommand&);
  Status cmd_cmgr(const AtCommand&);
  Status cmd_cmgl(const AtCommand&);
  Status cmd_cmgd(const AtCommand&);
  Status cmd_cnma(const AtCommand&);
  Status cmd_cusd(const AtCommand&);
  Status cmd_cfun(const AtCommand&);
  Status cmd_cpas(const AtCommand&);
  Status cmd_cmms(const AtCommand&);
  Status cmd_vendor(const AtCommand&);
  static const std::vector<std::pair<std::string_view, Handler>>& handlers();

  ModemConfig config_;
  const Personality* personality_;
  ModemHost& host_;
  FaultPlan plan_;
  MessageStore store_;
  ModemCounters counters_;

  Power power_ = Power::off;
  std::uint64_t epoch_ = 0;  // bumped on every power change; stale timers do nothing
  Mode mode_ = Mode::command;
  Session session_;
  SimState sim_ = SimState::ready;
  int pin_attempts_left_ = 3;
  std::uint8_t next_mr_ = 0;

  std::string line_;
  std::string pending_input_;
  std::size_t prompt_length_ = 0;
  std::string pdu_hex_;
  bool pdu_bad_char_ = false;

  std::string out_;
  std::vector<std::vector<std::string>> reply_;
  std::string error_final_;
  std::vector<std::string> urc_queue_;
  std::deque<std::string> pending_inbound_;
  // Status reports the network holds while the modem is off or unregistered: an SMSC
  // delivers an SMS-STATUS-REPORT as it does any mobile-terminated message, again once
  // the mobile is reachable (3GPP TS 23.040 3.2.5, the SC alert).
  std::deque<std::string> pending_reports_;
  // +CSMS=1 (TS 27.005 3.4.1): the delivery waiting for AT+CNMA, and those held back
  // until it is acknowledged (no new +CMT/+CDS before the previous one is).
  std::optional<DirectDelivery> awaiting_ack_;
  std::deque<DirectDelivery> held_direct_;
  std::uint64_t ack_serial_ = 0;
  bool noise_scheduled_ = false;
};

}  // namespace smsgw::sim
