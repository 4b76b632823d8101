// Parts per minute over the last hour (the dashboard's sparkline).
#include "smsgw/gateway/throughput_history.hpp"

#include <gtest/gtest.h>

namespace smsgw::gateway {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using TimePoint = ThroughputHistory::TimePoint;

const TimePoint kNoon = TimePoint(std::chrono::hours(24 * 20000 + 12));

TEST(ThroughputHistory, CountsPerMinuteOldestFirstEndingWithTheCurrentMinute) {
  ThroughputHistory history;
  history.record(kNoon + seconds(5));
  history.record(kNoon + seconds(59), 2);
  history.record(kNoon - minutes(1));
  history.record(kNoon - minutes(59));
  const auto counts = history.per_minute(kNoon + seconds(30));
  ASSERT_EQ(counts.size(), ThroughputHistory::kMinutes);
  EXPECT_EQ(counts[59], 3u);
  EXPECT_EQ(counts[58], 1u);
  EXPECT_EQ(counts[0], 1u);
  EXPECT_EQ(ThroughputHistory::minute_start(kNoon + seconds(30)), kNoon);
}

TEST(ThroughputHistory, AMinuteAnHourOldIsForgottenAndItsSlotReused) {
  ThroughputHistory history;
  history.record(kNoon);
  history.record(kNoon + minutes(60));  // the same slot, an hour later
  const auto counts = history.per_minute(kNoon + minutes(60));
  EXPECT_EQ(counts[59], 1u);
  std::uint64_t total = 0;
  for (auto c : counts) total += c;
  EXPECT_EQ(total, 1u);
  // Too old to count any more: ignored.
  history.record(kNoon - minutes(5));
  EXPECT_EQ(history.per_minute(kNoon + minutes(60))[0], 0u);
  // Nothing recorded lately: all zeros.
  for (auto c : history.per_minute(kNoon + minutes(200))) EXPECT_EQ(c, 0u);
}

}  // namespace
}  // namespace smsgw::gateway
