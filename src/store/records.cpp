#include "smsgw/store/records.hpp"

#include <algorithm>

#include "smsgw/pdu/pdu.hpp"

namespace smsgw::store {
ReportOutcome classify_report_status(int tp_status) {
  if (tp_status < 0x00 || tp_status > 0xFF) return ReportOutcome::failed;  // not a TP-ST octet
  return pdu::classify_status(static_cast<std::uint8_t>(tp_status));
}

MessageStatus roll_up(MessageStatus current, std::span<const PartStatus> parts) {
  if ((current != MessageStatus::sent && current != MessageStatus::unknown) || parts.empty()) {
    return current;
  }
  if (std::any_of(parts.begin(), parts.end(),
                  [](PartStatus p) { return p == PartStatus::failed; })) {
    return MessageStatus::failed;
  }
  if (std::all_of(parts.begin(), parts.end(),
                  [](PartStatus p) { return p == PartStatus::delivered; })) {
    return MessageStatus::delivered;
  }
  return current;
}

std::string queue_group(std::string_view pinned_modem, std::string_view pinned_operator,
                        std::string_view destination_operator) {
  if (!pinned_modem.empty()) return "modem:" + std::string(pinned_modem);
  if (!pinned_operator.empty()) return "op:" + std::string(pinned_operator);
  if (!destination_operator.empty()) return "op:" + std::string(destination_operator);
  return "any";
}

}  // namespace smsgw::store
