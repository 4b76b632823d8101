#include "smsgw/gateway/balance_parser.hpp"

#include <charconv>
#include <regex>

namespace smsgw::gateway {
namespace {

// "1 234,56" / "1.234,56" / "1,234.56" / "12,5" -> "1234.56" / "12.5".
std::optional<double> to_number(std::string text) {
  std::string digits;
  for (char c : text) {
    if ((c >= '0' && c <= '9') || c == '.' || c == ',' || c == '-') digits += c;
  }
  const auto last_sep = digits.find_last_of(".,");
  std::string normal;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    const char c = digits[i];
    if (c == '.' || c == ',') {
      // The last separator is the decimal point unless exactly three digits follow it and
      // another separator came before (then all of them group thousands).
      const bool is_last = i == last_sep;
      const std::size_t after = digits.size() - i - 1;
      const bool grouping = is_last && after == 3 && digits.find_first_of(".,") != i;
      if (is_last && !grouping) normal += '.';
      continue;
    }
    normal += c;
  }
  if (normal.empty() || normal == "-" || normal == ".") return std::nullopt;
  double value = 0;
  const auto* end = normal.data() + normal.size();
  auto [ptr, ec] = std::from_chars(normal.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

}  // namespace

Result<void> validate_balance_pattern(std::string_view pattern) {
  try {
    std::regex re{std::string(pattern), std::regex::ECMAScript};
    if (re.mark_count() < 1) {
      return make_error("config.invalid", "balance pattern needs a group around the amount");
    }
  } catch (const std::regex_error& e) {
    return make_error("config.invalid",
                      std::string("balance pattern does not compile: ") + e.what());
  }
  return {};
}

std::optional<double> parse_balance(std::string_view reply, std::string_view pattern) {
  try {
    std::regex re{std::string(pattern), std::regex::ECMAScript};
    std::match_results<std::string_view::const_iterator> match;
    if (!std::regex_search(reply.begin(), reply.end(), match, re) || match.size() < 2 ||
        !match[1].matched) {
      return std::nullopt;
    }
    return to_number(match[1].str());
  } catch (const std::regex_error&) {
    return std::nullopt;
  }
}

}  // namespace smsgw::gateway
