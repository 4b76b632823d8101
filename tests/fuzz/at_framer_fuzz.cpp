// Fuzzes the AT line framer and the line classifier on any byte stream a modem (or line
// noise) could produce. The first octet picks the feed chunk size (1-16 bytes) and whether
// a command is "in flight"; the rest is the stream. Invariants: no crash, no unbounded
// growth (every frame and the pending line stay within kMaxLineLength), lines are
// non-empty and carry no line end or NUL, the frames do not depend on how the bytes were
// split, and every classification is coherent (errors carry an Error, URCs a name).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "smsgw/at/classify.hpp"
#include "smsgw/at/line_framer.hpp"

namespace {

using namespace smsgw;

std::vector<at::Frame> frame_all(std::string_view bytes, std::size_t chunk, std::string_view echo) {
  at::LineFramer framer;
  if (!echo.empty()) framer.expect_echo(echo);
  std::vector<at::Frame> frames;
  for (std::size_t at = 0; at < bytes.size(); at += chunk) {
    framer.feed(bytes.substr(at, chunk), frames);
    fuzz::require(framer.pending_bytes() <= at::LineFramer::kMaxLineLength,
                  "the pending line outgrew the cap");
  }
  return frames;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t control = data[0];
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::size_t chunk = (control & 0x0F) + 1;
  constexpr std::string_view kCommands[] = {"", "AT+CREG?", "AT+CMGS=23", "AT+CPIN?"};
  const std::string_view command = kCommands[(control >> 4) & 0x03];
  const bool echo = (control & 0x40) != 0;

  const auto frames = frame_all(bytes, chunk, echo ? command : std::string_view{});
  const auto whole = frame_all(bytes, bytes.size() + 1, echo ? command : std::string_view{});
  fuzz::require(frames == whole, "the frames depend on how the input was split");

  for (const auto& frame : frames) {
    fuzz::require(frame.text.size() <= at::LineFramer::kMaxLineLength, "a frame exceeds the cap");
    if (frame.kind == at::Frame::Kind::prompt) {
      fuzz::require(frame.text.empty(), "a prompt carries text");
      continue;
    }
    fuzz::require(!frame.text.empty(), "an empty line was emitted");
    if (frame.kind != at::Frame::Kind::line) continue;
    fuzz::require(frame.text.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos,
                  "a line holds a line end or NUL");
    const auto classification = at::classify(frame.text, command);
    switch (classification.kind) {
      case at::LineKind::error:
        fuzz::require(classification.error.has_value() && !classification.error->code.empty() &&
                          !classification.error->message.empty(),
                      "an error line without a named Error");
        break;
      case at::LineKind::urc:
        fuzz::require(!classification.urc_name.empty(), "a URC without a name");
        fuzz::require(frame.text.starts_with(classification.urc_name),
                      "a URC name not in its line");
        break;
      case at::LineKind::ok:
        fuzz::require(frame.text == "OK", "a final OK that is not the whole line OK");
        break;
      case at::LineKind::intermediate:
        fuzz::require(!classification.error.has_value(), "an intermediate line with an Error");
        break;
    }
  }
  return 0;
}
