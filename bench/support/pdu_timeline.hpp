// When each PDU reached a simulated modem (smsgw-sim's sent.jsonl), and the steady rate
// those times show.
//
// Why per modem: with no jitter the modems of a run answer in step, so PDUs arrive in
// waves, one per send latency. A rate counted between two samples of the running total
// ("PDUs at 10 % to 90 %, over the time between") counts k waves over a span that may
// hold k + 1 wave periods, and reads up to 1/(k+1) low (about 0.04 for 25 waves) however
// busy the modems were. Each modem's own rate, from its first to its last PDU in that
// window, has no such edge; their sum is the bank's rate.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace smsgw::bench {

struct PduStart {
  std::string modem;  // log path + modem index: unique across simulators
  double at = 0;      // seconds since the Unix epoch ("time", millisecond resolution)
};

// Every line of `sent_jsonl` (lines that are not JSON or lack modem/time are skipped).
std::vector<PduStart> read_pdu_starts(const std::filesystem::path& sent_jsonl);

// Between the PDUs at 10 % and 90 % of all (in time order), the sum over modems of each
// one's rate: (its PDUs in the window - 1) / (its last - its first). 0 when too few.
double per_modem_steady_rate(const std::vector<PduStart>& starts);

}  // namespace smsgw::bench
