// JSON views of the PDU codec's values, as `smsgw pdu encode|decode` print them
// (contract.md, "smsgw pdu encode output" and "smsgw pdu decode output"). Shared so
// the HTTP layer can answer with the same shapes.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "smsgw/pdu/pdu.hpp"

namespace smsgw::cli {

// {"encoding": "gsm7"|"ucs2", "parts": [{"pdu": "...", "length": n}, ...],
//  "single_shift": "turkish"|... or null, "locking_shift": ... or null}
nlohmann::json encoded_submit_to_json(const pdu::EncodedSubmit& encoded);

// Common fields: "type" ("deliver"|"submit"|"status-report"), "smsc" (string or null),
// "encoding" ("gsm7"|"8bit"|"ucs2"), "text" (gsm7/ucs2) or "data" (8bit, hex),
// "udh" (hex or null), "concat" ({"ref","part","total"} or null), "class" (0-3 or null).
// deliver: "from", "scts"; submit: "to", "mr", "status_report", "validity" (s or null);
// status-report: "mr", "recipient", "scts", "discharge", "status", "status_class".
// A status report without TP-UD has encoding "gsm7" (the TP-DCS default, TS 23.040
// 9.2.3.27) and an empty text. Extra fields: "pid", "dcs", address types
// ("from_type", "to_type", "recipient_type", "smsc_type"), national shift tables.
nlohmann::json decoded_to_json(const pdu::Decoded& decoded);

// The JSON as one line; never throws on odd text (invalid UTF-8 becomes U+FFFD).
std::string dump_json_line(const nlohmann::json& json);

std::string_view national_language_name(pdu::NationalLanguage language);  // "turkish", ...
std::string_view address_type_name(pdu::Address::Type type);              // "international", ...

}  // namespace smsgw::cli
