// UTF-8 and UTF-16 conversions for SMS text (TS 23.038 6.2.3 UCS2 is read as UTF-16BE).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smsgw/common/result.hpp"
#include "smsgw/pdu/unicode.hpp"

namespace smsgw::pdu::detail {

using pdu::append_utf16be;  // smsgw/pdu/unicode.hpp
using pdu::append_utf8;     // smsgw/pdu/unicode.hpp
using pdu::CodePoint;       // smsgw/pdu/unicode.hpp
using pdu::decode_utf8;     // smsgw/pdu/unicode.hpp

// Number of UTF-16 code units (1, or 2 for a surrogate pair above U+FFFF).
inline std::size_t utf16_units(char32_t code_point) { return code_point > 0xFFFF ? 2 : 1; }

// UTF-16BE to UTF-8. Unpaired surrogates and a dangling odd octet become U+FFFD: a
// received message is shown, not dropped.
std::string utf16be_to_utf8(std::span<const std::uint8_t> octets);

// "'ç' (U+00E7)" for error messages.
std::string describe(char32_t code_point);

}  // namespace smsgw::pdu::detail
