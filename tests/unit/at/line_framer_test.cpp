#include "smsgw/at/line_framer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace smsgw::at {
namespace {

Frame line(std::string text) { return Frame{Frame::Kind::line, std::move(text)}; }
Frame prompt() { return Frame{Frame::Kind::prompt, {}}; }

struct FramerCase {
  std::string name;
  std::string input;
  std::string echo;  // what the channel sent, for expect_echo(); empty: none
  std::vector<Frame> expected;
};

std::ostream& operator<<(std::ostream& out, const FramerCase& c) { return out << c.name; }

std::vector<Frame> feed_in_chunks(const FramerCase& c, std::size_t chunk) {
  LineFramer framer;
  if (!c.echo.empty()) framer.expect_echo(c.echo);
  std::vector<Frame> frames;
  for (std::size_t at = 0; at < c.input.size(); at += chunk) {
    framer.feed(std::string_view(c.input).substr(at, chunk), frames);
  }
  return frames;
}

class FramerTable : public ::testing::TestWithParam<FramerCase> {};

TEST_P(FramerTable, GivesTheSameFramesAtAnySplit) {
  const auto& c = GetParam();
  EXPECT_EQ(feed_in_chunks(c, c.input.size() + 1), c.expected) << "whole input";
  EXPECT_EQ(feed_in_chunks(c, 1), c.expected) << "one byte per feed";
  for (std::size_t split = 1; split < c.input.size(); ++split) {
    LineFramer framer;
    if (!c.echo.empty()) framer.expect_echo(c.echo);
    std::vector<Frame> frames;
    framer.feed(std::string_view(c.input).substr(0, split), frames);
    framer.feed(std::string_view(c.input).substr(split), frames);
    EXPECT_EQ(frames, c.expected) << "split at " << split;
  }
}

// Replies as real modems frame them (at-protocol.md section 1 and 2).
INSTANTIATE_TEST_SUITE_P(
    RealReplies, FramerTable,
    ::testing::Values(
        FramerCase{
            "crlf_reply", "\r\n+CSQ: 20,99\r\n\r\nOK\r\n", "", {line("+CSQ: 20,99"), line("OK")}},
        // gammu#523 frame dump: echo on, the command comes back followed by CR.
        FramerCase{"echo_on_dropped",
                   "AT+CGMR\r\r\n21.263.03.00.141\r\n\r\nOK\r\n",
                   "AT+CGMR",
                   {line("21.263.03.00.141"), line("OK")}},
        FramerCase{"echo_off_nothing_dropped", "\r\nOK\r\n", "AT", {line("OK")}},
        FramerCase{"echo_only_once", "AT\rAT\r\nOK\r\n", "AT", {line("AT"), line("OK")}},
        FramerCase{"lone_cr_line_ends",
                   "\r+CMTI: \"SM\",3\rOK\r",
                   "",
                   {line("+CMTI: \"SM\",3"), line("OK")}},
        FramerCase{
            "lone_lf_line_ends", "\n+CPIN: READY\nOK\n", "", {line("+CPIN: READY"), line("OK")}},
        FramerCase{"empty_and_blank_lines_dropped", "\r\n\r\n  \r\n\t\r\nOK\r\n", "", {line("OK")}},
        FramerCase{"surrounding_blanks_trimmed", "  OK \r\n", "", {line("OK")}},
        FramerCase{"nul_bytes_dropped", std::string("\0\0O\0K\r\n", 7), "", {line("OK")}},
        // TS 27.005 3.5.1 prompt, no line end after it.
        FramerCase{"prompt_plain", "\r\n> ", "", {prompt()}},
        FramerCase{"prompt_bare_gt", ">", "", {prompt()}},
        // gammu#355: "AT+CMGS=154\r\r\n> " with echo on.
        FramerCase{"prompt_after_echo", "AT+CMGS=154\r\r\n> ", "AT+CMGS=154", {prompt()}},
        // SIM800: no empty line between the echo and the prompt.
        FramerCase{"prompt_right_after_echo_cr", "AT+CMGS=61\r> ", "AT+CMGS=61", {prompt()}},
        // Telit "\r\n> ".
        FramerCase{"prompt_telit", "\r\n> ", "", {prompt()}},
        // ZTE: +ZDONR before the prompt (python-gsmmodem test_modem.py).
        FramerCase{"urc_before_prompt",
                   "\r\n+ZDONR: \"01\",\"01\",1,1,1\r\n\r\n> ",
                   "",
                   {line("+ZDONR: \"01\",\"01\",1,1,1"), prompt()}},
        // After the prompt, the body echo (hex + Ctrl-Z) is dropped when announced.
        FramerCase{
            "body_echo_with_ctrl_z_dropped",
            "> 0011000B916407281553F80000AA0AE8329BFD4697D9EC37\x1a\r\n+CMGS: 64\r\n\r\nOK\r\n",
            "0011000B916407281553F80000AA0AE8329BFD4697D9EC37",
            {prompt(), line("+CMGS: 64"), line("OK")}},
        FramerCase{"gt_inside_line_is_text",
                   "+CUSD: 0,\"a > b\",15\r\n",
                   "",
                   {line("+CUSD: 0,\"a > b\",15")}},
        FramerCase{"two_line_urc",
                   "\r\n+CMT: ,23\r\n0791947106004034040C9194711600\r\n",
                   "",
                   {line("+CMT: ,23"), line("0791947106004034040C9194711600")}},
        FramerCase{"garbage_is_a_line",
                   "\xff\xfe\x01junk\r\nOK\r\n",
                   "",
                   {line("\xff\xfe\x01junk"), line("OK")}},
        FramerCase{"partial_line_not_emitted", "+CSQ: 2", "", {}}),
    [](const auto& row) { return row.param.name; });

TEST(LineFramer, OverlongLineIsEmittedOnceAsOverflowAndTheRestDiscarded) {
  LineFramer framer;
  std::vector<Frame> frames;
  const std::string huge(LineFramer::kMaxLineLength + 1000, 'A');
  framer.feed(huge, frames);
  framer.feed("\r\nOK\r\n", frames);
  ASSERT_EQ(frames.size(), 2U);
  EXPECT_EQ(frames[0].kind, Frame::Kind::overflow);
  EXPECT_EQ(frames[0].text.size(), LineFramer::kMaxLineLength);
  EXPECT_EQ(frames[1], line("OK"));
}

TEST(LineFramer, LineOfExactlyTheCapIsKept) {
  LineFramer framer;
  std::vector<Frame> frames;
  const std::string longest(LineFramer::kMaxLineLength, 'B');
  framer.feed(longest + "\r\n", frames);
  ASSERT_EQ(frames.size(), 1U);
  EXPECT_EQ(frames[0], line(longest));
}

TEST(LineFramer, ResetForgetsAPartialLineAndTheEcho) {
  LineFramer framer;
  std::vector<Frame> frames;
  framer.expect_echo("ATI");
  framer.feed("+CSQ: 2", frames);
  EXPECT_EQ(framer.pending_bytes(), 7U);
  framer.reset();
  framer.feed("ATI\r\nOK\r\n", frames);
  EXPECT_EQ(frames, (std::vector<Frame>{line("ATI"), line("OK")}));
}

TEST(LineFramer, EchoExpectationSurvivesAUrcArrivingFirst) {
  LineFramer framer;
  std::vector<Frame> frames;
  framer.expect_echo("AT+CSQ");
  framer.feed("\r\n^RSSI:25\r\nAT+CSQ\r\r\n+CSQ: 25,99\r\n\r\nOK\r\n", frames);
  EXPECT_EQ(frames, (std::vector<Frame>{line("^RSSI:25"), line("+CSQ: 25,99"), line("OK")}));
}

TEST(LineFramer, ArbitraryBytesNeverCrashAndStayBounded) {
  LineFramer framer;
  std::vector<Frame> frames;
  std::string bytes;
  for (int i = 0; i < 20000; ++i) bytes.push_back(static_cast<char>((i * 7919) % 256));
  framer.feed(bytes, frames);
  for (const auto& frame : frames) {
    EXPECT_LE(frame.text.size(), LineFramer::kMaxLineLength);
  }
  EXPECT_LE(framer.pending_bytes(), LineFramer::kMaxLineLength);
}

}  // namespace
}  // namespace smsgw::at
