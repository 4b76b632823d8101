// Reading an amount out of an operator's balance USSD reply.
//
// Contract: `pattern` is the operator's ECMAScript regular expression ([[operator]]
// balance.pattern); its first capture group is the amount. Decimal commas are read as
// points, thousands separators (spaces, apostrophes, a point or comma followed by exactly
// three digits when another separator follows) are dropped. No match, or a group that is
// not a number, gives std::nullopt (the raw reply is still shown to the user).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "smsgw/common/result.hpp"

namespace smsgw::gateway {

// Checks that `pattern` compiles and has a capture group; "config.invalid" otherwise.
Result<void> validate_balance_pattern(std::string_view pattern);

std::optional<double> parse_balance(std::string_view reply, std::string_view pattern);

}  // namespace smsgw::gateway
