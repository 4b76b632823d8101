#include "sm_text.hpp"

#include <cstdio>
#include <unordered_map>

#include "smsgw/pdu/alphabets.hpp"
#include "smsgw/pdu/unicode.hpp"

namespace smsgw::smpp::detail {
namespace {

constexpr std::uint8_t kEscape = 0x1B;  // TS 23.038 6.2.1: escape to the extension table

std::string hex_octet(unsigned value) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02X", value & 0xFFu);
  return text;
}

Failure undecodable(std::string_view field, std::size_t offset, const std::string& why) {
  return Failure{CommandStatus::esme_rsubmitfail, std::string(field),
                 "octet " + std::to_string(offset) + " of " + std::string(field) + ": " + why};
}

Outcome<std::string> decode_gsm7(std::span<const std::uint8_t> octets, std::size_t first,
                                 std::string_view field, const Gsm7Tables& tables) {
  // A language without a locking-shift table (Spanish) falls back to the default alphabet
  // (TS 23.040 9.2.3.24.16); the single-shift lookup falls back by itself.
  auto main = pdu::locking_shift_code_points(tables.locking);
  if (!main) main = pdu::locking_shift_code_points(std::nullopt);
  const auto extension = pdu::single_shift_code_points(tables.single);
  std::string out;
  out.reserve(octets.size());
  for (std::size_t i = 0; i < octets.size(); ++i) {
    const std::uint8_t code = octets[i];
    if (code > 0x7F) {
      return undecodable(field, first + i,
                         hex_octet(code) +
                             " is not a GSM 7-bit code (data_coding 0 carries one septet per "
                             "octet, 0x00-0x7F; TS 23.038 6.2.1)");
    }
    if (code != kEscape) {
      pdu::append_utf8(out, (*main)[code]);
      continue;
    }
    if (i + 1 == octets.size()) {
      return undecodable(field, first + i,
                         "the escape 0x1B ends the text; an extension character needs its "
                         "code after it (TS 23.038 6.2.1.1)");
    }
    const std::uint8_t next = octets[++i];
    if (next > 0x7F) {
      return undecodable(field, first + i,
                         hex_octet(next) + " after the escape 0x1B is not a GSM 7-bit code");
    }
    if (next == kEscape) {
      out.push_back(' ');  // reserved for another extension table: shown as a space
    } else if (extension[next] != 0) {
      pdu::append_utf8(out, extension[next]);
    } else {
      pdu::append_utf8(out, (*main)[next]);  // unassigned: the main table's character
    }
  }
  return out;
}

Outcome<std::string> decode_ucs2(std::span<const std::uint8_t> octets, std::size_t first,
                                 std::string_view field) {
  if (octets.size() % 2 != 0) {
    return undecodable(field, first + octets.size() - 1,
                       "UCS-2 text (data_coding 8) has " + std::to_string(octets.size()) +
                           " octets, an odd number; every UTF-16 code unit takes 2");
  }
  std::string out;
  out.reserve(octets.size());
  const auto unit_at = [&](std::size_t k) -> char32_t {
    return static_cast<char32_t>((octets[k] << 8) | octets[k + 1]);
  };
  for (std::size_t k = 0; k < octets.size(); k += 2) {
    const char32_t unit = unit_at(k);
    if (unit >= 0xDC00 && unit <= 0xDFFF) {
      return undecodable(field, first + k,
                         "UTF-16 low surrogate without a high surrogate before it");
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      const char32_t low = k + 2 < octets.size() ? unit_at(k + 2) : 0;
      if (low < 0xDC00 || low > 0xDFFF) {
        return undecodable(field, first + k,
                           "UTF-16 high surrogate without a low surrogate after it");
      }
      pdu::append_utf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
      k += 2;
      continue;
    }
    pdu::append_utf8(out, unit);
  }
  return out;
}

// UTF-8 character -> GSM 7-bit septets (1, or escape + code), built from the PDU module's
// default alphabet and extension table.
const std::unordered_map<char32_t, std::vector<std::uint8_t>>& gsm7_codes() {
  static const auto codes = [] {
    std::unordered_map<char32_t, std::vector<std::uint8_t>> map;
    const auto extension = pdu::single_shift_code_points(std::nullopt);
    for (std::uint8_t code = 0; code < 0x80; ++code) {
      if (extension[code] != 0) map[extension[code]] = {kEscape, code};
    }
    const auto main = pdu::locking_shift_code_points(std::nullopt);
    for (std::uint8_t code = 0; code < 0x80; ++code) {
      if (code != kEscape) map[(*main)[code]] = {code};  // the main table wins
    }
    return map;
  }();
  return codes;
}

}  // namespace

