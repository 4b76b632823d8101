// Helpers for the SMPP codec tests: PDUs written as spaced hex ("00 00 00 10 ...").
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "smsgw/smpp/pdu.hpp"

namespace smsgw::smpp::test {

// "00 00 00 10" -> {0, 0, 0, 0x10}; spaces are ignored.
inline Bytes hex(std::string_view text) {
  Bytes out;
  int high = -1;
  for (char c : text) {
    if (c == ' ' || c == '\n') continue;
    const int v = (c >= '0' && c <= '9')   ? c - '0'
                  : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                  : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                           : -1;
    EXPECT_GE(v, 0) << "bad hex character " << c;
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<std::uint8_t>(high * 16 + v));
      high = -1;
    }
  }
  EXPECT_LT(high, 0) << "odd number of hex digits";
  return out;
}

inline Bytes text_bytes(std::string_view text) { return Bytes(text.begin(), text.end()); }

// decode(encode(pdu)) == pdu and encode(decode(octets)) == octets for the given octets.
inline void expect_round_trip(const Pdu& pdu) {
  auto encoded = encode(pdu);
  ASSERT_TRUE(encoded.ok()) << encoded.error().message;
  auto decoded = decode(*encoded);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(*decoded, pdu);
  auto again = encode(*decoded);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *encoded);
}

inline Failure decode_failure(const Bytes& octets) {
  auto decoded = decode(octets);
  EXPECT_FALSE(decoded.ok());
  if (decoded.ok()) return {};
  return decoded.error();
}

}  // namespace smsgw::smpp::test
