// Bearer-token authentication (RFC 6750 2.1: "Authorization: Bearer <token>").
//
// Contract: allows() compares the presented token with every configured token in constant
// time: both sides are hashed with SHA-256 and the digests compared with CRYPTO_memcmp, so
// neither the contents nor the length of a token leaks through timing, and every configured
// token is compared (no early exit). With no tokens configured, enabled() is false and
// allows() accepts everything.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace smsgw::http {

class BearerAuth {
 public:
  explicit BearerAuth(const std::vector<std::string>& tokens);

  [[nodiscard]] bool enabled() const noexcept { return !digests_.empty(); }

  // `authorization` is the whole Authorization header value ("" when absent). The scheme
  // name is case-insensitive (RFC 9110 11.1).
  [[nodiscard]] bool allows(std::string_view authorization) const;

 private:
  std::vector<std::array<unsigned char, 32>> digests_;
};

}  // namespace smsgw::http
