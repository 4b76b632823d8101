// Characters <-> septets for one locking-shift/single-shift table pair (TS 23.038 6.2.1,
// 6.2.1.2.4), and septet packing (TS 23.038 6.1.2.1.1, TS 23.040 9.2.3.24 fill bits).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "gsm7_tables.hpp"
#include "smsgw/pdu/pdu.hpp"

namespace smsgw::pdu::detail {

class Gsm7Alphabet {
 public:
  // A language without a table of that kind falls back to the default one
  // (TS 23.040 9.2.3.24.15/16: no IE means the default table).
  Gsm7Alphabet(std::optional<NationalLanguage> locking, std::optional<NationalLanguage> single);

  // Septets one character takes: 1 (locking table), 2 (escape + single shift), or 0 when
  // the pair cannot represent it.
  unsigned septets_for(char32_t character) const;

  // Appends the septets of a representable character (septets_for() != 0).
  void append(std::vector<std::uint8_t>& septets, char32_t character) const;

  // Septets to UTF-8. An escape followed by a code the shift table leaves unassigned
  // shows the locking table's character; a dangling or doubled escape shows a space
  // (TS 23.038 6.2.1.1).
  std::string decode(std::span<const std::uint8_t> septets) const;

 private:
  const Gsm7Table* locking_;
  const Gsm7Table* single_;
};

// Packs septets LSB-first (TS 23.038 6.1.2.1.1), the first one placed at septet index
// `skip` (after a UDH: TS 23.040 9.2.3.24 fill bits). Returns ceil((skip + n) * 7 / 8)
// octets; the skipped area is zero.
std::vector<std::uint8_t> pack_septets(std::span<const std::uint8_t> septets, std::size_t skip);

// Reads `count` septets starting at septet index `first`; the caller guarantees that
// `octets` holds ceil((first + count) * 7 / 8) octets.
std::vector<std::uint8_t> unpack_septets(std::span<const std::uint8_t> octets, std::size_t first,
                                         std::size_t count);

// Octets needed for `septets` packed septets.
inline std::size_t packed_octets(std::size_t septets) { return (septets * 7 + 7) / 8; }

// Septets a UDH of `octets` octets (UDHL included) occupies, fill bits included.
inline std::size_t udh_septets(std::size_t octets) { return (octets * 8 + 6) / 7; }

}  // namespace smsgw::pdu::detail
