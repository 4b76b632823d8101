#include "gsm7_tables.hpp"

#include <initializer_list>
#include <utility>

namespace smsgw::pdu::detail {
namespace {

using Row = std::array<char32_t, 128>;
using Entries = std::initializer_list<std::pair<std::uint8_t, char32_t>>;

constexpr char32_t ESC = 0;  // the escape code 0x1B is not a character

// TS 23.038 6.2.1: GSM 7 bit default alphabet.
constexpr Row kDefaultAlphabet = {
    U'@',      U'\u00A3', U'$',      U'\u00A5', U'\u00E8', U'\u00E9', U'\u00F9', U'\u00EC',
    U'\u00F2', U'\u00C7', U'\n',     U'\u00D8', U'\u00F8', U'\r',     U'\u00C5', U'\u00E5',
    U'\u0394', U'_',      U'\u03A6', U'\u0393', U'\u039B', U'\u03A9', U'\u03A0', U'\u03A8',
    U'\u03A3', U'\u0398', U'\u039E', ESC,       U'\u00C6', U'\u00E6', U'\u00DF', U'\u00C9',
    U' ',      U'!',      U'"',      U'#',      U'\u00A4', U'%',      U'&',      U'\'',
    U'(',      U')',      U'*',      U'+',      U',',      U'-',      U'.',      U'/',
    U'0',      U'1',      U'2',      U'3',      U'4',      U'5',      U'6',      U'7',
    U'8',      U'9',      U':',      U';',      U'<',      U'=',      U'>',      U'?',
    U'\u00A1', U'A',      U'B',      U'C',      U'D',      U'E',      U'F',      U'G',
    U'H',      U'I',      U'J',      U'K',      U'L',      U'M',      U'N',      U'O',
    U'P',      U'Q',      U'R',      U'S',      U'T',      U'U',      U'V',      U'W',
    U'X',      U'Y',      U'Z',      U'\u00C4', U'\u00D6', U'\u00D1', U'\u00DC', U'\u00A7',
    U'\u00BF', U'a',      U'b',      U'c',      U'd',      U'e',      U'f',      U'g',
    U'h',      U'i',      U'j',      U'k',      U'l',      U'm',      U'n',      U'o',
    U'p',      U'q',      U'r',      U's',      U't',      U'u',      U'v',      U'w',
    U'x',      U'y',      U'z',      U'\u00E4', U'\u00F6', U'\u00F1', U'\u00FC', U'\u00E0',
};

// TS 23.038 A.3.1: Turkish national language locking shift table.
constexpr Row kTurkishLocking = {
    U'@',      U'\u00A3', U'$',      U'\u00A5', U'\u20AC', U'\u00E9', U'\u00F9', U'\u0131',
    U'\u00F2', U'\u00C7', U'\n',     U'\u011E', U'\u011F', U'\r',     U'\u00C5', U'\u00E5',
    U'\u0394', U'_',      U'\u03A6', U'\u0393', U'\u039B', U'\u03A9', U'\u03A0', U'\u03A8',
    U'\u03A3', U'\u0398', U'\u039E', ESC,       U'\u015E', U'\u015F', U'\u00DF', U'\u00C9',
    U' ',      U'!',      U'"',      U'#',      U'\u00A4', U'%',      U'&',      U'\'',
    U'(',      U')',      U'*',      U'+',      U',',      U'-',      U'.',      U'/',
    U'0',      U'1',      U'2',      U'3',      U'4',      U'5',      U'6',      U'7',
    U'8',      U'9',      U':',      U';',      U'<',      U'=',      U'>',      U'?',
    U'\u0130', U'A',      U'B',      U'C',      U'D',      U'E',      U'F',      U'G',
    U'H',      U'I',      U'J',      U'K',      U'L',      U'M',      U'N',      U'O',
    U'P',      U'Q',      U'R',      U'S',      U'T',      U'U',      U'V',      U'W',
    U'X',      U'Y',      U'Z',      U'\u00C4', U'\u00D6', U'\u00D1', U'\u00DC', U'\u00A7',
    U'\u00E7', U'a',      U'b',      U'c',      U'd',      U'e',      U'f',      U'g',
    U'h',      U'i',      U'j',      U'k',      U'l',      U'm',      U'n',      U'o',
    U'p',      U'q',      U'r',      U's',      U't',      U'u',      U'v',      U'w',
    U'x',      U'y',      U'z',      U'\u00E4', U'\u00F6', U'\u00F1', U'\u00FC', U'\u00E0',
};

// TS 23.038 A.3.3: Portuguese national language locking shift table.
constexpr Row kPortugueseLocking = {
    U'@',      U'\u00A3', U'$',      U'\u00A5', U'\u00EA', U'\u00E9', U'\u00FA', U'\u00ED',
    U'\u00F3', U'\u00E7', U'\n',     U'\u00D4', U'\u00F4', U'\r',     U'\u00C1', U'\u00E1',
    U'\u0394', U'_',      U'\u00AA', U'\u00C7', U'\u00C0', U'\u221E', U'^',      U'\\',
    U'\u20AC', U'\u00D3', U'|',      ESC,       U'\u00C2', U'\u00E2', U'\u00CA', U'\u00C9',
    U' ',      U'!',      U'"',      U'#',      U'\u00BA', U'%',      U'&',      U'\'',
    U'(',      U')',      U'*',      U'+',      U',',      U'-',      U'.',      U'/',
    U'0',      U'1',      U'2',      U'3',      U'4',      U'5',      U'6',      U'7',
    U'8',      U'9',      U':',      U';',      U'<',      U'=',      U'>',      U'?',
    U'\u00CD', U'A',      U'B',      U'C',      U'D',      U'E',      U'F',      U'G',
    U'H',      U'I',      U'J',      U'K',      U'L',      U'M',      U'N',      U'O',
    U'P',      U'Q',      U'R',      U'S',      U'T',      U'U',      U'V',      U'W',
    U'X',      U'Y',      U'Z',      U'\u00C3', U'\u00D5', U'\u00DA', U'\u00DC', U'\u00A7',
    U'~',      U'a',      U'b',      U'c',      U'd',      U'e',      U'f',      U'g',
    U'h',      U'i',      U'j',      U'k',      U'l',      U'm',      U'n',      U'o',
    U'p',      U'q',      U'r',      U's',      U't',      U'u',      U'v',      U'w',
    U'x',      U'y',      U'z',      U'\u00E3', U'\u00F5', U'`',      U'\u00FC', U'\u00E0',
};

// TS 23.038 6.2.1.1: the default alphabet extension table (only the assigned codes;
// 0x0D CR2 and 0x1B, reserved for another extension table, carry no character).
constexpr Entries kDefaultExtension = {
    {0x0A, U'\f'}, {0x14, U'^'}, {0x28, U'{'}, {0x29, U'}'}, {0x2F, U'\\'},
    {0x3C, U'['},  {0x3D, U'~'}, {0x3E, U']'}, {0x40, U'|'}, {0x65, U'\u20AC'},
};

// TS 23.038 A.2.1: Turkish national language single shift table.
constexpr Entries kTurkishSingleShift = {
    {0x0A, U'\f'},     {0x14, U'^'},      {0x28, U'{'},      {0x29, U'}'},      {0x2F, U'\\'},
    {0x3C, U'['},      {0x3D, U'~'},      {0x3E, U']'},      {0x40, U'|'},      {0x47, U'\u011E'},
    {0x49, U'\u0130'}, {0x53, U'\u015E'}, {0x63, U'\u00E7'}, {0x65, U'\u20AC'}, {0x67, U'\u011F'},
    {0x69, U'\u0131'}, {0x73, U'\u015F'},
};

// TS 23.038 A.2.2: Spanish national language single shift table.
constexpr Entries kSpanishSingleShift = {
    {0x09, U'\u00E7'}, {0x0A, U'\f'},     {0x14, U'^'},      {0x28, U'{'},      {0x29, U'}'},
    {0x2F, U'\\'},     {0x3C, U'['},      {0x3D, U'~'},      {0x3E, U']'},      {0x40, U'|'},
    {0x41, U'\u00C1'}, {0x49, U'\u00CD'}, {0x4F, U'\u00D3'}, {0x55, U'\u00DA'}, {0x61, U'\u00E1'},
    {0x65, U'\u20AC'}, {0x69, U'\u00ED'}, {0x6F, U'\u00F3'}, {0x75, U'\u00FA'},
};

// TS 23.038 A.2.3: Portuguese national language single shift table.
constexpr Entries kPortugueseSingleShift = {
    {0x05, U'\u00EA'}, {0x09, U'\u00E7'}, {0x0A, U'\f'},     {0x0B, U'\u00D4'}, {0x0C, U'\u00F4'},
    {0x0E, U'\u00C1'}, {0x0F, U'\u00E1'}, {0x12, U'\u03A6'}, {0x13, U'\u0393'}, {0x14, U'^'},
    {0x15, U'\u03A9'}, {0x16, U'\u03A0'}, {0x17, U'\u03A8'}, {0x18, U'\u03A3'}, {0x19, U'\u0398'},
    {0x1F, U'\u00CA'}, {0x28, U'{'},      {0x29, U'}'},      {0x2F, U'\\'},     {0x3C, U'['},
    {0x3D, U'~'},      {0x3E, U']'},      {0x40, U'|'},      {0x41, U'\u00C0'}, {0x49, U'\u00CD'},
    {0x4F, U'\u00D3'}, {0x55, U'\u00DA'}, {0x5B, U'\u00C3'}, {0x5C, U'\u00D5'}, {0x61, U'\u00C2'},
    {0x65, U'\u20AC'}, {0x69, U'\u00ED'}, {0x6F, U'\u00F3'}, {0x75, U'\u00FA'}, {0x7B, U'\u00E3'},
    {0x7C, U'\u00F5'}, {0x7F, U'\u00E2'},
};

Gsm7Table make_table(const Row& row) {
  Gsm7Table table;
  table.to_unicode = row;
  for (std::size_t code = 0; code < row.size(); ++code) {
    if (row[code] != 0) table.from_unicode.emplace(row[code], static_cast<std::uint8_t>(code));
  }
  return table;
}

Gsm7Table make_table(Entries entries) {
  Row row{};
  for (const auto& [code, character] : entries) row[code] = character;
  return make_table(row);
}

}  // namespace

const Gsm7Table* locking_table(std::optional<NationalLanguage> language) {
  static const Gsm7Table default_alphabet = make_table(kDefaultAlphabet);
  static const Gsm7Table turkish = make_table(kTurkishLocking);
  static const Gsm7Table portuguese = make_table(kPortugueseLocking);
  if (!language) return &default_alphabet;
  switch (*language) {
    case NationalLanguage::turkish:
      return &turkish;
    case NationalLanguage::portuguese:
      return &portuguese;
    case NationalLanguage::spanish:
      return nullptr;
  }
  return nullptr;
}

const Gsm7Table* single_shift_table(std::optional<NationalLanguage> language) {
  static const Gsm7Table extension = make_table(kDefaultExtension);
  static const Gsm7Table turkish = make_table(kTurkishSingleShift);
  static const Gsm7Table spanish = make_table(kSpanishSingleShift);
  static const Gsm7Table portuguese = make_table(kPortugueseSingleShift);
  if (!language) return &extension;
  switch (*language) {
    case NationalLanguage::turkish:
      return &turkish;
    case NationalLanguage::spanish:
      return &spanish;
    case NationalLanguage::portuguese:
      return &portuguese;
  }
  return nullptr;
}

}  // namespace smsgw::pdu::detail
