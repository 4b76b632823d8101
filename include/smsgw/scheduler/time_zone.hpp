// Time zones for LocalCalendar, read from the tz database's compiled files (TZif, RFC 8536),
// so a named zone ([routing] timezone = "Europe/Berlin") needs no process-wide TZ setting.
//
// Contract:
// - parse_tzif() is pure: the local UTC offset at an instant is that of the last transition
//   at or before it; before the first transition it is local time type 0 (RFC 8536 3.2).
//   After the last transition the offset of the last one holds (Debian's files list the
//   transitions up to 2037; the POSIX TZ footer for later years is not read). Offsets are
//   truncated to whole minutes (only local mean times before 1900 have seconds).
// - load_time_zone(name) reads $TZDIR (default /usr/share/zoneinfo) / name; an empty name
//   means the system's zone: $TZ when it names a zone file (":Europe/Berlin", an absolute
//   path, "UTC"), else /etc/localtime, else UTC. Errors name the file and the reason.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "smsgw/common/result.hpp"
#include "smsgw/scheduler/local_calendar.hpp"

namespace smsgw::scheduler {

Result<LocalCalendar> parse_tzif(std::span<const unsigned char> bytes);

Result<LocalCalendar> load_time_zone(std::string_view name);

}  // namespace smsgw::scheduler
