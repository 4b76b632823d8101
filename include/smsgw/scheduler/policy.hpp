// SelectionPolicy: which SIM carries a message, and which message a free SIM takes.
//
// Rules (contract.md, Config and routing; docs/scheduling.md):
// 1. Pins first. A message pinned to a modem goes through that modem only (routing and
//    the avoid list do not apply); a modem id the dispatcher does not know fails the
//    message ("route.unknown_modem"). Pinned to an operator: only SIMs of that operator.
// 2. On-net first. A message whose destination belongs to operator X goes through a SIM of
//    X when one can take it now: ready, not busy, not paused, not benched, and within its
//    rate limits for all the message's parts.
// 3. Fallback. When no SIM of X can take it now: with Fallback::any, once the message has
//    waited `fallback_wait` since it first became eligible, any other SIM that can; with
//    Fallback::none never (the message waits with a reason such as
//    "no on-net SIM for operator X is ready"). A destination of no known operator may go
//    through any SIM.
// 4. Load. Among the SIMs allowed at the same tier: the smallest queue, then the most
//    per_day headroom left, then round-robin (a cursor per group of SIMs) so that SIMs
//    of one operator share the load evenly.
// 5. Avoid list. SIMs a message failed on (RetryPolicy) are skipped while another SIM
//    that is ready and not paused could carry it; when none could, they are used again,
//    so a message with a single possible SIM is retried there instead of stalling.
// 6. Parts. All parts of a message leave through one SIM; a message with more parts than
//    the per_day limit of every SIM that may carry it fails ("route.too_many_parts").
//
// Efficiency: choose_sim() is O(SIMs). choose_message() is O(SIMs) to summarise the fleet,
// then O(1) per candidate it skips (an off-net candidate past its fallback wait also scans
// the on-net SIMs that are free now); it stops at the first hit. The dispatcher calls it
// with its queue ordered by (priority desc, age) (200 SIMs x 100k messages).
//
// Pure: time is a parameter, SIM and message state are views owned by the caller.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "smsgw/common/result.hpp"
#include "smsgw/scheduler/rate_limiter.hpp"

namespace smsgw::scheduler {

enum class Fallback { any, none };

struct RoutingOptions {
  Fallback fallback = Fallback::any;
  // How long a message waits for an on-net SIM before another SIM may take it, counted
  // from MessageView::eligible_since.
  Clock::duration fallback_wait = std::chrono::seconds(5);
};

// One SIM (one modem) as the dispatcher sees it now.
struct SimView {
  std::string id;                        // modem id, as in the API
  std::string operator_name;             // OperatorTable::for_imsi(); empty = unknown
  bool ready = false;                    // initialised and registered
  bool busy = false;                     // a send is in flight (one per modem)
  bool paused = false;                   // e.g. balance below the operator's low_balance
  TimePoint benched_until{};             // SimHealth: no sends before this instant
  const RateLimiter* limiter = nullptr;  // nullptr = no limits
  std::size_t queue = 0;                 // messages waiting for this SIM only (load)
};

// One queued message as the policy needs it.
struct MessageView {
  std::string destination_operator;  // OperatorTable::for_destination(); empty = none
  std::uint32_t parts = 1;
  std::string recipient;                // normalised +E.164 (limits.recipients_per_day)
  std::string pinned_modem;             // empty = not pinned
  std::string pinned_operator;          // empty = not pinned
  TimePoint eligible_since{};           // first instant it could be sent (send_at or creation)
  TimePoint not_before{};               // retry back-off: not before this instant
  std::vector<std::string> avoid_sims;  // SIM ids it failed on (RetryPolicy)
};

// Send through sims[sim]. `off_net` when the SIM is not of the destination's operator.
struct SendVia {
  std::size_t sim = 0;
  bool off_net = false;
  friend bool operator==(const SendVia&, const SendVia&) = default;
};
// Nothing can carry it now. `until`: the earliest instant the answer may change by the
// clock alone (a limit or bench ending, the fallback wait passing); std::nullopt when only
// a SIM event can change it (ready, free, unpaused). `reason` is one sentence for the API.
struct WaitUntil {
  std::optional<TimePoint> until;
  std::string reason;
};
// It can never be sent as asked; the message fails with this error.
struct FailNow {
  Error error;
};
using Decision = std::variant<SendVia, WaitUntil, FailNow>;

class SelectionPolicy {
 public:
  explicit SelectionPolicy(RoutingOptions options = {});

  [[nodiscard]] const RoutingOptions& options() const { return options_; }

  // The decision for `message` given every SIM the dispatcher knows (also those not
  // ready, so that a pinned modem that is merely absent waits instead of failing).
  // Advances the round-robin cursor of the chosen group when it answers SendVia.
  Decision choose_sim(const MessageView& message, std::span<const SimView> sims, TimePoint now);

  // For the free SIM sims[sim]: the index of the first message in `candidates` it may
  // carry now, or std::nullopt. A message of operator X is left for X's SIMs while one
  // of them can take it now or its fallback wait has not passed.
  [[nodiscard]] std::optional<std::size_t> choose_message(std::size_t sim,
                                                          std::span<const SimView> sims,
                                                          std::span<const MessageView> candidates,
                                                          TimePoint now) const;

 private:
  RoutingOptions options_;
  std::map<std::string, std::string, std::less<>> last_chosen_;  // group -> SIM id
};

// "2024-03-05T08:00:00Z": instants in reasons and logs.
std::string format_utc(TimePoint t);

}  // namespace smsgw::scheduler
