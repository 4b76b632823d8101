// Unicode encoders and the strict UTF-8 decoder of the PDU codec, shared with the modules
// that put text into AT strings (UCS2 hex for CSCS "UCS2" and USSD) and with the SMPP
// module (deliver_sm text). Pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "smsgw/common/result.hpp"

namespace smsgw::pdu {

// One Unicode scalar value and the offset of its first byte in the UTF-8 input.
struct CodePoint {
  char32_t value = 0;
  std::size_t byte_offset = 0;
};

// Strict UTF-8 (RFC 3629): rejects overlong forms, surrogates (U+D800..U+DFFF), values
// above U+10FFFF, stray continuation bytes and truncated sequences with
// "pdu.invalid_utf8" naming the byte offset.
Result<std::vector<CodePoint>> decode_utf8(std::string_view text);

// Appends the UTF-8 encoding of one Unicode scalar value (RFC 3629; at most U+10FFFF).
void append_utf8(std::string& out, char32_t code_point);

// Appends the UTF-16BE encoding of one Unicode scalar value: one code unit, or a surrogate
// pair above U+FFFF (TS 23.038 6.2.3: UCS2 is read as UTF-16).
void append_utf16be(std::vector<std::uint8_t>& out, char32_t code_point);

}  // namespace smsgw::pdu
