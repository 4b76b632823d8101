// SMPP 3.4 command ids (section 5.1.2.1) and the C-Octet String limits of the fields this
// codec decodes (sections 4.1, 4.4, 4.6; each limit counts the terminating NUL).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace smsgw::smpp {

// The command_id of the PDU header (section 3.2). Bit 31 marks a response (5.1.2.1).
enum class CommandId : std::uint32_t {
  generic_nack = 0x80000000,
  bind_receiver = 0x00000001,
  bind_receiver_resp = 0x80000001,
  bind_transmitter = 0x00000002,
  bind_transmitter_resp = 0x80000002,
  query_sm = 0x00000003,
  query_sm_resp = 0x80000003,
  submit_sm = 0x00000004,
  submit_sm_resp = 0x80000004,
  deliver_sm = 0x00000005,
  deliver_sm_resp = 0x80000005,
  unbind = 0x00000006,
  unbind_resp = 0x80000006,
  replace_sm = 0x00000007,
  replace_sm_resp = 0x80000007,
  cancel_sm = 0x00000008,
  cancel_sm_resp = 0x80000008,
  bind_transceiver = 0x00000009,
  bind_transceiver_resp = 0x80000009,
  outbind = 0x0000000B,
  enquire_link = 0x00000015,
  enquire_link_resp = 0x80000015,
  submit_multi = 0x00000021,
  submit_multi_resp = 0x80000021,
  alert_notification = 0x00000102,
  data_sm = 0x00000103,
  data_sm_resp = 0x80000103,
};

inline constexpr std::uint32_t kResponseBit = 0x80000000;

constexpr bool is_response(CommandId id) {
  return (static_cast<std::uint32_t>(id) & kResponseBit) != 0;
}
// The response to a request id (bind_transmitter -> bind_transmitter_resp).
constexpr CommandId response_to(CommandId request) {
  return static_cast<CommandId>(static_cast<std::uint32_t>(request) | kResponseBit);
}

// True for the command ids this codec decodes and encodes (the bind family, unbind,
// enquire_link, generic_nack, submit_sm, deliver_sm and their responses).
bool is_supported(CommandId id);
// The spec's name ("bind_transmitter"), "unknown" for an id outside 5.1.2.1.
std::string_view to_string(CommandId id);

// Maximum sizes of C-Octet String fields, NUL included (sections 4.1.1, 4.4.1, 4.7).
inline constexpr std::size_t kMaxSystemId = 16;
inline constexpr std::size_t kMaxPassword = 9;
inline constexpr std::size_t kMaxSystemType = 13;
inline constexpr std::size_t kMaxAddressRange = 41;
inline constexpr std::size_t kMaxAddress = 21;
inline constexpr std::size_t kMaxServiceType = 6;
inline constexpr std::size_t kMaxTime = 17;
inline constexpr std::size_t kMaxMessageId = 65;
// short_message: 0-254 octets, sm_length says how many (section 4.4.1).
inline constexpr std::size_t kMaxShortMessage = 254;
// The header alone: command_length, command_id, command_status, sequence_number (3.2).
inline constexpr std::size_t kHeaderLength = 16;

}  // namespace smsgw::smpp
