// The GSM 7-bit alphabets of TS 23.038: the default alphabet (6.2.1), its extension
// table (6.2.1.1), and the national language locking-shift (Annex A.3) and single-shift
// (Annex A.2) tables this codec supports.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <unordered_map>

#include "smsgw/pdu/pdu.hpp"

namespace smsgw::pdu::detail {

inline constexpr std::uint8_t kEscape = 0x1B;  // TS 23.038 6.2.1: escape to the shift table

// One 128-entry table; 0 marks a code with no character (the escape code, and every
// unassigned code of a shift table).
struct Gsm7Table {
  std::array<char32_t, 128> to_unicode{};
  std::unordered_map<char32_t, std::uint8_t> from_unicode;
};

// The locking-shift table for `language` (the default alphabet when empty), or nullptr
// when the language has none (Spanish, TS 23.038 A.3.2 does not exist).
const Gsm7Table* locking_table(std::optional<NationalLanguage> language);

// The single-shift table for `language` (the default extension table when empty).
const Gsm7Table* single_shift_table(std::optional<NationalLanguage> language);

}  // namespace smsgw::pdu::detail
