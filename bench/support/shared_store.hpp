// The shared store of several gateways for a benchmark (--postgres): a throw-away
// PostgreSQL cluster from the integration harness (harness::PostgresCluster: initdb into a
// temporary folder, a free port, as the `postgres` user when run as root). Built only with
// the tests (BUILD_TESTING, the harness library); otherwise --postgres says so.
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#if SMSGW_BENCH_HAS_POSTGRES
#include "harness/postgres_cluster.hpp"
#endif
#include "gateway_under_test.hpp"

namespace smsgw::bench {

#if SMSGW_BENCH_HAS_POSTGRES
using SharedStore = harness::PostgresCluster;

// The cluster, or none after printing why it could not start.
inline std::unique_ptr<SharedStore> start_shared_store() {
  if (!harness::postgres_installed()) {
    std::fprintf(stderr, "--postgres: %s\n", harness::postgres_missing_reason().c_str());
    return nullptr;
  }
  try {
    return std::make_unique<SharedStore>();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "--postgres: %s\n", e.what());
    return nullptr;
  }
}
#else
struct SharedStore {
  std::string url() const { return {}; }
  std::filesystem::path password_file() const { return {}; }
  std::filesystem::path data_dir() const { return {}; }
};

inline std::unique_ptr<SharedStore> start_shared_store() {
  std::fprintf(stderr, "--postgres: this build has no test harness (configure with tests)\n");
  return nullptr;
}
#endif

// Gateway `n` of `nodes`: its own folder under `dir` (`dir` itself for one node) and, with a
// shared store, [store] url, password_file and [node] name "node-<n>".
inline void place_node(GatewayOptions& g, const std::filesystem::path& dir, int nodes, int n,
                       const SharedStore* database) {
  g.dir = nodes == 1 ? dir : dir / ("node-" + std::to_string(n));
  if (database == nullptr) return;
  g.store_url = database->url();
  g.password_file = database->password_file();
  g.node_name = "node-" + std::to_string(n);
}

}  // namespace smsgw::bench
