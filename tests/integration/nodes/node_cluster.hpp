// Several `smsgw serve` nodes on one real PostgreSQL database, each with its own smsgw-sim
// (issue 14). A test builds a NodeCluster, adds nodes (name, the MCC+MNC of each of its
// modems), starts them, and talks to any node's API.
//
//   NodeCluster cluster;                              // a fresh PostgreSQL cluster
//   auto& a = cluster.add("site-a", {"26201"});       // one Telekom modem, id "site-a-m0"
//   auto& b = cluster.add("site-b", {"26202"});
//   cluster.start_all();
//
// Every node: [store] url = the cluster's URL (the password reaches serve through
// PGPASSFILE, never the config), [node] name and a short lease, [[modem]] tables with ids
// unique across nodes ("<node>-m<i>"). Status reports on: each modem answers one.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "harness/postgres_cluster.hpp"
#include "harness/serve_harness.hpp"

namespace smsgw::nodes_test {

using nlohmann::json;
using namespace std::chrono_literals;

struct NodeSpec {
  std::string name;
  std::vector<std::string> mccmnc;  // one modem per entry
  std::string lease = "3s";
  nlohmann::json sim_defaults = nlohmann::json::object();
};

class NodeCluster {
 public:
  NodeCluster() : database_(std::make_unique<harness::PostgresCluster>()) {}
  ~NodeCluster() {
    // Nodes first: they hold connections to the database.
    for (auto& node : nodes_) {
      if (node->gateway_running()) (void)node->stop_gateway();
    }
    nodes_.clear();
  }

  harness::PostgresCluster& database() { return *database_; }

  // A node, not started yet (its simulator runs).
  harness::ServeHarness& add(const NodeSpec& spec) {
    harness::HarnessOptions options;
    options.sim.modems = static_cast<int>(spec.mccmnc.size());
    options.sim.mccmnc = spec.mccmnc;
    options.sim.defaults = spec.sim_defaults;
    options.start_gateway = false;
    options.serve_environment = database_->client_environment();
    auto node = std::make_unique<harness::ServeHarness>(std::move(options));
    auto& config = node->config();
    config.tables["store"].erase("path");
    config.tables["store"]["url"] = harness::toml_string(database_->url());
    config.tables["node"]["name"] = harness::toml_string(spec.name);
    config.tables["node"]["lease"] = harness::toml_string(spec.lease);
    config.tables["node"]["poll"] = harness::toml_string("500ms");
    config.modems.clear();
    for (int i = 0; i < static_cast<int>(spec.mccmnc.size()); ++i) {
      config.modems.push_back({{"port", harness::toml_string(node->sim().port(i))},
                               {"id", harness::toml_string(spec.name + "-m" + std::to_string(i))},
                               {"send_timeout", harness::toml_string("3s")}});
    }
    names_.push_back(spec.name);
    nodes_.push_back(std::move(node));
    return *nodes_.back();
  }

  // Starts every node in order; each waits until it lists the modems of the nodes started
  // so far as in service (its own and, through the registry, the others').
  void start_all() {
    int expected = 0;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      expected += nodes_[i]->sim().modems();
      nodes_[i]->start_gateway(expected, 30s);
    }
  }

  harness::ServeHarness& node(std::size_t i) { return *nodes_.at(i); }
  const harness::ServeHarness& node(std::size_t i) const { return *nodes_.at(i); }
  std::size_t size() const { return nodes_.size(); }
  const std::string& name(std::size_t i) const { return names_.at(i); }

  // Every simulator's accepted PDUs addressed to `to`, across all nodes.
  std::vector<json> sent_to(const std::string& to) const {
    std::vector<json> out;
    for (const auto& node : nodes_) {
      for (auto& record : node->sim().sent()) {
        if (record.value("to", "") == to) out.push_back(std::move(record));
      }
    }
    return out;
  }

  // How many PDUs each node's simulator accepted for each recipient.
  std::map<std::string, int> sent_counts() const {
    std::map<std::string, int> counts;
    for (const auto& node : nodes_) {
      for (const auto& record : node->sim().sent()) ++counts[record.value("to", "")];
    }
    return counts;
  }

 private:
  std::unique_ptr<harness::PostgresCluster> database_;
  std::vector<std::unique_ptr<harness::ServeHarness>> nodes_;
  std::vector<std::string> names_;
};

// A distinct destination: prefix + zero-padded number (7 digits).
inline std::string number(const std::string& prefix, int n) {
  std::string digits = std::to_string(n);
  return prefix + std::string(7 - std::min<std::size_t>(7, digits.size()), '0') + digits;
}

}  // namespace smsgw::nodes_test
