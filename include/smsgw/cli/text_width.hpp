// UTF-8 text measured in terminal columns (pure).
//
// Contract: each code point takes the columns the C library's wcwidth(3) gives it under
// the C.UTF-8 locale (glibc's data from Unicode: combining marks, format and zero-width
// code points 0, East Asian Wide/Fullwidth (UAX #11) and emoji presentation 2, others 1).
// A code point wcwidth calls unprintable (control characters, unassigned) and each invalid
// UTF-8 byte count one column, so a bad string never breaks a table's alignment. The
// measurement switches only the calling thread's locale (uselocale(3)) and restores it:
// the process-wide locale stays as it is.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace smsgw::cli {

std::size_t display_width(std::string_view utf8);

// `utf8` cut to at most `width` columns; when cut, the last column is an ellipsis ("…", or
// "~" when `unicode` is false). Never splits a code point.
std::string truncate_to_width(std::string_view utf8, std::size_t width, bool unicode);

// Like truncate_to_width() but keeps the end: "…usb-1-1.2" (paths whose tail names them).
std::string truncate_start_to_width(std::string_view utf8, std::size_t width, bool unicode);

// The byte offset of the first invalid UTF-8 sequence (RFC 3629: no overlongs, no
// surrogates, nothing above U+10FFFF), or none when `text` is valid.
std::optional<std::size_t> invalid_utf8_offset(std::string_view text);

// `text` with control characters (newline, tab, ...) shown as a space, for one table cell.
std::string single_line(std::string_view text);

}  // namespace smsgw::cli
