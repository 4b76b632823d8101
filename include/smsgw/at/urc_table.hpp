// The one table of unsolicited lines: every URC a modem may print, standard or vendor, with
// what the gateway makes of it. The line classifier (classify.hpp) recognises URCs by it;
// the modem actor asks it whether a URC announces a (re)start or is periodic noise.
//
// Each row carries an example line and its source: a device log where there is one, else
// the syntax of the cited specification or manual. A unit test classifies every example.
// Pure data.
#pragma once

#include <span>
#include <string_view>

namespace smsgw::at {

struct UrcPattern {
  std::string_view text = {};          // the prefix before ':' ("+CMTI"), or the whole line ("RDY")
  bool whole_line = false;             // true: the line must equal `text`; false: `text` then ':'
  bool two_line = false;               // the next line is the PDU (+CMT, +CDS: TS 27.005 3.4.1)
  std::string_view solicited_by = {};  // a query ("+CREG") in whose reply the line is not a URC
  bool quoted_text_spans_lines = false;  // a quoted string may hold CR/LF (+CUSD)
  // The modem (re)started: "*" any line of this URC, else the one whole line that says so
  // ("+CPIN: READY"); empty: never.
  std::string_view boot = {};
  bool noise = false;             // periodic status nothing in the gateway acts on
  std::string_view vendor = {};   // "" for 3GPP, else the family that prints it ("huawei")
  std::string_view example = {};  // a line as a device prints it (see `source`)
  std::string_view source = {};   // where the example and the meaning come from
};

std::span<const UrcPattern> urc_table();

// The row for a URC name as the classifier reports it ("+CMTI", "RDY"), or nullptr.
const UrcPattern* find_urc(std::string_view name);

// True when the URC `name` with its whole first line `line` announces a (re)start: RDY,
// +CPIN: READY, +CFUN: 1, +QUSIM, SMS DONE, +QIND: SMS DONE, SMS Ready, Call Ready,
// PB DONE, ^SYSSTART, +PBREADY. Lines compare ignoring case and outer blanks.
bool is_boot_urc(std::string_view name, std::string_view line);

// True when the URC `name` is periodic noise (^RSSI, ^BOOT, +ZDONR, ...).
bool is_noise_urc(std::string_view name);

}  // namespace smsgw::at
