// Tables fit the terminal width, drop columns by priority, and carry colour only when asked.
#include "smsgw/cli/table.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "smsgw/cli/text_width.hpp"

namespace smsgw::cli {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

TerminalStyle plain(int width) { return TerminalStyle{width, false, true}; }

TEST(Table, AlignsColumnsWithTwoSpacesAndNoTrailingSpace) {
  const std::vector<Column> columns{{"ID", 0}, {"COUNT", 0, Align::right}, {"NOTE", 0}};
  const std::vector<Row> rows{{{"m1"}, {"7"}, {"ok"}}, {{"modem-22"}, {"1234"}, {""}}};
  EXPECT_EQ(render_table(columns, rows, plain(80)),
            "ID        COUNT  NOTE\n"
            "m1            7  ok\n"
            "modem-22   1234\n");
}

TEST(Table, DropsTheLeastImportantColumnsFirstToFitTheWidth) {
  const std::vector<Column> columns{
      {"ID", 0}, {"PORT", 3}, {"STATE", 0}, {"IMEI", 5}, {"OPERATOR", 1}};
  const std::vector<Row> rows{
      {{"m1"}, {"/dev/ttyUSB2"}, {"ready"}, {"867584030123456"}, {"Telekom.de"}}};
  // Natural width: 2+2+12+2+5+2+15+2+10 = 52.
  EXPECT_EQ(lines_of(render_table(columns, rows, plain(52)))[1].size(), 52u);
  const auto narrow = lines_of(render_table(columns, rows, plain(40)));
  EXPECT_EQ(narrow[0], "ID  PORT          STATE  OPERATOR");  // IMEI (priority 5) went
  const auto narrower = lines_of(render_table(columns, rows, plain(25)));
  EXPECT_EQ(narrower[0], "ID  STATE  OPERATOR");  // then PORT (priority 3)
  for (const auto& line : narrower) EXPECT_LE(display_width(line), 25u);
}

TEST(Table, ShrinksALessImportantColumnBeforeDroppingOne) {
  const std::vector<Column> columns{{"ID", 0}, {"ERROR", 1}, {"TEXT", 2, Align::left, true, 6}};
  const std::vector<Row> rows{{{"m1"}, {"none"}, {"a rather long message text"}}};
  const auto lines = lines_of(render_table(columns, rows, plain(24)));
  EXPECT_EQ(lines[1], "m1  none   a rather lon\u2026");
  EXPECT_LE(display_width(lines[1]), 24u);
}

TEST(Table, DropsALessImportantColumnRatherThanCutAMoreImportantOne) {
  // TEXT (priority 1) matters more than ERROR (2): ERROR goes, TEXT stays whole.
  const std::vector<Column> columns{{"ID", 0}, {"ERROR", 2}, {"TEXT", 1, Align::left, true, 6}};
  const std::vector<Row> rows{{{"m1"}, {"none"}, {"a long message text"}}};
  const auto lines = lines_of(render_table(columns, rows, plain(24)));
  EXPECT_EQ(lines[0], "ID  TEXT");
  EXPECT_EQ(lines[1], "m1  a long message text");
}

TEST(Table, EightyColumnsIsTheDefaultWidthAndIsKept) {
  std::vector<Column> columns;
  Row row;
  for (int i = 0; i < 12; ++i) {
    columns.push_back(Column{"COLUMN" + std::to_string(i), i});
    row.push_back(Cell{"value-" + std::to_string(i)});
  }
  const std::string table = render_table(columns, {row}, TerminalStyle{});
  for (const auto& line : lines_of(table)) EXPECT_LE(display_width(line), 80u) << line;
  EXPECT_NE(table.find("COLUMN0"), std::string::npos);
}

TEST(Table, NoEscapeSequencesWithoutColour) {
  const std::vector<Column> columns{{"STATE", 0}};
  const std::vector<Row> rows{{{"backoff", Colour::red}}};
  const std::string table = render_table(columns, rows, plain(80));
  EXPECT_EQ(table.find('\x1b'), std::string::npos);
  EXPECT_EQ(table, "STATE\nbackoff\n");
}

TEST(Table, ColourPaintsCellsAndABoldHeader) {
  const std::vector<Column> columns{{"STATE", 0}, {"N", 0}};
  const std::vector<Row> rows{{{"failed", Colour::red}, {"1"}}};
  const std::string table = render_table(columns, rows, TerminalStyle{80, true, true});
  EXPECT_EQ(table, "\x1b[1mSTATE\x1b[0m   \x1b[1mN\x1b[0m\n\x1b[31mfailed\x1b[0m  1\n");
}

TEST(Table, WideAndCombiningCharactersAlignByColumns) {
  const std::vector<Column> columns{{"FROM", 0}, {"TEXT", 0}};
  const std::vector<Row> rows{{{"\u4E2D\u6587"}, {"x"}}, {{"e\u0301"}, {"y"}}};
  EXPECT_EQ(render_table(columns, rows, plain(80)),
            "FROM  TEXT\n"
            "\u4E2D\u6587  x\n"
            "e\u0301     y\n");
}

TEST(TextWidth, TruncatesWithAnEllipsisAndNeverSplitsACodePoint) {
  EXPECT_EQ(truncate_to_width("h\u00e9llo world", 5, true), "h\u00e9ll\u2026");
  EXPECT_EQ(truncate_to_width("h\u00e9llo world", 5, false), "h\u00e9ll~");
  EXPECT_EQ(truncate_to_width("short", 5, true), "short");
  EXPECT_EQ(truncate_to_width("\u4E2D\u6587\u5B57", 4, true), "\u4E2D\u2026");
}

TEST(Table, KeepEndColumnsLoseTheirStart) {
  const std::vector<Column> columns{{"ID", 0}, {"PORT", 1, Align::left, true, 4, true}};
  const std::vector<Row> rows{{{"m1"}, {"/dev/smsgw/usb-1-1.2"}}};
  EXPECT_EQ(render_table(columns, rows, plain(14)), "ID  PORT\nm1  \u2026usb-1-1.2\n");
}

TEST(TextWidth, TruncatesFromTheStart) {
  EXPECT_EQ(truncate_start_to_width("/dev/ttyUSB12", 6, false), "~USB12");
  EXPECT_EQ(truncate_start_to_width("\u4E2D\u6587\u5B57", 4, true), "\u2026\u5B57");
  EXPECT_EQ(truncate_start_to_width("short", 9, true), "short");
}

TEST(TextWidth, FindsTheFirstInvalidUtf8Byte) {
  EXPECT_EQ(invalid_utf8_offset("plain"), std::nullopt);
  EXPECT_EQ(invalid_utf8_offset("gr\u00fc\u00dfe \U0001F600"), std::nullopt);
  EXPECT_EQ(invalid_utf8_offset("ab\xff"), 2u);
  EXPECT_EQ(invalid_utf8_offset("\xc0\xaf"), 0u);          // overlong '/'
  EXPECT_EQ(invalid_utf8_offset("x\xed\xa0\x80"), 1u);     // surrogate U+D800
  EXPECT_EQ(invalid_utf8_offset("\xf4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(invalid_utf8_offset("ok\xe2\x82"), 2u);        // cut short
}

TEST(TextWidth, SingleLineReplacesControlCharacters) {
  EXPECT_EQ(single_line("two\nlines\tand\r"), "two lines and ");
}

}  // namespace
}  // namespace smsgw::cli
