// PartSender: what sending needs from a modem, and nothing more: its snapshot (id, state,
// SIM identity) and the send of one part. ModemActor implements it; the gateway's
// Dispatcher holds modems only through it, so it can be tested with a scripted modem.
//
// Contract (the implementation's, relied on by the caller):
// - send() sends one PDU and reports its outcome: `sent` with the TP-MR; `failed` when
//   nothing left, or the network refused it; `unknown` when the PDU was written but no
//   answer came (it may have been sent). Not ready, or a send already in flight: `failed`
//   with "modem.not_ready", before anything is written.
// - The caller sends the parts of a message one by one, through one PartSender, and stops
//   at the first that is not `sent`.
// - snapshot() stays valid as long as the PartSender; single-threaded (the io_context's).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "smsgw/common/net.hpp"
#include "smsgw/common/result.hpp"
#include "smsgw/modem/snapshot.hpp"
#include "smsgw/pdu/pdu.hpp"

namespace smsgw::modem {

struct PartResult {
  enum class Outcome { sent, failed, unknown };
  Outcome outcome = Outcome::failed;
  std::uint8_t mr = 0;  // TP-MR from +CMGS (sent)
  // failed / unknown: what happened ("cms.38", "at.timeout"). What to do about a failure
  // is the retry policy's decision (scheduler/retry_policy.hpp); an unknown outcome must
  // not be resent silently.
  std::optional<Error> error;
};
std::string_view to_string(PartResult::Outcome);  // "sent" | "failed" | "unknown"

class PartSender {
 public:
  virtual ~PartSender() = default;

  [[nodiscard]] virtual const ModemSnapshot& snapshot() const = 0;
  // Sends one part (AT+CMGS for a modem); see the contract above.
  virtual awaitable<PartResult> send(pdu::SubmitPart part) = 0;
};

}  // namespace smsgw::modem
