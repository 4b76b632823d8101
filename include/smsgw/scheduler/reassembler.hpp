// Reassembler: the parts of long inbound messages back into one message.
//
// - Parts belong together when they arrived on the same SIM from the same sender with
//   the same concatenation reference, reference width (8-bit IE 0x00 or 16-bit IE 0x08,
//   3GPP TS 23.040 9.2.3.24.1 / 9.2.3.24.8) and total. They may arrive in any order.
// - A repeated part number within a group is a duplicate and dropped (the first copy
//   wins). So is a copy of a part of a group completed less than `timeout` ago, when its
//   text is identical (modems repeat +CMT/+CMTI); a different text starts a new group.
// - When the last missing part arrives, add() returns the message with the texts joined
//   in part order.
// - A group still incomplete `timeout` after its first part is delivered by expire() as
//   it is: the parts that arrived, joined in part order with nothing in the gaps,
//   complete = false and missing_parts naming the gaps. A part arriving later starts a
//   new group (and is delivered on its own, incomplete, after its own timeout).
// - More than `max_pending` groups: the oldest is delivered incomplete at once (bounded
//   memory whatever a sender does).
// - A part without a concatenation IE, with total 1, or with a part number of 0 or above
//   the total (which 9.2.3.24.1 says to ignore) is a message on its own.
//
// Pure: time is a parameter; state lives in memory (after a restart the dispatcher feeds
// the stored parts of unfinished groups back through add()).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "smsgw/scheduler/local_calendar.hpp"

namespace smsgw::scheduler {

struct ConcatInfo {
  std::uint32_t ref = 0;
  bool sixteen_bit_ref = false;
  std::uint32_t part = 1;  // 1-based
  std::uint32_t total = 1;
};

struct InboundPart {
  std::string sim;
  std::string sender;
  std::optional<ConcatInfo> concat;
  std::string text;  // this part's decoded text (UTF-8), or its bytes for 8-bit data
  TimePoint received_at;
};

struct InboundMessage {
  std::string sim;
  std::string sender;
  std::string text;
  bool complete = true;
  std::uint32_t total_parts = 1;
  std::vector<std::uint32_t> missing_parts;  // 1-based, ascending; empty when complete
  TimePoint first_received_at;
  TimePoint last_received_at;
};

struct ReassemblyOptions {
  Clock::duration timeout = std::chrono::hours(1);
  std::size_t max_pending = 10000;
};

class Reassembler {
 public:
  explicit Reassembler(ReassemblyOptions options = {});

  // The messages this part completes: none (waiting for more, or a duplicate), the
  // message it completes or is on its own, and possibly an oldest group evicted to keep
  // max_pending.
  std::vector<InboundMessage> add(InboundPart part);

  // Groups whose first part arrived `timeout` or more before `now`, delivered incomplete.
  std::vector<InboundMessage> expire(TimePoint now);

  // When expire() will next have something to deliver; std::nullopt when nothing pends.
  [[nodiscard]] std::optional<TimePoint> next_expiry() const;

  [[nodiscard]] std::size_t pending() const { return groups_.size(); }

 private:
  using Key = std::tuple<std::string, std::string, bool, std::uint32_t, std::uint32_t>;
  struct Group {
    std::map<std::uint32_t, std::string> parts;  // part number -> text
    TimePoint first_received_at;
    TimePoint last_received_at;
  };
  struct Completed {
    std::map<std::uint32_t, std::string> parts;
    TimePoint forget_at;
  };

  static InboundMessage finish(const Key& key, const Group& group);
  void forget_completed(TimePoint now);

  ReassemblyOptions options_;
  std::map<Key, Group> groups_;
  std::map<Key, Completed> completed_;  // recently completed groups, for duplicates
};

}  // namespace smsgw::scheduler
