// The life of an outbound message and of its parts, written down once: from-status x event
// -> to-status. Every store operation that changes a status consults this table
// (next_status) and refuses, with "conflict", a move the table does not list.
//
// Message (contract.md):
//   queued  --claim-->                 sending
//   sending --all_parts_left-->        sent      every part sent, delivered, or failed by
//                                                a status report
//   queued | sending --requeue-->      queued    next_attempt_at set; sent parts are kept
//   queued | sending --fail-->         failed
//   queued | sending --expire-->       expired   validity ended (before or between attempts)
//   queued  --cancel-->                cancelled
//   sent    --parts_delivered-->       delivered every part delivered
//   sent    --part_failed_by_report--> failed    a report's TP-ST says the SC gave up
//   sending --outcome_unknown-->       unknown   a part may have left and is not resent
//   unknown --parts_delivered-->       delivered reports for every part, all delivered
//   unknown --part_failed_by_report--> failed
//   unknown --all_parts_left-->        sent      a report settled the unknown part(s)
//   unknown --requeue-->               queued    ... and parts not yet sent go on through
//                                                the same SIM
//
// Part:
//   queued --start_sending-->                      sending   committed before the PDU is
//                                                            written (the restart rule)
//   queued | sending | unknown --sent-->           sent      +CMGS came back with TP-MR
//   queued | sending | unknown --send_failed-->    failed    nothing or an error came back
//   queued | sending | unknown --outcome_unknown-> unknown   the PDU may have left
//   queued | sending | failed | unknown --requeue-> queued   to be sent again
//   queued | sending --message_failed-->           failed    its message gave up
//   sent | unknown --report_delivered-->           delivered TP-ST 0x00-0x1F
//   sent | unknown --report_pending-->             (same)    TP-ST 0x20-0x3F, SC still trying
//   sent | unknown --report_failed-->              failed    TP-ST 0x40 and above
// (3GPP TS 23.040 9.2.3.15 for TP-ST.) A delivered or failed part keeps its status when a
// later report arrives: a final status is never changed by a report.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "smsgw/store/records.hpp"

namespace smsgw::store {

enum class MessageEvent {
  claim,
  all_parts_left,
  requeue,
  fail,
  expire,
  cancel,
  parts_delivered,
  part_failed_by_report,
  outcome_unknown,
};

enum class PartEvent {
  start_sending,
  sent,
  send_failed,
  outcome_unknown,
  requeue,
  message_failed,
  report_delivered,
  report_pending,
  report_failed,
};

inline constexpr MessageEvent kAllMessageEvents[] = {
    MessageEvent::claim,           MessageEvent::all_parts_left,
    MessageEvent::requeue,         MessageEvent::fail,
    MessageEvent::expire,          MessageEvent::cancel,
    MessageEvent::parts_delivered, MessageEvent::part_failed_by_report,
    MessageEvent::outcome_unknown};
inline constexpr PartEvent kAllPartEvents[] = {
    PartEvent::start_sending,    PartEvent::sent,           PartEvent::send_failed,
    PartEvent::outcome_unknown,  PartEvent::requeue,        PartEvent::message_failed,
    PartEvent::report_delivered, PartEvent::report_pending, PartEvent::report_failed};

std::string_view to_string(MessageEvent event);
std::string_view to_string(PartEvent event);

struct MessageTransition {
  MessageStatus from;
  MessageEvent event;
  MessageStatus to;
};
struct PartTransition {
  PartStatus from;
  PartEvent event;
  PartStatus to;
};

// The whole table, in the order of the header comment.
std::span<const MessageTransition> message_transitions();
std::span<const PartTransition> part_transitions();

// The status after `event`, or nullopt when the table does not allow it from `from`.
std::optional<MessageStatus> next_status(MessageStatus from, MessageEvent event);
std::optional<PartStatus> next_status(PartStatus from, PartEvent event);

// The event a status report with this TP-ST class is for a part.
PartEvent report_event(ReportOutcome outcome);

}  // namespace smsgw::store
