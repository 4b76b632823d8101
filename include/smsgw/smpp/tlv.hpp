// Optional parameters (TLVs), SMPP 3.4 section 5.3: every TLV of a PDU is kept as tag and
// value, in wire order, so a PDU re-encodes to the same octets; typed accessors read the
// few this gateway uses (section 5.3.2).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace smsgw::smpp {

// Tags of section 5.3.2 that the codec checks and reads.
enum class TlvTag : std::uint16_t {
  receipted_message_id = 0x001E,  // C-Octet String, max 65 (5.3.2.12)
  sar_msg_ref_num = 0x020C,       // 2 octets (5.3.2.22)
  sar_total_segments = 0x020E,    // 1 octet (5.3.2.23)
  sar_segment_seqnum = 0x020F,    // 1 octet (5.3.2.24)
  sc_interface_version = 0x0210,  // 1 octet (5.3.2.25)
  message_payload = 0x0424,       // 0-65535 octets (5.3.2.32)
  message_state = 0x0427,         // 1 octet (5.3.2.35)
};

struct Tlv {
  std::uint16_t tag = 0;
  std::vector<std::uint8_t> value;  // at most 65535 octets (the length is 16 bits)

  friend bool operator==(const Tlv&, const Tlv&) = default;
};

// The TLVs of one PDU. Getters return nullopt when the tag is absent or its value has the
// wrong size; setters replace the first TLV with that tag or append one.
class Tlvs {
 public:
  std::vector<Tlv> items;

  const Tlv* find(std::uint16_t tag) const;
  const Tlv* find(TlvTag tag) const { return find(static_cast<std::uint16_t>(tag)); }
  void set(std::uint16_t tag, std::vector<std::uint8_t> value);
  void set(TlvTag tag, std::vector<std::uint8_t> value) {
    set(static_cast<std::uint16_t>(tag), std::move(value));
  }

  std::optional<std::uint16_t> sar_msg_ref_num() const;
  std::optional<std::uint8_t> sar_total_segments() const;
  std::optional<std::uint8_t> sar_segment_seqnum() const;
  std::optional<std::uint8_t> sc_interface_version() const;
  std::optional<std::vector<std::uint8_t>> message_payload() const;
  std::optional<std::string> receipted_message_id() const;  // without its NUL
  std::optional<std::uint8_t> message_state() const;

  void set_sar(std::uint16_t ref, std::uint8_t total, std::uint8_t seqnum);
  void set_sc_interface_version(std::uint8_t version);
  void set_message_payload(std::vector<std::uint8_t> payload);
  void set_receipted_message_id(std::string_view id);  // adds the NUL
  void set_message_state(std::uint8_t state);

  friend bool operator==(const Tlvs&, const Tlvs&) = default;
};

// The value size a known tag must have, or nullopt for a variable one; the decoder
// answers ESME_RINVPARLEN for a known tag of another size.
std::optional<std::size_t> fixed_tlv_size(std::uint16_t tag);

}  // namespace smsgw::smpp
