#include "smsgw/store/ulid.hpp"

#include <algorithm>

namespace smsgw::store {
namespace {

// Crockford's base32 alphabet (no I, L, O, U).
constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int decode_char(char c) {
  for (int i = 0; i < 32; ++i) {
    if (kAlphabet[i] == c) return i;
  }
  return -1;
}

}  // namespace

UlidGenerator::UlidGenerator() : random_(std::random_device{}()) {}

std::string UlidGenerator::next(std::chrono::system_clock::time_point now) {
  auto ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count());
  ms &= (std::uint64_t{1} << 48) - 1;
  if (ms <= last_ms_ && last_ms_ != 0) {
    // Same millisecond (or the clock went back): keep the time, increment the random part.
    ms = last_ms_;
    for (int i = 9; i >= 0; --i) {
      if (++last_random_[static_cast<std::size_t>(i)] != 0) break;
    }
  } else {
    const std::uint64_t a = random_();
    const std::uint64_t b = random_();
    for (std::size_t i = 0; i < 8; ++i) last_random_[i] = static_cast<std::uint8_t>(a >> (8 * i));
    last_random_[8] = static_cast<std::uint8_t>(b);
    last_random_[9] = static_cast<std::uint8_t>(b >> 8);
    // Leave headroom so that increments within one millisecond never overflow.
    last_random_[0] &= 0x7f;
  }
  last_ms_ = ms;

  std::string out(26, '0');
  // 48-bit time -> 10 characters (the first holds 3 bits).
  for (int i = 9; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = kAlphabet[ms & 31];
    ms >>= 5;
  }
  // 80 random bits -> 16 characters.
  int bits = 0;
  std::uint32_t buffer = 0;
  std::size_t pos = 10;
  for (const std::uint8_t byte : last_random_) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out[pos++] = kAlphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

std::string ulid_floor(std::chrono::system_clock::time_point time) {
  const auto since_epoch =
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  auto ms = static_cast<std::uint64_t>(std::max<std::int64_t>(0, since_epoch));
  ms &= (std::uint64_t{1} << 48) - 1;
  std::string out(26, '0');
  for (int i = 9; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = kAlphabet[ms & 31];
    ms >>= 5;
  }
  return out;
}

std::optional<std::chrono::system_clock::time_point> ulid_time(std::string_view id) {
  if (id.size() != 26) return std::nullopt;
  std::uint64_t ms = 0;
  for (std::size_t i = 0; i < 26; ++i) {
    const int value = decode_char(id[i]);
    if (value < 0 || (i == 0 && value > 7)) return std::nullopt;
    if (i < 10) ms = (ms << 5) | static_cast<std::uint64_t>(value);
  }
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::milliseconds(ms)));
}

}  // namespace smsgw::store
