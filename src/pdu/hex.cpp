// Hex text <-> octets, as modems print PDUs (TS 27.005 3.1: <pdu> in hexadecimal).
#include <string>

#include "smsgw/pdu/pdu.hpp"

namespace smsgw::pdu {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string to_hex(const Bytes& bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0F]);
  }
  return out;
}

Result<Bytes> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) {
    return make_error("pdu.bad_hex", "octet " + std::to_string(hex.size() / 2) +
                                         ": the hex text ends in half an octet (" +
                                         std::to_string(hex.size()) + " digits)");
  }
  Bytes out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int high = hex_value(hex[i]);
    const int low = hex_value(hex[i + 1]);
    if (high < 0 || low < 0) {
      const std::size_t bad = high < 0 ? i : i + 1;
      const auto code = static_cast<unsigned char>(hex[bad]);
      std::string shown =
          (code >= 0x20 && code < 0x7F) ? std::string(1, hex[bad]) : "byte " + std::to_string(code);
      return make_error("pdu.bad_hex", "octet " + std::to_string(i / 2) + ": character " +
                                           std::to_string(bad) + " ('" + shown +
                                           "') is not a hex digit");
    }
    out.push_back(static_cast<std::uint8_t>(high << 4 | low));
  }
  return out;
}

}  // namespace smsgw::pdu
