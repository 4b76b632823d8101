// Bounds-checked sequential reading of a PDU's octets. Every failure is an Error whose
// message starts with the octet offset ("octet 12: ..."), counted from the first octet of
// the whole PDU (the SMSC length octet), so errors point into the modem's hex.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "smsgw/common/result.hpp"

namespace smsgw::pdu::detail {

// "octet <offset>: <what>" with the given code.
inline Error error_at(std::size_t offset, std::string code, std::string_view what) {
  return make_error(std::move(code), "octet " + std::to_string(offset) + ": " + std::string(what));
}

class OctetReader {
 public:
  explicit OctetReader(std::span<const std::uint8_t> octets) : octets_(octets) {}

  std::size_t offset() const { return offset_; }
  std::size_t remaining() const { return octets_.size() - offset_; }
  bool at_end() const { return offset_ == octets_.size(); }

  // One octet named `what` ("TP-MR"); "pdu.truncated" when the PDU ends before it.
  Result<std::uint8_t> octet(std::string_view what) {
    if (at_end()) return truncated(what, 1);
    return octets_[offset_++];
  }

  // `count` octets named `what`; "pdu.truncated" when fewer remain.
  Result<std::span<const std::uint8_t>> octets(std::size_t count, std::string_view what) {
    if (count > remaining()) return truncated(what, count);
    auto slice = octets_.subspan(offset_, count);
    offset_ += count;
    return slice;
  }

 private:
  Error truncated(std::string_view what, std::size_t wanted) const {
    return error_at(offset_, "pdu.truncated",
                    std::string(what) + " needs " + std::to_string(wanted) + " octet" +
                        (wanted == 1 ? "" : "s") + " but the PDU ends after " +
                        std::to_string(octets_.size()) + " octets");
  }

  std::span<const std::uint8_t> octets_;
  std::size_t offset_ = 0;
};

}  // namespace smsgw::pdu::detail

// Unwraps a Result into `name` or returns its Error from the enclosing function.
#define PDU_TRY(name, expr)                                         \
  auto name##_result = (expr);                                      \
  if (!name##_result.ok()) return std::move(name##_result).error(); \
  auto name = std::move(name##_result).value()
