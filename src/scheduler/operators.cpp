#include "smsgw/scheduler/operators.hpp"

#include <algorithm>

#include "smsgw/scheduler/numbering.hpp"

namespace smsgw::scheduler {
namespace {

bool all_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Error invalid(std::size_t index, std::string_view name, const std::string& why) {
  return make_error("operators.invalid", "operator[" + std::to_string(index) + "] \"" +
                                             std::string(name) + "\": " + why);
}

}  // namespace

Result<OperatorTable> OperatorTable::create(std::vector<OperatorSpec> specs,
                                            std::string_view default_country_code) {
  OperatorTable table;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    auto& spec = specs[i];
    if (spec.name.empty()) return invalid(i, spec.name, "name is empty");
    if (table.find(spec.name) != nullptr) {
      return invalid(i, spec.name, "name is used by an earlier operator");
    }
    Operator op{spec.name, {}, {}};
    for (const auto& code : spec.mccmnc) {
      if (code.size() < 5 || code.size() > 6 || !all_digits(code)) {
        return invalid(i, spec.name,
                       "mccmnc \"" + code + "\" must be 5 or 6 digits (MCC + 2- or 3-digit MNC)");
      }
      const auto [it, fresh] = table.by_mccmnc_.emplace(code, table.operators_.size());
      if (!fresh) {
        return invalid(i, spec.name, "mccmnc \"" + code + "\" " + table.owner_of(it->second));
      }
      table.longest_mccmnc_ = std::max(table.longest_mccmnc_, code.size());
      op.mccmnc.push_back(code);
    }
    for (const auto& written : spec.prefixes) {
      auto prefix = normalise_prefix(written, default_country_code);
      if (!prefix) {
        return invalid(i, spec.name,
                       "prefix \"" + written + "\" is not a number: " + prefix.error().message);
      }
      const auto [it, fresh] = table.by_prefix_.emplace(*prefix, table.operators_.size());
      if (!fresh) {
        return invalid(
            i, spec.name,
            "prefix \"" + written + "\" (" + *prefix + ") " + table.owner_of(it->second));
      }
      table.longest_prefix_ = std::max(table.longest_prefix_, prefix->size());
      op.prefixes.push_back(std::move(*prefix));
    }
    table.operators_.push_back(std::move(op));
  }
  return table;
}

std::string OperatorTable::owner_of(std::size_t index) const {
  if (index < operators_.size()) return "also belongs to \"" + operators_[index].name + "\"";
  return "is listed twice";
}

const Operator* OperatorTable::longest_match(
    const std::unordered_map<std::string, std::size_t>& index, std::string_view key,
    std::size_t max_length) const {
  std::string candidate;
  for (std::size_t length = std::min(max_length, key.size()); length > 0; --length) {
    candidate.assign(key.substr(0, length));
    if (const auto it = index.find(candidate); it != index.end()) {
      return &operators_[it->second];
    }
  }
  return nullptr;
}

const Operator* OperatorTable::for_imsi(std::string_view imsi) const {
  if (!all_digits(imsi)) return nullptr;
  return longest_match(by_mccmnc_, imsi, longest_mccmnc_);
}

const Operator* OperatorTable::for_destination(std::string_view e164) const {
  return longest_match(by_prefix_, e164, longest_prefix_);
}

const Operator* OperatorTable::find(std::string_view name) const {
  const auto it = std::find_if(operators_.begin(), operators_.end(),
                               [&](const Operator& op) { return op.name == name; });
  return it == operators_.end() ? nullptr : &*it;
}

}  // namespace smsgw::scheduler
