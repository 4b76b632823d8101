// SubmitSpec: what a submit_sm asks for, in the gateway's terms (pure: no I/O).
//
// map_submit() reads one decoded submit_sm (SMPP 3.4 4.4.1) and answers the message to store
// or the Failure whose command_status the submit_sm_resp carries:
// - destination: TON 1 (international) -> "+" and the digits (a leading '+' the client wrote
//   anyway is accepted); TON 0 (unknown), 2 (national), 3 (network specific), 4
//   (subscriber), 6 (abbreviated) -> the digits as given (the gateway normalises them like
//   a REST `to`; with TON 0 a leading '+' is kept); TON 5 (alphanumeric), an address that
//   is not digits, a '+' with TON 2-6, or an empty one -> ESME_RINVDSTADR; TON 7 and above
//   (reserved, 5.2.5) -> ESME_RINVDSTTON. NPIs are kept, not checked.
// - text: short_message, or the message_payload TLV (5.3.2.32) when sm_length is 0; both
//   set -> ESME_RINVOPTPARAMVAL (5.3.2.32: sm_length must then be 0); text that does not
//   decode in its data_coding -> ESME_RSUBMITFAIL naming the octet (counted from the start
//   of short_message / message_payload, UDH included). data_coding (5.2.19): 0 SMSC
//   default = GSM 7-bit default alphabet one septet per octet, extension characters as
//   0x1B + code (TS 23.038 6.2.1.1; an octet above 0x7F or a final 0x1B is refused, 0x1B
//   before an unassigned code reads as the main table's character, 0x1B 0x1B as a space);
//   1 IA5 (ASCII, 0x00-0x7F); 3 Latin-1 (ISO-8859-1); 8 UCS-2, read as UTF-16BE (surrogate
//   pairs allowed, an odd length or an unpaired surrogate refused, except in a part: its
//   first unit a low surrogate or its last a high one is kept as a WTF-8 half, since
//   clients cut UCS-2 by code units, Kannel 1.4.5 every 67; see join_surrogate_halves); 0x10-0x13 /
//   0xF0-0xF3 (GSM 7-bit with message class, class 0 = flash) and 0x18-0x1B (UCS-2 with message
//   class); anything else (binary 2, 4, 0x14-0x17, 0xF4-0xF7, compressed...) ->
//   ESME_RINVDCS is SMPP 5.0's, so ESME_RSUBMITFAIL naming the data_coding. An empty text
//   is an empty message (the gateway decides).
// - a client-split long message: esm_class UDHI (5.2.12, bit 6) with a concatenation IE
//   in the UDH (TS 23.040 9.2.3.24.1 IEI 0x00, 8-bit ref; 9.2.3.24.8 IEI 0x08, 16-bit ref),
//   or the sar_msg_ref_num / sar_total_segments / sar_segment_seqnum TLVs -> `part`, and
//   `text` is that part's text without the UDH. Other IEs are skipped, except the national
//   language shift IEs 0x24 / 0x25 (9.2.3.24.15/16), which select the PDU module's tables
//   for GSM 7-bit text. A UDH that runs past the message (or an IE past the UDH, or a
//   concatenation IE of the wrong length) -> ESME_RINVMSGLEN. A concatenation IE with
//   total 0, seq 0 or seq > total -> ESME_RSUBMITFAIL; total 1 = a whole message (no
//   `part`). sar_*: one or two of the three -> ESME_RMISSINGOPTPARAM, a wrong size ->
//   ESME_RINVPARLEN, numbers as above -> ESME_RINVOPTPARAMVAL; UDH and sar_* that disagree
//   -> ESME_RINVOPTPARAMVAL.
// - esm_class: the messaging-mode bits 0-1 are ignored (Kannel sends 0x03 and 0x43), so is
//   bit 7 (reply path); a message type in bits 2-5 other than 0 (default) ->
//   ESME_RINVESMCLASS.
// - priority_flag 0-3 (5.2.14) -> priority 0-3; above -> ESME_RINVPRTFLG.
// - schedule_delivery_time / validity_period (7.1.1, absolute or relative) -> send_at /
//   validity; bad -> ESME_RINVSCHED / ESME_RINVEXPIRY (smpp_time.hpp). A schedule in the
//   past is kept (the gateway sends at once). The gateway expires a message at (send_at or
//   its creation) + validity, so `validity` is the validity_period's instant minus send_at
//   (or minus `now` when not scheduled), in whole seconds: the message expires at that
//   instant. An instant less than 1 s after `now` or after send_at -> ESME_RINVEXPIRY.
// - registered_delivery (5.2.17): bits 0-1 kept (3 is reserved -> ESME_RINVREGDLVFLG); the
//   SME-acknowledgement and intermediate-notification bits are ignored.
// - sm_default_msg_id other than 0 (a predefined message, 5.2.20) -> ESME_RINVDFTMSGID.
// - service_type, protocol_id and replace_if_present_flag are ignored.
// The checks run in this order: esm_class, priority_flag, registered_delivery,
// sm_default_msg_id, destination, schedule, validity, data_coding, message_payload, UDH,
// sar_*, text; the first refusal is answered.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "smsgw/smpp/failure.hpp"
#include "smsgw/smpp/pdu.hpp"

namespace smsgw::smpp {

using TimePoint = std::chrono::system_clock::time_point;

// One part of a message the client split itself. `ref` is the client's reference (8-bit
// references widened), `seq` 1-based, 1 <= seq <= total, total >= 2.
struct ClientPart {
  std::uint16_t ref = 0;
  std::uint8_t total = 0;
  std::uint8_t seq = 0;

  friend bool operator==(const ClientPart&, const ClientPart&) = default;
};

struct SubmitSpec {
  std::string to;    // "+4915..." (TON 1) or digits as given
  std::string text;  // UTF-8; the part's text when `part` is set
  std::optional<ClientPart> part;
  std::int32_t priority = 0;  // priority_flag
  std::optional<TimePoint> send_at;
  std::optional<std::chrono::seconds> validity;
  std::uint8_t registered_delivery = 0;  // bits 0-1 of the field
  bool flash = false;                    // message class 0
  // The submit_sm's addresses as received, for the delivery receipt (which swaps them).
  std::string source_addr;
  std::uint8_t source_ton = 0;
  std::uint8_t source_npi = 0;
  std::string dest_addr;
  std::uint8_t dest_ton = 0;
  std::uint8_t dest_npi = 0;

  friend bool operator==(const SubmitSpec&, const SubmitSpec&) = default;
};

// `now` anchors relative times.
Outcome<SubmitSpec> map_submit(const MessageBody& submit, TimePoint now);

// The text of a client-split message assembled from its parts' texts: each high surrogate
// half directly followed by a low one (a pair that straddled two UCS-2 parts) becomes its
// character; a half left alone (its part never came) becomes U+FFFD.
std::string join_surrogate_halves(std::string_view text);

}  // namespace smsgw::smpp
