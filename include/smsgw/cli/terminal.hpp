// How the CLI writes to the terminal: width, colour and whether UTF-8 symbols are safe.
//
// Contract: terminal_style() is pure (tests pass the environment in); detect_*() read the
// process's environment and ask the kernel.
// - width: COLUMNS when it is a positive integer, else the terminal's width (TIOCGWINSZ)
//   when writing to a terminal, else 80.
// - colour: only on a terminal, and never when NO_COLOR is set to a non-empty value
//   (https://no-color.org) or TERM is "dumb".
// - unicode: the locale (LC_ALL, else LC_CTYPE, else LANG) names UTF-8 ("UTF-8" or "utf8",
//   any case); otherwise the CLI draws with ASCII.
#pragma once

#include <optional>
#include <string_view>

namespace smsgw::cli {

struct TerminalStyle {
  int width = 80;
  bool colour = false;
  bool unicode = false;
};

struct TerminalEnvironment {
  bool is_terminal = false;
  std::optional<std::string_view> columns;   // COLUMNS
  std::optional<int> window_columns;         // TIOCGWINSZ, when known
  std::optional<std::string_view> no_color;  // NO_COLOR
  std::optional<std::string_view> term;      // TERM
  std::optional<std::string_view> lc_all;    // LC_ALL
  std::optional<std::string_view> lc_ctype;  // LC_CTYPE
  std::optional<std::string_view> lang;      // LANG
};

TerminalStyle terminal_style(const TerminalEnvironment& environment);

// The style for output written to `fd` (STDOUT_FILENO or STDERR_FILENO).
TerminalStyle detect_terminal_style(int fd);

// True when `fd` is a terminal (progress lines and spinners are drawn only then).
bool is_terminal(int fd);

}  // namespace smsgw::cli
