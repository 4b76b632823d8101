#include "smsgw/scheduler/message_status.hpp"

#include <cstddef>
#include <iterator>

namespace smsgw::scheduler {
namespace {

constexpr std::string_view kMessageStatusNames[] = {"queued",  "sending",   "sent",
                                                    "delivered", "failed", "expired",
                                                    "cancelled", "unknown"};
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

}  // namespace smsgw::scheduler
