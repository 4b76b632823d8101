#include "smsgw/pdu/alphabets.hpp"

#include "gsm7_tables.hpp"

namespace smsgw::pdu {

std::optional<Gsm7CodePoints> locking_shift_code_points(std::optional<NationalLanguage> language) {
  const auto* table = detail::locking_table(language);
  if (table == nullptr) return std::nullopt;
  return table->to_unicode;
}

Gsm7CodePoints single_shift_code_points(std::optional<NationalLanguage> language) {
  const auto* table = detail::single_shift_table(language);
  if (table == nullptr) table = detail::single_shift_table(std::nullopt);
  return table->to_unicode;
}

}  // namespace smsgw::pdu
