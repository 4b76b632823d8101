#include "smsgw/gateway/kannel_dlr.hpp"

#include <ctime>
#include <vector>

namespace smsgw::gateway {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::vector<std::string_view> words_of(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    const std::size_t start = i;
    while (i < text.size() && !is_space(text[i])) ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

// Kannel's %q/%Q: a leading "00" becomes an encoded '+'.
std::string with_plus(std::string_view number) {
  if (number.substr(0, 2) == "00") return "%2B" + kannel_url_encode(number.substr(2));
  return kannel_url_encode(number);
}

std::string utc_time(std::chrono::system_clock::time_point at) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(at);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  const int length =
      std::snprintf(text, sizeof text, "%04d-%02d-%02d+%02d:%02d:%02d", utc.tm_year + 1900,
                    utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
  return std::string(text, length > 0 ? static_cast<std::size_t>(length) : 0);
}

}  // namespace

std::optional<int> dlr_type_for(std::string_view status, bool left, std::uint32_t mask) {
  const auto asks = [mask](int bits) { return (mask & static_cast<std::uint32_t>(bits)) != 0; };
  if (status == "sent") {
    if (asks(kDlrSmscSuccess)) return kDlrSmscSuccess;
  } else if (status == "delivered") {
    if (asks(kDlrDelivered)) return kDlrDelivered;
  } else if (status == "expired" || (status == "failed" && left)) {
    if (asks(kDlrUndelivered)) return kDlrUndelivered;
  } else if (status == "failed" || status == "cancelled") {
    if (asks(kDlrSmscFail | kDlrUndelivered)) return kDlrSmscFail;
  }
  return std::nullopt;
}

std::string dlr_answer(int type, std::string_view status, std::string_view error) {
  switch (type) {
    case kDlrSmscSuccess:
      return "ACK/";
    case kDlrDelivered:
      return "DELIVRD";
    case kDlrSmscFail:
      return "NACK/" + std::string(error.empty() ? status : error);
    case kDlrUndelivered:
      if (status == "expired") return "EXPIRED";
      return error.empty() ? std::string("UNDELIV") : "UNDELIV/" + std::string(error);
    default:
      return {};
  }
}

std::string kannel_url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      std::string_view("-_.!~*'()").find(c) != std::string_view::npos;
    if (safe) {
      out.push_back(c);
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0f]);
    }
  }
  return out;
}

std::string expand_dlr_url(std::string_view pattern, const DlrFacts& facts) {
  const auto words = words_of(facts.answer);
  std::size_t next_word = 1;  // %s and %r start after the first word (the "keyword")
  std::string out;
  out.reserve(pattern.size() + 64);
  std::size_t pos = 0;
  while (pos < pattern.size()) {
    const char c = pattern[pos];
    if (c != '%' || pos + 1 == pattern.size()) {
      out.push_back(c);
      ++pos;
      continue;
    }
    const char code = pattern[pos + 1];
    pos += 2;
    switch (code) {
      case 'd':
        out += std::to_string(facts.type);
        break;
      case 'p':
        out += kannel_url_encode(facts.receiver);
        break;
      case 'P':
        out += kannel_url_encode(facts.sender);
        break;
      case 'q':
        out += with_plus(facts.receiver);
        break;
      case 'Q':
        out += with_plus(facts.sender);
        break;
      case 't':
        out += utc_time(facts.at);
        break;
      case 'T':
        out += std::to_string(
            std::chrono::duration_cast<std::chrono::seconds>(facts.at.time_since_epoch()).count());
        break;
      case 'i':
        out += kannel_url_encode(facts.smsc_id);
        break;
      case 'I':
        out += facts.message_id;
        break;
      case 'A':
      case 'b':
        out += kannel_url_encode(facts.answer);
        break;
      case 'a':
        for (std::size_t i = 0; i < words.size(); ++i) {
          if (i > 0) out.push_back('+');
          out += kannel_url_encode(words[i]);
        }
        break;
      case 'k':
        if (!words.empty()) out += kannel_url_encode(words.front());
        break;
      case 's':
        if (next_word < words.size()) out += kannel_url_encode(words[next_word++]);
        break;
      case 'S':
        if (next_word < words.size()) {
          for (char w : words[next_word++]) out.push_back(w == '*' ? '~' : w);
        }
        break;
      case 'r':
        for (std::size_t i = next_word; i < words.size(); ++i) {
          if (i != next_word) out.push_back('+');
          out += kannel_url_encode(words[i]);
        }
        break;
      case 'n':
        out += kannel_url_encode(facts.service);
        break;
      case 'c':
        out += std::to_string(facts.coding);
        break;
      case 'C':
        out += facts.coding == 2 ? "UTF-16BE" : "UTF-8";
        break;
      case 'm':
        out += kannel_url_encode(std::to_string(facts.mclass));
        break;
      case 'F':
        out += kannel_url_encode(facts.foreign_id);
        break;
      case 'R':
        out += kannel_url_encode(facts.dlr_url);
        break;
      case '%':
        out.push_back('%');
        break;
      case 'B':
      case 'D':
      case 'f':
      case 'o':
      case 'u':
      case 'v':
      case 'V':
      case 'M':
      case 'O':
        break;  // smsgw has no such value: nothing, as Kannel gives for an empty one
      case '#': {
        // %#group#param#: meta-data smsgw does not keep; the whole escape expands to nothing.
        const auto first = pattern.find('#', pos);
        if (first == std::string_view::npos) break;
        const auto second = pattern.find('#', first + 1);
        pos = second == std::string_view::npos ? first + 1 : second + 1;
        break;
      }
      default:
        out.push_back('%');
        out.push_back(code);
        break;
    }
  }
  return out;
}

}  // namespace smsgw::gateway
