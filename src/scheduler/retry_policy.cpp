#include "smsgw/scheduler/retry_policy.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace smsgw::scheduler {
namespace {

using FC = FailureClass;

struct CodeClass {
  int code;
  FailureClass failure;
};

// +CMS ERROR values with a class other than their range's default (see cms_class()).
// 0-127: RP-cause, 3GPP TS 24.011 8.2.5.4 / Table 8.4 (MO short message transfer).
// 128-255: TP-FCS, 3GPP TS 23.040 9.2.3.22. 300-: ME/network errors, TS 27.005 3.2.5.
// Follows the +CMS ERROR policy in the project's AT reference (shared/reference/at-protocol.md),
// except that errors of this modem's network or SIM (331, 500) move to another SIM.
constexpr CodeClass kCmsClasses[] = {
    {1, FC::permanent},           // unassigned (unallocated) number
    {8, FC::retry_other_sim},     // operator determined barring (e.g. no credit)
    {10, FC::retry_other_sim},    // call barred
    {21, FC::permanent},          // short message transfer rejected
    {27, FC::permanent},          // destination out of service
    {28, FC::permanent},          // unidentified subscriber
    {29, FC::permanent},          // facility rejected
    {30, FC::permanent},          // unknown subscriber
    {38, FC::retry_other_sim},    // network out of order: "likely to last"; another network
    {41, FC::retry_soon},         // temporary failure
    {42, FC::retry_soon},         // congestion
    {47, FC::retry_soon},         // resources unavailable, unspecified
    {50, FC::retry_other_sim},    // requested facility not subscribed
    {69, FC::retry_other_sim},    // requested facility not implemented
    {81, FC::retry_soon},         // invalid short message transfer reference value
    {95, FC::permanent},          // invalid message, unspecified
    {96, FC::permanent},          // invalid mandatory information
    {97, FC::permanent},          // message type non-existent or not implemented
    {98, FC::permanent},          // message not compatible with short message protocol state
    {99, FC::permanent},          // information element non-existent or not implemented
    {111, FC::permanent},         // protocol error, unspecified
    {127, FC::retry_soon},        // interworking, unspecified
    {0xC0, FC::retry_soon},       // SC busy
    {0xC1, FC::retry_other_sim},  // no SC subscription
    {0xC2, FC::retry_soon},       // SC system failure
    {0xC3, FC::permanent},        // invalid SME address
    {0xC4, FC::permanent},        // destination SME barred
    {0xC5, FC::permanent},        // SM rejected: duplicate SM (the first one was accepted)
    {0xC6, FC::permanent},        // TP-VPF not supported
    {0xC7, FC::permanent},        // TP-VP not supported
    {300, FC::retry_other_sim},   // ME failure
    {301, FC::retry_soon},        // SMS service of ME reserved
    {302, FC::retry_other_sim},   // operation not allowed
    {303, FC::retry_other_sim},   // operation not supported
    {304, FC::permanent},         // invalid PDU mode parameter
    {305, FC::permanent},         // invalid text mode parameter
    {314, FC::retry_soon},        // (U)SIM busy
    {330, FC::retry_other_sim},   // SMSC address unknown
    {331, FC::retry_other_sim},   // no network service (on this modem)
    {332, FC::retry_soon},        // network timeout (the SC may have it: a duplicate is possible)
    {500, FC::retry_other_sim},   // unknown error
    {512, FC::retry_soon},        // vendor: radio link lost / congestion / MT SMS collision
    {513, FC::retry_soon},       {514, FC::retry_soon}, {515, FC::retry_soon},  // vendor: busy
};

FailureClass cms_class(int code) {
  for (const auto& entry : kCmsClasses) {
    if (entry.code == code) return entry.failure;
  }
  if (code >= 0x80 && code <= 0xBF) return FC::permanent;  // TP-PID/DCS/command/TPDU errors
  return FC::retry_other_sim;
}

// Error codes of other layers, whole code or "prefix." for a family.
struct NamedClass {
  std::string_view code;
  FailureClass failure;
};
constexpr NamedClass kNamedClasses[] = {
    {"at.timeout", FC::unknown_outcome},  // the PDU may have gone out before the silence
    {"at.io", FC::unknown_outcome},       // port lost mid-send (unplugged)
    {"at.closed", FC::unknown_outcome},
    {"at.error", FC::retry_other_sim},  // plain ERROR: the modem refused the command
    {"cme.14", FC::retry_soon},         // SIM busy (TS 27.007 9.2.1)
    {"pdu.", FC::permanent},            // the message cannot be encoded
    {"route.", FC::permanent},
    {"number.", FC::permanent},
};

std::optional<int> number_after(std::string_view code, std::string_view prefix) {
  if (!code.starts_with(prefix)) return std::nullopt;
  const auto digits = code.substr(prefix.size());
  int value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  return value;
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

FailureClass classify_send_error(std::string_view error_code) {
  if (const auto cms = number_after(error_code, "cms.")) return cms_class(*cms);
  for (const auto& entry : kNamedClasses) {
    const bool family = entry.code.ends_with('.');
    if (family ? error_code.starts_with(entry.code) : error_code == entry.code) {
      return entry.failure;
    }
  }
  return FC::retry_other_sim;  // cme.*, unknown codes: this SIM/modem, not the message
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
  const bool move = attempt.failure != FC::retry_soon;
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
