// The deliver_sm bodies the server sends (SMPP 3.4 4.6.1), pure.
//
// delivery_receipt(): esm_class 0x04 (SMSC delivery receipt, 5.2.12), from the original
// destination to the original source (the submit_sm's addresses swapped, TON and NPI as
// they were), data_coding 0, short_message in the conventional text format of Appendix B:
//   "id:<message_id> sub:001 dlvrd:<001|000> submit date:YYMMDDhhmm done date:YYMMDDhhmm
//    stat:<DELIVRD|UNDELIV|EXPIRED|DELETED|REJECTD|UNKNOWN> err:<3 digits> text:<first 20
//    characters of the message, GSM 7-bit-safe>"
// plus the receipted_message_id (5.3.2.12) and message_state (5.3.2.35: 2 DELIVERED,
// 3 EXPIRED, 4 DELETED, 5 UNDELIVERABLE, 7 UNKNOWN, 8 REJECTED) TLVs.
// dlvrd is 001 for "delivered" only; a status not listed below reads UNKNOWN (7); err is
// error_code clamped to 0-999 (none = 000); dates are UTC (receipt_date). "GSM 7-bit-safe":
// a character whose code is the same in the GSM 7-bit default alphabet and ASCII (letters,
// digits, space and the punctuation both share: not $ @ [ \ ] ^ _ ` nor { | } ~) is kept,
// a line break or tab becomes a space, any other character '?', so the receipt reads the
// same whether the ESME takes data_coding 0 as GSM or as ASCII. message_id is expected to
// be ASCII letters and digits (a ULID) and is written as is.
//
// inbound_deliver(): a received SMS to a bound receiver: esm_class 0, from the sender
// ("+49..." -> TON 1 NPI 1 without '+'; an alphanumeric sender -> TON 5 NPI 0; digits ->
// TON 0 NPI 1) to the SIM's number (or "" when unknown; the same rule, "" -> TON 0 NPI 0);
// an address loses NUL characters and is cut to 20 octets (4.6.1) at a UTF-8 character
// boundary. data_coding 0 (GSM 7-bit default alphabet and extension table, one septet per
// octet, extension characters as 0x1B + code) when every character has a GSM 7-bit code,
// else 8 (UTF-16BE, surrogate pairs above U+FFFF); invalid UTF-8 shows as U+FFFD. A text
// longer than 254 octets goes in the message_payload TLV with sm_length 0; one longer than
// 65535 octets (the TLV's limit) is cut there, never inside a character.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "smsgw/smpp/pdu.hpp"

namespace smsgw::smpp {

struct ReceiptFacts {
  std::string message_id;  // the submit_sm_resp's message_id
  // The message's final status as the API shows it: "delivered", "failed", "expired",
  // "cancelled" (DELETED), "rejected" (REJECTD: refused before it was sent), "unknown".
  std::string status;
  std::chrono::system_clock::time_point submitted_at;
  std::chrono::system_clock::time_point done_at;
  std::string text;               // the message text (UTF-8); its start goes in text:
  std::optional<int> error_code;  // err: (0-999), 0 when none
  // The submit_sm's addresses (MessageOrigin); the receipt swaps them.
  std::string source_addr;
  std::uint8_t source_ton = 0;
  std::uint8_t source_npi = 0;
  std::string dest_addr;
  std::uint8_t dest_ton = 0;
  std::uint8_t dest_npi = 0;
};

MessageBody delivery_receipt(const ReceiptFacts& facts);

struct InboundFacts {
  std::string from;  // "+4917..." or an alphanumeric sender as the modem gave it
  std::string to;    // the receiving SIM's number ("+49...") or ""
  std::string text;  // UTF-8
};

MessageBody inbound_deliver(const InboundFacts& facts);

}  // namespace smsgw::smpp
