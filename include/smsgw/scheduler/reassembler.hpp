// Inbound reassembly: the parts of a concatenated message (3GPP TS 23.040 9.2.3.24.1 /
// 9.2.3.24.8) back into one text. The store keeps the parts (Store::store_inbound) and
// applies these rules after every part it stores:
//
// - A part belongs to a concatenated message when it carries a concatenation reference
//   and a total above 1 (joins_concatenation); otherwise it is a message on its own.
// - Its part number must be 1..total (valid_part_number); 9.2.3.24.1 says to ignore an IE
//   with a number of 0 or above the total, and the store refuses such a part as invalid.
// - The parts present, in any order, are joined in part-number order; a repeated part
//   number is a duplicate and the first copy wins (reassemble). The message is complete
//   once every number 1..total is present; missing_parts names the gaps.
// Which stored message a part joins (same modem, sender, reference and total, still
// incomplete, first part within the dedupe window) is the store's query (docs/store.md).
//
// Pure: no I/O, no clock.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace smsgw::scheduler {

struct ReceivedPart {
  int number = 1;    // 1-based part number from the concatenation IE
  std::string text;  // this part's decoded text (UTF-8)
};

struct Reassembly {
  std::string text;                // the parts present, joined in part-number order
  int parts_received = 0;          // distinct part numbers present
  bool complete = false;           // every part 1..total is present
  std::vector<int> missing_parts;  // 1-based, ascending; empty when complete
};

// True when a part with this reference and total is one part of a concatenated message.
bool joins_concatenation(const std::optional<int>& concat_ref, int total);

// True when `number` is a part number 9.2.3.24.1 accepts for `total` parts.
bool valid_part_number(int number, int total);

// The text of the parts present (`parts` in any order, repeats allowed: the first copy of
// a number wins) for a message of `total` parts.
Reassembly reassemble(std::span<const ReceivedPart> parts, int total);

}  // namespace smsgw::scheduler
