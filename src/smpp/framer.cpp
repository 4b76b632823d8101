// Framing of an SMPP 3.4 byte stream by command_length (section 3.2).
#include "smsgw/smpp/framer.hpp"

#include "smsgw/smpp/command.hpp"

namespace smsgw::smpp {

Framer::Framer(std::uint32_t max_command_length) : max_(max_command_length) {}

void Framer::feed(std::span<const std::uint8_t> octets) {
  if (failure_) return;
  // Drop what was already yielded before growing, so the buffer holds at most one
  // partial PDU plus the new chunk.
  if (start_ > 0) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(start_));
    start_ = 0;
  }
  buffer_.insert(buffer_.end(), octets.begin(), octets.end());
}

Outcome<std::optional<std::vector<std::uint8_t>>> Framer::next() {
  if (failure_) return *failure_;
  if (buffered() < 4) return std::optional<std::vector<std::uint8_t>>{};
  const std::uint8_t* at = buffer_.data() + start_;
  const std::uint32_t length = (std::uint32_t{at[0]} << 24) | (std::uint32_t{at[1]} << 16) |
                               (std::uint32_t{at[2]} << 8) | std::uint32_t{at[3]};
  if (length < kHeaderLength || length > max_) {
    failure_ =
        Failure{CommandStatus::esme_rinvcmdlen, "command_length",
                "command_length " + std::to_string(length) +
                    (length < kHeaderLength ? " is shorter than the 16-octet header"
                                            : " is over the maximum of " + std::to_string(max_)) +
                    "; framing is lost"};
    buffer_.clear();
    start_ = 0;
    return *failure_;
  }
  if (buffered() < length) return std::optional<std::vector<std::uint8_t>>{};
  std::vector<std::uint8_t> pdu(at, at + length);
  start_ += length;
  if (start_ == buffer_.size()) {
    buffer_.clear();
    start_ = 0;
  }
  return std::optional<std::vector<std::uint8_t>>{std::move(pdu)};
}

}  // namespace smsgw::smpp
