// Kannel delivery reports of /cgi-bin/sendsms messages: which status change is which DLR
// type, and the dlr-url with Kannel's escapes expanded (pure).
//
// Types (Kannel gw/dlr.h, the dlr-mask bits): 1 delivered to the phone, 2 not delivered to
// the phone, 4 queued on the SMSC (buffered), 8 delivered to the SMSC, 16 not delivered to
// the SMSC. smsgw's statuses map as follows (README "Kannel-compatible sendsms"):
//   sent                                   -> 8
//   delivered                              -> 1
//   failed after a part left, expired      -> 2
//   failed before any part left, cancelled -> 16, also when the mask asks for 2 only (as
//                                             Kannel's bearerbox does for an SMSC reject)
//   queued, sending, unknown               -> none (4 is never sent: a modem gives no
//                                             intermediate "buffered" state)
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace smsgw::gateway {

inline constexpr int kDlrDelivered = 1;
inline constexpr int kDlrUndelivered = 2;
inline constexpr int kDlrBuffered = 4;
inline constexpr int kDlrSmscSuccess = 8;
inline constexpr int kDlrSmscFail = 16;

// The DLR type a message's new `status` is, when `mask` asks for it; none otherwise.
// `left` says whether any part of the message left through a modem (was accepted by the
// network). The store's trigger sendsms_dlr (src/store/migrations.cpp) applies the same
// rules in SQL when it writes the call's row: change both together.
std::optional<int> dlr_type_for(std::string_view status, bool left, std::uint32_t mask);

// What the escapes of one DLR call stand for.
struct DlrFacts {
  int type = 0;                              // %d
  std::string receiver;                      // %p (%q): the receiver as the client gave it
  std::string sender;                        // %P (%Q): `from` as the client gave it
  std::chrono::system_clock::time_point at;  // %t, %T: when the status changed
  std::string smsc_id;     // %i: the modem the message left through (may be empty)
  std::string message_id;  // %I: the smsgw message id
  std::string answer;      // %A, %b (%a, %k, %s, %S, %r: its words)
  std::string service;     // %n: the [[client]] name
  int coding = 0;          // %c: 0 (GSM 7-bit) or 2 (UCS-2), as the message is encoded
  int mclass = -1;         // %m: 0 for flash, -1 (Kannel's "undefined") otherwise
  std::string foreign_id;  // %F: the TP-MR of its first part, when known
  std::string dlr_url;     // %R: the dlr-url itself
};

// The answer text (%A) smsgw gives for each type: "ACK/" (8), "NACK/<error>" (16),
// "DELIVRD" (1), "UNDELIV/<error>" or "EXPIRED" (2).
std::string dlr_answer(int type, std::string_view status, std::string_view error);

// Kannel's octstr_url_encode: letters, digits and -_.!~*'() stay, a space is '+', every
// other byte %XX (upper-case hex).
std::string kannel_url_encode(std::string_view text);

// Kannel's urltrans_fill_escape_codes for a DLR: %d %p %P %q %Q %t ("YYYY-MM-DD+HH:MM:SS",
// UTC; '+' being a space in a query) %T %i %I %A %a %b %k %s %S %r %n %c %m %F %R %C and %%
// expanded (values URL-encoded as Kannel does, %S not); %B %D %f %o %u %v %V %M %O and
// %#group#param# expand to nothing (smsgw has no such value); any other %x is kept as is,
// as is a '%' ending the pattern.
std::string expand_dlr_url(std::string_view pattern, const DlrFacts& facts);

}  // namespace smsgw::gateway
