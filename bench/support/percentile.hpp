// Percentiles of latency samples for the benchmarks' reports.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace smsgw::bench {

// The p-quantile (0..1) of `sorted` (ascending), nearest rank; 0 when empty.
inline double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto k = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(k, sorted.size() - 1)];
}

}  // namespace smsgw::bench
