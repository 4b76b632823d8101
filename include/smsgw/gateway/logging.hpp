// Log output for `smsgw serve`: spdlog to stderr (journald adds the time stamps under
// systemd), at the configured level, as text or as one JSON object per line.
#pragma once

#include <spdlog/common.h>

#include <string_view>

#include "smsgw/common/result.hpp"
#include "smsgw/config/config.hpp"

namespace smsgw::gateway {

// `text`: "2026-11-25 19:30:01.123 info  [modem.modem0] message";
// `json`: {"time":"2026-11-25T19:30:01.123+00:00","level":"info","logger":"modem.modem0",
//          "message":"..."} with the message escaped as a JSON string.
// When stderr is the journal (journal_stream_is_stderr()), every line of either format
// starts with its sd-daemon(3) priority prefix (journal_priority_prefix()), which journald
// strips and stores as the entry's PRIORITY, so `journalctl -p warning` filters by level.
// May be called again (a reload): the previous logger is replaced.
Result<void> configure_logging(const config::LogConfig& log);

// The sd-daemon(3) prefix for a level: "<2>" critical (LOG_CRIT), "<3>" error (LOG_ERR),
// "<4>" warning (LOG_WARNING), "<6>" info (LOG_INFO), "<7>" debug and trace (LOG_DEBUG).
std::string_view journal_priority_prefix(spdlog::level::level_enum level);

// Whether `fd` is the stream systemd connected to the journal: `journal_stream` is the
// value of $JOURNAL_STREAM, "<device>:<inode>" in decimal (systemd.exec(5)), and it names
// `fd` when both numbers equal fstat(2)'s st_dev and st_ino (as sd_journal_stream_fd(3)
// describes). False for a null, malformed or different value, or an fd fstat cannot read.
bool is_journal_stream(const char* journal_stream, int fd);

// is_journal_stream(getenv("JOURNAL_STREAM"), STDERR_FILENO).
bool journal_stream_is_stderr();

}  // namespace smsgw::gateway
