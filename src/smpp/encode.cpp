// Encoding of SMPP 3.4 PDUs, the mirror of decode.cpp: header (3.2), bodies (chapter 4),
// TLVs (5.3). Refuses any value the decoder would reject, so encoded PDUs decode.
#include <limits>
#include <optional>
#include <utility>

#include "octets.hpp"
#include "smsgw/smpp/pdu.hpp"

namespace smsgw::smpp {
namespace {

using detail::Writer;
using Problem = std::optional<Failure>;

#define SMPP_CHECK(expr)          \
  if (Problem problem = (expr)) { \
    return problem;               \
  }

Failure invalid(CommandStatus status, std::string field, std::string message) {
  return Failure{status, std::move(field), std::move(message)};
}

Problem write_tlvs(Writer& out, const Tlvs& tlvs) {
  for (const Tlv& tlv : tlvs.items) {
    const std::string field = "tlv " + std::to_string(tlv.tag);
    if (tlv.value.size() > std::numeric_limits<std::uint16_t>::max()) {
      return invalid(CommandStatus::esme_rinvparlen, field, field + " is over 65535 octets");
    }
    const auto fixed = fixed_tlv_size(tlv.tag);
    if (fixed && *fixed != tlv.value.size()) {
      return invalid(CommandStatus::esme_rinvparlen, field,
                     field + " must be " + std::to_string(*fixed) + " octets");
    }
    if (tlv.tag == static_cast<std::uint16_t>(TlvTag::receipted_message_id) &&
        (tlv.value.empty() || tlv.value.size() > kMaxMessageId || tlv.value.back() != 0)) {
      return invalid(CommandStatus::esme_rinvparlen, field,
                     "receipted_message_id must be NUL-terminated, at most 65 octets");
    }
    out.u16(tlv.tag);
    out.u16(static_cast<std::uint16_t>(tlv.value.size()));
    out.bytes(tlv.value);
  }
  return std::nullopt;
}

Problem write_time(Writer& out, std::string_view field, const std::string& value,
                   CommandStatus status) {
  if (!detail::is_smpp_time(value)) {
    return invalid(status, std::string(field),
                   std::string(field) + " is not empty nor a YYMMDDhhmmsstnnp time (7.1.1)");
  }
  return out.cstring(field, value, kMaxTime);
}

Problem write_body(Writer&, const EmptyBody&, CommandStatus) { return std::nullopt; }

Problem write_body(Writer& out, const BindBody& b, CommandStatus) {
  SMPP_CHECK(out.cstring("system_id", b.system_id, kMaxSystemId));
  SMPP_CHECK(out.cstring("password", b.password, kMaxPassword));
  SMPP_CHECK(out.cstring("system_type", b.system_type, kMaxSystemType));
  out.u8(b.interface_version);
  out.u8(b.addr_ton);
  out.u8(b.addr_npi);
  SMPP_CHECK(out.cstring("address_range", b.address_range, kMaxAddressRange));
  return write_tlvs(out, b.tlvs);
}

// A response with an error status and a default body goes out without one (4.1.2, 4.4.2).
Problem write_body(Writer& out, const BindRespBody& b, CommandStatus status) {
  if (status != CommandStatus::esme_rok && b == BindRespBody{}) return std::nullopt;
  SMPP_CHECK(out.cstring("system_id", b.system_id, kMaxSystemId));
  return write_tlvs(out, b.tlvs);
}

Problem write_body(Writer& out, const MessageRespBody& b, CommandStatus status) {
  if (status != CommandStatus::esme_rok && b == MessageRespBody{}) return std::nullopt;
  SMPP_CHECK(out.cstring("message_id", b.message_id, kMaxMessageId));
  return write_tlvs(out, b.tlvs);
}

Problem write_body(Writer& out, const MessageBody& m, CommandStatus) {
  SMPP_CHECK(out.cstring("service_type", m.service_type, kMaxServiceType));
  out.u8(m.source_addr_ton);
  out.u8(m.source_addr_npi);
  SMPP_CHECK(out.cstring("source_addr", m.source_addr, kMaxAddress));
  out.u8(m.dest_addr_ton);
  out.u8(m.dest_addr_npi);
  SMPP_CHECK(out.cstring("destination_addr", m.destination_addr, kMaxAddress));
  out.u8(m.esm_class);
  out.u8(m.protocol_id);
  out.u8(m.priority_flag);
  SMPP_CHECK(write_time(out, "schedule_delivery_time", m.schedule_delivery_time,
                        CommandStatus::esme_rinvsched));
  SMPP_CHECK(write_time(out, "validity_period", m.validity_period, CommandStatus::esme_rinvexpiry));
  out.u8(m.registered_delivery);
  out.u8(m.replace_if_present_flag);
  out.u8(m.data_coding);
  out.u8(m.sm_default_msg_id);
  if (m.short_message.size() > kMaxShortMessage) {
    return invalid(CommandStatus::esme_rinvmsglen, "short_message",
                   "short_message is " + std::to_string(m.short_message.size()) +
                       " octets, over the maximum of 254 (use message_payload)");
  }
  out.u8(static_cast<std::uint8_t>(m.short_message.size()));
  out.bytes(m.short_message);
  return write_tlvs(out, m.tlvs);
}

}  // namespace

Outcome<Bytes> encode(const Pdu& pdu) {
  if (!is_supported(pdu.command_id)) {
    return invalid(CommandStatus::esme_rinvcmdid, "command_id",
                   "command_id " + std::string(to_string(pdu.command_id)) + " is not handled");
  }
  if (pdu.body.index() != body_index(pdu.command_id)) {
    return invalid(CommandStatus::esme_rsyserr, "body",
                   "the body does not fit command_id " + std::string(to_string(pdu.command_id)));
  }
  Writer out;
  out.u32(0);  // command_length, filled in below
  out.u32(static_cast<std::uint32_t>(pdu.command_id));
  out.u32(static_cast<std::uint32_t>(pdu.command_status));
  out.u32(pdu.sequence_number);
  Problem problem = std::visit(
      [&](const auto& body) { return write_body(out, body, pdu.command_status); }, pdu.body);
  if (problem) return std::move(*problem);
  const auto length = static_cast<std::uint32_t>(out.octets.size());
  for (int i = 0; i < 4; ++i) {
    out.octets[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(length >> (24 - 8 * i));
  }
  return std::move(out.octets);
}

}  // namespace smsgw::smpp
