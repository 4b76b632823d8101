#include "smsgw/scheduler/dlr_matcher.hpp"

#include <algorithm>

#include "smsgw/pdu/pdu.hpp"
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

std::string_view to_string(PartStatus status) {
  switch (status) {
    case PartStatus::queued:
      return "queued";
    case PartStatus::sent:
      return "sent";
    case PartStatus::delivered:
      return "delivered";
    case PartStatus::failed:
      return "failed";
    case PartStatus::unknown:
      return "unknown";
  }
  return "unknown";
}

PartStatus part_status_after_report(PartStatus current, std::uint8_t tp_st) {
  if (current == PartStatus::delivered || current == PartStatus::failed) return current;
  switch (report_outcome(tp_st)) {
    case ReportOutcome::delivered:
      return PartStatus::delivered;
    case ReportOutcome::failed:
      return PartStatus::failed;
    case ReportOutcome::pending:
      break;
  }
  return PartStatus::sent;
}

std::string_view to_string(MessageStatus status) {
  switch (status) {
    case MessageStatus::queued:
      return "queued";
    case MessageStatus::sending:
      return "sending";
    case MessageStatus::sent:
      return "sent";
    case MessageStatus::delivered:
      return "delivered";
    case MessageStatus::failed:
      return "failed";
  }
  return "failed";
}

MessageStatus roll_up(std::span<const PartStatus> parts) {
  if (parts.empty()) return MessageStatus::queued;
  auto any = [&](PartStatus s) { return std::find(parts.begin(), parts.end(), s) != parts.end(); };
  if (any(PartStatus::failed)) return MessageStatus::failed;
  if (std::all_of(parts.begin(), parts.end(),
                  [](PartStatus s) { return s == PartStatus::delivered; })) {
    return MessageStatus::delivered;
  }
  if (any(PartStatus::queued)) return MessageStatus::sending;
  return MessageStatus::sent;
}

}  // namespace smsgw::scheduler
