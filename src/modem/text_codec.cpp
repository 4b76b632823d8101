#include "smsgw/modem/text_codec.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <vector>

#include "smsgw/pdu/pdu.hpp"
#include "smsgw/pdu/unicode.hpp"

namespace smsgw::modem {
namespace {

bool is_hex(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(),
                                      [](unsigned char c) { return std::isxdigit(c) != 0; });
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  return std::toupper(static_cast<unsigned char>(c)) - 'A' + 10;
}

Result<std::vector<char32_t>> utf8_code_points(std::string_view utf8) {
  std::vector<char32_t> points;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    int extra = 0;
    char32_t cp = 0;
    if (lead < 0x80) {
      cp = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      extra = 1;
      cp = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      extra = 2;
      cp = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      extra = 3;
      cp = lead & 0x07;
    } else {
      return make_error("modem.ucs2", "invalid UTF-8 lead byte at offset " + std::to_string(i));
    }
    if (i + static_cast<std::size_t>(extra) >= utf8.size()) {
      return make_error("modem.ucs2", "truncated UTF-8 sequence at offset " + std::to_string(i));
    }
    for (int k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(utf8[i + static_cast<std::size_t>(k)]);
      if ((next & 0xC0) != 0x80) {
        return make_error("modem.ucs2", "invalid UTF-8 continuation at offset " +
                                            std::to_string(i + static_cast<std::size_t>(k)));
      }
      cp = (cp << 6) | (next & 0x3F);
    }
    points.push_back(cp);
    i += 1 + static_cast<std::size_t>(extra);
  }
  return points;
}

// Decodes UCS2 hex into code points (surrogates joined); nullopt when it is not UCS2 hex.
std::optional<std::vector<char32_t>> ucs2_code_points(std::string_view hex) {
  if (hex.size() % 4 != 0 || !is_hex(hex)) return std::nullopt;
  std::vector<char32_t> points;
  for (std::size_t i = 0; i < hex.size(); i += 4) {
    char32_t unit = 0;
    for (std::size_t k = 0; k < 4; ++k) unit = (unit << 4) | hex_value(hex[i + k]);
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      if (i + 8 > hex.size()) return std::nullopt;
      char32_t low = 0;
      for (std::size_t k = 4; k < 8; ++k) low = (low << 4) | hex_value(hex[i + k]);
      if (low < 0xDC00 || low > 0xDFFF) return std::nullopt;
      points.push_back(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
      i += 4;
    } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
      return std::nullopt;
    } else {
      points.push_back(unit);
    }
  }
  return points;
}

std::string to_utf8(const std::vector<char32_t>& points) {
  std::string out;
  for (auto cp : points) pdu::append_utf8(out, cp);
  return out;
}

bool printable(char32_t cp) {
  if (cp == '\r' || cp == '\n' || cp == '\t') return true;
  if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return false;
  return cp != 0xFFFE && cp != 0xFFFF;
}

Result<std::string> unpack_gsm7_hex(std::string_view hex) {
  auto octets = pdu::from_hex(hex);
  if (!octets) return std::move(octets).error();
  const std::size_t septets = octets->size() * 8 / 7;
  auto text = pdu::unpack_gsm7_text(*octets, septets);
  if (!text) return std::move(text).error();
  // TS 23.038 6.1.2.3.1: 7 spare bits at the end are filled with CR, not a character.
  if (octets->size() * 8 % 7 == 0 && !text->empty() && text->back() == '\r') text->pop_back();
  return text;
}

}  // namespace

Result<std::string> decode_ucs2_hex(std::string_view hex) {
  const auto points = ucs2_code_points(hex);
  if (!points) {
    return make_error("modem.ucs2", "\"" + std::string(hex) +
                                        "\" is not UCS2 hex (groups of 4 hex digits, "
                                        "surrogates in pairs)");
  }
  return to_utf8(*points);
}

Result<std::string> encode_ucs2_hex(std::string_view utf8) {
  auto points = utf8_code_points(utf8);
  if (!points) return std::move(points).error();
  pdu::Bytes octets;
  for (auto cp : *points) pdu::append_utf16be(octets, cp);
  return pdu::to_hex(octets);
}

UssdAlphabet ussd_alphabet(int dcs) {
  const auto alphabet_bits = [](int bits) {
    switch (bits) {
      case 1:
        return UssdAlphabet::eight_bit;
      case 2:
        return UssdAlphabet::ucs2;
      default:
        return UssdAlphabet::gsm7;
    }
  };
  if (dcs < 0 || dcs > 0xFF) return UssdAlphabet::gsm7;
  if (dcs == 0x11) return UssdAlphabet::ucs2;  // UCS2, preceded by language indication
  const int group = dcs >> 4;
  if (group >= 0x4 && group <= 0x7) return alphabet_bits((dcs >> 2) & 0x3);  // general coding
  if (group == 0x9) return alphabet_bits((dcs >> 2) & 0x3);                  // message with UDH
  if (group == 0xF) return (dcs & 0x04) != 0 ? UssdAlphabet::eight_bit : UssdAlphabet::gsm7;
  return UssdAlphabet::gsm7;
}

Result<std::string> decode_ussd_text(std::string_view text, std::optional<int> dcs,
                                     UssdEncoding encoding) {
  const auto alphabet = dcs ? ussd_alphabet(*dcs) : UssdAlphabet::gsm7;
  switch (alphabet) {
    case UssdAlphabet::ucs2:
      if (auto points = ucs2_code_points(text)) return to_utf8(*points);
      return std::string(text);
    case UssdAlphabet::eight_bit:
      if (text.size() % 2 == 0 && is_hex(text)) {
        auto octets = pdu::from_hex(text);
        if (!octets) return std::move(octets).error();
        std::string out;
        for (auto octet : *octets) pdu::append_utf8(out, octet);
        return out;
      }
      return std::string(text);
    case UssdAlphabet::gsm7:
      break;
  }
  if (encoding == UssdEncoding::gsm7_packed_hex && text.size() % 2 == 0 && is_hex(text)) {
    return unpack_gsm7_hex(text);
  }
  if (text.size() >= 8) {
    if (auto points = ucs2_code_points(text)) {
      const bool all_printable = std::all_of(points->begin(), points->end(), printable);
      const bool some_latin =
          std::any_of(points->begin(), points->end(), [](char32_t cp) { return cp <= 0xFF; });
      if (all_printable && some_latin) return to_utf8(*points);
    }
  }
  return std::string(text);
}

Result<std::string> encode_ussd_request(std::string_view code, UssdEncoding encoding) {
  if (code.empty()) return make_error(ErrorCode::modem_ussd_code, "the USSD code is empty");
  switch (encoding) {
    case UssdEncoding::gsm7_packed_hex: {
      auto packed = pdu::pack_gsm7_text(code);
      if (!packed) {
        return make_error(
            ErrorCode::modem_ussd_code,
            "\"" + std::string(code) + "\" cannot be sent in GSM 7-bit: " + packed.error().message);
      }
      return pdu::to_hex(*packed);
    }
    case UssdEncoding::plain:
      for (unsigned char c : code) {
        if (c == '"' || c < 0x20 || c >= 0x7F) {
          return make_error(ErrorCode::modem_ussd_code, "\"" + std::string(code) +
                                                            "\" has a character that cannot be "
                                                            "quoted in AT+CUSD (quote, control or "
                                                            "non-ASCII)");
        }
      }
      return std::string(code);
  }
  return std::string(code);
}

}  // namespace smsgw::modem
