#include "smsgw/scheduler/reassembler.hpp"

#include <map>

namespace smsgw::scheduler {

bool joins_concatenation(const std::optional<int>& concat_ref, int total) {
  return concat_ref.has_value() && total > 1;
}

bool valid_part_number(int number, int total) {
  return total >= 1 && number >= 1 && number <= total;
}

Reassembly reassemble(std::span<const ReceivedPart> parts, int total) {
  std::map<int, const std::string*> by_number;
  for (const auto& part : parts) by_number.try_emplace(part.number, &part.text);
  Reassembly out;
  for (const auto& [number, text] : by_number) out.text += *text;
  out.parts_received = static_cast<int>(by_number.size());
  for (int number = 1; number <= total; ++number) {
    if (!by_number.contains(number)) out.missing_parts.push_back(number);
  }
  out.complete = out.missing_parts.empty();
  return out;
}

}  // namespace smsgw::scheduler
