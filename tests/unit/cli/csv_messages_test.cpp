// `number,text` CSV (RFC 4180): quoting, headers, and bad records named by line.
#include "smsgw/cli/csv_messages.hpp"

#include <gtest/gtest.h>

namespace smsgw::cli {
namespace {

TEST(CsvMessages, PlainRecordsWithLineNumbers) {
  const auto parsed = parse_csv_messages("+4915112345678,hello\n+4917099999999,second one\n");
  ASSERT_EQ(parsed.messages.size(), 2u);
  EXPECT_TRUE(parsed.problems.empty());
  EXPECT_EQ(parsed.messages[0].line, 1u);
  EXPECT_EQ(parsed.messages[0].number, "+4915112345678");
  EXPECT_EQ(parsed.messages[0].text, "hello");
  EXPECT_EQ(parsed.messages[1].line, 2u);
  EXPECT_EQ(parsed.messages[1].text, "second one");
}

TEST(CsvMessages, QuotedTextHoldsCommasQuotesAndNewlines) {
  const auto parsed = parse_csv_messages(
      "number,text\r\n"
      "+491511,\"Hi, \"\"Bob\"\"\"\r\n"
      "+491512,\"line one\nline two\"\r\n"
      "+491513,after\r\n");
  ASSERT_EQ(parsed.messages.size(), 3u)
      << (parsed.problems.empty() ? "" : parsed.problems[0].reason);
  EXPECT_EQ(parsed.messages[0].line, 2u);
  EXPECT_EQ(parsed.messages[0].text, "Hi, \"Bob\"");
  EXPECT_EQ(parsed.messages[1].line, 3u);
  EXPECT_EQ(parsed.messages[1].text, "line one\nline two");
  EXPECT_EQ(parsed.messages[2].line, 5u);  // the quoted newline took a line
  EXPECT_EQ(parsed.messages[2].text, "after");
}

TEST(CsvMessages, HeaderIsOptionalAndOnlyRecognisedFirst) {
  EXPECT_EQ(parse_csv_messages(" Number , TEXT \n+49151,x\n").messages.size(), 1u);
  const auto later = parse_csv_messages("+49151,x\nnumber,text\n");
  ASSERT_EQ(later.messages.size(), 2u);  // a second "header" is a message to "number"
  EXPECT_EQ(later.messages[1].number, "number");
}

TEST(CsvMessages, BadRecordsAreReportedByLineAndDoNotHideOthers) {
  const auto parsed = parse_csv_messages(
      "number,text\n"           // 1
      "+49151,ok\n"             // 2
      ",no number\n"            // 3
      "+49152,\n"               // 4
      "+49153,a,b\n"            // 5
      "+49154\n"                // 6
      "+49155,bad \xff byte\n"  // 7
      "\n"                      // 8 (blank, skipped)
      "+49156,fine\n");         // 9
  ASSERT_EQ(parsed.messages.size(), 2u);
  EXPECT_EQ(parsed.messages[0].line, 2u);
  EXPECT_EQ(parsed.messages[1].line, 9u);
  ASSERT_EQ(parsed.problems.size(), 5u);
  EXPECT_EQ(parsed.problems[0].line, 3u);
  EXPECT_EQ(parsed.problems[0].reason, "number is empty");
  EXPECT_EQ(parsed.problems[1].line, 4u);
  EXPECT_EQ(parsed.problems[1].reason, "text is empty");
  EXPECT_EQ(parsed.problems[2].line, 5u);
  EXPECT_EQ(parsed.problems[2].reason,
            "expected 2 fields (number,text), got 3; quote a text that contains commas");
  EXPECT_EQ(parsed.problems[3].line, 6u);
  EXPECT_EQ(parsed.problems[4].line, 7u);
  EXPECT_EQ(parsed.problems[4].reason, "text is not valid UTF-8 (byte 5)");
}

TEST(CsvMessages, AnUnclosedQuoteSpoilsOnlyTheLastRecord) {
  const auto parsed = parse_csv_messages("+49151,ok\n+49152,\"never closed\n+49153,x\n");
  ASSERT_EQ(parsed.messages.size(), 1u);
  ASSERT_EQ(parsed.problems.size(), 1u);
  EXPECT_EQ(parsed.problems[0].line, 2u);
  EXPECT_EQ(parsed.problems[0].reason, "a quoted field is not closed before the end of the file");
}

TEST(CsvMessages, TextAfterAClosingQuoteIsAnError) {
  const auto parsed = parse_csv_messages("+49151,\"abc\"def\n");
  ASSERT_EQ(parsed.problems.size(), 1u);
  EXPECT_EQ(parsed.problems[0].line, 1u);
}

TEST(CsvMessages, ByteOrderMarkSpacesAndUtf8) {
  const auto parsed = parse_csv_messages(
      "\xEF\xBB\xBFnumber,text\n  +49151  ,Gr\u00fc\u00dfe \U0001F600\n+49152,last");
  ASSERT_EQ(parsed.messages.size(), 2u);
  EXPECT_EQ(parsed.messages[0].number, "+49151");
  EXPECT_EQ(parsed.messages[0].text, "Gr\u00fc\u00dfe \U0001F600");
  EXPECT_EQ(parsed.messages[1].text, "last");  // no newline at the end
  EXPECT_EQ(parsed.messages[1].line, 3u);
}

TEST(CsvMessages, EmptyInputHasNothing) {
  const auto parsed = parse_csv_messages("");
  EXPECT_TRUE(parsed.messages.empty());
  EXPECT_TRUE(parsed.problems.empty());
}

}  // namespace
}  // namespace smsgw::cli
