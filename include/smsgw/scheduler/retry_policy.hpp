// What happens after a send fails: retry when, where, or give up; and when a SIM that keeps
// failing is benched.
//
// How the dispatcher uses this (one failing message or SIM never holds up the others):
// - A failed message gets a RetryAt: it goes back into the queue with
//   MessageView::not_before = at and avoid_sims = the returned list; the dispatcher moves
//   on to the next message at once. The policy never sleeps; nothing waits on a message.
// - Each SIM has a SimHealth. After `failures_to_bench` consecutive failures the SIM is
//   benched (SimView::benched_until) and SelectionPolicy routes around it; the other SIMs
//   carry on. A success resets the count; the SIM returns by itself when the bench ends.
// - The failure class comes from classify_send_error(error); the dispatcher may pass
//   a better one when it knows more (a timeout before the "> " prompt means nothing was
//   transmitted: retry_other_sim rather than unknown_outcome).
//
// Pure: time and randomness are parameters.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "smsgw/common/result.hpp"
#include "smsgw/scheduler/local_calendar.hpp"
#include "smsgw/scheduler/message_status.hpp"

namespace smsgw::scheduler {

enum class FailureClass {
  retry_soon,       // transient (congestion, SIM busy): same or another SIM, after back-off
  retry_other_sim,  // this SIM cannot send now (barred, no service, no credit): another SIM
  permanent,        // the message itself is refused (unassigned number, invalid PDU)
  unknown_outcome,  // it may have been sent (timeout after the PDU went out)
};
std::string_view to_string(FailureClass);  // "retry_soon", "retry_other_sim", ...

// The class of a send error by its kind (error_code.hpp): `cms` and `cme` with a number
// ("cms.<n>", "cme.<n>") by the cause table (smsgw/causes/causes.hpp: TS 24.011 Annex E-2,
// TS 23.040 9.2.3.22, TS 27.005 3.2.5, TS 27.007 9.2.1); at_timeout, at_io, at_closed
// unknown_outcome; at_error retry_other_sim; the families pdu ("pdu.*"), route ("route.*")
// and number ("number.*") permanent. Anything else, and numbers the cause table lacks,
// retry_other_sim.
FailureClass classify_send_error(const Error& error);

struct RetryOptions {
  std::uint32_t max_attempts = 5;  // sends of one message in all, the first included
  Clock::duration backoff_initial = std::chrono::seconds(10);
  Clock::duration backoff_max = std::chrono::minutes(10);
  double backoff_factor = 2.0;  // delay = initial * factor^(attempt-1), at most backoff_max
  double jitter = 0.2;          // the delay varies by +-20 %, by the injected random value
  // unknown_outcome: true resends (a recipient may get it twice; store.at_least_once),
  // false leaves the part "unknown" without resending (no duplicates).
  bool resend_unknown_outcome = false;
};

// One failed send of a message.
struct FailedAttempt {
  std::uint32_t attempts_made = 1;  // sends so far, this one included
  std::string sim;                  // the SIM it failed on
  Error error;                      // as the modem layer reported it
  FailureClass failure = FailureClass::retry_other_sim;
  std::vector<std::string> avoid_sims;  // the message's avoid list before this failure
  std::optional<TimePoint> expires_at;  // validity end, if any
};

// Queue it again: not before `at`, avoiding `avoid_sims` (SelectionPolicy rule 5). The
// failed SIM joins avoid_sims unless the failure is retry_soon and the cause row's
// retry_limit (causes.hpp), if it has one, is not yet reached by attempts_made.
struct RetryAt {
  TimePoint at;
  std::vector<std::string> avoid_sims;
};
// Final: the message is `status` (failed or expired) with `error`.
struct GiveUp {
  MessageStatus status = MessageStatus::failed;
  Error error;
};
// Final for this part without resending: its outcome is unknown (store status "unknown").
struct LeaveUnknown {
  Error error;
};
using RetryDecision = std::variant<RetryAt, GiveUp, LeaveUnknown>;

class RetryPolicy {
 public:
  explicit RetryPolicy(RetryOptions options = {});

  [[nodiscard]] const RetryOptions& options() const { return options_; }

  // `random01` is a uniform value in [0, 1) from the caller's generator (jitter).
  [[nodiscard]] RetryDecision after_failure(const FailedAttempt& attempt, TimePoint now,
                                            double random01) const;

  // The delay before attempt `attempts_made + 1`, jitter included.
  [[nodiscard]] Clock::duration backoff(std::uint32_t attempts_made, double random01) const;

 private:
  RetryOptions options_;
};

struct HealthOptions {
  std::uint32_t failures_to_bench = 3;  // consecutive failures; 0 = never bench
  Clock::duration cooldown = std::chrono::minutes(10);
};

// One SIM's run of failures. Permanent failures are the message's fault and do not count.
class SimHealth {
 public:
  explicit SimHealth(HealthOptions options = {});
  // New thresholds (a config reload); the failures counted and a bench in force stay.
  void set_options(const HealthOptions& options) { options_ = options; }

  void record_success();
  // Counts a failure; returns the end of the bench when this failure benches the SIM (the
  // count then starts again from 0 for the time after the bench).
  std::optional<TimePoint> record_failure(FailureClass failure, TimePoint now);

  [[nodiscard]] std::uint32_t consecutive_failures() const { return failures_; }
  [[nodiscard]] TimePoint benched_until() const { return benched_until_; }
  [[nodiscard]] bool benched(TimePoint now) const { return now < benched_until_; }

 private:
  HealthOptions options_;
  std::uint32_t failures_ = 0;
  TimePoint benched_until_{};
};

}  // namespace smsgw::scheduler
