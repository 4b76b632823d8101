// LineFramer: bytes from a modem -> lines and "> " prompts. Pure: no I/O, no clock.
//
// Contract (TS 27.007 5.7.1 / V.250 5.7.1 framing, plus what real modems send):
// - A line ends at CR, at LF, or at CR LF; any split of the input gives the same frames
//   (one byte per feed() works). Empty and whitespace-only lines are dropped; spaces and
//   tabs around a line are trimmed; NUL bytes are dropped.
// - A '>' at the start of a line is the send prompt (TS 27.005 3.5.1), with or without the
//   trailing space ("> ", Telit "\r\n> ", a bare ">"); it has no line end, so it is emitted
//   as soon as the '>' arrives. Spaces right after it are swallowed.
// - Echo: after expect_echo(text), the next line equal to `text` (optionally followed by
//   Ctrl-Z, as a body echo is) is dropped instead of emitted. Echo on or off both work: an
//   expectation that is never met does no harm and is replaced by the next expect_echo().
// - A line longer than kMaxLineLength is emitted once as Frame::Kind::overflow carrying
//   its first kMaxLineLength bytes; the rest up to the next line end is discarded.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace smsgw::at {

struct Frame {
  enum class Kind { line, prompt, overflow };
  Kind kind = Kind::line;
  std::string text;  // the line without its line end; empty for a prompt

  friend bool operator==(const Frame&, const Frame&) = default;
};

class LineFramer {
 public:
  static constexpr std::size_t kMaxLineLength = 4096;

  // Appends the frames completed by `bytes` to `out`.
  void feed(std::string_view bytes, std::vector<Frame>& out);

  // The next line equal to `sent` (the command without its "\r", or a body without
  // its Ctrl-Z) is an echo and is dropped.
  void expect_echo(std::string_view sent);
  void clear_echo();

  // Forgets a partial line and any echo expectation.
  void reset();

  // Bytes of the line being received (not yet ended).
  [[nodiscard]] std::size_t pending_bytes() const { return line_.size(); }

 private:
  void end_line(std::vector<Frame>& out);

  std::string line_;
  std::string echo_;
  bool echo_expected_ = false;
  bool overflowed_ = false;    // discarding the rest of an overlong line
  bool after_prompt_ = false;  // swallowing the spaces that follow '>'
};

}  // namespace smsgw::at
