#include "smsgw/scheduler/queue_share.hpp"

#include <algorithm>

namespace smsgw::scheduler {

bool in_share(std::string_view id, const QueueShare& share) {
  if (share.count <= 1) return true;
  // FNV-1a, 64 bits (http://www.isthe.com/chongo/tech/comp/fnv/).
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : id) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash % share.count == share.index;
}

QueueShare share_among(const std::string& self, std::vector<std::string> live) {
  live.push_back(self);
  std::sort(live.begin(), live.end());
  live.erase(std::unique(live.begin(), live.end()), live.end());
  const auto at = std::find(live.begin(), live.end(), self);
  return QueueShare{static_cast<std::size_t>(at - live.begin()), live.size()};
}

}  // namespace smsgw::scheduler
