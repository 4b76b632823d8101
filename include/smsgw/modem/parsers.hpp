// Parsers for the information lines modems send in reply to AT commands and in URCs.
// 3GPP TS 27.007 (general, network, SIM) and TS 27.005 (SMS). Every form quoted in
// shared/reference/at-protocol.md is covered by a table-driven test in
// tests/unit/modem/parsers_test.cpp.
//
// Pure: no I/O. Each parser takes one line as the AT channel delivered it (no line end),
// accepts the prefix case-insensitively with or without the space after the colon, and
// returns Error{"modem.parse", "<what> in <line>: <why>"} for anything it cannot read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smsgw/common/result.hpp"

namespace smsgw::modem {

// One comma-separated parameter of an AT line. Quotes are removed from `text`; `quoted`
// says whether they were there (an empty unquoted field is an omitted parameter).
struct Field {
  std::string text;
  bool quoted = false;
  friend bool operator==(const Field&, const Field&) = default;
};

// Splits "1,\"a,b\",,3" at commas outside double quotes: {1}, {a,b quoted}, {}, {3}.
// Surrounding spaces of unquoted fields are trimmed. An empty input is zero fields.
std::vector<Field> split_fields(std::string_view params);

// The parameters after "<prefix>:" when `line` starts with `prefix` (case-insensitive,
// e.g. "+CSQ"), leading spaces removed; nullopt when the line has another prefix.
std::optional<std::string_view> strip_prefix(std::string_view line, std::string_view prefix);

// ---- signal: +CSQ: <rssi>,<ber> (TS 27.007 8.5) ----
struct SignalQuality {
  int rssi = 99;           // 0..31, 99 = not known
  int ber = 99;            // 0..7, 99 = not known
  std::optional<int> dbm;  // -113 + 2*rssi for rssi 0..31; absent when unknown
};
Result<SignalQuality> parse_csq(std::string_view line);

// ---- registration: +CREG / +CGREG / +CEREG / +C5GREG (TS 27.007 7.2, 10.1.20, 10.1.22) ----
// The five states the outside contract reports (contract.md, GET /api/v1/modems).
enum class RegistrationState { home, roaming, searching, denied, unknown };
std::string_view to_string(RegistrationState);  // "home" | "roaming" | ...
// <stat> -> state: 1,6,9 home; 5,7,10 roaming; 2 searching; 3,8 denied; others unknown.
RegistrationState registration_state_from_stat(int stat);

// Which form a line has. The reply to "AT+CREG?" starts with <n>; the unsolicited code
// (and the reply on some modems) starts with <stat>. `detect` decides by the shape:
// 1 or 3 fields -> unsolicited, 2 or 5+ -> solicited, 4 -> unsolicited when the second
// field is a location code (quoted or more than one hex digit), else solicited.
enum class RegistrationForm { solicited, unsolicited, detect };

struct Registration {
  int stat = 4;
  RegistrationState state = RegistrationState::unknown;
  std::optional<int> mode;         // <n>, solicited form only
  std::optional<std::string> lac;  // LAC / TAC, upper-case hex without quotes
  std::optional<std::string> cell_id;
  std::optional<int> act;  // access technology (TS 27.007 7.3 <AcT>)
};
Result<Registration> parse_registration(std::string_view line,
                                        RegistrationForm form = RegistrationForm::detect);

// ---- SIM PIN: +CPIN: <code> (TS 27.007 8.3) ----
enum class PinState { ready, sim_pin, sim_puk, sim_pin2, sim_puk2, phone_pin, other };
struct PinStatus {
  PinState state = PinState::other;
  std::string text;  // the code as the modem wrote it, e.g. "SIM PIN"
};
Result<PinStatus> parse_cpin(std::string_view line);

// ---- identity ----
// IMEI from "490154203237518" or "+CGSN: \"490154203237518\"" (14 to 17 digits: IMEI with
// or without check digit, IMEISV).
Result<std::string> parse_imei(std::string_view line);
// IMSI from a bare line or "+CIMI: ..." (6 to 15 digits, TS 23.003 2.2).
Result<std::string> parse_imsi(std::string_view line);

// +CRSM: <sw1>,<sw2>[,<response>] (TS 27.007 8.18). Fails with "modem.sim_io" when the
// status words say the SIM refused (sw1 other than 0x90, 0x91, 0x92).
struct SimResponse {
  int sw1 = 0;
  int sw2 = 0;
  std::string data;  // hex, upper case
};
Result<SimResponse> parse_crsm(std::string_view line);

// MNC length (2 or 3) from EF_AD read with AT+CRSM=176,28589,0,0,4: byte 4, bits 1-4
// (TS 31.102 4.2.18).
Result<int> parse_mnc_length_from_ef_ad(std::string_view crsm_line);

// True for the MCCs whose networks use 3-digit MNCs (a fallback when EF_AD is unreadable):
// 302, 310-316, 334, 338, 342-358, 365-376, 405, 708, 722, 732.
bool mcc_uses_three_digit_mnc(int mcc);

// MCC+MNC of an IMSI: "262011234567890" -> "26201". `mnc_length` from EF_AD when known,
// else decided by mcc_uses_three_digit_mnc().
Result<std::string> mccmnc_from_imsi(std::string_view imsi, std::optional<int> mnc_length = {});

// ICCID from every reply form: "+CRSM: 144,0,\"98...F9\"" (EF_ICCID, nibbles swapped),
// "^ICCID:", "+QCCID:", "+ICCID:", "+CCID:", "#CCID:", "^SCID:", and bare digits; quoted
// or not. A value that starts with "98" is read nibble-swapped (an ICCID starts with the
// industry identifier 89, ITU-T E.118). Padding F is removed, the check digit kept, and
// A-F digits are allowed (some operators use them). 18 to 22 digits.
Result<std::string> parse_iccid(std::string_view line);

// ---- operator: +COPS: <mode>[,<format>,<oper>[,<AcT>]] (TS 27.007 7.3) ----
struct OperatorSelection {
  int mode = 0;
  std::optional<int> format;        // 0 long alphanumeric, 1 short, 2 numeric
  std::optional<std::string> name;  // as given in <format>
  std::optional<int> act;
};
Result<OperatorSelection> parse_cops(std::string_view line);

// ---- SMS (TS 27.005) ----
// +CMGS: <mr>[,<scts>|<ackpdu>] (3.5.1): the first integer only, 0..255.
Result<std::uint8_t> parse_cmgs(std::string_view line);

// +CMTI: <mem>,<index> and +CDSI: <mem>,<index> (3.4.1).
struct StorageIndex {
  std::string memory;  // "SM", "ME", "SR", "MT" ...
  int index = 0;
  friend bool operator==(const StorageIndex&, const StorageIndex&) = default;
};
Result<StorageIndex> parse_storage_index(std::string_view line);

// +CNMI: <mode>,<mt>,<bm>,<ds>,<bfr> (3.4.1): where new messages and status reports go.
struct CnmiSetting {
  int mode = 0;
  int mt = 0;  // 1 stored + "+CMTI"; 2 "+CMT" with the PDU; 3 class 3 as +CMT, others as 1
  int bm = 0;
  int ds = 0;  // 1 "+CDS" with the PDU; 2 stored + "+CDSI"
  int bfr = 0;
  // +CMT: the PDU comes with the indication and is never stored.
  [[nodiscard]] bool delivers_messages_directly() const { return mt == 2 || mt == 3; }
  // +CDS: the status report comes with the indication and is never stored.
  [[nodiscard]] bool delivers_reports_directly() const { return ds == 1; }
  friend bool operator==(const CnmiSetting&, const CnmiSetting&) = default;
};
// The reply to AT+CNMI? ("+CNMI: 2,1,0,2,0") or the set command itself
// ("AT+CNMI=2,1,0,2,0"); omitted parameters are 0.
Result<CnmiSetting> parse_cnmi(std::string_view line);

// +CMT: [<alpha>],<length> (3.4.1): the TPDU length of the PDU on the next line.
Result<int> parse_cmt_length(std::string_view line);
// +CDS: <length> (3.4.1).
Result<int> parse_cds_length(std::string_view line);

// Header of a message listed or read in PDU mode:
//   +CMGR: <stat>,[<alpha>],<length>         (3.4.3)  also "+CMGR: ,,27" (ZTE, no stat),
//                                                      "+CMGR: 0,24" (no alpha field)
//   +CMGL: <index>,<stat>,[<alpha>],<length> (3.4.2)  also "+CMGL: 17,3,35" (Pantech, no alpha),
//                                                      "+CMGL: 1,1,\"\",24" (Telit)
struct MessageHeader {
  std::optional<int> index;  // +CMGL only
  std::optional<int> stat;   // 0 unread, 1 read, 2 unsent, 3 sent; absent on ZTE
  std::optional<std::string> alpha;
  int length = 0;  // TPDU octets
};
Result<MessageHeader> parse_cmgr_header(std::string_view line);
Result<MessageHeader> parse_cmgl_header(std::string_view line);

// A message in a listing or a read reply: its header and the PDU line that follows it.
struct StoredMessage {
  MessageHeader header;
  std::string pdu_hex;
};
// The info lines of "AT+CMGL=4": header/PDU pairs. Lines that are neither a +CMGL header
// nor the hex line right after one (noise) are skipped, never fatal.
std::vector<StoredMessage> parse_cmgl_listing(const std::vector<std::string>& lines);
// The info lines of "AT+CMGR=<i>"; "modem.empty_slot" when the slot holds no message
// (some modems answer OK with no lines, others "+CMGR: 0,,0").
Result<StoredMessage> parse_cmgr_reply(const std::vector<std::string>& lines);

// +CPMS replies (3.2.2):
//   query  "+CPMS: \"SM\",0,30,\"SM\",0,30,\"SM\",0,30"
//   set    "+CPMS: 0,30,0,30,0,30"
//   test   "+CPMS: (\"SM\",\"ME\"),(\"SM\",\"ME\"),(\"SM\",\"SR\")"
struct StorageUsage {
  std::string memory;  // empty in the reply to a set command
  int used = 0;
  int total = 0;
};
Result<std::vector<StorageUsage>> parse_cpms(std::string_view line);  // query or set form
Result<std::vector<std::vector<std::string>>> parse_cpms_support(std::string_view line);

// +CSCA: <sca>[,<tosca>] (3.3.1). A number the modem printed as UCS2 hex (CSCS "UCS2",
// "002B0034...") is decoded.
struct ServiceCentre {
  std::string number;
  std::optional<int> type;
};
Result<ServiceCentre> parse_csca(std::string_view line);

// ---- USSD: +CUSD: <m>[,<str>[,<dcs>]] (TS 27.007 7.15) ----
// <m>: 0 done, 1 further action needed, 2 terminated by network, 3 other local client,
// 4 not supported, 5 network timeout. `text` is the raw string; see ussd.hpp to decode.
struct UssdNotification {
  int status = 0;
  std::optional<std::string> text;
  std::optional<int> dcs;
};
Result<UssdNotification> parse_cusd(std::string_view line);

}  // namespace smsgw::modem
