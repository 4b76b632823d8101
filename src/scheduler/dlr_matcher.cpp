#include "smsgw/scheduler/dlr_matcher.hpp"

#include <algorithm>

#include "smsgw/scheduler/numbering.hpp"

namespace smsgw::scheduler {

std::optional<std::size_t> match_status_report(const StatusReportFacts& report,
                                               std::span<const SentPart> candidates,
                                               const MatchOptions& options) {
  const TimePoint oldest = report.received_at - options.window;
  const TimePoint newest = report.received_at + options.clock_skew;
  const TimePoint reference = report.scts.value_or(report.received_at) + options.clock_skew;
  const bool has_recipient = std::any_of(report.recipient.begin(), report.recipient.end(),
                                         [](char c) { return c >= '1' && c <= '9'; });

  std::optional<std::size_t> latest_before;   // rule 2
  std::optional<std::size_t> earliest_after;  // rule 3
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const SentPart& part = candidates[i];
    if (part.sim != report.sim || part.mr != report.mr) continue;
    if (part.sent_at < oldest || part.sent_at > newest) continue;
    if (has_recipient && !same_subscriber(report.recipient, part.recipient)) continue;
    if (part.sent_at <= reference) {
      if (!latest_before || part.sent_at > candidates[*latest_before].sent_at) latest_before = i;
    } else if (!earliest_after || part.sent_at < candidates[*earliest_after].sent_at) {
      earliest_after = i;
    }
  }
  return latest_before ? latest_before : earliest_after;
}

}  // namespace smsgw::scheduler
