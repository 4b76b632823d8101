// The text of a short message in the alphabets SMPP 3.4 data_coding names (5.2.19), both
// ways, on top of the PDU module's GSM 7-bit tables (TS 23.038 6.2.1, 6.2.1.1, Annex A)
// and Unicode helpers. Pure.
//
// GSM 7-bit text travels unpacked in SMPP: one septet per octet (0x00-0x7F), an extension
// character as the escape 0x1B followed by its code in the single-shift table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smsgw/pdu/pdu.hpp"
#include "smsgw/smpp/failure.hpp"

namespace smsgw::smpp::detail {

enum class Alphabet {
  gsm7,    // GSM 7-bit, unpacked
  ia5,     // IA5 / ASCII, 0x00-0x7F
  latin1,  // ISO-8859-1
  ucs2,    // UCS-2 read as UTF-16BE (TS 23.038 6.2.3)
};

struct DataCoding {
  Alphabet alphabet = Alphabet::gsm7;
  bool flash = false;  // message class 0 (TS 23.038 4)
};

// The alphabet a submit_sm's data_coding names: 0 GSM 7-bit (the SMSC default), 1 IA5,
// 3 Latin-1, 8 UCS-2; the TS 23.038 4 general data coding group with a message class and
// no compression, 0x10-0x13 (GSM 7-bit) and 0x18-0x1B (UCS-2); the data coding / message
// class group 0xF0-0xF3 (GSM 7-bit). Class 0 is flash. Anything else (8-bit data 2, 4,
// 0x14-0x17, 0xF4-0xF7; JIS, Cyrillic, Hebrew...; compressed text) -> ESME_RSUBMITFAIL
// naming the value (ESME_RINVDCS is SMPP 5.0's).
Outcome<DataCoding> read_data_coding(std::uint8_t data_coding);

// The national tables a UDH selects for GSM 7-bit text (TS 23.040 9.2.3.24.15/16); none =
// the default alphabet and its extension table.
struct Gsm7Tables {
  std::optional<pdu::NationalLanguage> locking;
  std::optional<pdu::NationalLanguage> single;
};

// `octets` as UTF-8 text. `first` is the offset of octets[0] inside `field` (after a UDH),
// for the message. Failures (ESME_RSUBMITFAIL, naming the octet): a GSM 7-bit or IA5 octet
// above 0x7F, a GSM escape that ends the text, an odd UCS-2 length, an unpaired UTF-16
// surrogate. A GSM escape followed by a code the single-shift table leaves unassigned reads
// as the main table's character, and a doubled escape as a space (TS 23.038 6.2.1.1).
Outcome<std::string> decode_text(Alphabet alphabet, std::span<const std::uint8_t> octets,
                                 std::size_t first, std::string_view field,
                                 const Gsm7Tables& tables);

// UCS-2 text of one part of a client-split message: as decode_text, except that a UTF-16
// low surrogate as the first code unit or a high surrogate as the last is kept as its
// three-octet WTF-8 form (0xED 0xA0-0xBF ...) instead of refused: clients cut UCS-2 text
// by code units (Kannel 1.4.5 every 67), so a surrogate pair may straddle two parts.
// join_surrogate_halves() (submit_spec.hpp) joins the halves of the assembled text.
Outcome<std::string> decode_ucs2_part(std::span<const std::uint8_t> octets, std::size_t first,
                                      std::string_view field);

// The code points of UTF-8 text; an invalid sequence becomes U+FFFD for each of its bytes
// (text from the store is valid; a broken one is still shown).
std::u32string code_points(std::string_view utf8);

// GSM 7-bit unpacked septets for `text` (default alphabet, extension characters as 0x1B
// + code), or nullopt when a character has no code there.
std::optional<std::vector<std::uint8_t>> gsm7_septets(std::u32string_view text);

// UTF-16BE for `text` (surrogate pairs above U+FFFF).
std::vector<std::uint8_t> utf16be(std::u32string_view text);

}  // namespace smsgw::smpp::detail
