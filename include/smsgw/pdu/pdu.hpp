// The SMS PDU codec: text to SMS-SUBMIT PDUs, and modem PDUs back to structured values.
// 3GPP TS 23.040 (TPDU layouts) and TS 23.038 (alphabets, national language tables).
//
// Pure: no I/O, no logging, no Asio. Every decoder returns an Error naming the octet
// (offset in the input, counted from 0 at the first octet of the SMSC field) instead of
// reading past the end, on any input.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "smsgw/common/result.hpp"

namespace smsgw::pdu {

using Bytes = std::vector<std::uint8_t>;

// TS 23.038 4: how the user data is coded.
enum class Encoding { gsm7, eight_bit, ucs2 };
std::string_view to_string(Encoding);  // "gsm7" | "8bit" | "ucs2"

// What the caller asks for; `automatic` picks GSM 7-bit whenever every character fits
// (default alphabet + extension table, or a national table when allowed), else UCS2.
enum class EncodingChoice { automatic, gsm7, ucs2 };

// TS 23.038 6.2.1.2.4: national language identifiers (single- and locking-shift).
enum class NationalLanguage : std::uint8_t {
  turkish = 1,
  spanish = 2,
  portuguese = 3,
};
std::optional<NationalLanguage> national_language_from_name(std::string_view name);

// TS 23.040 9.2.3.1: TP-MTI.
enum class MessageType { deliver, submit, status_report };

// A decoded or to-be-encoded address (TS 23.040 9.1.2.5).
// `text` is "+<digits>" for an international number (TON 1), the digits for other numeric
// types, and the decoded text for an alphanumeric address (TON 5).
struct Address {
  enum class Type { international, national, unknown, alphanumeric };
  std::string text;
  Type type = Type::unknown;

