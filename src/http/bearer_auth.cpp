#include "smsgw/http/bearer_auth.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <utility>

namespace smsgw::http {

namespace {

constexpr std::pair<std::string_view, Scope> kScopeNames[] = {{"send", Scope::send},
                                                              {"read", Scope::read},
                                                              {"modems", Scope::modems},
                                                              {"admin", Scope::admin}};

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

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr std::uint8_t kAllScopes = 0x0f;

}  // namespace

std::optional<Scope> scope_from_name(std::string_view name) {
  for (const auto& [text, scope] : kScopeNames) {
    if (text == name) return scope;
  }
  return std::nullopt;
}

std::string_view scope_name(Scope scope) {
  for (const auto& [text, value] : kScopeNames) {
    if (value == scope) return text;
  }
  return "none";
}

Caller local_caller() { return Caller{"local", kAllScopes, false}; }

BearerCredential BearerCredential::admin_token(std::size_t index, std::string_view token) {
  return BearerCredential{Caller{"http.tokens[" + std::to_string(index) + "]", kAllScopes, false},
                          sha256(token)};
}

BearerCredential BearerCredential::client_token(std::string name, std::uint8_t scopes,
                                                std::string_view token) {
  return BearerCredential{Caller{std::move(name), scopes, true}, sha256(token)};
}

std::optional<BearerCredential> BearerCredential::client_digest(std::string name,
                                                                std::uint8_t scopes,
                                                                std::string_view sha256_hex) {
  BearerCredential credential{Caller{std::move(name), scopes, true}, {}};
  if (sha256_hex.size() != credential.digest.size() * 2) return std::nullopt;
  for (std::size_t i = 0; i < credential.digest.size(); ++i) {
    const int high = hex_value(sha256_hex[2 * i]);
    const int low = hex_value(sha256_hex[2 * i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    credential.digest[i] = static_cast<unsigned char>(high * 16 + low);
  }
  return credential;
}

BearerAuth::BearerAuth(const std::vector<std::string>& tokens) {
  credentials_.reserve(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    credentials_.push_back(BearerCredential::admin_token(i, tokens[i]));
  }
}

BearerAuth BearerAuth::of(std::vector<BearerCredential> credentials) {
  BearerAuth auth;
  auth.credentials_ = std::move(credentials);
  return auth;
}

std::optional<Caller> BearerAuth::identify(std::string_view authorization) const {
  if (!enabled()) return local_caller();
  const auto space = authorization.find(' ');
  if (space == std::string_view::npos || !is_bearer_scheme(authorization.substr(0, space))) {
    return std::nullopt;
  }
  auto token = authorization.substr(space + 1);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
  if (token.empty()) return std::nullopt;
  const auto presented = sha256(token);
  const BearerCredential* match = nullptr;
  for (const auto& credential : credentials_) {
    const bool same =
        CRYPTO_memcmp(presented.data(), credential.digest.data(), credential.digest.size()) == 0;
    if (same && match == nullptr) match = &credential;
  }
  if (match == nullptr) return std::nullopt;
  return match->caller;
}

}  // namespace smsgw::http
