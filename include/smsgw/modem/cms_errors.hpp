// What to do about a failed send: the +CMS ERROR / +CME ERROR policy of
// shared/reference/at-protocol.md ("+CMS ERROR policy"), with cause names from
// 3GPP TS 24.011 Annex E-2 (RP causes 1..127), TS 23.040 9.2.3.22 (TP-FCS 128..255) and
// TS 27.005 3.2.5 (<err> 300..500), as a data table.
//
// Pure: no I/O.
#pragma once

#include <optional>
#include <string_view>

#include "smsgw/common/result.hpp"

namespace smsgw::modem {

enum class ErrorAction {
  retry_soon,       // transient on this SIM: back off briefly and try again here
  retry_other_sim,  // this SIM or its network cannot carry it now: move the message
  permanent,        // the message itself is refused: fail it
};
std::string_view to_string(ErrorAction);  // "retry_soon" | "retry_other_sim" | "permanent"

struct ErrorClassification {
  ErrorAction action = ErrorAction::retry_other_sim;
  std::string_view cause;  // e.g. "network out of order"
  // How many quick retries on the same SIM make sense before moving on (retry_soon only);
  // 0 = the caller's default.
  int retry_limit = 0;
};

// The numeric code of "cms.<n>" / "cme.<n>" errors, else nullopt.
std::optional<int> cms_code(const Error& error);
std::optional<int> cme_code(const Error& error);

// Classifies a send failure by its Error code:
//   "cms.<n>"   by the CMS table (unknown numbers: retry_other_sim)
//   "cme.<n>"   by the CME table (TS 27.007 9.2; 14 "SIM busy" is retry_soon)
//   "at.timeout", "at.io", "at.closed", "at.error", "at.unsupported", "modem.*"
//               retry_other_sim (the modem, not the message, is in trouble)
//   "pdu.*"     permanent (the message cannot be encoded)
//   anything else retry_other_sim.
ErrorClassification classify_send_error(const Error& error);

}  // namespace smsgw::modem
