#include "utf.hpp"

#include <cstdio>

namespace smsgw::pdu {

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

void append_utf16be(std::vector<std::uint8_t>& out, char32_t cp) {
  auto unit = [&out](char32_t u) {
    out.push_back(static_cast<std::uint8_t>(u >> 8));
    out.push_back(static_cast<std::uint8_t>(u & 0xFF));
  };
  if (cp > 0xFFFF) {
    const char32_t v = cp - 0x10000;
    unit(0xD800 + (v >> 10));
    unit(0xDC00 + (v & 0x3FF));
  } else {
    unit(cp);
  }
}

namespace {

Error invalid_at(std::size_t offset, std::string_view why) {
  return make_error("pdu.invalid_utf8",
                    "byte " + std::to_string(offset) + ": invalid UTF-8, " + std::string(why));
}

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

}  // namespace

Result<std::vector<CodePoint>> decode_utf8(std::string_view text) {
  std::vector<CodePoint> out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    char32_t value = 0;
    char32_t minimum = 0;
    if (lead < 0x80) {
      out.push_back({lead, i});
      ++i;
      continue;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2, value = lead & 0x1F, minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3, value = lead & 0x0F, minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4, value = lead & 0x07, minimum = 0x10000;
    } else if (is_continuation(lead)) {
      return invalid_at(i, "continuation byte without a lead byte");
    } else {
      return invalid_at(i, "byte 0xF8-0xFF never occurs in UTF-8");
    }
    for (std::size_t k = 1; k < length; ++k) {
      if (i + k >= text.size()) return invalid_at(i, "truncated multi-byte sequence");
      const auto next = static_cast<unsigned char>(text[i + k]);
      if (!is_continuation(next)) return invalid_at(i, "truncated multi-byte sequence");
      value = (value << 6) | (next & 0x3F);
    }
    if (value < minimum) return invalid_at(i, "overlong encoding");
    if (value >= 0xD800 && value <= 0xDFFF) return invalid_at(i, "encoded UTF-16 surrogate");
    if (value > 0x10FFFF) return invalid_at(i, "code point above U+10FFFF");
    out.push_back({value, i});
    i += length;
  }
  return out;
}

}  // namespace smsgw::pdu

namespace smsgw::pdu::detail {

namespace {
constexpr char32_t kReplacement = 0xFFFD;
}  // namespace

std::string utf16be_to_utf8(std::span<const std::uint8_t> octets) {
  std::string out;
  const std::size_t units = octets.size() / 2;
  auto unit_at = [&](std::size_t k) -> char32_t {
    return static_cast<char32_t>((octets[2 * k] << 8) | octets[2 * k + 1]);
  };
  for (std::size_t k = 0; k < units; ++k) {
    const char32_t u = unit_at(k);
    if (u >= 0xD800 && u <= 0xDBFF && k + 1 < units) {
      const char32_t low = unit_at(k + 1);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        append_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
        ++k;
        continue;
      }
    }
    append_utf8(out, (u >= 0xD800 && u <= 0xDFFF) ? kReplacement : u);
  }
  if (octets.size() % 2 != 0) append_utf8(out, kReplacement);
  return out;
}

std::string describe(char32_t cp) {
  char code[16];
  std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(cp));
  std::string out = "'";
  if (cp >= 0x20 && cp != 0x7F) {
    append_utf8(out, cp);
  } else {
    out += "\\x";
    char hex[8];
    std::snprintf(hex, sizeof hex, "%02X", static_cast<unsigned>(cp));
    out += hex;
  }
  out += "' (";
  out += code;
  out += ")";
  return out;
}

}  // namespace smsgw::pdu::detail
