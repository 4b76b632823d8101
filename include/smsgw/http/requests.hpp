// Request bodies and query strings to typed requests (pure: no I/O).
//
// Contract: every function returns the typed request or an Error whose code selects the
// status (errors.hpp) and whose message names the field and the reason:
//   "unsupported_media_type" 415  a body that is not application/json
//   "invalid"                400  malformed JSON ("malformed JSON at byte 17: ...")
//   "validation"             422  a field error: "<field>: <reason>", e.g. "to: missing",
//                                 "text: must be a string", "messages[3].to: missing",
//                                 "priority: must be an integer", "color: unknown field"
// Optional fields given as null count as absent. Unknown fields and unknown query
// parameters are errors, so a typo never silently changes what is sent.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "smsgw/common/result.hpp"
#include "smsgw/http/gateway_api.hpp"

namespace smsgw::http {

// Nesting depth above which a JSON body is refused (the API's bodies nest 3 deep).
inline constexpr std::size_t kMaxJsonDepth = 32;
// Most messages one batch may hold.
inline constexpr std::size_t kMaxBatchSize = 1000;
// TS 23.040 9.2.3.12.1: the longest relative validity period is 63 weeks.
inline constexpr std::int64_t kMaxValiditySeconds = 63LL * 7 * 24 * 3600;

// A POST body must be JSON: `content_type` "application/json" (any case, parameters such as
// "; charset=utf-8" allowed) or "application/<x>+json". An empty body passes without a
// content type (the balance endpoints take none).
Result<void> check_json_content_type(std::string_view content_type, std::string_view body);

// Parses a JSON document; "invalid" with the byte offset and the reason when malformed
// (also for an empty body and for nesting deeper than kMaxJsonDepth).
Result<nlohmann::json> parse_json(std::string_view body);

// POST /api/v1/messages: either one message {"to", "text", ...} or a batch
// {"messages": [{...}, ...]} (1..kMaxBatchSize entries, errors prefixed "messages[i].").
struct SubmitBody {
  std::vector<SubmitRequest> messages;
  bool batch = false;
};
Result<SubmitBody> parse_submit(const nlohmann::json& body);

// POST /api/v1/modems/{id}/ussd: {"code": "*100#"}; the code is 1..160 characters of
// 0-9 * # + (TS 22.090 4: digits, * and #).
Result<std::string> parse_ussd(const nlohmann::json& body);

// POST /api/v1/balance and /api/v1/modems/{id}/balance (and the live control actions
// /pause, /resume, /reset): no body, or an empty object.
Result<void> parse_balance(std::string_view body);

// Longest `reference` in characters (Unicode code points).
inline constexpr std::size_t kMaxReferenceLength = 64;
// Longest callback_url in bytes.
inline constexpr std::size_t kMaxCallbackUrlLength = 2048;

// GET /api/v1/messages?status=&limit=&before=&reference=&client=&to=&modem= (to is passed on
// as given: the gateway normalises it).
Result<MessageQuery> parse_message_query(std::string_view query);
// GET /api/v1/inbox?limit=&before=&since=&from=&modem=
Result<InboxQuery> parse_inbox_query(std::string_view query);
// GET /api/v1/events?access_token=&last_event_id= (an EventSource cannot send headers).
struct EventStreamQuery {
  std::optional<std::string> access_token;
  std::optional<std::int64_t> last_event_id;
};
Result<EventStreamQuery> parse_event_stream_query(std::string_view query);
// An event id of the stream (the Last-Event-ID header, `field` names where it came from):
// decimal digits, 0 or more; "invalid" otherwise.
Result<std::int64_t> parse_event_id(std::string_view text, std::string_view field);
// Routes without parameters: any query parameter is an error.
Result<void> parse_empty_query(std::string_view query);

// Hex SHA-256 of the body's canonical form (keys sorted, no spaces), so that the same
// request sent with other whitespace or key order has the same Idempotency-Key fingerprint.
std::string request_fingerprint(const nlohmann::json& body);

}  // namespace smsgw::http
