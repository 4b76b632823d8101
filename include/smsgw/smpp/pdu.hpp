// SMPP 3.4 PDUs: the header (section 3.2) and the bodies of the bind family (4.1),
// unbind (4.2), generic_nack (4.3), submit_sm (4.4), deliver_sm (4.6) and enquire_link
// (4.11), with decode and encode. Pure: no sockets, no I/O.
//
// Contract: decode never throws and never reads outside the span it is given; a bad PDU is
// a Failure carrying the command_status to answer with. encode(decode(x)) decodes to the
// same Pdu. Strings are C-Octet Strings without their NUL; the decoder enforces the spec's
// maximum sizes (command.hpp) and encode refuses values that would break them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "smsgw/smpp/command.hpp"
#include "smsgw/smpp/failure.hpp"
#include "smsgw/smpp/status.hpp"
#include "smsgw/smpp/tlv.hpp"

namespace smsgw::smpp {

using Bytes = std::vector<std::uint8_t>;

// Section 3.2: four big-endian 32-bit integers. command_length counts the whole PDU.
struct Header {
  std::uint32_t command_length = 0;
  std::uint32_t command_id = 0;  // raw: may be an id this codec does not know
  std::uint32_t command_status = 0;
  std::uint32_t sequence_number = 0;

  friend bool operator==(const Header&, const Header&) = default;
};

// unbind, unbind_resp, enquire_link, enquire_link_resp, generic_nack: header only.
struct EmptyBody {
  friend bool operator==(const EmptyBody&, const EmptyBody&) = default;
};

// bind_transmitter, bind_receiver, bind_transceiver (section 4.1.1, 4.1.3, 4.1.5).
struct BindBody {
  std::string system_id;    // max 15 characters
  std::string password;     // max 8
  std::string system_type;  // max 12
  std::uint8_t interface_version = 0x34;
  std::uint8_t addr_ton = 0;
  std::uint8_t addr_npi = 0;
  std::string address_range;  // max 40
  Tlvs tlvs;                  // none defined in 3.4; kept when a client sends some

  friend bool operator==(const BindBody&, const BindBody&) = default;
};

// The three bind responses (4.1.2, 4.1.4, 4.1.6). With a non-zero command_status the body
// may be absent; it decodes as the default and such a default encodes as no body.
struct BindRespBody {
  std::string system_id;  // max 15
  Tlvs tlvs;              // sc_interface_version

  friend bool operator==(const BindRespBody&, const BindRespBody&) = default;
};

// submit_sm (4.4.1) and deliver_sm (4.6.1) share one layout.
struct MessageBody {
  std::string service_type;  // max 5
  std::uint8_t source_addr_ton = 0;
  std::uint8_t source_addr_npi = 0;
  std::string source_addr;  // max 20
  std::uint8_t dest_addr_ton = 0;
  std::uint8_t dest_addr_npi = 0;
  std::string destination_addr;  // max 20
  std::uint8_t esm_class = 0;
  std::uint8_t protocol_id = 0;
  std::uint8_t priority_flag = 0;
  std::string schedule_delivery_time;  // "" or 16 characters, YYMMDDhhmmsstnnp (7.1.1)
  std::string validity_period;         // the same format
  std::uint8_t registered_delivery = 0;
  std::uint8_t replace_if_present_flag = 0;
  std::uint8_t data_coding = 0;
  std::uint8_t sm_default_msg_id = 0;
  Bytes short_message;  // 0-254 octets; sm_length on the wire
  Tlvs tlvs;

  // esm_class bit 6 (UDHI, 5.2.12): short_message starts with a user data header.
  bool udhi() const { return (esm_class & 0x40) != 0; }

  friend bool operator==(const MessageBody&, const MessageBody&) = default;
};

// submit_sm_resp (4.4.2) and deliver_sm_resp (4.6.2). deliver_sm_resp's message_id is
// "unused, set to NULL"; the decoder accepts one anyway. The body may be absent as for
// BindRespBody.
struct MessageRespBody {
  std::string message_id;  // max 64
  Tlvs tlvs;

  friend bool operator==(const MessageRespBody&, const MessageRespBody&) = default;
};

using Body = std::variant<EmptyBody, BindBody, BindRespBody, MessageBody, MessageRespBody>;

struct Pdu {
  CommandId command_id = CommandId::enquire_link;
  CommandStatus command_status = CommandStatus::esme_rok;
  std::uint32_t sequence_number = 0;
  Body body;  // the alternative that command_id calls for (body_index)

  friend bool operator==(const Pdu&, const Pdu&) = default;
};

// The Body alternative a supported command_id carries (index into Body).
std::size_t body_index(CommandId id);

// A PDU with `id`, `status`, `sequence` and the default body its command_id calls for.
Pdu make_pdu(CommandId id, CommandStatus status = CommandStatus::esme_rok,
             std::uint32_t sequence = 0);

// The header of a whole PDU or of its first 16 octets; ESME_RINVCMDLEN when shorter.
Outcome<Header> decode_header(std::span<const std::uint8_t> octets);

// One whole PDU (as the Framer yields it): `octets.size()` must equal command_length.
// Failures: ESME_RINVCMDLEN (length mismatch, a field running past the end, octets left
// over), ESME_RINVCMDID (an id this codec does not handle: answer generic_nack),
// ESME_RINVPARLEN (a string or TLV over its maximum or of the wrong size), ESME_RINVMSGLEN
// (sm_length over 254), ESME_RINVSCHED / ESME_RINVEXPIRY (a time not in 7.1.1's format),
// ESME_RINVOPTPARSTREAM (a TLV cut short).
Outcome<Pdu> decode(std::span<const std::uint8_t> octets);

// The octets of `pdu`, command_length filled in. Fails (with the status decode would give)
// when a field is over its maximum, contains a NUL, or the body does not fit command_id.
Outcome<Bytes> encode(const Pdu& pdu);

}  // namespace smsgw::smpp
