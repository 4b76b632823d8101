// SMPP time format (SMPP 3.4 section 7.1.1), pure.
//
// Absolute "YYMMDDhhmmsstnnp": t tenths of a second, nn the offset from UTC in quarter
// hours, p '+' or '-' ('+' ahead of UTC). Relative "YYMMDDhhmmss000R": years, months, days
// ... from `now` (a year = 365 days, a month = 30 days, as SMSCs count). "" = not given.
// Absolute: YY is 20YY; month, day (leap years counted), hh 00-23, mm and ss 00-59, nn
// 00-48 are checked. Relative: each two-digit field is a count (48 hours is allowed) and
// "tnn" must be "000".
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "smsgw/smpp/failure.hpp"
#include "smsgw/smpp/status.hpp"

namespace smsgw::smpp {

// The instant `text` names, none for "", or a Failure with `status` (ESME_RINVSCHED for
// schedule_delivery_time, ESME_RINVEXPIRY for validity_period), `field` and the reason.
Outcome<std::optional<std::chrono::system_clock::time_point>> parse_smpp_time(
    std::string_view text, std::chrono::system_clock::time_point now, CommandStatus status,
    std::string_view field);

// "YYMMDDhhmm" in UTC: the submit date and done date of a delivery receipt (Appendix B).
std::string receipt_date(std::chrono::system_clock::time_point at);

}  // namespace smsgw::smpp
