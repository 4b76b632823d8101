// Bounds-checked reading and writing of SMPP 3.4 field types (section 3.1: big-endian
// Integers, NUL-terminated C-Octet Strings, Octet Strings). Every read failure is a
// Failure naming the field and the octet offset from the start of the PDU.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smsgw/smpp/failure.hpp"

namespace smsgw::smpp::detail {

inline Failure fail_at(CommandStatus status, std::size_t offset, std::string_view field,
                       std::string_view what) {
  return Failure{
      status, std::string(field),
      "octet " + std::to_string(offset) + ": " + std::string(field) + " " + std::string(what)};
}

// Section 7.1.1: a time is NULL (empty) or 16 characters "YYMMDDhhmmsstnnp": twelve
// digits, tenths t, quarter-hours nn from UTC, and p one of '+', '-' (absolute) or 'R'
// (relative).
inline bool is_smpp_time(std::string_view text) {
  if (text.empty()) return true;
  if (text.size() != 16) return false;
  for (std::size_t i = 0; i < 15; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return text[15] == '+' || text[15] == '-' || text[15] == 'R';
}

class Reader {
 public:
  Reader(std::span<const std::uint8_t> pdu, std::size_t offset) : pdu_(pdu), offset_(offset) {}

  std::size_t offset() const { return offset_; }
  std::size_t remaining() const { return pdu_.size() - offset_; }
  bool at_end() const { return offset_ == pdu_.size(); }

  Outcome<std::uint8_t> u8(std::string_view field) {
    if (remaining() < 1) return truncated(field, 1);
    return pdu_[offset_++];
  }

  Outcome<std::uint16_t> u16(std::string_view field) {
    if (remaining() < 2) return truncated(field, 2);
    auto value = static_cast<std::uint16_t>((pdu_[offset_] << 8) | pdu_[offset_ + 1]);
    offset_ += 2;
    return value;
  }

  Outcome<std::span<const std::uint8_t>> bytes(std::size_t count, std::string_view field) {
    if (remaining() < count) return truncated(field, count);
    auto slice = pdu_.subspan(offset_, count);
    offset_ += count;
    return slice;
  }

  // A C-Octet String of at most `max` octets with its NUL. No NUL within `max` octets is
  // ESME_RINVPARLEN (the field is too long); the PDU ending first is ESME_RINVCMDLEN.
  Outcome<std::string> cstring(std::string_view field, std::size_t max) {
    const std::size_t limit = remaining() < max ? remaining() : max;
    for (std::size_t i = 0; i < limit; ++i) {
      if (pdu_[offset_ + i] == 0) {
        std::string text(pdu_.begin() + static_cast<std::ptrdiff_t>(offset_),
                         pdu_.begin() + static_cast<std::ptrdiff_t>(offset_ + i));
        offset_ += i + 1;
        return text;
      }
    }
    if (remaining() >= max) {
      return fail_at(CommandStatus::esme_rinvparlen, offset_, field,
                     "has no NUL within its maximum of " + std::to_string(max) +
                         " octets (at most " + std::to_string(max - 1) + " characters)");
    }
    return fail_at(CommandStatus::esme_rinvcmdlen, offset_, field,
                   "has no terminating NUL before the end of the PDU (command_length " +
                       std::to_string(pdu_.size()) + ")");
  }

 private:
  Failure truncated(std::string_view field, std::size_t wanted) const {
    return fail_at(CommandStatus::esme_rinvcmdlen, offset_, field,
                   "needs " + std::to_string(wanted) + " octet" + (wanted == 1 ? "" : "s") +
                       " but command_length " + std::to_string(pdu_.size()) + " leaves " +
                       std::to_string(remaining()));
  }

  std::span<const std::uint8_t> pdu_;
  std::size_t offset_;
};

class Writer {
 public:
  std::vector<std::uint8_t> octets;

  void u8(std::uint8_t value) { octets.push_back(value); }
  void u16(std::uint16_t value) {
    octets.push_back(static_cast<std::uint8_t>(value >> 8));
    octets.push_back(static_cast<std::uint8_t>(value & 0xFF));
  }
  void u32(std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) {
      octets.push_back(static_cast<std::uint8_t>((value >> shift) & 0xFF));
    }
  }
  void bytes(std::span<const std::uint8_t> value) {
    octets.insert(octets.end(), value.begin(), value.end());
  }
  // A C-Octet String of at most `max` octets with its NUL; a failure (ESME_RINVPARLEN)
  // for a longer value or one holding a NUL, which would not decode to itself.
  std::optional<Failure> cstring(std::string_view field, std::string_view value, std::size_t max) {
    if (value.size() + 1 > max || value.find('\0') != std::string_view::npos) {
      return Failure{CommandStatus::esme_rinvparlen, std::string(field),
                     std::string(field) + " must be at most " + std::to_string(max - 1) +
                         " characters without NUL, got " + std::to_string(value.size())};
    }
    octets.insert(octets.end(), value.begin(), value.end());
    octets.push_back(0);
    return std::nullopt;
  }
};

}  // namespace smsgw::smpp::detail

// Unwraps an Outcome into `name` or returns its Failure from the enclosing function.
#define SMPP_TRY(name, expr)                                          \
  auto name##_outcome = (expr);                                       \
  if (!name##_outcome.ok()) return std::move(name##_outcome).error(); \
  auto name = std::move(name##_outcome).value()
