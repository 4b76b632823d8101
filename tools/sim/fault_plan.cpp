#include "fault_plan.hpp"

#include <algorithm>

namespace smsgw::sim {

SendDecision FaultPlan::decide_send(FaultConfig& faults) {
  auto cms = [&] {
    const auto& codes = faults.cms_error_codes;
    const int code = codes.empty() ? 500 : codes[next_code_++ % codes.size()];
    return SendDecision{SendFault::cms_error, code};
  };
  if (faults.cms_error_next > 0) {
    --faults.cms_error_next;
    return cms();
  }
  if (faults.lost_answer_next > 0) {
    --faults.lost_answer_next;
    return {SendFault::lost_answer, 0};
  }
  if (chance(faults.cms_error_probability)) return cms();
  if (chance(faults.lost_answer_probability)) return {SendFault::lost_answer, 0};
  if (chance(faults.swallow_probability)) return {SendFault::swallow, 0};
  return {};
}

bool FaultPlan::chance(double probability) {
  if (probability <= 0) return false;
  if (probability >= 1) return true;
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < probability;
}

int FaultPlan::uniform(int low, int high) {
  if (high <= low) return low;
  return std::uniform_int_distribution<int>(low, high)(rng_);
}

int FaultPlan::jittered(int base_ms, int jitter_ms) {
  if (jitter_ms <= 0) return std::max(0, base_ms);
  return std::max(0, base_ms + uniform(-jitter_ms, jitter_ms));
}

std::string FaultPlan::garbage() {
  std::string bytes;
  const int count = uniform(1, 8);
  while (static_cast<int>(bytes.size()) < count) {
    const auto byte = static_cast<char>(uniform(1, 255));
    if (byte == '\r' || byte == '\n' || byte == '>' || byte == '\x1a') continue;
    bytes += byte;
  }
  return bytes;
}

}  // namespace smsgw::sim
