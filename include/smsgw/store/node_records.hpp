// Records of the node registry (several `smsgw serve` sharing one PostgreSQL database;
// docs/store.md, "Several nodes"): a node's heartbeat row and the snapshots of its modems.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "smsgw/store/records.hpp"

namespace smsgw::store {

struct NodeRecord {
  std::string name{};
  std::string url{};  // where its API answers ([node] url)
  TimePoint started_at{};
  TimePoint heartbeat_at{};
  std::chrono::milliseconds lease{30'000};
  // Set when another node took its claims over after its lease passed; cleared by its next
  // heartbeat.
  std::optional<TimePoint> recovered_at{};
};

// One modem of one node as its node last reported it.
struct NodeModemRecord {
  std::string node{};
  std::string modem{};          // modem id, unique across the nodes of one database
  std::string snapshot_json{};  // the GET /api/v1/modems item, as the node rendered it
  TimePoint updated_at{};
};

}  // namespace smsgw::store
