// RateLimiter: one SIM's send limits (contract.md: limits = { per_minute, per_day }).
//
// - Counting: every SMS part is one message, because the carrier bills and throttles each
//   part as one SMS. A 3-part message uses 3 of per_day and 3 per-minute slots.
// - per_minute is a smooth rate, not a window: the Generic Cell Rate Algorithm (a leaky
//   bucket) with emission interval 60 s / per_minute and a burst of 1. After a message of
//   n parts starts at t, the next may start at max(t, previous allowance) + n * interval.
//   The parts of one message leave back to back (they must all go through one SIM, and a
//   concatenated message is only readable once all parts arrived); the spacing afterwards
//   keeps the long-run rate at per_minute.
// - per_day counts parts since the last LOCAL midnight (LocalCalendar). A message whose
//   parts do not fit in today's remainder waits for the next local midnight; one with more
//   parts than per_day can never be sent through this SIM (earliest() says std::nullopt).
// - A limit that is absent means "no limit"; 0 means "nothing may be sent".
// - Effective limits are the operator's limits overridden key by key by the modem's
//   (merge_limits).
//
// Pure: time is a parameter. Call record() when the parts are handed to the modem, also
// when the send then fails or its outcome is unknown: the carrier may have counted them.
#pragma once

#include <cstdint>
#include <optional>

#include "smsgw/scheduler/local_calendar.hpp"

namespace smsgw::scheduler {

struct Limits {
  std::optional<std::uint32_t> per_minute;
  std::optional<std::uint32_t> per_day;
  friend bool operator==(const Limits&, const Limits&) = default;
};

// `base` with every key that `override_with` sets replaced by that value
// (operator defaults, then the modem's own limits).
Limits merge_limits(const Limits& base, const Limits& override_with);

class RateLimiter {
 public:
  explicit RateLimiter(Limits limits = {}, LocalCalendar calendar = {});

  [[nodiscard]] const Limits& limits() const { return limits_; }

  // The earliest instant at or after `now` when a message of `parts` parts may start, or
  // std::nullopt when it never can (parts > per_day, or a limit of 0).
  [[nodiscard]] std::optional<TimePoint> earliest(TimePoint now, std::uint32_t parts = 1) const;

  // earliest(now, parts) == now.
  [[nodiscard]] bool can_send(TimePoint now, std::uint32_t parts = 1) const;

  // Charges `parts` sent at `now` to both limits.
  void record(TimePoint now, std::uint32_t parts);

  // Parts sent on the local day containing `now`.
  [[nodiscard]] std::uint32_t sent_today(TimePoint now) const;

  // Parts still allowed on the local day containing `now`; std::nullopt without per_day.
  [[nodiscard]] std::optional<std::uint32_t> remaining_today(TimePoint now) const;

  // Share of today's per_day still free, 0.0..1.0 (1.0 without per_day). For load balancing.
  [[nodiscard]] double day_headroom(TimePoint now) const;

  // After a restart: the store's count of parts this SIM sent today (local day of `now`).
  void restore_sent_today(TimePoint now, std::uint32_t parts);

 private:
  void roll_day(TimePoint now);

  Limits limits_;
  LocalCalendar calendar_;
  TimePoint next_start_{};  // GCRA theoretical arrival time
  std::int64_t day_ = 0;    // local day that day_count_ belongs to
  std::uint32_t day_count_ = 0;
};

}  // namespace smsgw::scheduler
