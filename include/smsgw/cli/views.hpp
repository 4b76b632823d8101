// Human renderings of the API's JSON answers (pure: the JSON, the time and the terminal
// style in, text out). The shapes are contract.md's "HTTP API v1" (src/http/json.cpp).
// Missing or null fields print as "-"; a field of an unexpected type never throws.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "smsgw/cli/human_format.hpp"
#include "smsgw/cli/table.hpp"
#include "smsgw/cli/terminal.hpp"

namespace smsgw::cli {

// Daily limits by modem id, when known (from --config); shown as "sent/limit".
using DailyLimits = std::map<std::string, std::uint64_t>;

// GET /api/v1/modems as a table: ID, PORT, STATE, OPERATOR, SIGNAL, REG, ICCID, IMEI,
// BALANCE, SENT (today/limit), QUEUE, ERRORS. Columns are dropped by priority to fit
// style.width; the ID, STATE and SIGNAL columns always stay. A SIM held back shows why in
// STATE ("low balance", "benched", "disabled"; a manual pause "paused by api 5m ago").
std::string render_modems(const nlohmann::json& modems, TimePoint now, const TerminalStyle& style,
                          const DailyLimits& limits = {});

// POST /api/v1/balance: MODEM, OPERATOR, BALANCE, REPLY (the raw USSD text) or the error.
std::string render_balances(const nlohmann::json& balances, TimePoint now,
                            const TerminalStyle& style);

// GET /api/v1/messages: ID, TO, STATUS, PARTS, MODEM, AGE, TEXT.
std::string render_messages(const nlohmann::json& page, TimePoint now, const TerminalStyle& style);

// GET /api/v1/messages/{id}: the fields, then a parts table, then the event log.
std::string render_message(const nlohmann::json& message, TimePoint now,
                           const TerminalStyle& style);

// GET /api/v1/inbox: ID, FROM, MODEM, RECEIVED, PARTS, TEXT (incomplete long messages are
// marked "2/3").
std::string render_inbox(const nlohmann::json& page, TimePoint now, const TerminalStyle& style);

// The colour a message or part status is shown in.
Colour status_colour(std::string_view status);

// Time stamps in the API are RFC 3339; the age relative to `now` ("5m ago"), or "-".
std::string age_of(const nlohmann::json& rfc3339, TimePoint now);

}  // namespace smsgw::cli
