#include "smsgw/store/transitions.hpp"

#include <algorithm>

namespace smsgw::store {
namespace {

using M = MessageStatus;
using ME = MessageEvent;
using P = PartStatus;
using PE = PartEvent;

constexpr MessageTransition kMessageTable[] = {
    {M::queued, ME::claim, M::sending},
    {M::sending, ME::all_parts_left, M::sent},
    {M::queued, ME::requeue, M::queued},
    {M::sending, ME::requeue, M::queued},
    {M::queued, ME::fail, M::failed},
    {M::sending, ME::fail, M::failed},
    {M::queued, ME::expire, M::expired},
    {M::sending, ME::expire, M::expired},
    {M::queued, ME::cancel, M::cancelled},
    {M::sent, ME::parts_delivered, M::delivered},
    {M::sent, ME::part_failed_by_report, M::failed},
    {M::sending, ME::outcome_unknown, M::unknown},
    {M::unknown, ME::parts_delivered, M::delivered},
    {M::unknown, ME::part_failed_by_report, M::failed},
    {M::unknown, ME::all_parts_left, M::sent},
    {M::unknown, ME::requeue, M::queued},
};

constexpr PartTransition kPartTable[] = {
    {P::queued, PE::start_sending, P::sending},
    {P::queued, PE::sent, P::sent},
    {P::sending, PE::sent, P::sent},
    {P::unknown, PE::sent, P::sent},
    {P::queued, PE::send_failed, P::failed},
    {P::sending, PE::send_failed, P::failed},
    {P::unknown, PE::send_failed, P::failed},
    {P::queued, PE::outcome_unknown, P::unknown},
    {P::sending, PE::outcome_unknown, P::unknown},
    {P::unknown, PE::outcome_unknown, P::unknown},
    {P::queued, PE::requeue, P::queued},
    {P::sending, PE::requeue, P::queued},
    {P::failed, PE::requeue, P::queued},
    {P::unknown, PE::requeue, P::queued},
    {P::queued, PE::message_failed, P::failed},
    {P::sending, PE::message_failed, P::failed},
    {P::sent, PE::report_delivered, P::delivered},
    {P::unknown, PE::report_delivered, P::delivered},
    {P::sent, PE::report_pending, P::sent},
    {P::unknown, PE::report_pending, P::unknown},
    {P::sent, PE::report_failed, P::failed},
    {P::unknown, PE::report_failed, P::failed},
};

}  // namespace

std::string_view to_string(MessageEvent event) {
  switch (event) {
    case ME::claim:
      return "claim";
    case ME::all_parts_left:
      return "all_parts_left";
    case ME::requeue:
      return "requeue";
    case ME::fail:
      return "fail";
    case ME::expire:
      return "expire";
    case ME::cancel:
      return "cancel";
    case ME::parts_delivered:
      return "parts_delivered";
    case ME::part_failed_by_report:
      return "part_failed_by_report";
    case ME::outcome_unknown:
      return "outcome_unknown";
  }
  return "unknown";
}

std::string_view to_string(PartEvent event) {
  switch (event) {
    case PE::start_sending:
      return "start_sending";
    case PE::sent:
      return "sent";
    case PE::send_failed:
      return "send_failed";
    case PE::outcome_unknown:
      return "outcome_unknown";
    case PE::requeue:
      return "requeue";
    case PE::message_failed:
      return "message_failed";
    case PE::report_delivered:
      return "report_delivered";
    case PE::report_pending:
      return "report_pending";
    case PE::report_failed:
      return "report_failed";
  }
  return "unknown";
}

std::span<const MessageTransition> message_transitions() { return kMessageTable; }
std::span<const PartTransition> part_transitions() { return kPartTable; }

std::optional<MessageStatus> next_status(MessageStatus from, MessageEvent event) {
  const auto* found =
      std::find_if(std::begin(kMessageTable), std::end(kMessageTable),
                   [&](const MessageTransition& t) { return t.from == from && t.event == event; });
  if (found == std::end(kMessageTable)) return std::nullopt;
  return found->to;
}

std::optional<PartStatus> next_status(PartStatus from, PartEvent event) {
  const auto* found =
      std::find_if(std::begin(kPartTable), std::end(kPartTable),
                   [&](const PartTransition& t) { return t.from == from && t.event == event; });
  if (found == std::end(kPartTable)) return std::nullopt;
  return found->to;
}

PartEvent report_event(ReportOutcome outcome) {
  switch (outcome) {
    case ReportOutcome::delivered:
      return PE::report_delivered;
    case ReportOutcome::pending:
      return PE::report_pending;
    case ReportOutcome::failed:
      return PE::report_failed;
  }
  return PE::report_failed;
}

}  // namespace smsgw::store
