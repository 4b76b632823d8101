// Following a message to its final status (`smsgw send --wait`), the pure rules.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace smsgw::cli {

// The exit code a status ends the wait with, or none while the message is still on its way
// (contract.md: queued -> sending -> sent -> delivered | failed | expired; also cancelled):
// delivered -> 0; failed, expired, cancelled -> 1; sent -> 0 only when no status report
// was asked for (nothing more will come), else keep waiting for the report; unknown (a
// part may or may not have arrived) -> kUnknownOutcomeExit when no report was asked for,
// else keep waiting: a report may settle it.
inline constexpr int kUnknownOutcomeExit = 3;
std::optional<int> final_exit_code(std::string_view status, bool status_report_requested);

// Polling back-off: 500 ms first, then 1.5 times the previous delay, at most 5 s.
inline constexpr std::chrono::milliseconds kFirstPollDelay{500};
inline constexpr std::chrono::milliseconds kLongestPollDelay{5000};
std::chrono::milliseconds next_poll_delay(std::chrono::milliseconds previous);

}  // namespace smsgw::cli
