#include "smsgw/at/classify.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <optional>

#include "smsgw/causes/causes.hpp"

namespace smsgw::at {
namespace {

// Final result codes matched as whole lines (V.250 5.7.1 table 1; vendor additions).
struct FinalPattern {
  std::string_view line;
  std::string_view code;  // empty: success
  std::string_view meaning;
};

constexpr std::array kFinals = {
    FinalPattern{"OK", "", ""},
    FinalPattern{"ERROR", "at.error", "the modem answered ERROR"},
    FinalPattern{"NO CARRIER", "at.no_carrier", "the modem answered NO CARRIER"},
    FinalPattern{"BUSY", "at.busy", "the modem answered BUSY"},
    FinalPattern{"NO ANSWER", "at.no_answer", "the modem answered NO ANSWER"},
    FinalPattern{"NO DIALTONE", "at.no_dialtone", "the modem answered NO DIALTONE"},
    // Huawei: commands the firmware lacks, and parameter lists longer than it takes.
    FinalPattern{"COMMAND NOT SUPPORT", "at.unsupported",
                 "the modem does not support this command (COMMAND NOT SUPPORT)"},
    FinalPattern{"TOO MANY PARAMETERS", "at.unsupported",
                 "the modem does not support these parameters (TOO MANY PARAMETERS)"},
};

constexpr std::string_view kCmeErrorPrefix = "+CME ERROR:";
constexpr std::string_view kCmsErrorPrefix = "+CMS ERROR:";

char upper(char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return upper(x) == upper(y); });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// True when `command` names `name` as a command: "AT+CREG?", "AT+CREG=?", "AT+CSQ;+CREG?".
bool names_command(std::string_view command, std::string_view name) {
  for (std::size_t at = 0; at + name.size() <= command.size(); ++at) {
    if (!iequals(command.substr(at, name.size()), name)) continue;
    const std::size_t end = at + name.size();
    if (end == command.size()) return true;
    const auto next = static_cast<unsigned char>(command[end]);
    if (!std::isalnum(next)) return true;
  }
  return false;
}

bool matches(const UrcPattern& pattern, std::string_view line) {
  if (!line.starts_with(pattern.text)) return false;
  const std::string_view rest = line.substr(pattern.text.size());
  if (pattern.whole_line) return rest.empty() || rest.front() == ' ';
  return !rest.empty() && rest.front() == ':';
}

// "cms.38" / "cme.10" with the table's text (smsgw/causes/causes.hpp); a verbose text
// (AT+CMEE=2) is mapped back to its number; unknown text keeps "<family>.unknown".
using FindRow = const causes::CauseRow* (*)(int);
using FindByText = std::optional<int> (*)(std::string_view);

Error table_error(ErrorCode family, std::string_view shown, std::string_view argument,
                  FindRow find_row, FindByText find_by_text) {
  argument = trim(argument);
  const std::string prefix = std::string(shown) + ": " + std::string(argument);
  int number = 0;
  const auto [end, ec] =
      std::from_chars(argument.data(), argument.data() + argument.size(), number);
  if (ec == std::errc{} && end == argument.data() + argument.size() && !argument.empty()) {
    if (const auto* row = find_row(number)) {
      return make_error(family, number, prefix + " (" + std::string(row->text) + ")");
    }
    return make_error(family, number, prefix);
  }
  if (const auto by_text = find_by_text(argument)) {
    return make_error(family, *by_text, prefix);
  }
  return make_error(std::string(to_string(family)) + ".unknown", prefix);
}

Error in_reply_to(Error error, std::string_view command) {
  if (!command.empty()) error.message = std::string(command) + ": " + error.message;
  return error;
}

}  // namespace

Error cme_error(std::string_view argument) {
  return table_error(ErrorCode::cme, "+CME ERROR", argument, causes::find_cme, causes::cme_by_text);
}

Error cms_error(std::string_view argument) {
  return table_error(ErrorCode::cms, "+CMS ERROR", argument, causes::find_cms, causes::cms_by_text);
}

Classification classify(std::string_view line, std::string_view command_in_flight) {
  Classification result;
  for (const auto& final_pattern : kFinals) {
    if (line != final_pattern.line) continue;
    if (final_pattern.code.empty()) {
      result.kind = LineKind::ok;
    } else {
      result.kind = LineKind::error;
      result.error = in_reply_to(
          make_error(std::string(final_pattern.code), std::string(final_pattern.meaning)),
          command_in_flight);
    }
    return result;
  }
  if (line.starts_with(kCmeErrorPrefix)) {
    result.kind = LineKind::error;
    result.error = in_reply_to(cme_error(line.substr(kCmeErrorPrefix.size())), command_in_flight);
    return result;
  }
  if (line.starts_with(kCmsErrorPrefix)) {
    result.kind = LineKind::error;
    result.error = in_reply_to(cms_error(line.substr(kCmsErrorPrefix.size())), command_in_flight);
    return result;
  }
  for (const auto& pattern : urc_table()) {
    if (!matches(pattern, line)) continue;
    if (!pattern.solicited_by.empty() && names_command(command_in_flight, pattern.solicited_by)) {
      break;  // the reply to the query in flight
    }
    result.kind = LineKind::urc;
    result.urc_name = std::string(pattern.text);
    result.two_line = pattern.two_line;
    result.may_continue = pattern.quoted_text_spans_lines;
    return result;
  }
  result.kind = LineKind::intermediate;
  return result;
}

}  // namespace smsgw::at
