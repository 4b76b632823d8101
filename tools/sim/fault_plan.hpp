// FaultPlan: the random (but seeded, so reproducible) decisions of one modem: which
// send fails and how, where garbage and noise go, latency jitter. Pure.
#pragma once

#include <cstdint>
#include <random>
#include <string>

#include "modem_config.hpp"

namespace smsgw::sim {

enum class SendFault { none, cms_error, lost_answer, swallow };

struct SendDecision {
  SendFault fault = SendFault::none;
  int cms_code = 0;  // for cms_error
};

class FaultPlan {
 public:
  explicit FaultPlan(std::uint64_t seed) : rng_(seed) {}

  // Decides the fate of the next accepted PDU. "next N" counters in `faults` count down
  // and win over probabilities; CMS errors win over lost answers.
  SendDecision decide_send(FaultConfig& faults);

  bool chance(double probability);
  // Uniform in [low, high].
  int uniform(int low, int high);
  // Base latency with +-jitter, never negative.
  int jittered(int base_ms, int jitter_ms);
  // 1..8 random bytes that are not CR, LF, '>' or Ctrl-Z (so they never fake a line end
  // or a prompt; they are noise a driver must skip).
  std::string garbage();

 private:
  std::mt19937_64 rng_;
  std::size_t next_code_ = 0;
};

}  // namespace smsgw::sim
