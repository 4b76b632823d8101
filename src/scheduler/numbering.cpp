#include "smsgw/scheduler/numbering.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

namespace smsgw::scheduler {
namespace {

bool is_separator(char c) {
  return c == ' ' || c == '\t' || c == '-' || c == '.' || c == '(' || c == ')';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

enum class Form { international, national };

struct Split {
  Form form;
  std::string digits;  // international: country code first; national: after the trunk 0
};

// Removes separators, checks characters, and tells the international form from the
// national one. Length rules are left to the callers.
Result<Split> split(std::string_view text) {
  std::string compact;
  bool plus = false;
  std::optional<std::size_t> parenthesised_trunk;  // where "(0)" stood in `compact`
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (text.substr(i).starts_with("(0)") && !parenthesised_trunk) {
      parenthesised_trunk = compact.size();
      i += 2;
      continue;
    }
    if (is_separator(c)) continue;
    if (c == '+') {
      if (plus || !compact.empty()) {
        return make_error(
            "number.misplaced_plus",
            quoted(text) + ": '+' may only start the number (offset " + std::to_string(i) + ")");
      }
      plus = true;
      continue;
    }
    if (is_digit(c)) {
      compact.push_back(c);
      continue;
    }
    if (is_letter(c)) {
      return make_error("number.alphanumeric",
                        quoted(text) +
                            ": letters are not allowed; an alphanumeric sender name cannot be "
                            "a destination");
    }
    return make_error("number.invalid_character", quoted(text) + ": character '" +
                                                      std::string(1, c) + "' at offset " +
                                                      std::to_string(i) + " is not allowed");
  }
  const bool international = plus || compact.starts_with("00");
  // "+49 (0)176...": the parenthesised trunk 0 is dropped in international numbers and
  // kept everywhere else.
  if (parenthesised_trunk && !international) compact.insert(*parenthesised_trunk, "0");
  if (compact.empty()) {
    return make_error("number.empty", quoted(text) + ": no digits");
  }
  if (plus) return Split{Form::international, compact};
  if (compact.starts_with("00")) return Split{Form::international, compact.substr(2)};
  if (compact.starts_with("0")) return Split{Form::national, compact.substr(1)};
  return make_error("number.ambiguous",
                    quoted(text) +
                        ": write international numbers with '+' or '00' and national ones "
                        "with a leading '0'");
}

Result<std::string> to_e164(std::string_view text, std::string_view default_country_code) {
  auto parts = split(text);
  if (!parts) return std::move(parts).error();
  std::string digits;
  if (parts->form == Form::national) {
    if (default_country_code.empty()) {
      return make_error(
          "number.no_country_code",
          quoted(text) + ": national number but no routing.default_country_code is set");
    }
    if (auto valid = validate_country_code(default_country_code); !valid) {
      return std::move(valid).error();
    }
    digits = std::string(default_country_code) + parts->digits;
  } else {
    digits = std::move(parts->digits);
  }
  if (digits.empty() || digits.front() == '0') {
    return make_error("number.bad_country_code",
                      quoted(text) + ": a country code cannot be empty or start with 0");
  }
  if (digits.size() > kMaxE164Digits) {
    return make_error("number.too_long", quoted(text) + ": " + std::to_string(digits.size()) +
                                             " digits, E.164 allows at most " +
                                             std::to_string(kMaxE164Digits));
  }
  return "+" + digits;
}

std::string_view significant_digits(std::string_view text, std::string& storage) {
  storage.clear();
  for (char c : text) {
    if (is_digit(c)) storage.push_back(c);
  }
  const auto first = storage.find_first_not_of('0');
  if (first == std::string::npos) return {};
  return std::string_view(storage).substr(first);
}

}  // namespace

Result<void> validate_country_code(std::string_view country_code) {
  if (country_code.empty()) return {};
  const bool digits_only = std::all_of(country_code.begin(), country_code.end(), is_digit);
  if (!digits_only || country_code.size() > 3 || country_code.front() == '0') {
    return make_error("number.bad_country_code",
                      "country code " + quoted(country_code) +
                          " must be 1-3 digits without '+' and not start with 0");
  }
  return {};
}

Result<std::string> normalise_destination(std::string_view text,
                                          std::string_view default_country_code) {
  auto number = to_e164(text, default_country_code);
  if (!number) return number;
  const std::size_t digits = number->size() - 1;
  if (digits < kMinE164Digits) {
    return make_error("number.too_short", quoted(text) + ": " + std::to_string(digits) +
                                              " digits, an E.164 number has at least " +
                                              std::to_string(kMinE164Digits));
  }
  return number;
}

Result<std::string> normalise_prefix(std::string_view text, std::string_view default_country_code) {
  return to_e164(text, default_country_code);
}

bool same_subscriber(std::string_view a, std::string_view b, std::size_t min_common_digits) {
  std::string storage_a;
  std::string storage_b;
  const auto digits_a = significant_digits(a, storage_a);
  const auto digits_b = significant_digits(b, storage_b);
  const std::size_t common = std::min(digits_a.size(), digits_b.size());
  if (common == 0 || common < min_common_digits) return false;
  return digits_a.substr(digits_a.size() - common) == digits_b.substr(digits_b.size() - common);
}

}  // namespace smsgw::scheduler
