#include "smsgw/scheduler/retry_policy.hpp"

#include <algorithm>
#include <cmath>

#include "smsgw/causes/causes.hpp"

namespace smsgw::scheduler {
namespace {

using FC = FailureClass;

// Kinds `cms` / `cme` with a number: the one cause table (smsgw/causes/causes.hpp) decides.
FailureClass from_cause(causes::SendClass send_class) {
  switch (send_class) {
    case causes::SendClass::retry_soon:
      return FC::retry_soon;
    case causes::SendClass::retry_other_sim:
      return FC::retry_other_sim;
    case causes::SendClass::permanent:
      return FC::permanent;
  }
  return FC::retry_other_sim;
}

// Error kinds of other layers; a family (pdu, route, number) covers all its codes.
struct KindClass {
  ErrorCode kind;
  FailureClass failure;
};
constexpr KindClass kKindClasses[] = {
    {ErrorCode::at_timeout, FC::unknown_outcome},  // the PDU may have gone out before the silence
    {ErrorCode::at_io, FC::unknown_outcome},       // port lost mid-send (unplugged)
    {ErrorCode::at_closed, FC::unknown_outcome},
    {ErrorCode::at_error, FC::retry_other_sim},  // plain ERROR: the modem refused the command
    {ErrorCode::pdu, FC::permanent},             // the message cannot be encoded
    {ErrorCode::route, FC::permanent},
    {ErrorCode::number, FC::permanent},
};

// The cause row's retry_limit for a `cms` / `cme` error with a number, else 0 (none).
int same_sim_retry_limit(const Error& error) {
  if (!error.number) return 0;
  const causes::CauseRow* row = nullptr;
  if (error.kind == ErrorCode::cms) row = causes::find_cms(*error.number);
  if (error.kind == ErrorCode::cme) row = causes::find_cme(*error.number);
  return row != nullptr ? row->retry_limit : 0;
}

}  // namespace

std::string_view to_string(FailureClass failure) {
  switch (failure) {
    case FC::retry_soon:
      return "retry_soon";
    case FC::retry_other_sim:
      return "retry_other_sim";
    case FC::permanent:
      return "permanent";
    case FC::unknown_outcome:
      return "unknown_outcome";
  }
  return "retry_other_sim";
}

FailureClass classify_send_error(const Error& error) {
  if (error.kind == ErrorCode::cms && error.number) {
    return from_cause(causes::cms_class(*error.number));
  }
  if (error.kind == ErrorCode::cme && error.number) {
    return from_cause(causes::cme_class(*error.number));
  }
  const ErrorCode family = family_of(error.kind);
  for (const auto& entry : kKindClasses) {
    if (entry.kind == family) return entry.failure;
  }
  return FC::retry_other_sim;  // unknown codes: this SIM/modem, not the message
}

RetryPolicy::RetryPolicy(RetryOptions options) : options_(options) {}

Clock::duration RetryPolicy::backoff(std::uint32_t attempts_made, double random01) const {
  using Seconds = std::chrono::duration<double>;
  const double initial = Seconds(options_.backoff_initial).count();
  const double max = Seconds(options_.backoff_max).count();
  const double exponent = attempts_made == 0 ? 0.0 : static_cast<double>(attempts_made - 1);
  double delay = std::min(max, initial * std::pow(options_.backoff_factor, exponent));
  const double r = std::clamp(random01, 0.0, 1.0);
  delay *= 1.0 + options_.jitter * (2.0 * r - 1.0);
  delay = std::clamp(delay, 0.0, max);
  return std::chrono::duration_cast<Clock::duration>(Seconds(delay));
}

RetryDecision RetryPolicy::after_failure(const FailedAttempt& attempt, TimePoint now,
                                         double random01) const {
  const std::string last = attempt.error.code + ": " + attempt.error.message;
  switch (attempt.failure) {
    case FC::permanent:
      return GiveUp{MessageStatus::failed, attempt.error};
    case FC::unknown_outcome:
      if (!options_.resend_unknown_outcome) {
        return LeaveUnknown{make_error("send.unknown_outcome",
                                       "the modem may have sent it; not resent (" + last + ")")};
      }
      break;
    case FC::retry_soon:
    case FC::retry_other_sim:
      break;
  }
  if (attempt.attempts_made >= options_.max_attempts) {
    return GiveUp{MessageStatus::failed,
                  make_error("send.attempts_exhausted", "gave up after " +
                                                            std::to_string(attempt.attempts_made) +
                                                            " attempts; last: " + last)};
  }
  const TimePoint at = now + backoff(attempt.attempts_made, random01);
  if (attempt.expires_at && at >= *attempt.expires_at) {
    return GiveUp{
        MessageStatus::expired,
        make_error("send.expired", "validity ends before the next attempt; last: " + last)};
  }
  std::vector<std::string> avoid = attempt.avoid_sims;
  // retry_soon stays on this SIM, unless its cause row has a retry_limit that the attempts
  // so far have reached: then the SIM is as suspect as the message, and it moves.
  const int limit = same_sim_retry_limit(attempt.error);
  const bool move = attempt.failure != FC::retry_soon ||
                    (limit > 0 && attempt.attempts_made >= static_cast<std::uint32_t>(limit));
  if (move && !attempt.sim.empty() &&
      std::find(avoid.begin(), avoid.end(), attempt.sim) == avoid.end()) {
    avoid.push_back(attempt.sim);
  }
  return RetryAt{at, std::move(avoid)};
}

SimHealth::SimHealth(HealthOptions options) : options_(options) {}

void SimHealth::record_success() { failures_ = 0; }

std::optional<TimePoint> SimHealth::record_failure(FailureClass failure, TimePoint now) {
  if (failure == FC::permanent) return std::nullopt;
  ++failures_;
  if (options_.failures_to_bench == 0 || failures_ < options_.failures_to_bench) {
    return std::nullopt;
  }
  failures_ = 0;
  benched_until_ = now + options_.cooldown;
  return benched_until_;
}

}  // namespace smsgw::scheduler
