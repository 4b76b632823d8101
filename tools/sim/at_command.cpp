#include "at_command.hpp"

#include <cctype>
#include <charconv>

namespace smsgw::sim {

namespace {

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view text) {
  std::size_t begin = 0, end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return std::string(text.substr(begin, end - begin));
}

bool is_extended_prefix(char c) { return c == '+' || c == '^' || c == '$' || c == '%' || c == '*'; }

// Parses one extended command "+NAME[=args|?|=?]" (already cut at ';').
std::optional<AtCommand> parse_extended(std::string_view text) {
  AtCommand command;
  std::size_t i = 1;
  while (i < text.size() &&
         (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_' || text[i] == '-' ||
          text[i] == '.' || text[i] == '!' || text[i] == '%' || text[i] == '/' || text[i] == ':'))
    ++i;
  command.name = upper(text.substr(0, i));
  std::string_view rest = text.substr(i);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (rest.empty()) {
    command.form = AtCommand::Form::action;
  } else if (rest == "?") {
    command.form = AtCommand::Form::query;
  } else if (rest == "=?") {
    command.form = AtCommand::Form::test;
  } else if (rest.front() == '=') {
    command.form = AtCommand::Form::set;
    rest.remove_prefix(1);
    std::string current;
    bool quoted = false;
    for (char c : rest) {
      if (c == '"') quoted = !quoted;
      if (c == ',' && !quoted) {
        command.args.push_back(trim(current));
        current.clear();
      } else {
        current += c;
      }
    }
    if (quoted) return std::nullopt;
    command.args.push_back(trim(current));
  } else {
    return std::nullopt;
  }
  return command;
}

}  // namespace

std::optional<std::string> AtCommand::text_arg(std::size_t i) const {
  if (!has_arg(i)) return std::nullopt;
  std::string_view value = args[i];
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  return std::string(value);
}

std::optional<int> AtCommand::int_arg(std::size_t i) const {
  if (!has_arg(i)) return std::nullopt;
  const std::string& value = args[i];
  int parsed = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
  if (ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
  return parsed;
}

std::optional<std::vector<AtCommand>> parse_command_line(std::string_view body) {
  std::vector<AtCommand> commands;
  std::size_t i = 0;
  while (i < body.size()) {
    const char c = body[i];
    if (c == ' ' || c == ';') {
      ++i;
      continue;
    }
    if (is_extended_prefix(c)) {
      // Extended command: runs to the next ';' outside quotes.
      std::size_t end = i;
      bool quoted = false;
      while (end < body.size() && (quoted || body[end] != ';')) {
        if (body[end] == '"') quoted = !quoted;
        ++end;
      }
      if (quoted) return std::nullopt;
      auto command = parse_extended(body.substr(i, end - i));
      if (!command) return std::nullopt;
      commands.push_back(std::move(*command));
      i = end;
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '&') {
      // Basic command: a letter (or '&' + letter) and optional digits; S-registers
      // take "Sn=v" or "Sn?".
      AtCommand command;
      std::size_t j = i + 1;
      if (c == '&') {
        if (j >= body.size() || !std::isalpha(static_cast<unsigned char>(body[j])))
          return std::nullopt;
        ++j;
      }
      command.name = upper(body.substr(i, j - i));
      std::size_t digits = j;
      while (digits < body.size() && std::isdigit(static_cast<unsigned char>(body[digits])))
        ++digits;
      command.number = std::string(body.substr(j, digits - j));
      j = digits;
      if (command.name == "S" && j < body.size()) {
        if (body[j] == '?') {
          command.form = AtCommand::Form::query;
          ++j;
        } else if (body[j] == '=') {
          command.form = AtCommand::Form::set;
          std::size_t v = ++j;
          while (j < body.size() && std::isdigit(static_cast<unsigned char>(body[j]))) ++j;
          command.args.push_back(std::string(body.substr(v, j - v)));
        }
      }
      commands.push_back(std::move(command));
      i = j;
      continue;
    }
    return std::nullopt;
  }
  return commands;
}

}  // namespace smsgw::sim