  friend bool operator==(const Address&, const Address&) = default;
};

// Parses a destination as a user writes it: "+4917..." international, "0049..." is NOT
// rewritten here (number normalisation belongs to the scheduler), digits only -> unknown
// TON (national/unknown numbering), letters -> alphanumeric. Rejects empty input, more
// than 20 digits, and characters that are neither.
Result<Address> parse_address(std::string_view text);

// TS 23.040 9.2.3.11: a service-centre time stamp.
struct Timestamp {
  int year = 2000;  // full year (the PDU carries two digits; 00-99 -> 2000-2099)
  int month = 1, day = 1, hour = 0, minute = 0, second = 0;
  int tz_quarter_hours = 0;     // signed offset from UTC in quarters of an hour
  std::string iso8601() const;  // "2015-01-09T17:38:48+05:30"
  friend bool operator==(const Timestamp&, const Timestamp&) = default;
};

// TS 23.040 9.2.3.24.1 (8-bit reference, IE 0x00) and 9.2.3.24.8 (16-bit, IE 0x08).
struct Concat {
  unsigned ref = 0;
  unsigned part = 1;  // 1-based
  unsigned total = 1;
  friend bool operator==(const Concat&, const Concat&) = default;
};

// Decoded TP-UD with its header.
struct UserData {
  Encoding encoding = Encoding::gsm7;
  std::string text;          // UTF-8 (gsm7 and ucs2)
  Bytes data;                // 8-bit data as sent (eight_bit only)
  std::optional<Bytes> udh;  // the whole header without its UDHL octet
  std::optional<Concat> concat;
  std::optional<int> message_class;               // 0-3 (TS 23.038 4, DCS bits 1..0) when present
  std::optional<NationalLanguage> single_shift;   // IE 0x24
  std::optional<NationalLanguage> locking_shift;  // IE 0x25
};

struct Deliver {
  Address from;
  Timestamp scts;
  std::uint8_t protocol_id = 0;
  std::uint8_t dcs = 0;
  bool status_report_indication = false;  // TP-SRI
  UserData user_data;
};

struct Submit {
  Address to;
  std::uint8_t message_reference = 0;            // TP-MR
  bool status_report_request = false;            // TP-SRR
  bool reject_duplicates = false;                // TP-RD
  std::optional<std::chrono::seconds> validity;  // relative TP-VP only; absent otherwise
  std::uint8_t protocol_id = 0;
  std::uint8_t dcs = 0;
  UserData user_data;
};

// TS 23.040 9.2.3.15: TP-ST classes; the one definition (the store and the delivery-report
// matcher classify with it): 0x00-0x1F delivered, 0x20-0x3F pending, the rest failed.
enum class StatusClass { delivered, pending, failed };
StatusClass classify_status(std::uint8_t tp_st);
std::string_view to_string(StatusClass);  // "delivered" | "pending" | "failed"

struct StatusReport {
  std::uint8_t message_reference = 0;
  Address recipient;
  Timestamp scts;
  Timestamp discharge;
  std::uint8_t status = 0;  // TP-ST
  StatusClass status_class = StatusClass::delivered;
  std::optional<std::uint8_t> protocol_id;  // present when TP-PI says so
  std::optional<std::uint8_t> dcs;
  std::optional<UserData> user_data;
};

struct Decoded {
  std::optional<Address> smsc;  // absent when the SMSC field has length 0
  std::variant<Deliver, Submit, StatusReport> tpdu;
  MessageType type() const;
};

// Decodes a PDU as a modem prints it: hex (either case), starting with the SMSC field.
// MTI 00 is read as SMS-DELIVER, 01 as SMS-SUBMIT, 10 as SMS-STATUS-REPORT.
// Surrounding whitespace is ignored. Errors (message "octet N: ..."): "pdu.bad_hex",
// "pdu.truncated", "pdu.bad_address" (over 20 digits), "pdu.bad_timestamp" (non-decimal
// semi-octet), "pdu.bad_length" (TP-UDL over 160 septets / 140 octets), "pdu.bad_udh"
// (header or IE overruns), "pdu.bad_mti" (TP-MTI 11). Text is decoded leniently: a
// compressed DCS gives eight_bit data as sent, broken UCS2 gives U+FFFD.
Result<Decoded> decode(std::string_view hex);

// Options for SMS-SUBMIT encoding.
struct SubmitOptions {
  EncodingChoice encoding = EncodingChoice::automatic;
  bool status_report = false;                        // TP-SRR
  std::optional<std::chrono::seconds> validity;      // relative TP-VP (rounded up to a step)
  bool flash = false;                                // class 0
  bool reject_duplicates = false;                    // TP-RD
  std::uint8_t message_reference = 0;                // TP-MR (modems usually replace it)
  std::uint8_t concat_reference = 0;                 // IE 0x00 reference for multipart
  std::size_t max_parts = 10;                        // more needed -> Error "pdu.too_long"
  std::vector<NationalLanguage> national_languages;  // tables the encoder may use; empty = none
};

struct SubmitPart {
  std::string pdu;         // hex, "00" SMSC field first, no Ctrl-Z: what follows "> "
  std::size_t length = 0;  // TPDU octets (SMSC field excluded): the AT+CMGS=<length>
};

struct EncodedSubmit {
  Encoding encoding = Encoding::gsm7;
  std::optional<NationalLanguage> single_shift;  // when a national table was used
  std::optional<NationalLanguage> locking_shift;
  std::vector<SubmitPart> parts;
};

// Encodes UTF-8 text for `to` into as few SMS-SUBMIT parts as the chosen encoding allows.
// Errors: "pdu.invalid_utf8" (names the byte offset), "pdu.bad_address",
// "pdu.not_gsm7" (encoding gsm7 forced, names the character), "pdu.too_long".
Result<EncodedSubmit> encode_submit(std::string_view to, std::string_view utf8_text,
                                    const SubmitOptions& options = {});

// For the simulator and tests: the network side of the protocol.
struct DeliverOptions {
  EncodingChoice encoding = EncodingChoice::automatic;
  Timestamp scts;
  std::optional<int> message_class;
  std::uint8_t concat_reference = 0;
  std::size_t max_parts = 10;
  std::string smsc = "";  // empty: SMSC field "00"; else an international "+..." number
  std::vector<NationalLanguage> national_languages;  // tables the encoder may use; empty = none
};
// SMS-DELIVER PDUs (hex with SMSC field) for `from` (number or alphanumeric sender).
Result<std::vector<std::string>> encode_deliver(std::string_view from, std::string_view utf8_text,
                                                const DeliverOptions& options = {});

// An SMS-STATUS-REPORT PDU (hex with SMSC field "00" unless smsc is given).
std::string encode_status_report(std::uint8_t message_reference, const Address& recipient,
                                 const Timestamp& scts, const Timestamp& discharge,
                                 std::uint8_t status, std::string_view smsc = "");

// Hex helpers shared by codec users (AT layer prints PDUs as hex).
std::string to_hex(const Bytes& bytes);  // upper case
Result<Bytes> from_hex(std::string_view hex);

// TS 23.038 6.2.1: GSM 7-bit packing used by USSD in "GSM7-packed-hex" form (Huawei).
// pack_gsm7 maps UTF-8 text to the default alphabet (+extension) and packs septets;
// when the septet count leaves 7 spare bits in the last octet, pads with CR (TS 23.038 6.1.2.3.1).
// If a CR would end exactly on an octet boundary, a second CR is added (same section).
Result<Bytes> pack_gsm7_text(std::string_view utf8_text);
// Unpacks `septets` septets ("pdu.truncated" when `packed` is too short); when the count
// is a multiple of 8 and the last septet is CR, that CR is the padding and is dropped.
// For USSD pass packed.size() * 8 / 7.
Result<std::string> unpack_gsm7_text(const Bytes& packed, std::size_t septets);

}  // namespace smsgw::pdu
