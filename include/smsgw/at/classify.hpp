// classify: what one framed line means, from data tables. Pure.
//
// Whole-line matching only (never "the line contains OK"):
// - Final results end a command: OK, ERROR, +CME ERROR: <n|text> (TS 27.007 9.2),
//   +CMS ERROR: <n|text> (TS 27.005 3.2.5), V.250 finals (NO CARRIER, BUSY, NO ANSWER,
//   NO DIALTONE) and vendor finals (Huawei "COMMAND NOT SUPPORT", "TOO MANY PARAMETERS").
// - Unsolicited result codes come from the URC table (urc_table.hpp). Some URCs look exactly like
//   a reply line ("+CREG: 2,1,..." is also the answer to AT+CREG?): such an entry names
//   the query that solicits it, and while that query is in flight the line is an
//   intermediate line. "+CUSD:" is always a URC (USSD answers arrive after OK).
// - Two-line URCs (+CMT, +CDS: TS 27.005 3.4.1) are followed by one line holding the PDU.
// - A URC whose quoted text may hold line breaks (+CUSD: operators' USSD menus) continues
//   on the following lines while its quotes are unbalanced (Classification::may_continue).
// - Everything else is an intermediate (information) line, including garbage.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "smsgw/at/urc_table.hpp"
#include "smsgw/common/result.hpp"

namespace smsgw::at {

enum class LineKind {
  ok,            // final: success
  error,         // final: failure; see Classification::error
  intermediate,  // an information line of the reply in flight (or noise)
  urc,           // unsolicited result code; see Classification::urc_name
};

struct Classification {
  LineKind kind = LineKind::intermediate;
  std::string urc_name;        // for urc: "+CMTI", "^RSSI", "RDY", ...
  bool two_line = false;       // for urc: the next line is its body (a PDU)
  bool may_continue = false;   // for urc: an open quote continues on the next lines
  std::optional<Error> error;  // for error: "at.error", "cme.<n>", "cms.<n>", "at.unsupported", ...
};

// `command_in_flight` is the command whose reply is being read ("AT+CREG?"), or empty.
Classification classify(std::string_view line, std::string_view command_in_flight = {});

// The Error for a "+CME ERROR: ..." / "+CMS ERROR: ..." argument, by the cause table
// (smsgw/causes/causes.hpp): "cme.10" for "10" and for "SIM not inserted", the message
// naming the cause; "cme.unknown" with the text kept for text the table lacks.
Error cme_error(std::string_view argument);
Error cms_error(std::string_view argument);

}  // namespace smsgw::at
