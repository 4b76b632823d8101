// The statuses of an outbound message and of its parts (contract.md), the one definition
// every module uses (the store persists them by name, the retry policy decides final ones,
// the gateway reports them).
//
// A message: queued -> sending -> sent -> delivered | failed; also expired and cancelled;
// `unknown` when a part's outcome is unknown and it is not sent again: it may have arrived,
// so the message is not `failed` (that means the network or the modem said no); a status
// report on its parts can still settle it.
// A part: queued -> sending -> sent -> delivered | failed; `unknown` = the PDU may or may
// not have left (a timeout after the PDU was written, or the process stopped mid-send).
// Which moves are allowed is written down once, in store/transitions.hpp.
#pragma once

#include <optional>
#include <string_view>

namespace smsgw::scheduler {

enum class MessageStatus { queued, sending, sent, delivered, failed, expired, cancelled, unknown };
enum class PartStatus { queued, sending, sent, delivered, failed, unknown };

// The names of the contract ("queued", "sending", ...), as stored and as the API shows them.
std::string_view to_string(MessageStatus status);
std::string_view to_string(PartStatus status);
std::optional<MessageStatus> parse_message_status(std::string_view text);
std::optional<PartStatus> parse_part_status(std::string_view text);

inline constexpr MessageStatus kAllMessageStatuses[] = {
    MessageStatus::queued,    MessageStatus::sending, MessageStatus::sent,
    MessageStatus::delivered, MessageStatus::failed,  MessageStatus::expired,
    MessageStatus::cancelled, MessageStatus::unknown};
inline constexpr PartStatus kAllPartStatuses[] = {PartStatus::queued, PartStatus::sending,
                                                  PartStatus::sent,   PartStatus::delivered,
                                                  PartStatus::failed, PartStatus::unknown};

// True for delivered, failed, expired and cancelled: nothing changes such a message except
// (for failed) late delivery reports on its parts. `unknown` is not final: a report may
// settle it.
bool is_final(MessageStatus status);

}  // namespace smsgw::scheduler
