// The user data header at the start of a submit_sm's message when esm_class has UDHI
// (SMPP 3.4 5.2.12 bit 6; TS 23.040 9.2.3.24): UDHL, then information elements
// IEI, IEL, data. Pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "sm_text.hpp"
#include "smsgw/smpp/failure.hpp"
#include "smsgw/smpp/submit_spec.hpp"

namespace smsgw::smpp::detail {

struct UserDataHeader {
  std::size_t length = 0;          // octets the header takes, UDHL included
  std::optional<ClientPart> part;  // from a concatenation IE (0x00 or 0x08)
  Gsm7Tables tables;               // national language shift IEs (0x24, 0x25)
};

// Reads the header at the start of `message` (the octets of `field`).
// - IEI 0x00 (9.2.3.24.1: ref, total, seq; 3 octets) and IEI 0x08 (9.2.3.24.8: 16-bit ref,
//   total, seq; 4 octets) -> `part`; when repeated, the last one counts (9.2.3.24). A
//   total of 1 with seq 1 is a whole message (no `part`). Total 0, seq 0 or seq > total ->
//   ESME_RSUBMITFAIL: the receiving entity would ignore such an IE, and sending the part as
//   a message of its own is not what the client meant.
// - IEI 0x24 / 0x25 (9.2.3.24.15/16: single / locking shift, 1 octet) with a language the
//   PDU module has tables for -> `tables`; other languages keep the default tables.
// - Every other IE is skipped.
// - No UDHL octet, a UDHL past the end of the message, an IE running past the UDHL, or a
//   concatenation / shift IE of the wrong length -> ESME_RINVMSGLEN naming the octet.
Outcome<UserDataHeader> read_user_data_header(std::span<const std::uint8_t> message,
                                              std::string_view field);

}  // namespace smsgw::smpp::detail
