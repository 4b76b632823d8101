// QueueShare: how the nodes sharing one queue (README, "Several hosts") keep from claiming
// the same messages. Every node reads the same queue; were each to take its oldest
// message, they would all race for one row, and every race lost is a store round trip and
// an idle modem. So the messages of equal rank are split between the live nodes by a hash
// of their id, in proportion to their SIMs, the same on every node: a free SIM takes its own node's
// share first and helps with the others' only when its node has none left at that rank. A
// preference, not an ownership: priorities still come first, any node may claim any message, and
// nodes that disagree for a moment about who is alive only race as before. Pure: no I/O.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace smsgw::scheduler {

struct QueueShare {
  // This node's slots of the split, [from, to) of `total`; total 1: every message is its.
  std::uint64_t from = 0;
  std::uint64_t to = 1;
  std::uint64_t total = 1;
  // Every message is this node's (one node, or the others carry nothing).
  [[nodiscard]] bool whole() const { return from == 0 && to >= total; }
  [[nodiscard]] std::uint64_t slots() const { return to - from; }
  friend bool operator==(const QueueShare&, const QueueShare&) = default;
};

// Whether the message `id` falls in `share`: FNV-1a 64 of the id modulo `total`, in
// [from, to) (the same on every node and every build).
bool in_share(std::string_view id, const QueueShare& share);

// A live node and what it can carry: its SIMs that can take a message (in service, not
// paused), as its last heartbeat reported them.
struct NodeWeight {
  std::string name;
  std::uint64_t weight = 0;
};

// The share of node `self` among `live` (any order): every node as many slots as its
// weight, in name order, so that each node's share matches its SIMs. A node listed twice
// counts once (its first entry); `self` unlisted counts with weight 0 (it helps the
// others). When no node can carry anything, each weighs one.
QueueShare share_among(const std::string& self, std::vector<NodeWeight> live);

}  // namespace smsgw::scheduler
