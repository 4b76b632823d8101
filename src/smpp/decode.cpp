// Decoding of SMPP 3.4 PDUs: header (section 3.2), bodies (chapter 4) and TLVs (5.3).
#include <cstdio>
#include <type_traits>
#include <utility>

#include "octets.hpp"
#include "smsgw/smpp/pdu.hpp"

namespace smsgw::smpp {
namespace {

using detail::fail_at;
using detail::Reader;

std::string tlv_name(std::uint16_t tag) {
  char text[16];
  std::snprintf(text, sizeof text, "tlv 0x%04X", static_cast<unsigned>(tag));
  return text;
}

// Section 3.2.1 / 5.3: the rest of the body is a sequence of tag, length, value.
Outcome<Tlvs> read_tlvs(Reader& in) {
  Tlvs tlvs;
  while (!in.at_end()) {
    const std::size_t start = in.offset();
    if (in.remaining() < 4) {
      return fail_at(
          CommandStatus::esme_rinvoptparstream, start, "tlv",
          "needs 4 octets of tag and length but " + std::to_string(in.remaining()) + " are left");
    }
    SMPP_TRY(tag, in.u16("tlv tag"));
    SMPP_TRY(length, in.u16("tlv length"));
    const std::string name = tlv_name(tag);
    if (length > in.remaining()) {
      return fail_at(CommandStatus::esme_rinvoptparstream, start, name,
                     "has length " + std::to_string(length) + " but only " +
                         std::to_string(in.remaining()) + " octets are left");
    }
    const auto fixed = fixed_tlv_size(tag);
    if (fixed && *fixed != length) {
      return fail_at(
          CommandStatus::esme_rinvparlen, start, name,
          "must be " + std::to_string(*fixed) + " octets, got " + std::to_string(length));
    }
    SMPP_TRY(value, in.bytes(length, name));
    if (tag == static_cast<std::uint16_t>(TlvTag::receipted_message_id) &&
        (value.empty() || value.size() > kMaxMessageId || value.back() != 0)) {
      return fail_at(CommandStatus::esme_rinvparlen, start, name,
                     "(receipted_message_id) must be a NUL-terminated string of at most " +
                         std::to_string(kMaxMessageId) + " octets");
    }
    tlvs.items.push_back(Tlv{tag, Bytes(value.begin(), value.end())});
  }
  return tlvs;
}

Outcome<BindBody> read_bind(Reader& in) {
  BindBody body;
  SMPP_TRY(system_id, in.cstring("system_id", kMaxSystemId));
  SMPP_TRY(password, in.cstring("password", kMaxPassword));
  SMPP_TRY(system_type, in.cstring("system_type", kMaxSystemType));
  SMPP_TRY(version, in.u8("interface_version"));
  SMPP_TRY(ton, in.u8("addr_ton"));
  SMPP_TRY(npi, in.u8("addr_npi"));
  SMPP_TRY(range, in.cstring("address_range", kMaxAddressRange));
  SMPP_TRY(tlvs, read_tlvs(in));
  body.system_id = std::move(system_id);
  body.password = std::move(password);
  body.system_type = std::move(system_type);
  body.interface_version = version;
  body.addr_ton = ton;
  body.addr_npi = npi;
  body.address_range = std::move(range);
  body.tlvs = std::move(tlvs);
  return body;
}

// A response body with one C-Octet String (bind_*_resp: system_id; submit_sm_resp and
// deliver_sm_resp: message_id); absent entirely is accepted (see pdu.hpp).
template <class Body>
Outcome<Body> read_resp(Reader& in, std::string_view field, std::size_t max) {
  Body body;
  if (in.at_end()) return body;
  SMPP_TRY(text, in.cstring(field, max));
  SMPP_TRY(tlvs, read_tlvs(in));
  if constexpr (std::is_same_v<Body, BindRespBody>) {
    body.system_id = std::move(text);
  } else {
    body.message_id = std::move(text);
  }
  body.tlvs = std::move(tlvs);
  return body;
}

Outcome<std::string> read_time(Reader& in, std::string_view field, CommandStatus status) {
  const std::size_t start = in.offset();
  SMPP_TRY(text, in.cstring(field, kMaxTime));
  if (!detail::is_smpp_time(text)) {
    return fail_at(status, start, field,
                   "is not empty nor a 16-character YYMMDDhhmmsstnnp time (SMPP 3.4 7.1.1)");
  }
  return text;
}

// submit_sm (4.4.1) and deliver_sm (4.6.1).
Outcome<MessageBody> read_message(Reader& in) {
  MessageBody m;
  SMPP_TRY(service_type, in.cstring("service_type", kMaxServiceType));
  SMPP_TRY(source_ton, in.u8("source_addr_ton"));
  SMPP_TRY(source_npi, in.u8("source_addr_npi"));
  SMPP_TRY(source_addr, in.cstring("source_addr", kMaxAddress));
  SMPP_TRY(dest_ton, in.u8("dest_addr_ton"));
  SMPP_TRY(dest_npi, in.u8("dest_addr_npi"));
  SMPP_TRY(destination_addr, in.cstring("destination_addr", kMaxAddress));
  SMPP_TRY(esm_class, in.u8("esm_class"));
  SMPP_TRY(protocol_id, in.u8("protocol_id"));
  SMPP_TRY(priority_flag, in.u8("priority_flag"));
  SMPP_TRY(schedule, read_time(in, "schedule_delivery_time", CommandStatus::esme_rinvsched));
  SMPP_TRY(validity, read_time(in, "validity_period", CommandStatus::esme_rinvexpiry));
  SMPP_TRY(registered_delivery, in.u8("registered_delivery"));
  SMPP_TRY(replace_if_present, in.u8("replace_if_present_flag"));
  SMPP_TRY(data_coding, in.u8("data_coding"));
  SMPP_TRY(default_msg_id, in.u8("sm_default_msg_id"));
  const std::size_t length_offset = in.offset();
  SMPP_TRY(sm_length, in.u8("sm_length"));
  if (sm_length > kMaxShortMessage) {
    return fail_at(CommandStatus::esme_rinvmsglen, length_offset, "sm_length",
                   "is " + std::to_string(sm_length) + ", over the maximum of 254");
  }
  SMPP_TRY(short_message, in.bytes(sm_length, "short_message"));
  SMPP_TRY(tlvs, read_tlvs(in));
  m.service_type = std::move(service_type);
  m.source_addr_ton = source_ton;
  m.source_addr_npi = source_npi;
  m.source_addr = std::move(source_addr);
  m.dest_addr_ton = dest_ton;
  m.dest_addr_npi = dest_npi;
  m.destination_addr = std::move(destination_addr);
  m.esm_class = esm_class;
  m.protocol_id = protocol_id;
  m.priority_flag = priority_flag;
  m.schedule_delivery_time = std::move(schedule);
  m.validity_period = std::move(validity);
  m.registered_delivery = registered_delivery;
  m.replace_if_present_flag = replace_if_present;
  m.data_coding = data_coding;
  m.sm_default_msg_id = default_msg_id;
  m.short_message.assign(short_message.begin(), short_message.end());
  m.tlvs = std::move(tlvs);
  return m;
}

template <class T>
Outcome<Body> widen(Outcome<T> body) {
  if (!body.ok()) return std::move(body).error();
  return Body{std::move(body).value()};
}

Outcome<Body> read_body(CommandId id, Reader& in) {
  switch (body_index(id)) {
    case 0:
      if (!in.at_end()) {
        return fail_at(CommandStatus::esme_rinvcmdlen, in.offset(), "command_length",
                       "says " + std::to_string(in.remaining()) + " octets follow the header of " +
                           std::string(to_string(id)) + ", which has no body");
      }
      return Body{EmptyBody{}};
    case 1:
      return widen(read_bind(in));
    case 2:
      return widen(read_resp<BindRespBody>(in, "system_id", kMaxSystemId));
    case 3:
      return widen(read_message(in));
    default:
      return widen(read_resp<MessageRespBody>(in, "message_id", kMaxMessageId));
  }
}

}  // namespace

Pdu make_pdu(CommandId id, CommandStatus status, std::uint32_t sequence) {
  Pdu pdu;
  pdu.command_id = id;
  pdu.command_status = status;
  pdu.sequence_number = sequence;
  switch (body_index(id)) {
    case 1:
      pdu.body = BindBody{};
      break;
    case 2:
      pdu.body = BindRespBody{};
      break;
    case 3:
      pdu.body = MessageBody{};
      break;
    case 4:
      pdu.body = MessageRespBody{};
      break;
    default:
      pdu.body = EmptyBody{};
      break;
  }
  return pdu;
}

std::size_t body_index(CommandId id) {
  switch (id) {
    case CommandId::bind_receiver:
    case CommandId::bind_transmitter:
    case CommandId::bind_transceiver:
      return 1;
    case CommandId::bind_receiver_resp:
    case CommandId::bind_transmitter_resp:
    case CommandId::bind_transceiver_resp:
      return 2;
    case CommandId::submit_sm:
    case CommandId::deliver_sm:
      return 3;
    case CommandId::submit_sm_resp:
    case CommandId::deliver_sm_resp:
      return 4;
    default:
      return 0;
  }
}

Outcome<Header> decode_header(std::span<const std::uint8_t> octets) {
  if (octets.size() < kHeaderLength) {
    return fail_at(CommandStatus::esme_rinvcmdlen, 0, "header",
                   "needs 16 octets, got " + std::to_string(octets.size()));
  }
  auto u32 = [&](std::size_t at) {
    return (std::uint32_t{octets[at]} << 24) | (std::uint32_t{octets[at + 1]} << 16) |
           (std::uint32_t{octets[at + 2]} << 8) | std::uint32_t{octets[at + 3]};
  };
  return Header{u32(0), u32(4), u32(8), u32(12)};
}

Outcome<Pdu> decode(std::span<const std::uint8_t> octets) {
  SMPP_TRY(header, decode_header(octets));
  if (header.command_length != octets.size()) {
    return fail_at(CommandStatus::esme_rinvcmdlen, 0, "command_length",
                   "is " + std::to_string(header.command_length) + " but the PDU has " +
                       std::to_string(octets.size()) + " octets");
  }
  const auto id = static_cast<CommandId>(header.command_id);
  if (!is_supported(id)) {
    char text[64];
    std::snprintf(text, sizeof text, "0x%08X (%s) is not handled",
                  static_cast<unsigned>(header.command_id), std::string(to_string(id)).c_str());
    return fail_at(CommandStatus::esme_rinvcmdid, 4, "command_id", text);
  }
  Reader in(octets, kHeaderLength);
  SMPP_TRY(body, read_body(id, in));
  return Pdu{id, static_cast<CommandStatus>(header.command_status), header.sequence_number,
             std::move(body)};
}

}  // namespace smsgw::smpp
