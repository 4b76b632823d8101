// The contract's JSON shapes (contract.md "HTTP API v1") from the facade's structs (pure).
//
// Contract: empty optionals become null; times are RFC 3339 UTC; field names are exactly the
// contract's ("operator", not operator_name). The CLI's --json output prints these same
// shapes, so keep them in one place.
#pragma once

#include <nlohmann/json.hpp>

#include "smsgw/http/bearer_auth.hpp"
#include "smsgw/http/gateway_api.hpp"

namespace smsgw::http {

// {"id", "status": "queued", "parts", "encoding"}
nlohmann::json json_of(const AcceptedMessage& accepted);
// {"id", "to", "text", "status", "operator", "modem", "parts": [...], "attempts",
//  "created_at", "sent_at", "delivered_at", "error"} and, when `with_events`, "events":
// [{"at", "kind", "detail"}].
nlohmann::json json_of(const Message& message, bool with_events);
// {"messages": [message...], "next_before": id or null}
nlohmann::json json_of(const MessagePage& page);
// {"id", "port", "state", "imei", "imsi", "iccid", "operator": {"name", "mccmnc"},
//  "signal": {"csq", "dbm"}, "registration", "balance": {...} or null, "sent_today",
//  "daily_limit" (or null), "errors", "last_error" (or null), "paused" ("manual",
//  "disabled", "low_balance", "id_conflict", "benched" or null), "queue", "paused_by" and
//  "paused_at" (a manual pause's who and when, else null), "node" (the node it is plugged into)}; a
//  modem of another node (snapshot_json) is that node's item as stored, with "node" set.
nlohmann::json json_of(const ModemInfo& modem);
nlohmann::json json_of(const std::vector<ModemInfo>& modems);
// {"modem", "imei", "iccid", "operator", "amount", "currency", "raw", "checked_at", "error"}
nlohmann::json json_of(const BalanceResult& balance);
nlohmann::json json_of(const std::vector<BalanceResult>& balances);
// {"response", "status"}
nlohmann::json json_of(const UssdReply& reply);
// {"messages": [{"id", "modem", "from", "text", "parts", "parts_received", "complete",
//  "sent_at", "received_at"}...], "next_before"}
nlohmann::json json_of(const InboxPage& page);
// GET /api/v1/stats and the stream's `stats` event.
nlohmann::json json_of(const Stats& stats);
// GET /api/v1/info: {"version", "caller": {"name", "scopes"}, "auth", "max_parts",
//  "alphabets": {"default": {"locking", "single"}, "<language>": ...}, "shift_tables"}.
// `scopes` is what the caller may do, in the order send, read, modems, admin (admin implies
// the others); `locking` is null for a language without a locking-shift table; `auth`
// tells whether tokens or clients are configured.
nlohmann::json json_of(const GatewayInfo& info, const Caller& caller, bool auth);

// Compact JSON text; invalid UTF-8 in a string is replaced, never thrown about.
std::string dump(const nlohmann::json& value);

}  // namespace smsgw::http
