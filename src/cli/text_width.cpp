#include "smsgw/cli/text_width.hpp"

#include <locale.h>
#include <wchar.h>

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

// wchar_t holds Unicode code points (ISO C 6.10.8.2), so a decoded code point is a valid
// argument to wcwidth(3).
#ifndef __STDC_ISO_10646__
#error "text_width.cpp needs wchar_t to hold ISO 10646 code points"
#endif

// LC_CTYPE of the C.UTF-8 locale, made once (newlocale(3)); null when the C library has no
// such locale.
locale_t utf8_ctype() {
  static const locale_t ctype = ::newlocale(LC_CTYPE_MASK, "C.UTF-8", locale_t{});
  return ctype;
}

// While alive, the calling thread measures with C.UTF-8's LC_CTYPE (uselocale(3)); the
// process-wide locale (setlocale(3)) is never touched and the thread's previous locale is
// back afterwards.
class Utf8Ctype {
 public:
  Utf8Ctype() : previous_(utf8_ctype() == locale_t{} ? locale_t{} : ::uselocale(utf8_ctype())) {}
  ~Utf8Ctype() {
    if (previous_ != locale_t{}) ::uselocale(previous_);
  }
  Utf8Ctype(const Utf8Ctype&) = delete;
  Utf8Ctype& operator=(const Utf8Ctype&) = delete;

 private:
  locale_t previous_;
};

// Columns of one code point, inside a Utf8Ctype scope: wcwidth(3)'s answer, 1 where it
// has none (-1: control characters, unassigned code points) or no UTF-8 locale exists.
std::size_t width_of(char32_t c) {
  if (utf8_ctype() == locale_t{}) return 1;
  const int columns = ::wcwidth(static_cast<wchar_t>(c));
  return columns < 0 ? 1 : static_cast<std::size_t>(columns);
}

}  // namespace

std::size_t display_width(std::string_view utf8) {
  const Utf8Ctype ctype;
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
  const Utf8Ctype ctype;
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
  const Utf8Ctype ctype;
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
