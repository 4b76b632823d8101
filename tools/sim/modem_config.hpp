// The configuration of one simulated modem: identity, network, timing, behaviour and
// faults. Defaults come deterministically from the modem index (default_modem_config);
// a JSON file and runtime "set"/"fault" control commands change them (apply_settings).
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "personality.hpp"
#include "smsgw/common/result.hpp"

namespace smsgw::sim {

// What the simulated network says about a message sent with TP-SRR.
enum class ReportOutcome {
  delivered,               // one report, TP-ST 0x00
  failed,                  // one report, TP-ST `failed_status` (0x40..0x7F)
  pending_then_delivered,  // TP-ST `pending_status` (0x20..0x3F), then 0x00
  none,                    // the network never reports
};
std::optional<ReportOutcome> report_outcome_from_name(std::string_view name);
std::string_view to_string(ReportOutcome outcome);

// How a modem misbehaves. Probabilities are per event (send, reply, +CMTI).
struct FaultConfig {
  enum class Hang {
    none,
    total,  // nothing answers, not even AT; AT+CFUN (silently), reopening the port or
            // the "reset" control command recovers
    cmgs,   // AT works, but AT+CMGS takes the PDU and never answers
  };
  std::vector<int> cms_error_codes{500};  // drawn from in order, cyclically
  double cms_error_probability = 0;
  int cms_error_next = 0;              // the next N sends fail
  double lost_answer_probability = 0;  // PDU sent and logged, +CMGS never printed
  int lost_answer_next = 0;
  double swallow_probability = 0;  // PDU taken, never sent, never answered (hang: cmgs, once)
  Hang hang = Hang::none;
  double garbage_probability = 0;         // random bytes between the lines of a reply
  double urc_in_reply_probability = 0;    // a noise URC between the lines of a reply
  double duplicate_cmti_probability = 0;  // +CMTI printed twice
  // +CMT / +CDS sent twice: the network missed the acknowledgement and delivers again.
  double duplicate_direct_probability = 0;
};

// A message on the SIM when the simulator starts (for the gateway's start-up sweep).
struct PresetMessage {
  std::string from;
  std::string text;
  bool read = false;
};

struct ModemConfig {
  int index = 0;
  std::string personality = "generic";

  // Identity.
  std::string imei;
  std::string imsi;
  int mnc_digits = 2;  // EF_AD byte 4 (TS 31.102 4.2.18)
  std::string iccid;
  std::optional<IccidForm> iccid_form;  // unset: the personality's
  std::string pin;                      // empty: no PIN
  std::string puk = "12345678";

  // Network.
  int csq = 20;
  int registration = 1;  // +CREG <stat>
  std::string operator_name;
  std::string smsc;
  std::string lac = "1A2B";
  std::string cell_id = "00C3D4E5";

  // Balance and USSD.
  double balance = 12.34;
  std::string currency = "EUR";
  std::string balance_code = "*100#";
  std::string balance_reply = "Your balance is {amount} {currency}";
  std::map<std::string, std::string> ussd;  // code -> reply text
  int ussd_latency_ms = 300;
  bool ussd_reply_before_ok = false;
  bool ussd_mode_required = false;  // Huawei E1752: ERROR to +CUSD until ^USSDMODE=0
  double sms_cost = 0;              // taken from the balance per part sent

  // Timing.
  int send_latency_ms = 200;
  int send_jitter_ms = 0;
  int status_report_latency_ms = 1000;
  int ussd_jitter_ms = 0;
  int boot_ms = 200;                // power-on to boot URCs (input is ignored meanwhile)
  int reboot_ms = 1000;             // AT+CFUN=1,1: OK, silence, then boot
  bool cfun_reset_replugs = false;  // AT+CFUN=1,1 also re-enumerates (new PTY)
  int cnma_timeout_ms = 10000;      // +CSMS=1: +CMT/+CDS unacknowledged -> mt=ds=0

  // Status reports.
  ReportOutcome status_report_outcome = ReportOutcome::delivered;
  int failed_status = 0x41;
  int pending_status = 0x20;

  // Behaviour.
  bool echo = true;
  int noise_interval_ms = -1;  // -1: the personality's default; 0: none
  int sm_capacity = 30;
  int sr_capacity = 30;
  int index_base = -1;             // -1: the personality's
  std::string cnmi = "2,1,0,2,0";  // power-on +CNMI
  // The +CNMI values accepted per parameter (mode, mt, bm, ds, bfr); unset: the
  // personality's. Set from the AT+CNMI=? form, e.g. "(0-2),(0,2),(0,2),(0-2),(0,1)".
  std::optional<CnmiSupport> cnmi_supported;
  std::vector<PresetMessage> stored;
  std::uint64_t seed = 0;

  FaultConfig faults;
};

// "(0-2),(0,2),(0),(0-2),(0,1)" (the AT+CNMI=? reply without "+CNMI: ") as five lists of
// accepted values; errors name what is wrong. format_cnmi_support writes the reply form.
Result<CnmiSupport> parse_cnmi_support(std::string_view text);
std::string format_cnmi_support(const CnmiSupport& support);

// Defaults for modem `index` with `personality`: identity from the index, home network
// from a fixed table (2- and 3-digit MNCs), seed from the index.
ModemConfig default_modem_config(int index, std::string_view personality);

// Applies the keys of a JSON object (the schema in tools/sim/README.md) to `config`.
// Unknown keys and values of the wrong type or range are errors naming the key.
Result<void> apply_settings(ModemConfig& config, const nlohmann::json& settings);
Result<void> apply_faults(FaultConfig& faults, const nlohmann::json& settings);

// A whole simulator config file: {"defaults": {...}, "modems": [{...}, ...]}.
// Modem i gets default_modem_config(i, personality), then "defaults", then modems[i].
// `personality` is the --personality flag: a name, or "mixed" to cycle through all.
Result<std::vector<ModemConfig>> build_modem_configs(int count, std::string_view personality,
                                                     const nlohmann::json& file);

nlohmann::json faults_to_json(const FaultConfig& faults);

}  // namespace smsgw::sim
