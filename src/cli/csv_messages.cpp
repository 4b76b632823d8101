#include "smsgw/cli/csv_messages.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include "smsgw/cli/text_width.hpp"

namespace smsgw::cli {

namespace {

struct Record {
  std::size_t line = 0;
  std::vector<std::string> fields;
  bool unterminated_quote = false;
  bool junk_after_quote = false;  // `"abc"x`: text between a closing quote and the comma
};

// Splits `content` into records (RFC 4180 section 2) while counting lines.
std::vector<Record> split_records(std::string_view content) {
  std::vector<Record> records;
  std::size_t line = 1;
  std::size_t i = 0;
  while (i < content.size()) {
    Record record;
    record.line = line;
    std::string field;
    bool in_quotes = false;
    bool was_quoted = false;
    bool record_done = false;
    while (i < content.size() && !record_done) {
      const char c = content[i];
      if (in_quotes) {
        if (c == '"') {
          if (i + 1 < content.size() && content[i + 1] == '"') {
            field.push_back('"');
            i += 2;
          } else {
            in_quotes = false;
            ++i;
          }
          continue;
        }
        if (c == '\n') ++line;
        field.push_back(c);
        ++i;
        continue;
      }
      if (c == '"' && field.empty() && !was_quoted) {
        in_quotes = true;
        was_quoted = true;
        ++i;
      } else if (c == ',') {
        record.fields.push_back(std::move(field));
        field.clear();
        was_quoted = false;
        ++i;
      } else if (c == '\r' && i + 1 < content.size() && content[i + 1] == '\n') {
        i += 2;
        ++line;
        record_done = true;
      } else if (c == '\n') {
        ++i;
        ++line;
        record_done = true;
      } else {
        if (was_quoted) record.junk_after_quote = true;
        field.push_back(c);
        ++i;
      }
    }
    record.unterminated_quote = in_quotes;
    record.fields.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  return records;
}

std::string trimmed(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return std::string(text);
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool is_blank(const Record& record) {
  return record.fields.size() == 1 && trimmed(record.fields[0]).empty() &&
         !record.unterminated_quote;
}

bool is_header(const Record& record) {
  return record.fields.size() == 2 && lower(trimmed(record.fields[0])) == "number" &&
         lower(trimmed(record.fields[1])) == "text";
}

}  // namespace

CsvMessages parse_csv_messages(std::string_view content) {
  constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
  if (content.starts_with(kByteOrderMark)) content.remove_prefix(kByteOrderMark.size());

  CsvMessages result;
  bool first = true;
  for (Record& record : split_records(content)) {
    if (is_blank(record)) continue;
    const bool was_first = std::exchange(first, false);
    if (was_first && is_header(record)) continue;
    const auto problem = [&](std::string reason) {
      result.problems.push_back(CsvProblem{record.line, std::move(reason)});
    };
    if (record.unterminated_quote) {
      problem("a quoted field is not closed before the end of the file");
      continue;
    }
    if (record.junk_after_quote) {
      problem("text after a closing quote; write \"\" for a quote inside a quoted field");
      continue;
    }
    if (record.fields.size() != 2) {
      problem("expected 2 fields (number,text), got " + std::to_string(record.fields.size()) +
              "; quote a text that contains commas");
      continue;
    }
    std::string number = trimmed(record.fields[0]);
    std::string& text = record.fields[1];
    if (auto offset = invalid_utf8_offset(number)) {
      problem("number is not valid UTF-8 (byte " + std::to_string(*offset + 1) + ")");
      continue;
    }
    if (auto offset = invalid_utf8_offset(text)) {
      problem("text is not valid UTF-8 (byte " + std::to_string(*offset + 1) + ")");
      continue;
    }
    if (number.empty()) {
      problem("number is empty");
      continue;
    }
    if (text.empty()) {
      problem("text is empty");
      continue;
    }
    result.messages.push_back(CsvMessage{record.line, std::move(number), std::move(text)});
  }
  return result;
}

}  // namespace smsgw::cli
