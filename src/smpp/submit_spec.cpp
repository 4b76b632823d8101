// map_submit(): a decoded submit_sm (SMPP 3.4 4.4.1) in the gateway's terms; the contract
// is in submit_spec.hpp.
#include "smsgw/smpp/submit_spec.hpp"

#include <algorithm>
#include <cstdio>
#include <span>

#include "sm_text.hpp"
#include "smsgw/pdu/unicode.hpp"
#include "smsgw/smpp/smpp_time.hpp"
#include "user_data_header.hpp"

namespace smsgw::smpp {
namespace {

using detail::Alphabet;

std::string hex_octet(unsigned value) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02X", value & 0xFFu);
  return text;
}

Failure refuse(CommandStatus status, std::string_view field, std::string message) {
  return Failure{status, std::string(field), std::move(message)};
}

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// 5.2.5 / 5.2.8-5.2.10: the destination as the gateway's `to`.
Outcome<std::string> destination(const MessageBody& submit) {
  const std::string& addr = submit.destination_addr;
  const unsigned ton = submit.dest_addr_ton;
  const std::string shown = "destination_addr \"" + addr + "\"";
  if (addr.empty()) {
    return refuse(CommandStatus::esme_rinvdstadr, "destination_addr",
                  "destination_addr is empty; a submit_sm needs the number to send to");
  }
  if (ton == 5) {
    return refuse(CommandStatus::esme_rinvdstadr, "destination_addr",
                  shown + " has TON 5 (alphanumeric); an SMS goes to a phone number");
  }
  if (ton > 6) {
    return refuse(
        CommandStatus::esme_rinvdstton, "dest_addr_ton",
        "dest_addr_ton " + std::to_string(ton) + " is reserved (SMPP 3.4 5.2.5 defines 0-6)");
  }
  const bool plus = addr.front() == '+';
  const std::string_view digits = std::string_view(addr).substr(plus ? 1 : 0);
  if (plus && ton != 0 && ton != 1) {
    return refuse(CommandStatus::esme_rinvdstadr, "destination_addr",
                  shown + " starts with '+' (international) but dest_addr_ton is " +
                      std::to_string(ton) + ", not 1 (international) or 0 (unknown)");
  }
  if (!all_digits(digits)) {
    return refuse(CommandStatus::esme_rinvdstadr, "destination_addr",
                  shown +
                      " is not a phone number: only digits (after an optional '+') "
                      "are allowed");
  }
  if (ton == 1) return "+" + std::string(digits);
  return addr;  // 0 unknown (with or without '+'), 2 national, 3, 4 subscriber, 6 abbreviated
}

// The concatenation the sar_* TLVs describe (5.3.2.22-5.3.2.24), none when absent.
Outcome<std::optional<ClientPart>> sar_part(const Tlvs& tlvs) {
  const Tlv* ref = tlvs.find(TlvTag::sar_msg_ref_num);
  const Tlv* total = tlvs.find(TlvTag::sar_total_segments);
  const Tlv* seq = tlvs.find(TlvTag::sar_segment_seqnum);
  if (ref == nullptr && total == nullptr && seq == nullptr) return std::optional<ClientPart>{};
  const struct {
    const Tlv* tlv;
    const char* name;
    bool ok;
  } fields[] = {{ref, "sar_msg_ref_num", tlvs.sar_msg_ref_num().has_value()},
                {total, "sar_total_segments", tlvs.sar_total_segments().has_value()},
                {seq, "sar_segment_seqnum", tlvs.sar_segment_seqnum().has_value()}};
  for (const auto& field : fields) {
    if (field.tlv == nullptr) {
      return refuse(CommandStatus::esme_rmissingoptparam, field.name,
                    std::string(field.name) +
                        " is missing; sar_msg_ref_num, sar_total_segments and "
                        "sar_segment_seqnum go together (SMPP 3.4 5.3.2.22-5.3.2.24)");
    }
    if (!field.ok) {
      return refuse(CommandStatus::esme_rinvparlen, field.name,
                    std::string(field.name) + " has " + std::to_string(field.tlv->value.size()) +
                        " octets, not the size SMPP 3.4 5.3.2 gives it");
    }
  }
  const unsigned count = *tlvs.sar_total_segments();
  const unsigned number = *tlvs.sar_segment_seqnum();
  if (count == 0 || number == 0 || number > count) {
    return refuse(CommandStatus::esme_rinvoptparamval,
                  count == 0 ? "sar_total_segments" : "sar_segment_seqnum",
                  "sar_segment_seqnum " + std::to_string(number) + " of sar_total_segments " +
                      std::to_string(count) +
                      ": segments are numbered 1 to the total (SMPP 3.4 5.3.2.23-5.3.2.24)");
  }
  if (count == 1) return std::optional<ClientPart>{};  // a whole message
  return std::optional<ClientPart>{ClientPart{*tlvs.sar_msg_ref_num(),
                                              static_cast<std::uint8_t>(count),
                                              static_cast<std::uint8_t>(number)}};
}

std::string describe(const ClientPart& part) {
  return "ref " + std::to_string(part.ref) + " part " + std::to_string(part.seq) + " of " +
         std::to_string(part.total);
}

}  // namespace

