// TS 23.040 9.2.3.24: the user data header (UDHL + information elements).
#pragma once

#include <optional>
#include <span>

#include "smsgw/pdu/pdu.hpp"

namespace smsgw::pdu::detail {

// TS 23.040 9.2.3.24: information element identifiers this codec writes or reads.
inline constexpr std::uint8_t kIeConcat8 = 0x00;       // 9.2.3.24.1
inline constexpr std::uint8_t kIeConcat16 = 0x08;      // 9.2.3.24.8
inline constexpr std::uint8_t kIeSingleShift = 0x24;   // 9.2.3.24.15
inline constexpr std::uint8_t kIeLockingShift = 0x25;  // 9.2.3.24.16

// What the codec understands of a header; other IEs are kept only in the raw bytes.
struct HeaderInfo {
  std::optional<Concat> concat;
  std::optional<NationalLanguage> single_shift;
  std::optional<NationalLanguage> locking_shift;
};

// The header's IEs (without UDHL) for one part. `concat` absent for a single part.
Bytes build_udh(const std::optional<Concat>& concat, std::optional<NationalLanguage> single_shift,
                std::optional<NationalLanguage> locking_shift);

// Octets of build_udh() plus the UDHL octet, or 0 when the header is empty.
std::size_t udh_octets_with_length(bool concat, bool single_shift, bool locking_shift);

// Parses IEs (without UDHL). `offset` is the octet offset of the first IE in the PDU, for
// error messages. A concatenation IE with a zero total or a sequence number beyond the
// total is ignored (9.2.3.24.1); an unknown language identifier leaves the default table.
Result<HeaderInfo> parse_udh(std::span<const std::uint8_t> udh, std::size_t offset);

}  // namespace smsgw::pdu::detail
