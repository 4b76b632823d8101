// Typed access to the optional parameters of SMPP 3.4 section 5.3.2.
#include "smsgw/smpp/tlv.hpp"

namespace smsgw::smpp {
namespace {

std::optional<std::uint8_t> one_octet(const Tlvs& tlvs, TlvTag tag) {
  const Tlv* tlv = tlvs.find(tag);
  if (tlv == nullptr || tlv->value.size() != 1) return std::nullopt;
  return tlv->value[0];
}

}  // namespace

const Tlv* Tlvs::find(std::uint16_t tag) const {
  for (const Tlv& tlv : items) {
    if (tlv.tag == tag) return &tlv;
  }
  return nullptr;
}

void Tlvs::set(std::uint16_t tag, std::vector<std::uint8_t> value) {
  for (Tlv& tlv : items) {
    if (tlv.tag == tag) {
      tlv.value = std::move(value);
      return;
    }
  }
  items.push_back(Tlv{tag, std::move(value)});
}

std::optional<std::uint16_t> Tlvs::sar_msg_ref_num() const {
  const Tlv* tlv = find(TlvTag::sar_msg_ref_num);
  if (tlv == nullptr || tlv->value.size() != 2) return std::nullopt;
  return static_cast<std::uint16_t>((tlv->value[0] << 8) | tlv->value[1]);
}
std::optional<std::uint8_t> Tlvs::sar_total_segments() const {
  return one_octet(*this, TlvTag::sar_total_segments);
}
std::optional<std::uint8_t> Tlvs::sar_segment_seqnum() const {
  return one_octet(*this, TlvTag::sar_segment_seqnum);
}
std::optional<std::uint8_t> Tlvs::sc_interface_version() const {
  return one_octet(*this, TlvTag::sc_interface_version);
}
std::optional<std::uint8_t> Tlvs::message_state() const {
  return one_octet(*this, TlvTag::message_state);
}
std::optional<std::vector<std::uint8_t>> Tlvs::message_payload() const {
  const Tlv* tlv = find(TlvTag::message_payload);
  if (tlv == nullptr) return std::nullopt;
  return tlv->value;
}
std::optional<std::string> Tlvs::receipted_message_id() const {
  const Tlv* tlv = find(TlvTag::receipted_message_id);
  if (tlv == nullptr || tlv->value.empty() || tlv->value.back() != 0) return std::nullopt;
  return std::string(tlv->value.begin(), tlv->value.end() - 1);
}

void Tlvs::set_sar(std::uint16_t ref, std::uint8_t total, std::uint8_t seqnum) {
  set(TlvTag::sar_msg_ref_num,
      {static_cast<std::uint8_t>(ref >> 8), static_cast<std::uint8_t>(ref & 0xFF)});
  set(TlvTag::sar_total_segments, {total});
  set(TlvTag::sar_segment_seqnum, {seqnum});
}
void Tlvs::set_sc_interface_version(std::uint8_t version) {
  set(TlvTag::sc_interface_version, {version});
}
void Tlvs::set_message_payload(std::vector<std::uint8_t> payload) {
  set(TlvTag::message_payload, std::move(payload));
}
void Tlvs::set_receipted_message_id(std::string_view id) {
  std::vector<std::uint8_t> value(id.begin(), id.end());
  value.push_back(0);
  set(TlvTag::receipted_message_id, std::move(value));
}
void Tlvs::set_message_state(std::uint8_t state) { set(TlvTag::message_state, {state}); }

std::optional<std::size_t> fixed_tlv_size(std::uint16_t tag) {
  switch (static_cast<TlvTag>(tag)) {
    case TlvTag::sar_msg_ref_num:
      return 2;
    case TlvTag::sar_total_segments:
    case TlvTag::sar_segment_seqnum:
    case TlvTag::sc_interface_version:
    case TlvTag::message_state:
      return 1;
    default:
      return std::nullopt;
  }
}

}  // namespace smsgw::smpp
