#include "smsgw/scheduler/queue_share.hpp"

#include <algorithm>

namespace smsgw::scheduler {

bool in_share(std::string_view id, const QueueShare& share) {
  if (share.total <= 1) return share.from < share.to;
  // FNV-1a, 64 bits (http://www.isthe.com/chongo/tech/comp/fnv/).
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : id) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  const std::uint64_t slot = hash % share.total;
  return share.from <= slot && slot < share.to;
}

QueueShare share_among(const std::string& self, std::vector<NodeWeight> live) {
  live.push_back(NodeWeight{self, 0});
  std::stable_sort(live.begin(), live.end(),
                   [](const auto& a, const auto& b) { return a.name < b.name; });
  live.erase(std::unique(live.begin(), live.end(),
                         [](const auto& a, const auto& b) { return a.name == b.name; }),
             live.end());
  const bool none_carries =
      std::all_of(live.begin(), live.end(), [](const auto& node) { return node.weight == 0; });
  QueueShare share{0, 0, 0};
  for (const auto& node : live) {
    const std::uint64_t weight = none_carries ? 1 : node.weight;
    if (node.name == self) {
      share.from = share.total;
      share.to = share.total + weight;
    }
    share.total += weight;
  }
  return share;
}

}  // namespace smsgw::scheduler
