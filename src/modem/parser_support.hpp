// Helpers shared by the AT reply parsers (parsers.cpp, parsers_sms.cpp). Private to
// src/modem; the contract is include/smsgw/modem/parsers.hpp.
#pragma once

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <string>
#include <string_view>

#include "smsgw/modem/parsers.hpp"

namespace smsgw::modem::parser_support {

inline std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

inline Error parse_error(std::string_view what, std::string_view line, std::string_view why) {
  return make_error("modem.parse",
                    std::string(what) + " in \"" + std::string(line) + "\": " + std::string(why));
}

inline std::optional<int> to_int(std::string_view text) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  int value = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

inline bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(),
                                      [](unsigned char c) { return std::isdigit(c) != 0; });
}

inline bool all_hex(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(),
                                      [](unsigned char c) { return std::isxdigit(c) != 0; });
}

inline std::string upper(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

inline std::optional<std::string> optional_text(const Field& field) {
  if (field.text.empty()) return std::nullopt;
  return upper(field.text);
}

// The parameters after any "<tag>:" prefix (+X:, ^X:, #X:), or the whole line when it has
// none; used by the identity parsers that accept a bare value too.
inline std::string_view after_any_tag(std::string_view line) {
  line = trim(line);
  if (!line.empty() && (line.front() == '+' || line.front() == '^' || line.front() == '#')) {
    const auto colon = line.find(':');
    if (colon != std::string_view::npos) return trim(line.substr(colon + 1));
  }
  return line;
}

inline std::string_view unquote(std::string_view text) {
  text = trim(text);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    text = text.substr(1, text.size() - 2);
  }
  return trim(text);
}

inline Result<MessageHeader> parse_message_header(std::string_view line, std::string_view prefix,
                                                  bool with_index) {
  const auto params = strip_prefix(line, prefix);
  if (!params) return parse_error(std::string(prefix) + " header", line, "wrong prefix");
  auto fields = split_fields(*params);
  MessageHeader header;
  if (with_index) {
    if (fields.empty()) return parse_error("+CMGL header", line, "no index");
    header.index = to_int(fields.front().text);
    if (!header.index || *header.index < 0) {
      return parse_error("+CMGL header", line, "index is not a number");
    }
    fields.erase(fields.begin());
  }
  // Remaining: <stat>,[<alpha>],<length> or, without the alpha field, <stat>,<length>.
  if (fields.size() < 2 || fields.size() > 3) {
    // Text-mode headers carry more fields; this gateway reads PDU mode only.
    return parse_error(std::string(prefix) + " header", line, "expected <stat>,[<alpha>],<length>");
  }
  if (!fields.front().text.empty()) {
    header.stat = to_int(fields.front().text);
    if (!header.stat) return parse_error(std::string(prefix) + " header", line, "bad <stat>");
  }
  if (fields.size() == 3 && (fields[1].quoted || !fields[1].text.empty())) {
    header.alpha = fields[1].text;
  }
  const auto length = to_int(fields.back().text);
  if (!length || *length < 0) {
    return parse_error(std::string(prefix) + " header", line, "bad <length>");
  }
  header.length = *length;
  return header;
}

inline bool looks_like_pdu_line(std::string_view line) {
  line = trim(line);
  return line.size() % 2 == 0 && all_hex(line);
}

}  // namespace smsgw::modem::parser_support
