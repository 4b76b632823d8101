#include "smsgw/store/records.hpp"

#include <algorithm>

#include "smsgw/pdu/pdu.hpp"

namespace smsgw::store {
namespace {

constexpr std::string_view kMessageStatusNames[] = {"queued", "sending", "sent",     "delivered",
                                                    "failed", "expired", "cancelled"};
constexpr std::string_view kPartStatusNames[] = {"queued",    "sending", "sent",
                                                 "delivered", "failed",  "unknown"};

}  // namespace

std::string_view to_string(MessageStatus status) {
  return kMessageStatusNames[static_cast<int>(status)];
}

std::string_view to_string(PartStatus status) { return kPartStatusNames[static_cast<int>(status)]; }

std::optional<MessageStatus> parse_message_status(std::string_view text) {
  for (std::size_t i = 0; i < std::size(kMessageStatusNames); ++i) {
    if (kMessageStatusNames[i] == text) return static_cast<MessageStatus>(i);
  }
  return std::nullopt;
}

std::optional<PartStatus> parse_part_status(std::string_view text) {
  for (std::size_t i = 0; i < std::size(kPartStatusNames); ++i) {
    if (kPartStatusNames[i] == text) return static_cast<PartStatus>(i);
  }
  return std::nullopt;
}

bool is_final(MessageStatus status) {
  return status == MessageStatus::delivered || status == MessageStatus::failed ||
         status == MessageStatus::expired || status == MessageStatus::cancelled;
}

ReportOutcome classify_report_status(int tp_status) {
  if (tp_status < 0x00 || tp_status > 0xFF) return ReportOutcome::failed;  // not a TP-ST octet
  return pdu::classify_status(static_cast<std::uint8_t>(tp_status));
}

MessageStatus roll_up(MessageStatus current, std::span<const PartStatus> parts) {
  if (current != MessageStatus::sent || parts.empty()) return current;
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

}  // namespace smsgw::store
