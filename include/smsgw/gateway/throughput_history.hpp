// ThroughputHistory: parts accepted by the network per minute over the last hour, for the
// dashboard's sparkline (GET /api/v1/stats). Pure: the caller passes the time.
//
// Contract: record() counts parts in the UTC minute of `at`; per_minute(now) returns
// kMinutes counts, oldest first, the last for the minute of `now`. A minute more than
// kMinutes ago is forgotten; a record older than the window is ignored.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <vector>

namespace smsgw::gateway {

class ThroughputHistory {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  static constexpr std::size_t kMinutes = 60;

  void record(TimePoint at, std::uint64_t parts = 1);
  [[nodiscard]] std::vector<std::uint64_t> per_minute(TimePoint now) const;
  // The start of the minute `at` falls in.
  static TimePoint minute_start(TimePoint at);

 private:
  static std::int64_t minute_number(TimePoint at);

  std::array<std::uint64_t, kMinutes> counts_{};
  std::array<std::int64_t, kMinutes> minutes_{};  // which minute each slot counts
  std::int64_t newest_ = 0;                       // the newest minute recorded
};

}  // namespace smsgw::gateway
