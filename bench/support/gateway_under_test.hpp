// The real `smsgw serve` for a benchmark: a working folder with a generated smsgw.toml and
// database, and, when modems are asked for, `smsgw-sim` with that many modems.
//
// Contract:
// - The constructor returns once the API answers /healthz and every simulated modem is
//   `ready`; it throws std::runtime_error (with the end of the gateway's log) otherwise.
// - With modems == 0 the [[modem]] port glob matches nothing: no modem, the dispatcher idles.
// - The destructor stops the gateway (SIGTERM, clean stop) and then the simulator.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "http_connection.hpp"
#include "process.hpp"

namespace smsgw::bench {

struct GatewayOptions {
  std::filesystem::path dir;  // working folder: smsgw.toml, smsgw.db, logs, sim/
  int modems = 0;
  // The simulator's config "defaults" (tools/sim/README.md), e.g. {"send_latency_ms": 200}.
  nlohmann::json sim_defaults = nlohmann::json::object();
  std::string log_level = "info";
  std::string extra_toml;  // appended to the generated smsgw.toml
  std::vector<int> serve_cpus;
  std::vector<int> sim_cpus;
  std::chrono::seconds ready_timeout{180};
  std::string smsgw = smsgw_binary();  // the binaries to run (e.g. an older build to compare)
  std::string sim = sim_binary();
  // A shared PostgreSQL store ([store] url, password_file) and this gateway's [node] name;
  // empty url: SQLite in `dir`. With a node name, ready_modems() counts this node's modems
  // only (GET /api/v1/modems lists every node's).
  std::string store_url;
  std::filesystem::path password_file;
  std::string node_name;
};

class GatewayUnderTest {
 public:
  explicit GatewayUnderTest(GatewayOptions options);
  ~GatewayUnderTest();
  GatewayUnderTest(const GatewayUnderTest&) = delete;
  GatewayUnderTest& operator=(const GatewayUnderTest&) = delete;

  [[nodiscard]] const asio::ip::tcp::endpoint& endpoint() const { return endpoint_; }
  [[nodiscard]] pid_t serve_pid() const { return serve_->pid(); }
  [[nodiscard]] pid_t sim_pid() const { return sim_ ? sim_->pid() : -1; }
  [[nodiscard]] const std::filesystem::path& config_path() const { return config_; }
  [[nodiscard]] std::filesystem::path sim_dir() const { return options_.dir / "sim"; }

  // Ready modems as GET /api/v1/modems reports them.
  int ready_modems() const;

 private:
  [[noreturn]] void fail(const std::string& what) const;

  GatewayOptions options_;
  std::filesystem::path config_;
  asio::ip::tcp::endpoint endpoint_;
  std::unique_ptr<ChildProcess> sim_;
  std::unique_ptr<ChildProcess> serve_;
};

// The gateway under test, or none after printing why it did not start to stderr (a bench's
// main then exits 1).
std::unique_ptr<GatewayUnderTest> start_gateway(GatewayOptions options);

// The sum of every sample of `family` whose labels contain `label` (e.g.
// `status="sent"`) in a Prometheus text page; labels "" matches every sample.
double prometheus_sum(std::string_view page, std::string_view family, std::string_view label);

}  // namespace smsgw::bench
