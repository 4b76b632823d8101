#include "smsgw/cli/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>

#include "smsgw/cli/terminal.hpp"

namespace smsgw::cli {

namespace {

constexpr std::array<std::string_view, 10> kBrailleFrames{"\u280B", "\u2819", "\u2839", "\u2838",
                                                          "\u283C", "\u2834", "\u2826", "\u2827",
                                                          "\u2807", "\u280F"};
constexpr std::array<std::string_view, 4> kAsciiFrames{"|", "/", "-", "\\"};
constexpr std::chrono::milliseconds kRedrawEvery{100};

}  // namespace

Spinner::Spinner(std::string label)
    : label_(std::move(label)),
      enabled_(is_terminal(STDERR_FILENO)),
      unicode_(detect_terminal_style(STDERR_FILENO).unicode),
      started_(std::chrono::steady_clock::now()) {}

Spinner::~Spinner() { clear(); }

void Spinner::tick() {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < kRedrawEvery) return;
  last_draw_ = now;
  const auto waited = std::chrono::duration_cast<std::chrono::seconds>(now - started_).count();
  const std::string_view frame = unicode_ ? kBrailleFrames[frame_ % kBrailleFrames.size()]
                                          : kAsciiFrames[frame_ % kAsciiFrames.size()];
  ++frame_;
  std::fprintf(stderr, "\r\x1b[K%.*s %s %llds", static_cast<int>(frame.size()), frame.data(),
               label_.c_str(), static_cast<long long>(waited));
  std::fflush(stderr);
  drawn_ = true;
}

void Spinner::clear() {
  if (!drawn_) return;
  std::fputs("\r\x1b[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

std::string progress_bar(std::size_t done, std::size_t total, std::size_t width, bool unicode) {
  const std::size_t filled = total == 0 ? width : std::min(width, done * width / total);
  std::string bar = "[";
  for (std::size_t i = 0; i < width; ++i) {
    if (unicode) {
      bar += i < filled ? "\u2588" : "\u2591";
    } else {
      bar += i < filled ? '#' : '.';
    }
  }
  bar += "] " + std::to_string(done) + "/" + std::to_string(total);
  return bar;
}

}  // namespace smsgw::cli
