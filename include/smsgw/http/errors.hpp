// Error codes to HTTP statuses, and the one JSON shape of every error answer.
//
// Contract: status_for_error() implements the table in gateway_api.hpp; an unknown code maps
// to 500. error_body() renders {"error": {"code": ..., "message": ...}} (plus "field" when
// the error is about one field of the request).
#pragma once

#include <string>
#include <string_view>

namespace smsgw::http {

// "invalid" 400, "unauthorized" 401, "not_found" 404, "method_not_allowed" 405,
// "conflict" 409, "modem.on_other_node" 409, "too_large" 413, "unsupported_media_type" 415, "validation" 422,
// "headers_too_large" 431, "unavailable" 503, "timeout" 504, anything else 500.
unsigned status_for_error(std::string_view code) noexcept;

// The field a "validation" message names: the text before ": " when it is a field path
// ("messages[3].to: missing" -> "messages[3].to"); empty when there is none.
std::string_view field_of_message(std::string_view message) noexcept;

// {"error":{"code":"...","message":"..."[,"field":"..."]}}; `field` omitted when empty.
std::string error_body(std::string_view code, std::string_view message,
                       std::string_view field = {});

}  // namespace smsgw::http
