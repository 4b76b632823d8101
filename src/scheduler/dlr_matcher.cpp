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

std::optional<std::size_t> match_unknown_part(const StatusReportFacts& report,
                                              std::span<const UnknownPart> parts,
                                              const MatchOptions& options) {
  const bool has_recipient = std::any_of(report.recipient.begin(), report.recipient.end(),
                                         [](char c) { return c >= '1' && c <= '9'; });
  if (!has_recipient) return std::nullopt;
  std::optional<std::size_t> earliest;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const UnknownPart& part = parts[i];
    if (part.sim != report.sim || !same_subscriber(report.recipient, part.recipient)) continue;
    if (report.received_at < part.sending_at ||
        report.received_at - part.sending_at > options.window) {
      continue;
    }
    if (report.scts && *report.scts < part.sending_at - options.clock_skew) continue;
    if (!earliest || part.sending_at < parts[*earliest].sending_at) earliest = i;
  }
  return earliest;
}

}  // namespace smsgw::scheduler
