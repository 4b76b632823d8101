// Delivery reports: which sent part a status report is about. The one matching rule; the
// store's Store::settle_report() applies it to the parts it finds by (SIM, MR) and window.
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
// The candidates are the parts sent through that SIM with that MR within the window; what
// a report does to the part it matched is written down in store/transitions.hpp, how TP-ST
// is classified (3GPP TS 23.040 9.2.3.15) in pdu::classify_status.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

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

// A part whose +CMGS never came back (status `unknown`): its MR is not known.
struct UnknownPart {
  std::string sim;
  std::string recipient;  // E.164 as sent
  TimePoint sending_at;   // when the send began (the PDU was about to be written)
};

// Settling an unknown outcome by the network's own evidence: a report that matched no
// known part (match_status_report found none) is about an unknown part when
//   - it arrived on the same SIM and names the same subscriber (a report without a
//     recipient settles nothing: too little evidence);
//   - it arrived after the part's send began and within `window` of it;
//   - its SCTS, when usable, is not before the send began less `clock_skew` (the SC
//     cannot have received the part before we wrote it; its clock may be off by minutes).
// Two unknown parts to the same subscriber through the same SIM settle in send order: the
// earliest send first. Returns the index in `parts`, or std::nullopt.
std::optional<std::size_t> match_unknown_part(const StatusReportFacts& report,
                                              std::span<const UnknownPart> parts,
                                              const MatchOptions& options = {});

}  // namespace smsgw::scheduler
