#include "smsgw/at/line_framer.hpp"

namespace smsgw::at {
namespace {

constexpr char kCtrlZ = '\x1a';

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

void LineFramer::feed(std::string_view bytes, std::vector<Frame>& out) {
  for (const char c : bytes) {
    if (c == '\0') continue;
    if (c == '\r' || c == '\n') {
      after_prompt_ = false;
      end_line(out);
      continue;
    }
    if (after_prompt_ && is_blank(c)) continue;
    after_prompt_ = false;
    if (overflowed_) continue;
    // TS 27.005 3.5.1: the prompt is "<CR><LF><greater_than><space>" with no line end after
    // it. A '>' that starts a line (leading blanks aside) is the prompt.
    if (c == '>' && trim(line_).empty()) {
      line_.clear();
      out.push_back(Frame{Frame::Kind::prompt, {}});
      after_prompt_ = true;
      continue;
    }
    if (line_.size() >= kMaxLineLength) {
      out.push_back(Frame{Frame::Kind::overflow, std::move(line_)});
      line_.clear();
      overflowed_ = true;
      continue;
    }
    line_.push_back(c);
  }
}

void LineFramer::end_line(std::vector<Frame>& out) {
  if (overflowed_) {
    overflowed_ = false;
    line_.clear();
    return;
  }
  const std::string_view line = trim(line_);
  if (!line.empty()) {
    std::string_view without_ctrl_z = line;
    if (without_ctrl_z.back() == kCtrlZ) without_ctrl_z.remove_suffix(1);
    if (echo_expected_ && (line == echo_ || without_ctrl_z == echo_)) {
      echo_expected_ = false;
    } else {
      out.push_back(Frame{Frame::Kind::line, std::string(line)});
    }
  }
  line_.clear();
}

void LineFramer::expect_echo(std::string_view sent) {
  echo_ = trim(sent);
  if (!echo_.empty() && echo_.back() == kCtrlZ) echo_.pop_back();
  echo_expected_ = !echo_.empty();
}

void LineFramer::clear_echo() {
  echo_.clear();
  echo_expected_ = false;
}

void LineFramer::reset() {
  line_.clear();
  clear_echo();
  overflowed_ = false;
  after_prompt_ = false;
}

}  // namespace smsgw::at
