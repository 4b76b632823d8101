#include "smsgw/cli/text_width.hpp"

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

namespace smsgw::cli {

namespace {

struct Decoded {
  char32_t code_point = 0;
  std::size_t length = 0;  // bytes; 0 when the sequence at this offset is invalid
};

// RFC 3629 section 4: the well-formed UTF-8 byte sequences.
Decoded decode_at(std::string_view text, std::size_t offset) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[offset + i]); };
  const std::size_t left = text.size() - offset;
  const unsigned char lead = byte(0);
  if (lead < 0x80) return {lead, 1};
  std::size_t length = 0;
  char32_t value = 0;
  unsigned char low = 0x80, high = 0xBF;  // range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    value = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    value = lead & 0x0F;
    if (lead == 0xE0) low = 0xA0;   // no overlongs
    if (lead == 0xED) high = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    value = lead & 0x07;
    if (lead == 0xF0) low = 0x90;   // no overlongs
    if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
  } else {
    return {};
  }
  if (left < length) return {};
  for (std::size_t i = 1; i < length; ++i) {
    const unsigned char next = byte(i);
    const unsigned char min = i == 1 ? low : 0x80;
    const unsigned char max = i == 1 ? high : 0xBF;
    if (next < min || next > max) return {};
    value = (value << 6) | (next & 0x3F);
  }
  return {value, length};
}

bool in_ranges(char32_t c, const auto& ranges) {
  for (const auto& [first, last] : ranges) {
    if (c >= first && c <= last) return true;
  }
  return false;
}

// Combining marks and format characters that take no column (Unicode general categories
// Mn, Me, Cf; the blocks that hold most of them).
constexpr std::array<std::pair<char32_t, char32_t>, 9> kZeroWidth{{
    {0x0300, 0x036F},  // combining diacritical marks
    {0x0483, 0x0489},
    {0x0591, 0x05BD},
    {0x200B, 0x200F},  // zero width space, joiners, direction marks
    {0x202A, 0x202E},
    {0x2060, 0x2064},
    {0x20D0, 0x20FF},  // combining marks for symbols
    {0xFE00, 0xFE0F},  // variation selectors
    {0xFE20, 0xFE2F},
}};

// East Asian Wide and Fullwidth (UAX #11) and emoji presentation blocks.
constexpr std::array<std::pair<char32_t, char32_t>, 12> kWide{{
    {0x1100, 0x115F},
    {0x2E80, 0x303E},
    {0x3041, 0x33FF},
    {0x3400, 0x4DBF},
    {0x4E00, 0x9FFF},
    {0xA000, 0xA4CF},
    {0xAC00, 0xD7A3},
    {0xF900, 0xFAFF},
    {0xFE30, 0xFE4F},
    {0xFF00, 0xFF60},
    {0xFFE0, 0xFFE6},
    {0x1F300, 0x1FAFF},
}};

std::size_t width_of(char32_t c) {
  if (in_ranges(c, kZeroWidth)) return 0;
  if (in_ranges(c, kWide) || (c >= 0x20000 && c <= 0x3FFFD)) return 2;
  return 1;
}

}  // namespace

std::size_t display_width(std::string_view utf8) {
  std::size_t width = 0;
  for (std::size_t offset = 0; offset < utf8.size();) {
    const Decoded decoded = decode_at(utf8, offset);
    if (decoded.length == 0) {
      width += 1;
      offset += 1;
      continue;
    }
    width += width_of(decoded.code_point);
    offset += decoded.length;
  }
  return width;
}

std::string truncate_to_width(std::string_view utf8, std::size_t width, bool unicode) {
  if (display_width(utf8) <= width) return std::string(utf8);
  if (width == 0) return {};
  const std::string_view ellipsis = unicode ? "\u2026" : "~";
  const std::size_t room = width - 1;  // the ellipsis takes one column
  std::size_t used = 0;
  std::size_t offset = 0;
  while (offset < utf8.size()) {
    const Decoded decoded = decode_at(utf8, offset);
    const std::size_t length = decoded.length == 0 ? 1 : decoded.length;
    const std::size_t columns = decoded.length == 0 ? 1 : width_of(decoded.code_point);
    if (used + columns > room) break;
    used += columns;
    offset += length;
  }
  std::string result(utf8.substr(0, offset));
  result += ellipsis;
  return result;
}

std::string truncate_start_to_width(std::string_view utf8, std::size_t width, bool unicode) {
  if (display_width(utf8) <= width) return std::string(utf8);
  if (width == 0) return {};
  const std::size_t room = width - 1;  // the ellipsis takes one column
  // Code point boundaries and widths from the start; keep the longest tail that fits.
  std::vector<std::pair<std::size_t, std::size_t>> starts;  // (offset, columns)
  for (std::size_t offset = 0; offset < utf8.size();) {
    const Decoded decoded = decode_at(utf8, offset);
    const std::size_t length = decoded.length == 0 ? 1 : decoded.length;
    starts.emplace_back(offset, decoded.length == 0 ? 1 : width_of(decoded.code_point));
    offset += length;
  }
  std::size_t used = 0;
  std::size_t keep_from = utf8.size();
  for (auto it = starts.rbegin(); it != starts.rend(); ++it) {
    if (used + it->second > room) break;
    used += it->second;
    keep_from = it->first;
  }
  std::string result(unicode ? "\u2026" : "~");
  result += utf8.substr(keep_from);
  return result;
}

std::optional<std::size_t> invalid_utf8_offset(std::string_view text) {
  for (std::size_t offset = 0; offset < text.size();) {
    const Decoded decoded = decode_at(text, offset);
    if (decoded.length == 0) return offset;
    offset += decoded.length;
  }
  return std::nullopt;
}

std::string single_line(std::string_view text) {
  std::string result;
  result.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    result.push_back(byte < 0x20 || byte == 0x7F ? ' ' : c);
  }
  return result;
}

}  // namespace smsgw::cli
