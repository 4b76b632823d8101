// Choosing the alphabet (and national tables) for a text and splitting it into parts
// (TS 23.040 9.2.3.24.1 concatenation; TS 23.038 6.2.1.2.4 national language tables).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "smsgw/pdu/pdu.hpp"

namespace smsgw::pdu::detail {

// TS 23.040 9.2.3.16 / 9.2.3.24: user data capacity.
inline constexpr std::size_t kMaxSeptets = 160;
inline constexpr std::size_t kMaxOctets = 140;

struct TextPlan {
  Encoding encoding = Encoding::gsm7;
  std::optional<NationalLanguage> single_shift;
  std::optional<NationalLanguage> locking_shift;
  // Per part: septets (gsm7) or UTF-16BE octets (ucs2), without any header.
  std::vector<std::vector<std::uint8_t>> parts;
};

// Picks the encoding and table pair needing the fewest parts (fewest national IEs on a
// tie) and splits greedily without separating an escape pair or a surrogate pair.
// Errors: "pdu.invalid_utf8", "pdu.not_gsm7" (gsm7 forced), "pdu.too_long".
Result<TextPlan> plan_text(std::string_view utf8_text, EncodingChoice choice,
                           std::span<const NationalLanguage> allowed, std::size_t max_parts);

// One part's TP-UD (header included) and TP-UDL (septets for gsm7, octets otherwise).
struct PartUserData {
  Bytes user_data;
  std::uint8_t length = 0;
};

// Builds every part's user data: concatenation IE 0x00 (8-bit `concat_reference`) when
// there is more than one part, national language IEs 0x24/0x25 in every part.
std::vector<PartUserData> build_user_data(const TextPlan& plan, std::uint8_t concat_reference);

}  // namespace smsgw::pdu::detail
