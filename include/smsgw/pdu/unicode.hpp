// Unicode encoders of the PDU codec, shared with the modules that put text into AT strings
// (UCS2 hex for CSCS "UCS2" and USSD). Pure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace smsgw::pdu {

// Appends the UTF-8 encoding of one Unicode scalar value (RFC 3629; at most U+10FFFF).
void append_utf8(std::string& out, char32_t code_point);

// Appends the UTF-16BE encoding of one Unicode scalar value: one code unit, or a surrogate
// pair above U+FFFF (TS 23.038 6.2.3: UCS2 is read as UTF-16).
void append_utf16be(std::vector<std::uint8_t>& out, char32_t code_point);

}  // namespace smsgw::pdu
