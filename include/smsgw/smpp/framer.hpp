// Framer: cuts a TCP byte stream into whole SMPP PDUs (SMPP 3.4 section 3.2: every PDU
// starts with its 4-octet big-endian command_length, which counts the whole PDU).
//
// Contract: feed() takes bytes in chunks of any size; next() yields each whole PDU once, in
// order, or nothing while one is incomplete. A command_length under 16 (the header alone)
// or over the maximum is a Failure with ESME_RINVCMDLEN: framing is lost, so the session
// answers generic_nack and closes. The failure is sticky: every later next() repeats it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "smsgw/smpp/failure.hpp"

namespace smsgw::smpp {

// The default maximum command_length: the largest legitimate PDU is a submit_sm or
// deliver_sm carrying a message_payload TLV of 65535 octets (5.3.2.32) plus the header
// and mandatory fields (under 300 octets), so 64 KiB + 1 KiB. Anything larger is a
// broken or hostile peer; a session may configure less (no one needs message_payload
// beyond a few KiB) to bound the memory a bind can hold.
inline constexpr std::uint32_t kDefaultMaxCommandLength = 65536 + 1024;

class Framer {
 public:
  explicit Framer(std::uint32_t max_command_length = kDefaultMaxCommandLength);

  // Appends received octets. Ignored once framing failed.
  void feed(std::span<const std::uint8_t> octets);

  // The next whole PDU (header included), nullopt when more octets are needed, or the
  // framing Failure (field "command_length").
  Outcome<std::optional<std::vector<std::uint8_t>>> next();

  // Octets received but not yet yielded.
  std::size_t buffered() const { return buffer_.size() - start_; }
  bool failed() const { return failure_.has_value(); }

 private:
  std::uint32_t max_;
  std::vector<std::uint8_t> buffer_;
  std::size_t start_ = 0;  // where the next PDU starts in buffer_
  std::optional<Failure> failure_;
};

}  // namespace smsgw::smpp