Outcome<DataCoding> read_data_coding(std::uint8_t data_coding) {
  switch (data_coding) {
    case 0x00:
      return DataCoding{Alphabet::gsm7, false};
    case 0x01:
      return DataCoding{Alphabet::ia5, false};
    case 0x03:
      return DataCoding{Alphabet::latin1, false};
    case 0x08:
      return DataCoding{Alphabet::ucs2, false};
    default:
      break;
  }
  const bool class_0 = (data_coding & 0x03) == 0;
  if (data_coding >= 0x10 && data_coding <= 0x13) return DataCoding{Alphabet::gsm7, class_0};
  if (data_coding >= 0x18 && data_coding <= 0x1B) return DataCoding{Alphabet::ucs2, class_0};
  if (data_coding >= 0xF0 && data_coding <= 0xF3) return DataCoding{Alphabet::gsm7, class_0};
  return Failure{CommandStatus::esme_rsubmitfail, "data_coding",
                 "data_coding " + hex_octet(data_coding) +
                     " is not text this gateway can send: it takes 0 (GSM 7-bit), 1 (IA5), "
                     "3 (Latin-1), 8 (UCS-2), 0x10-0x13 / 0xF0-0xF3 (GSM 7-bit with a message "
                     "class) or 0x18-0x1B (UCS-2 with a message class) (SMPP 3.4 5.2.19, "
                     "TS 23.038 4)"};
}

Outcome<std::string> decode_ucs2_part(std::span<const std::uint8_t> octets, std::size_t first,
                                      std::string_view field) {
  if (octets.size() % 2 != 0) return decode_ucs2(octets, first, field);  // refused there
  const auto unit_at = [&](std::size_t k) -> char32_t {
    return static_cast<char32_t>((octets[k] << 8) | octets[k + 1]);
  };
  // A surrogate alone, as the three octets UTF-8's scheme gives it (WTF-8).
  const auto half = [](char32_t unit) {
    return std::string{static_cast<char>(0xE0 | (unit >> 12)),
                       static_cast<char>(0x80 | ((unit >> 6) & 0x3F)),
                       static_cast<char>(0x80 | (unit & 0x3F))};
  };
  std::string head;
  std::string tail;
  std::size_t begin = 0;
  std::size_t end = octets.size();
  if (end >= 2 && unit_at(0) >= 0xDC00 && unit_at(0) <= 0xDFFF) {
    head = half(unit_at(0));
    begin = 2;
  }
  if (end - begin >= 2 && unit_at(end - 2) >= 0xD800 && unit_at(end - 2) <= 0xDBFF) {
    tail = half(unit_at(end - 2));
    end -= 2;
  }
  auto middle = decode_ucs2(octets.subspan(begin, end - begin), first + begin, field);
  if (!middle) return middle;
  return head + *middle + tail;
}

Outcome<std::string> decode_text(Alphabet alphabet, std::span<const std::uint8_t> octets,
                                 std::size_t first, std::string_view field,
                                 const Gsm7Tables& tables) {
  switch (alphabet) {
    case Alphabet::gsm7:
      return decode_gsm7(octets, first, field, tables);
    case Alphabet::ucs2:
      return decode_ucs2(octets, first, field);
    case Alphabet::ia5:
    case Alphabet::latin1:
      break;
  }
  std::string out;
  out.reserve(octets.size());
  for (std::size_t i = 0; i < octets.size(); ++i) {
    if (alphabet == Alphabet::ia5 && octets[i] > 0x7F) {
      return undecodable(field, first + i,
                         hex_octet(octets[i]) +
                             " is not an IA5 (ASCII) character "
                             "(data_coding 1 takes 0x00-0x7F)");
    }
    pdu::append_utf8(out, octets[i]);  // IA5 and Latin-1 are the first code points
  }
  return out;
}

std::u32string code_points(std::string_view utf8) {
  std::u32string out;
  if (auto whole = pdu::decode_utf8(utf8)) {
    for (const auto& point : *whole) out.push_back(point.value);
    return out;
  }
  // Character by character: the shortest prefix (1-4 bytes) that is one valid character,
  // else U+FFFD for the byte and on to the next.
  std::size_t i = 0;
  while (i < utf8.size()) {
    std::size_t taken = 0;
    for (std::size_t length = 1; length <= 4 && i + length <= utf8.size(); ++length) {
      auto one = pdu::decode_utf8(utf8.substr(i, length));
      if (one.ok() && one->size() == 1) {
        out.push_back(one->front().value);
        taken = length;
        break;
      }
    }
    if (taken == 0) {
      out.push_back(U'\uFFFD');
      taken = 1;
    }
    i += taken;
  }
  return out;
}

std::optional<std::vector<std::uint8_t>> gsm7_septets(std::u32string_view text) {
  const auto& codes = gsm7_codes();
  std::vector<std::uint8_t> out;
  out.reserve(text.size());
  for (const char32_t c : text) {
    const auto found = codes.find(c);
    if (found == codes.end()) return std::nullopt;
    out.insert(out.end(), found->second.begin(), found->second.end());
  }
  return out;
}

std::vector<std::uint8_t> utf16be(std::u32string_view text) {
  std::vector<std::uint8_t> out;
  out.reserve(text.size() * 2);
  for (const char32_t c : text) pdu::append_utf16be(out, c);
  return out;
}

}  // namespace smsgw::smpp::detail
