#include "smsgw/http/bearer_auth.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace smsgw::http {

namespace {

std::array<unsigned char, 32> sha256(std::string_view text) {
  std::array<unsigned char, 32> digest{};
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha256(), nullptr);
  return digest;
}

bool is_bearer_scheme(std::string_view scheme) {
  constexpr std::string_view kBearer = "bearer";
  if (scheme.size() != kBearer.size()) return false;
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    char c = scheme[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kBearer[i]) return false;
  }
  return true;
}

}  // namespace

BearerAuth::BearerAuth(const std::vector<std::string>& tokens) {
  digests_.reserve(tokens.size());
  for (const auto& token : tokens) digests_.push_back(sha256(token));
}

bool BearerAuth::allows(std::string_view authorization) const {
  if (!enabled()) return true;
  const auto space = authorization.find(' ');
  if (space == std::string_view::npos || !is_bearer_scheme(authorization.substr(0, space))) {
    return false;
  }
  auto token = authorization.substr(space + 1);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
  if (token.empty()) return false;
  const auto presented = sha256(token);
  int matches = 0;
  for (const auto& digest : digests_) {
    matches |= CRYPTO_memcmp(presented.data(), digest.data(), digest.size()) == 0 ? 1 : 0;
  }
  return matches != 0;
}

}  // namespace smsgw::http
