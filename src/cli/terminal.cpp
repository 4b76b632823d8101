#include "smsgw/cli/terminal.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <string>

namespace smsgw::cli {

namespace {

std::optional<std::string_view> environment_value(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return std::nullopt;
  return std::string_view(value);
}

std::optional<int> positive_integer(std::string_view text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

bool names_utf8(std::string_view locale) {
  std::string lower(locale);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.find("utf-8") != std::string::npos || lower.find("utf8") != std::string::npos;
}

// POSIX locale precedence: the first non-empty of LC_ALL, LC_CTYPE, LANG.
std::string_view effective_locale(const TerminalEnvironment& environment) {
  for (const auto& value : {environment.lc_all, environment.lc_ctype, environment.lang}) {
    if (value && !value->empty()) return *value;
  }
  return {};
}

}  // namespace

TerminalStyle terminal_style(const TerminalEnvironment& environment) {
  TerminalStyle style;
  if (environment.columns) {
    if (auto columns = positive_integer(*environment.columns)) {
      style.width = *columns;
    } else if (environment.is_terminal && environment.window_columns) {
      style.width = *environment.window_columns;
    }
  } else if (environment.is_terminal && environment.window_columns &&
             *environment.window_columns > 0) {
    style.width = *environment.window_columns;
  }
  const bool no_color = environment.no_color && !environment.no_color->empty();
  const bool dumb = environment.term && *environment.term == "dumb";
  style.colour = environment.is_terminal && !no_color && !dumb;
  style.unicode = names_utf8(effective_locale(environment));
  return style;
}

bool is_terminal(int fd) { return ::isatty(fd) == 1; }

TerminalStyle detect_terminal_style(int fd) {
  TerminalEnvironment environment;
  environment.is_terminal = is_terminal(fd);
  environment.columns = environment_value("COLUMNS");
  if (environment.is_terminal) {
    winsize size{};
    if (::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
      environment.window_columns = size.ws_col;
    }
  }
  environment.no_color = environment_value("NO_COLOR");
  environment.term = environment_value("TERM");
  environment.lc_all = environment_value("LC_ALL");
  environment.lc_ctype = environment_value("LC_CTYPE");
  environment.lang = environment_value("LANG");
  return terminal_style(environment);
}

}  // namespace smsgw::cli