Outcome<SubmitSpec> map_submit(const MessageBody& submit, TimePoint now) {
  SubmitSpec spec;
  spec.source_addr = submit.source_addr;
  spec.source_ton = submit.source_addr_ton;
  spec.source_npi = submit.source_addr_npi;
  spec.dest_addr = submit.destination_addr;
  spec.dest_ton = submit.dest_addr_ton;
  spec.dest_npi = submit.dest_addr_npi;

  // 5.2.12: bits 0-1 messaging mode (ignored), 2-5 message type, 6 UDHI, 7 reply path.
  if ((submit.esm_class & 0x3C) != 0) {
    return refuse(CommandStatus::esme_rinvesmclass, "esm_class",
                  "esm_class " + hex_octet(submit.esm_class) + " has message type " +
                      hex_octet((submit.esm_class & 0x3Cu) >> 2) +
                      " in bits 2-5; a submit_sm is a default message (0) (SMPP 3.4 5.2.12)");
  }
  if (submit.priority_flag > 3) {
    return refuse(
        CommandStatus::esme_rinvprtflg, "priority_flag",
        "priority_flag " + std::to_string(submit.priority_flag) + " is not 0-3 (SMPP 3.4 5.2.14)");
  }
  spec.priority = submit.priority_flag;
  spec.registered_delivery = submit.registered_delivery & 0x03;
  if (spec.registered_delivery == 3) {
    return refuse(CommandStatus::esme_rinvregdlvflg, "registered_delivery",
                  "registered_delivery " + hex_octet(submit.registered_delivery) +
                      " asks for receipt type 3 in bits 0-1, which is reserved; 1 asks for "
                      "a receipt on success or failure, 2 on failure (SMPP 3.4 5.2.17)");
  }
  if (submit.sm_default_msg_id != 0) {
    return refuse(CommandStatus::esme_rinvdftmsgid, "sm_default_msg_id",
                  "sm_default_msg_id " + std::to_string(submit.sm_default_msg_id) +
                      " names a predefined message; this gateway has none (SMPP 3.4 5.2.20), "
                      "send the text with sm_default_msg_id 0");
  }
  auto to = destination(submit);
  if (!to) return std::move(to).error();
  spec.to = std::move(*to);

  auto send_at = parse_smpp_time(submit.schedule_delivery_time, now, CommandStatus::esme_rinvsched,
                                 "schedule_delivery_time");
  if (!send_at) return std::move(send_at).error();
  spec.send_at = *send_at;
  auto expiry = parse_smpp_time(submit.validity_period, now, CommandStatus::esme_rinvexpiry,
                                "validity_period");
  if (!expiry) return std::move(expiry).error();
  if (*expiry) {
    // The gateway expires a message at (send_at or now) + validity.
    const auto seconds_to = [&](TimePoint from) {
      return std::chrono::floor<std::chrono::seconds>(**expiry - from);
    };
    if (seconds_to(now) < std::chrono::seconds(1)) {
      return refuse(CommandStatus::esme_rinvexpiry, "validity_period",
                    "validity_period \"" + submit.validity_period +
                        "\" ends before the message could be sent (it is not in the future)");
    }
    if (spec.send_at && seconds_to(*spec.send_at) < std::chrono::seconds(1)) {
      return refuse(CommandStatus::esme_rinvexpiry, "validity_period",
                    "validity_period \"" + submit.validity_period +
                        "\" ends before schedule_delivery_time \"" + submit.schedule_delivery_time +
                        "\", when the message may first be sent");
    }
    spec.validity = seconds_to(spec.send_at.value_or(now));
  }

  auto coding = detail::read_data_coding(submit.data_coding);
  if (!coding) return std::move(coding).error();
  spec.flash = coding->flash;

  // 5.3.2.32: the message is in short_message or in message_payload, never both.
  std::span<const std::uint8_t> message{submit.short_message};
  std::string_view field = "short_message";
  const Tlv* payload = submit.tlvs.find(TlvTag::message_payload);
  if (payload != nullptr) {
    if (!submit.short_message.empty()) {
      return refuse(CommandStatus::esme_rinvoptparamval, "message_payload",
                    "message_payload is present but sm_length is " +
                        std::to_string(submit.short_message.size()) +
                        "; with message_payload sm_length must be 0 (SMPP 3.4 5.3.2.32)");
    }
    message = payload->value;
    field = "message_payload";
  }

  detail::Gsm7Tables tables;
  std::size_t header_length = 0;
  std::optional<ClientPart> udh_part;
  if (submit.udhi()) {
    auto header = detail::read_user_data_header(message, field);
    if (!header) return std::move(header).error();
    header_length = header->length;
    udh_part = header->part;
    tables = header->tables;
  }
  auto sar = sar_part(submit.tlvs);
  if (!sar) return std::move(sar).error();
  if (udh_part && *sar && !(*udh_part == **sar)) {
    return refuse(CommandStatus::esme_rinvoptparamval, "sar_msg_ref_num",
                  "the sar_msg_ref_num, sar_total_segments and sar_segment_seqnum TLVs (" +
                      describe(**sar) + ") and the user data header (" + describe(*udh_part) +
                      ") describe different parts");
  }
  spec.part = udh_part ? udh_part : *sar;

  const auto octets = message.subspan(header_length);
  auto text = spec.part && coding->alphabet == detail::Alphabet::ucs2
                  ? detail::decode_ucs2_part(octets, header_length, field)
                  : detail::decode_text(coding->alphabet, octets, header_length, field, tables);
  if (!text) return std::move(text).error();
  spec.text = std::move(*text);
  return spec;
}

