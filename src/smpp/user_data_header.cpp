#include "user_data_header.hpp"

#include <cstdio>
#include <string>

namespace smsgw::smpp::detail {
namespace {

constexpr std::uint8_t kConcat8 = 0x00;       // TS 23.040 9.2.3.24.1
constexpr std::uint8_t kConcat16 = 0x08;      // TS 23.040 9.2.3.24.8
constexpr std::uint8_t kSingleShift = 0x24;   // TS 23.040 9.2.3.24.15
constexpr std::uint8_t kLockingShift = 0x25;  // TS 23.040 9.2.3.24.16

Failure bad_length(std::string_view field, std::size_t offset, const std::string& why) {
  return Failure{CommandStatus::esme_rinvmsglen, std::string(field),
                 "octet " + std::to_string(offset) + " of " + std::string(field) +
                     ": user data header " + why + " (TS 23.040 9.2.3.24)"};
}

std::string hex_octet(unsigned value) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02X", value & 0xFFu);
  return text;
}

std::optional<pdu::NationalLanguage> language(std::uint8_t code) {
  switch (code) {
    case static_cast<std::uint8_t>(pdu::NationalLanguage::turkish):
    case static_cast<std::uint8_t>(pdu::NationalLanguage::spanish):
    case static_cast<std::uint8_t>(pdu::NationalLanguage::portuguese):
      return static_cast<pdu::NationalLanguage>(code);
    default:
      return std::nullopt;  // no tables for it: the default alphabet
  }
}

}  // namespace

Outcome<UserDataHeader> read_user_data_header(std::span<const std::uint8_t> message,
                                              std::string_view field) {
  if (message.empty()) {
    return bad_length(field, 0, "expected (esm_class has UDHI) but the message is empty");
  }
  const std::size_t udhl = message[0];
  if (1 + udhl > message.size()) {
    return bad_length(field, 0,
                      "length (UDHL) " + std::to_string(udhl) + " runs past the " +
                          std::to_string(message.size()) + "-octet message");
  }
  UserDataHeader header;
  header.length = 1 + udhl;
  struct Concat {
    std::uint16_t ref;
    unsigned total;
    unsigned seq;
    std::size_t offset;
  };
  std::optional<Concat> concat;
  std::size_t at = 1;
  while (at < header.length) {
    if (at + 2 > header.length) {
      return bad_length(field, at, "ends inside an information element (IEI without its length)");
    }
    const std::uint8_t iei = message[at];
    const std::size_t iel = message[at + 1];
    const std::size_t data = at + 2;
    if (data + iel > header.length) {
      return bad_length(field, at,
                        "information element " + hex_octet(iei) + " of length " +
                            std::to_string(iel) + " runs past the UDHL " + std::to_string(udhl));
    }
    const auto need = [&](std::size_t size, const char* name) -> std::optional<Failure> {
      if (iel == size) return std::nullopt;
      return bad_length(field, at,
                        std::string(name) + " information element has length " +
                            std::to_string(iel) + ", not " + std::to_string(size));
    };
    if (iei == kConcat8) {
      if (auto failure = need(3, "concatenation (IEI 0x00)")) return *failure;
      concat = Concat{message[data], message[data + 1], message[data + 2], at};
    } else if (iei == kConcat16) {
      if (auto failure = need(4, "concatenation (IEI 0x08)")) return *failure;
      concat = Concat{static_cast<std::uint16_t>((message[data] << 8) | message[data + 1]),
                      message[data + 2], message[data + 3], at};
    } else if (iei == kSingleShift) {
      if (auto failure = need(1, "single shift (IEI 0x24)")) return *failure;
      header.tables.single = language(message[data]);
    } else if (iei == kLockingShift) {
      if (auto failure = need(1, "locking shift (IEI 0x25)")) return *failure;
      header.tables.locking = language(message[data]);
    }
    at = data + iel;
  }
  if (concat) {
    if (concat->total == 0 || concat->seq == 0 || concat->seq > concat->total) {
      return Failure{CommandStatus::esme_rsubmitfail, std::string(field),
                     "octet " + std::to_string(concat->offset) + " of " + std::string(field) +
                         ": concatenation information element says part " +
                         std::to_string(concat->seq) + " of " + std::to_string(concat->total) +
                         "; parts are numbered 1 to the total (TS 23.040 9.2.3.24.1)"};
    }
    if (concat->total > 1) {
      header.part = ClientPart{concat->ref, static_cast<std::uint8_t>(concat->total),
                               static_cast<std::uint8_t>(concat->seq)};
    }
  }
  return header;
}

}  // namespace smsgw::smpp::detail
