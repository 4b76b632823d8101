// How text travels inside AT strings: UCS2 hex (CSCS "UCS2"), packed GSM 7-bit hex
// (Huawei USSD), or plain characters. Used for USSD (TS 27.007 7.15) and +CSCA.
//
// Pure: no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "smsgw/common/result.hpp"

namespace smsgw::modem {

// "0041042F" -> "AЯ" (UTF-16BE code units, surrogate pairs joined) as UTF-8.
// Errors: "modem.ucs2" when the text is not hex in groups of 4 or has a lone surrogate.
Result<std::string> decode_ucs2_hex(std::string_view hex);
// UTF-8 -> upper-case UTF-16BE hex. Errors: "modem.ucs2" on invalid UTF-8.
Result<std::string> encode_ucs2_hex(std::string_view utf8);

// How a modem carries the string of AT+CUSD and +CUSD (a profile property).
enum class UssdEncoding {
  plain,            // characters of the TE character set (CSCS "GSM"/"IRA")
  gsm7_packed_hex,  // Huawei: GSM 7-bit packed octets as hex, both directions
};

// TS 23.038 5 (CBS data coding scheme, used by USSD): the alphabet a <dcs> names.
enum class UssdAlphabet { gsm7, eight_bit, ucs2 };
UssdAlphabet ussd_alphabet(int dcs);

// The text of a +CUSD string:
//  - alphabet UCS2 (dcs 72/0x48, 17, ...) and hex -> UCS2 decoded;
//  - alphabet GSM 7 and the modem packs (gsm7_packed_hex) and hex -> unpacked, the CR
//    padding of TS 23.038 6.1.2.3.1 removed;
//  - alphabet GSM 7 (dcs 15) but the string is UCS2 hex (CSCS "UCS2" on Quectel M35):
//    decoded when it is hex in groups of 4, at least two characters, every character
//    printable and at least one of them in the range U+0000..U+00FF (real text has
//    spaces, digits or punctuation; "12345678" stays plain);
//  - 8-bit and hex -> the octets as Latin-1;
//  - anything else -> the string as given.
Result<std::string> decode_ussd_text(std::string_view text, std::optional<int> dcs,
                                     UssdEncoding encoding);

// The string to put in AT+CUSD=1,"<here>",15 for a code such as "*100#".
// Errors: "modem.ussd_code" when the code has characters GSM 7-bit cannot carry.
Result<std::string> encode_ussd_request(std::string_view code, UssdEncoding encoding);

}  // namespace smsgw::modem
