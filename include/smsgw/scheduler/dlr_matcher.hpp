// Delivery reports: which sent part a status report is about, and what that means for the
// part and its message.
//
// Matching (match_status_report): a report names the SIM it arrived on, the TP-MR the
// modem gave the part (+CMGS: <mr>), the recipient (TP-RA) and TP-SCTS, the time the SC
// received the part (3GPP TS 23.040 9.2.2.3). The MR is 8 bits and wraps, so one SIM
// reuses it every 256 parts. A candidate must be on the same SIM with the same MR, sent
// within `window` before the report arrived. Among candidates:
//   1. when the report carries a recipient, only parts to the same subscriber
//      (same_subscriber(): national, international and country-code-less forms agree);
//      a report whose recipient matches no candidate is unmatched;
//   2. the most recent part sent at or before SCTS + clock_skew (the SC cannot have
//      received a part before we sent it);
//   3. when every candidate was sent after that (the SC clock is off), the earliest one.
// Candidates should be the parts still waiting for a final report; the store finds them by
// (SIM, MR) and the window.
//
// Status (TS 23.040 9.2.3.15 TP-ST, and contract.md: 0x20-0x3F keeps "sent"): the classes
// of pdu::classify_status, the one definition: 0x00-0x1F "transaction completed"
// (received, forwarded unconfirmed, replaced, SC-specific) -> delivered; 0x20-0x3F
// temporary, SC still trying -> pending (part stays sent); 0x40-0x7F permanent or SC gave
// up, and the reserved values with bit 7 set -> failed.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "smsgw/pdu/pdu.hpp"
#include "smsgw/scheduler/local_calendar.hpp"

namespace smsgw::scheduler {

struct SentPart {
  std::string sim;
  std::uint8_t mr = 0;    // TP-MR from +CMGS
  std::string recipient;  // E.164 as sent
  TimePoint sent_at;      // when +CMGS came back
};

struct StatusReportFacts {
  std::string sim;                // the SIM the +CDS / stored report arrived on
  std::uint8_t mr = 0;            // TP-MR
  std::string recipient;          // TP-RA as decoded; empty when the modem gave none
  std::optional<TimePoint> scts;  // TP-SCTS in UTC; absent when unusable
  TimePoint received_at;          // our clock when the report arrived
};

struct MatchOptions {
  Clock::duration window = std::chrono::hours(72);  // config sms.report_window
  Clock::duration clock_skew = std::chrono::minutes(5);
};

// Index of the matched part in `candidates`, or std::nullopt.
std::optional<std::size_t> match_status_report(const StatusReportFacts& report,
                                               std::span<const SentPart> candidates,
                                               const MatchOptions& options = {});

// A report's TP-ST class (3GPP TS 23.040 9.2.3.15), as the codec classifies it.
using ReportOutcome = pdu::StatusClass;
inline ReportOutcome report_outcome(std::uint8_t tp_st) { return pdu::classify_status(tp_st); }

enum class PartStatus { queued, sent, delivered, failed, unknown };
std::string_view to_string(PartStatus);  // "queued" | "sent" | "delivered" | "failed" | "unknown"

// A part's status after a report with TP-ST `tp_st`: delivered / failed are final, pending
// keeps it sent. A final status is never changed by a later report.
PartStatus part_status_after_report(PartStatus current, std::uint8_t tp_st);

enum class MessageStatus { queued, sending, sent, delivered, failed };
std::string_view to_string(MessageStatus);  // the contract's status names

// A message's status from its parts': failed when any part failed, delivered when every
// part is delivered, sending while a part is still queued, otherwise sent (also when a
// part's outcome is unknown). No parts: queued.
MessageStatus roll_up(std::span<const PartStatus> parts);

}  // namespace smsgw::scheduler
