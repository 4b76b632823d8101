// MessageOrigin: what a message submitted over SMPP (submit_sm) or Kannel's /cgi-bin/sendsms
// keeps for the answers its protocol owes later: the delivery receipt (deliver_sm, SMPP 3.4
// 4.6.1 and Appendix B) or the call of the client's dlr-url. Stored with the message in the
// submission's transaction (table message_origins); REST submissions have none.
#pragma once

#include <cstdint>
#include <string>

namespace smsgw {

struct MessageOrigin {
  std::string protocol;  // "smpp" or "sendsms"

  // smpp: registered_delivery as submitted (5.2.17; bits 0-1: 0 no receipt, 1 on success
  // or failure, 2 on failure only), and the submit_sm's addresses, which the receipt swaps.
  std::uint8_t registered_delivery = 0;
  std::string source_addr;
  std::uint8_t source_ton = 0;
  std::uint8_t source_npi = 0;
  std::string dest_addr;
  std::uint8_t dest_ton = 0;
  std::uint8_t dest_npi = 0;

  // sendsms: Kannel's dlr-url (escapes not yet expanded) and dlr-mask (1 delivered,
  // 2 undelivered, 4 buffered, 8 accepted by the SMSC, 16 rejected by the SMSC).
  std::string dlr_url;
  std::uint32_t dlr_mask = 0;

  friend bool operator==(const MessageOrigin&, const MessageOrigin&) = default;
};

}  // namespace smsgw
