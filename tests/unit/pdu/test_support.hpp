// Helpers for the PDU tests, written independently of the codec's internals.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "smsgw/pdu/pdu.hpp"

namespace smsgw::pdu::test {

// TS 23.038 6.1.2.1.1 packing, septet i at bit 7 * (skip + i), LSB first.
inline Bytes pack(const std::vector<std::uint8_t>& septets, std::size_t skip = 0) {
  const std::size_t bits = (skip + septets.size()) * 7;
  Bytes out((bits + 7) / 8, 0);
  for (std::size_t i = 0; i < septets.size(); ++i) {
    for (unsigned b = 0; b < 7; ++b) {
      if (septets[i] >> b & 1) {
        const std::size_t bit = (skip + i) * 7 + b;
        out[bit / 8] = static_cast<std::uint8_t>(out[bit / 8] | 1u << (bit % 8));
      }
    }
  }
  return out;
}

// An SMS-DELIVER with SMSC "00", sender "123" (TON unknown), PID 0, a fixed SCTS, and
// the given first octet, DCS, TP-UDL and TP-UD.
inline std::string deliver_hex(std::uint8_t first_octet, std::uint8_t dcs, std::uint8_t udl,
                               const Bytes& ud) {
  Bytes pdu{0x00, first_octet, 0x03, 0x81, 0x21, 0xF3, 0x00, dcs,
            0x42, 0x10,        0x90, 0x71, 0x83, 0x84, 0x22, udl};
  for (std::uint8_t octet : ud) pdu.push_back(octet);
  return to_hex(pdu);
}

// GSM 7-bit user data with a header (UDHL included in `udh`), fill bits per 9.2.3.24.
inline std::pair<std::uint8_t, Bytes> gsm7_with_header(const Bytes& udh,
                                                       const std::vector<std::uint8_t>& septets) {
  const std::size_t skip = (udh.size() * 8 + 6) / 7;
  Bytes ud = pack(septets, skip);
  std::copy(udh.begin(), udh.end(), ud.begin());
  return {static_cast<std::uint8_t>(skip + septets.size()), ud};
}

inline const UserData& user_data_of(const Decoded& decoded) {
  if (const auto* d = std::get_if<Deliver>(&decoded.tpdu)) return d->user_data;
  if (const auto* s = std::get_if<Submit>(&decoded.tpdu)) return s->user_data;
  return *std::get<StatusReport>(decoded.tpdu).user_data;
}

}  // namespace smsgw::pdu::test
