// QueueShare: how the nodes sharing one queue (README, "Several hosts") keep from claiming
// the same messages. Every node reads the same queue; were each to take its oldest
// message, they would all race for one row, and every race lost is a store round trip and
// an idle modem. So the messages of equal rank are split between the live nodes by a hash
// of their id, the same on every node: a free SIM takes its own node's share first and
// helps with the others' only when its node has none left at that rank. A preference, not
// an ownership: priorities still come first, any node may claim any message, and nodes
// that disagree for a moment about who is alive only race as before.
// Pure: no I/O.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace smsgw::scheduler {

struct QueueShare {
  std::size_t index = 0;  // this node's place among the live nodes, by name
  std::size_t count = 1;  // live nodes; 1: every message is this node's
};

// Whether the message `id` falls in `share` (FNV-1a 64 of the id, modulo count: the same
// on every node and every build).
bool in_share(std::string_view id, const QueueShare& share);

// The share of node `self` among `live` (node names, any order; `self` counts whether
// listed or not).
QueueShare share_among(const std::string& self, std::vector<std::string> live);

}  // namespace smsgw::scheduler
