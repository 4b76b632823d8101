#include "smsgw/cli/message_follow.hpp"

#include <algorithm>

namespace smsgw::cli {

std::optional<int> final_exit_code(std::string_view status, bool status_report_requested) {
  if (status == "delivered") return 0;
  if (status == "failed" || status == "expired" || status == "cancelled") return 1;
  if (status == "sent" && !status_report_requested) return 0;
  if (status == "unknown" && !status_report_requested) return kUnknownOutcomeExit;
  return std::nullopt;
}

std::chrono::milliseconds next_poll_delay(std::chrono::milliseconds previous) {
  if (previous <= std::chrono::milliseconds::zero()) return kFirstPollDelay;
  return std::min(kLongestPollDelay, previous * 3 / 2);
}

}  // namespace smsgw::cli
