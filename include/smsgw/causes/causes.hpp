// causes: the one table of what a "+CMS ERROR: <n>" / "+CME ERROR: <n>" means and how a
// failed send that ended with it is treated. Each row: the code or inclusive range, its
// description, its class, a retry limit where it has one, and its source:
//   +CMS ERROR  0..127   RP-cause, 3GPP TS 24.011 Annex E-2 (Table 8.4)
//               128..255 TP-FCS, 3GPP TS 23.040 9.2.3.22
//               300..500 ME/TA errors, 3GPP TS 27.005 3.2.5
//               512..    vendor codes (smstools3 modeminit.c; python-gsmmodem for 515)
//   +CME ERROR  3GPP TS 27.007 9.2.1
// The classes follow the +CMS ERROR policy of shared/reference/at-protocol.md; where the
// table departs from it, the row's comment says why.
//
// Users: the AT classifier (error texts, and the numbers of verbose texts), the retry
// policy (the class of a send failure), the modem actor (what it logs about a failed send).
//
// Pure: data and lookups, no I/O. Depends on nothing but the standard library.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace smsgw::causes {

enum class SendClass {
  retry_soon,       // transient (congestion, busy): the same or another SIM, after a back-off
  retry_other_sim,  // this SIM / modem / its network cannot send now: move the message
  permanent,        // the message itself is refused: fail it
};
std::string_view to_string(SendClass);  // "retry_soon" | "retry_other_sim" | "permanent"

enum class Source {
  rp_cause,  // 3GPP TS 24.011 Annex E-2
  tp_fcs,    // 3GPP TS 23.040 9.2.3.22
  me_ta,     // 3GPP TS 27.005 3.2.5
  cme,       // 3GPP TS 27.007 9.2.1
  vendor,    // a modem maker's own code
};
std::string_view to_string(Source);  // "TS 24.011 Annex E-2", ...

struct CauseRow {
  int first = 0;  // inclusive range; first == last for a single code
  int last = 0;
  std::string_view text;  // the specification's wording, used by verbose error mode too
  SendClass send_class = SendClass::retry_other_sim;
  // retry_soon rows: the attempts after which the message stops retrying on the same SIM
  // and moves to another (RetryPolicy::after_failure); 0 = no limit of its own (the retry
  // policy's max_attempts and SIM benching apply).
  int retry_limit = 0;
  Source source = Source::me_ta;
  std::string_view also_spelled;  // another verbose text modems print for the same code
};

// The class of a code no row covers: not the message's fault as far as anyone can tell, so
// the message moves to another SIM rather than failing.
inline constexpr SendClass kUnknownClass = SendClass::retry_other_sim;

// The tables, sorted by code, ranges disjoint.
std::span<const CauseRow> cms_table();
std::span<const CauseRow> cme_table();

// The row covering `code`, or nullptr (then kUnknownClass applies).
const CauseRow* find_cms(int code);
const CauseRow* find_cme(int code);

// The code whose text (or also_spelled) equals `text`, ignoring case; single-code rows
// only. For "+CMS ERROR: SMSC address unknown" in verbose mode (AT+CMEE=2).
std::optional<int> cms_by_text(std::string_view text);
std::optional<int> cme_by_text(std::string_view text);

// The class of `code`: its row's, else kUnknownClass.
SendClass cms_class(int code);
SendClass cme_class(int code);

}  // namespace smsgw::causes
