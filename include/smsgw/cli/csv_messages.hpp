// Bulk-send input: a CSV file of `number,text` records (pure).
//
// Contract (RFC 4180, with the usual leniencies):
// - Records end with CRLF or LF; a field in double quotes may hold commas, CR, LF and
//   doubled quotes ("" is one "). A UTF-8 byte order mark at the start is skipped.
// - An optional first record `number,text` (any case, spaces around) is a header, not a
//   message. Blank lines are skipped.
// - Each record is checked on its own, so one bad record never hides the others: it needs
//   exactly two fields, a non-empty number (spaces around it trimmed), a non-empty text,
//   and valid UTF-8 throughout. A quote left open at the end of the file makes that last
//   record bad.
// - Line numbers are 1-based and name the line where the record starts.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace smsgw::cli {

struct CsvMessage {
  std::size_t line = 0;
  std::string number;
  std::string text;
};

struct CsvProblem {
  std::size_t line = 0;
  std::string reason;  // "number is empty", "expected 2 fields (number,text), got 3", ...
};

struct CsvMessages {
  std::vector<CsvMessage> messages;  // in file order
  std::vector<CsvProblem> problems;  // in file order
};

CsvMessages parse_csv_messages(std::string_view content);

}  // namespace smsgw::cli
