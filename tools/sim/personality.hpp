// Personalities: what distinguishes one modem family from another, as data.
// Each row cites where the behaviour was seen (shared/reference/at-protocol.md).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace smsgw::sim {

// How a personality reports the ICCID (besides AT+CRSM, which every personality answers).
enum class IccidForm {
  crsm_only,  // only AT+CRSM=176,12258,0,0,10 (swapped nibbles, F padded)
  huawei,     // AT^ICCID?  -> ^ICCID: <digits>
  quectel,    // AT+QCCID   -> +QCCID: <digits>
  simcom,     // AT+CICCID  -> +ICCID: <digits>; AT+CCID -> bare digits (SIM800)
  ccid,       // AT+CCID    -> +CCID: <digits> (u-blox)
  bare,       // AT+CCID    -> <digits>
};
std::optional<IccidForm> iccid_form_from_name(std::string_view name);
std::string_view to_string(IccidForm form);

// How USSD strings travel between the gateway and the modem.
enum class UssdCoding {
  plain,        // text in the CSCS character set, dcs 15
  gsm7_packed,  // GSM 7-bit packed, hex (Huawei E1xx; MM plugins/huawei)
  ucs2_hex,     // UCS2 big-endian, hex (Quectel, Huawei E3276 with dcs 72)
};

// Where a status report goes when CNMI ds asks for it.
enum class ReportRoute {
  cdsi_sr,      // stored in SR, announced +CDSI: "SR",n (gammu#408)
  cdsi_sm_bug,  // stored in SR, announced +CDSI: "SM",n (EC25/EG25, chan-quectel PR#75)
  cds_direct,   // +CDS: <len>\r\n<pdu> even for ds=2 (SIM800L, python-gsmmodem PR#76)
};

// +CNMI values accepted per parameter: mode, mt, bm, ds, bfr (TS 27.005 3.4.1).
using CnmiSupport = std::vector<std::vector<int>>;

// A vendor command the personality accepts. `reply` is an information line ("" for none).
struct VendorCommand {
  std::string_view name;   // "^CURC", "+ZCDRUN" (upper case, without AT)
  std::string_view reply;  // "" or a fixed line
};

// One device family. Defaults are the generic device (TS 27.007 / 27.005 behaviour with
// no quirk); a row names only what its family does differently.
struct Personality {
  std::string_view name;
  std::string_view manufacturer;  // AT+CGMI
  std::string_view model;         // AT+CGMM
  std::string_view revision;      // AT+CGMR
  std::string_view imei_tac;      // first 8 IMEI digits of the default identity
  IccidForm iccid_form = IccidForm::crsm_only;
  std::string_view unsupported_final = "ERROR";    // final result of an unknown command
  std::vector<std::string_view> boot_urcs;         // after power-on, with the SIM ready
  std::vector<std::string_view> boot_urcs_locked;  // after power-on, SIM PIN needed
  std::vector<std::string_view> after_pin_urcs{};  // once the PIN was accepted
  UssdCoding ussd_request = UssdCoding::plain;
  UssdCoding ussd_reply = UssdCoding::plain;
  int ussd_reply_dcs = 15;
  ReportRoute report_route = ReportRoute::cdsi_sr;
  // +CNMI values accepted per parameter (mode, mt, bm, ds, bfr); test reply text.
  CnmiSupport cnmi_accepted{{0, 1, 2}, {0, 1, 2, 3}, {0, 2}, {0, 1, 2}, {0, 1}};
  std::string_view cnmi_test_reply = "+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)";
  bool send_noise = false;       // ZTE: +ZDONR before "> ", +ZPASR before +CMGS (pgm test_modem.py)
  bool cmgr_empty_stat = false;  // ZTE: "+CMGR: ,,27" (pgm tests)
  int index_base = 1;            // first storage index (0 for Huawei: Gammu F_SMS_LOCATION_0)
  int noise_interval_ms = 0;     // default period of noise URCs; 0 = none
  std::vector<std::string_view> noise_urcs;  // "{csq}" is replaced by the signal
  std::vector<VendorCommand> vendor_commands{};
};

// The five personalities: generic, huawei, zte, simcom, quectel.
std::span<const Personality> personalities();
const Personality* find_personality(std::string_view name);

}  // namespace smsgw::sim
