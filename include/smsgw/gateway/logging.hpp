// Log output for `smsgw serve`: spdlog to stderr (journald adds the time stamps under
// systemd), at the configured level, as text or as one JSON object per line.
#pragma once

#include "smsgw/common/result.hpp"
#include "smsgw/config/config.hpp"

namespace smsgw::gateway {

// `text`: "2026-11-25 19:30:01.123 info  [modem.modem0] message";
// `json`: {"time":"2026-11-25T19:30:01.123+00:00","level":"info","logger":"modem.modem0",
//          "message":"..."} with the message escaped as a JSON string.
Result<void> configure_logging(const config::LogConfig& log);

}  // namespace smsgw::gateway
