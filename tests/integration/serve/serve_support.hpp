// Helpers shared by the serve suites: a harness that checks the clean stop, and readers of
// the simulator's sent.jsonl.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "harness/serve_harness.hpp"

namespace smsgw::serve_test {

using nlohmann::json;
using namespace std::chrono_literals;

// The sent.jsonl records addressed to `to`, in the order the simulator accepted them.
inline std::vector<json> sent_to(const harness::Simulator& sim, const std::string& to) {
  std::vector<json> out;
  for (auto& record : sim.sent()) {
    if (record.value("to", "") == to) out.push_back(std::move(record));
  }
  return out;
}

// Records per modem index.
inline std::map<int, int> count_by_modem(const std::vector<json>& records) {
  std::map<int, int> counts;
  for (const auto& record : records) ++counts[record.at("modem").get<int>()];
  return counts;
}

// The harness, plus: whatever a test did, serve must still stop cleanly on SIGTERM (exit
// code 0) at its end.
class Gateway : public harness::ServeHarness {
 public:
  explicit Gateway(harness::HarnessOptions options = {}) : ServeHarness(std::move(options)) {}
  ~Gateway() {
    if (gateway_running()) {
      const int code = stop_gateway();
      EXPECT_EQ(code, 0) << "smsgw serve did not stop cleanly\n" << gateway_log_tail();
    }
  }
};

// Options whose [routing] fallback is "none": a message waits for a SIM of its own operator.
inline harness::HarnessOptions with_fallback_none() {
  harness::HarnessOptions options;
  options.configure = [](harness::GatewayConfig& config) {
    config.tables["routing"]["fallback"] = harness::toml_string("none");
  };
  return options;
}

// A distinct destination per test and message: prefix + zero-padded number.
inline std::string number(const std::string& prefix, int n) {
  std::string digits = std::to_string(n);
  return prefix + std::string(7 - std::min<std::size_t>(7, digits.size()), '0') + digits;
}

}  // namespace smsgw::serve_test
