// ClientQuota: an API client's submission limits ([[client]] limits), counted in SMS parts
// when a submission is accepted.
//
// - per_minute is a token bucket of per_minute parts that refills at per_minute parts a
//   minute: a client may submit a batch of up to per_minute parts at once, and on average
//   no more than per_minute a minute.
// - per_day counts parts accepted since the last local midnight (LocalCalendar).
// - A submission that does not fit is refused whole (nothing is charged), with the instant
//   it would fit; one larger than per_minute or per_day never fits.
// Pure: time is a parameter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "smsgw/scheduler/local_calendar.hpp"

namespace smsgw::scheduler {

struct ClientLimits {
  std::optional<std::uint32_t> per_minute;
  std::optional<std::uint32_t> per_day;
};

class ClientQuota {
 public:
  explicit ClientQuota(ClientLimits limits = {}, LocalCalendar calendar = {});

  struct Accepted {};
  struct RetryAt {
    TimePoint at;
    std::string reason;  // "60 parts per minute", for the client's error message
  };
  struct Never {
    std::string reason;
  };
  using Decision = std::variant<Accepted, RetryAt, Never>;

  // Charges `parts` at `now` when they fit; otherwise charges nothing.
  Decision take(TimePoint now, std::uint32_t parts);

  // Gives back `parts` taken at `now` (the submission was not stored after all).
  void refund(TimePoint now, std::uint32_t parts);

  // After a restart: parts this client submitted on the local day of `now`.
  void restore_today(TimePoint now, std::uint32_t parts);
  // New limits (a reload); what was counted stays counted.
  void set_limits(const ClientLimits& limits);

  [[nodiscard]] std::uint32_t submitted_today(TimePoint now) const;

 private:
  double tokens_at(TimePoint now) const;

  ClientLimits limits_;
  LocalCalendar calendar_;
  double tokens_ = 0;      // bucket content at filled_at_
  TimePoint filled_at_{};  // epoch = full bucket
  std::int64_t day_ = 0;
  std::uint32_t day_count_ = 0;
};

}  // namespace smsgw::scheduler
