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
// - per_month counts parts since the first day of the local month; a message that does not
//   fit waits for the next local month.
// - recipients_per_day counts distinct recipients since local midnight: a message to a
//   number this SIM already sent to today always fits; one to a new number waits for the
//   next local midnight once the count is reached.
// - A limit that is absent means "no limit"; 0 means "nothing may be sent".
// - Effective limits are the operator's limits overridden key by key by the modem's
//   (merge_limits).
//
// Pure: time is a parameter. Call record() when the parts are handed to the modem, also
// when the send then fails or its outcome is unknown: the carrier may have counted them.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "smsgw/scheduler/local_calendar.hpp"

namespace smsgw::scheduler {

struct Limits {
  std::optional<std::uint32_t> per_minute;
  std::optional<std::uint32_t> per_day;
  std::optional<std::uint32_t> per_month{};
  std::optional<std::uint32_t> recipients_per_day{};
  friend bool operator==(const Limits&, const Limits&) = default;
};

// `base` with every key that `override_with` sets replaced by that value
// (operator defaults, then the modem's own limits).
Limits merge_limits(const Limits& base, const Limits& override_with);

class RateLimiter {
 public:
  explicit RateLimiter(Limits limits = {}, LocalCalendar calendar = {});

  [[nodiscard]] const Limits& limits() const { return limits_; }
  // New limits (a reload, a SIM's own settings); what was counted so far stays counted.
  void set_limits(const Limits& limits) { limits_ = limits; }

  // The earliest instant at or after `now` when a message of `parts` parts to `recipient`
  // (empty: a recipient already counted) may start, or std::nullopt when it never can
  // (parts > per_day or per_month, or a limit of 0).
  [[nodiscard]] std::optional<TimePoint> earliest(TimePoint now, std::uint32_t parts = 1,
                                                  std::string_view recipient = {}) const;

  // earliest(now, parts, recipient) == now.
  [[nodiscard]] bool can_send(TimePoint now, std::uint32_t parts = 1,
                              std::string_view recipient = {}) const;

  // What one record() charged, for refund().
  struct Charge {
    TimePoint next_start_before{};
    std::int64_t day = 0;
    std::int64_t month = 0;
    std::uint32_t parts = 0;
    std::string new_recipient;  // a recipient it added to today's; empty: none
  };
  // Charges `parts` sent at `now` to `recipient` to every limit.
  Charge record(TimePoint now, std::uint32_t parts, std::string_view recipient = {});
  // Undoes `charge`, the latest record(), when its parts never reached the modem (another
  // node claimed the message first): the rate's next start is as before it, its parts leave
  // the day and the month they were counted in, and a recipient it added is removed.
  void refund(const Charge& charge);

  // Parts sent on the local day containing `now`.
  [[nodiscard]] std::uint32_t sent_today(TimePoint now) const;

  // Parts still allowed on the local day containing `now`; std::nullopt without per_day.
  [[nodiscard]] std::optional<std::uint32_t> remaining_today(TimePoint now) const;

  // Share of today's per_day still free, 0.0..1.0 (1.0 without per_day). For load balancing.
  [[nodiscard]] double day_headroom(TimePoint now) const;

  // Parts sent in the local month containing `now`; distinct recipients today.
  [[nodiscard]] std::uint32_t sent_this_month(TimePoint now) const;
  [[nodiscard]] std::size_t recipients_today(TimePoint now) const;

  // After a restart: the store's count of parts this SIM sent today (local day of `now`).
  void restore_sent_today(TimePoint now, std::uint32_t parts);
  // After a restart: this month's parts and today's recipients as the store counted them.
  void restore_usage(TimePoint now, std::uint32_t sent_today, std::uint32_t sent_this_month,
                     std::vector<std::string> recipients_today);

  // The local calendar the limits count days and months in.
  [[nodiscard]] const LocalCalendar& calendar() const { return calendar_; }

 private:
  void roll(TimePoint now);

  Limits limits_;
  LocalCalendar calendar_;
  TimePoint next_start_{};  // GCRA theoretical arrival time
  std::int64_t day_ = 0;    // local day that day_count_ and recipients_ belong to
  std::uint32_t day_count_ = 0;
  std::int64_t month_ = 0;  // local month that month_count_ belongs to
  std::uint32_t month_count_ = 0;
  std::set<std::string, std::less<>> recipients_;
};

}  // namespace smsgw::scheduler
