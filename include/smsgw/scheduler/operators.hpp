// OperatorTable: which operator a SIM belongs to and which operator a destination is on
// (contract.md, [[operator]]: name, mccmnc, prefixes).
//
// - A SIM's operator comes from its IMSI: the IMSI starts with MCC (3 digits) + MNC (2 or
//   3 digits) (3GPP TS 23.003 2.2). The operator whose configured mccmnc is a prefix of
//   the IMSI wins, the longest such mccmnc first, so "310150" beats "31015".
// - A destination's operator is the one with the longest configured prefix of its E.164
//   form. Prefixes are normalised like numbers ("0151" with country code 49, "0049151"
//   and "+49151" are one prefix).
// - A destination that matches no prefix has no operator (it may leave through any SIM).
//
// create() refuses a table that would make either answer ambiguous: an empty or repeated
// operator name, an mccmnc that is not 5-6 digits, one mccmnc or prefix given to two
// operators, a prefix that is not a number. Error code "operators.invalid"; the message
// names the operator (by name and 0-based index) and the offending value.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "smsgw/common/result.hpp"

namespace smsgw::scheduler {

struct OperatorSpec {
  std::string name;
  std::vector<std::string> mccmnc;    // "26201", "310150"
  std::vector<std::string> prefixes;  // as configured: "+49151", "0049151", "0151"
};

struct Operator {
  std::string name;
  std::vector<std::string> mccmnc;
  std::vector<std::string> prefixes;  // normalised: "+49151"
};

class OperatorTable {
 public:
  OperatorTable() = default;  // no operators: nothing matches

  static Result<OperatorTable> create(std::vector<OperatorSpec> specs,
                                      std::string_view default_country_code);

  // The operator of a SIM with this IMSI (or a bare MCC+MNC, e.g. from AT+COPS numeric),
  // or nullptr. Non-digits in `imsi` never match.
  [[nodiscard]] const Operator* for_imsi(std::string_view imsi) const;

  // The operator of an E.164 destination ("+4915112345678"), or nullptr.
  [[nodiscard]] const Operator* for_destination(std::string_view e164) const;

  // The operator with this name, or nullptr.
  [[nodiscard]] const Operator* find(std::string_view name) const;

  [[nodiscard]] const std::vector<Operator>& operators() const { return operators_; }

 private:
  // The operator in `index` keyed by the longest prefix of `key` (at most max_length).
  const Operator* longest_match(const std::unordered_map<std::string, std::size_t>& index,
                                std::string_view key, std::size_t max_length) const;

  // Why a value already in an index cannot be added again (for create()'s errors).
  std::string owner_of(std::size_t index) const;

  std::vector<Operator> operators_;
  std::unordered_map<std::string, std::size_t> by_mccmnc_;  // -> index in operators_
  std::unordered_map<std::string, std::size_t> by_prefix_;
  std::size_t longest_mccmnc_ = 0;
  std::size_t longest_prefix_ = 0;
};

}  // namespace smsgw::scheduler
