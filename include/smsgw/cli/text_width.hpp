// UTF-8 text measured in terminal columns (pure).
//
// Contract: one column per code point, except combining marks and zero-width code points
// (0 columns) and East Asian wide/fullwidth ranges and emoji (2 columns). Invalid UTF-8
// bytes count one column each, so a bad string never breaks a table's alignment.
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
