// Progress lines on stderr, drawn only when stderr is a terminal.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace smsgw::cli {

// A spinner with the seconds waited: "⠋ checking balances... 3s". tick() redraws at most
// every 100 ms; clear() erases the line. Silent when stderr is not a terminal.
class Spinner {
 public:
  explicit Spinner(std::string label);
  ~Spinner();
  Spinner(const Spinner&) = delete;
  Spinner& operator=(const Spinner&) = delete;

  void tick();
  void clear();

 private:
  std::string label_;
  bool enabled_;
  bool unicode_;
  bool drawn_ = false;
  std::size_t frame_ = 0;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_draw_{};
};

// "[#########...........] 450/1000": the bar for `done` of `total` in `width` cells (pure).
std::string progress_bar(std::size_t done, std::size_t total, std::size_t width, bool unicode);

}  // namespace smsgw::cli