std::string join_surrogate_halves(std::string_view text) {
  // 0xED 0xA0-0xAF x: a high surrogate alone; 0xED 0xB0-0xBF x: a low one (WTF-8). Valid
  // UTF-8 never holds 0xED followed by 0xA0-0xBF.
  const auto half_at = [&text](std::size_t i, unsigned char low, unsigned char high) {
    return i + 2 < text.size() && static_cast<unsigned char>(text[i]) == 0xED &&
           static_cast<unsigned char>(text[i + 1]) >= low &&
           static_cast<unsigned char>(text[i + 1]) <= high;
  };
  const auto unit_at = [&text](std::size_t i) {
    return static_cast<char32_t>(((static_cast<unsigned char>(text[i]) & 0x0F) << 12) |
                                 ((static_cast<unsigned char>(text[i + 1]) & 0x3F) << 6) |
                                 (static_cast<unsigned char>(text[i + 2]) & 0x3F));
  };
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (half_at(i, 0xA0, 0xAF) && half_at(i + 3, 0xB0, 0xBF)) {
      pdu::append_utf8(out, 0x10000 + ((unit_at(i) - 0xD800) << 10) + (unit_at(i + 3) - 0xDC00));
      i += 6;
    } else if (half_at(i, 0xA0, 0xBF)) {
      pdu::append_utf8(out, 0xFFFD);  // a half whose other half never came
      i += 3;
    } else {
      out.push_back(text[i++]);
    }
  }
  return out;
}

}  // namespace smsgw::smpp
