// Splitting a received command line into AT commands (ITU-T V.250 5.2-5.4, TS 27.007 4).
// Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smsgw::sim {

struct AtCommand {
  enum class Form { action, query, test, set };
  std::string name;  // upper case: "+CMGS", "^CURC", "E", "&F", "I"
  Form form = Form::action;
  std::vector<std::string> args;  // set form: comma-separated, trimmed, quotes kept
  std::string number;             // basic commands: the digits after the letter ("0" in E0)

  // Argument i without surrounding quotes; nullopt when absent or empty.
  [[nodiscard]] std::optional<std::string> text_arg(std::size_t i) const;
  // Argument i as an integer; nullopt when absent, empty or not a number.
  [[nodiscard]] std::optional<int> int_arg(std::size_t i) const;
  [[nodiscard]] bool has_arg(std::size_t i) const { return i < args.size() && !args[i].empty(); }
};

// The body of a command line: what follows the "AT" prefix up to the <CR>.
// "E0V1+CMEE=1;+CSQ" -> E, V, +CMEE=1, +CSQ. Nullopt for a malformed line
// (unterminated quote, a character that starts no command).
std::optional<std::vector<AtCommand>> parse_command_line(std::string_view body);

}  // namespace smsgw::sim
