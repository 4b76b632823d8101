// Destination numbers: what a user writes -> E.164 "+<digits>" (ITU-T E.164, at most 15
// digits, country codes never start with 0).
//
// Accepted forms (contract.md, Config: "Numbers"):
//   "+4917612345678"   international
//   "004917612345678"  international (the "00" international prefix)
//   "017612345678"     national: the leading trunk "0" is replaced by default_country_code
// Spaces, tabs, '-', '.', '(' and ')' are separators and are removed. A parenthesised
// trunk "(0)" inside an international number ("+49 (0)176 ...") is dropped.
// Everything else is refused with an Error whose code is one of
//   "number.empty", "number.alphanumeric" (letters: a sender name is not a destination),
//   "number.invalid_character", "number.misplaced_plus", "number.ambiguous" (digits with
//   neither "+", "00" nor a national "0"), "number.no_country_code" (national form and no
//   default_country_code), "number.bad_country_code", "number.too_long" (> 15 digits),
//   "number.too_short" (< 7 digits: no E.164 number is shorter).
// Short codes ("22022") are not E.164 numbers and are refused as "number.ambiguous".
//
// Pure functions; no I/O.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "smsgw/common/result.hpp"

namespace smsgw::scheduler {

inline constexpr std::size_t kMaxE164Digits = 15;  // ITU-T E.164 6.1
inline constexpr std::size_t kMinE164Digits = 7;

// Checks a configured country code: 1-3 digits, not starting with 0 ("49", "1", "380").
// An empty code is valid and means "national numbers are refused".
Result<void> validate_country_code(std::string_view country_code);

// `text` as "+<digits>". `default_country_code` is digits without '+' ("49") or empty.
Result<std::string> normalise_destination(std::string_view text,
                                          std::string_view default_country_code);

// A routing prefix ("+49151", "0049151", "0151") as "+<digits>"; like
// normalise_destination but without the minimum length (a prefix may be "+49").
Result<std::string> normalise_prefix(std::string_view text, std::string_view default_country_code);

// True when two numbers as modems report them ("+4917...", "4917...", "017...", "17...")
// plausibly name the same subscriber: their digits agree on the last
// min(len_a, len_b) digits after dropping a national trunk "0", and on at least
// `min_common_digits` of them. Empty or digit-free inputs never match.
bool same_subscriber(std::string_view a, std::string_view b, std::size_t min_common_digits = 7);

}  // namespace smsgw::scheduler
