// ULID (Universally Unique Lexicographically Sortable Identifier): 26 characters of
// Crockford base32, 48 bits of milliseconds since the Unix epoch then 80 random bits.
// Sorting ids as strings sorts them by creation time.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace smsgw::store {

class UlidGenerator {
 public:
  UlidGenerator();
  // A new id for `now`. Monotonic: within one millisecond (or if the clock steps back)
  // the random part of the previous id is incremented, so ids never repeat or go back.
  std::string next(std::chrono::system_clock::time_point now);

 private:
  std::mt19937_64 random_;
  std::uint64_t last_ms_ = 0;
  std::array<std::uint8_t, 10> last_random_{};
};

// The smallest ULID of the millisecond of `time` (random part all zero): every id generated
// at or after `time` sorts at or above it.
std::string ulid_floor(std::chrono::system_clock::time_point time);

// The time encoded in a ULID, or none when `id` is not a ULID.
std::optional<std::chrono::system_clock::time_point> ulid_time(std::string_view id);

}  // namespace smsgw::store
