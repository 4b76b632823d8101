// RFC 3339 date-times (RFC 3339 section 5.6), the one time format of the HTTP API.
//
// Contract: format_rfc3339() writes UTC with whole seconds ("2024-05-01T12:00:00Z");
// parse_rfc3339() accepts any offset ("Z", "z", "+05:30", "-00:00"), an optional fraction of
// any length (kept to the microsecond), "T" or "t", and leap second 60 (RFC 3339 5.7, folded
// into the next second); it rejects everything else, including out-of-range fields,
// February 30th, and years outside 1970..2199 (system_clock's nanoseconds reach 2262).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace smsgw::http {

std::string format_rfc3339(std::chrono::system_clock::time_point time);

std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text);

}  // namespace smsgw::http
