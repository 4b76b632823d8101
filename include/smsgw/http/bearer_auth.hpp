// Bearer-token authentication (RFC 6750 2.1: "Authorization: Bearer <token>") and who the
// caller is: an admin token ([http] tokens) or an API client ([[client]]) with its scopes.
//
// Contract: identify() compares the presented token with every configured credential in
// constant time: the presented token is hashed with SHA-256 and compared with every stored
// digest with CRYPTO_memcmp, so neither the contents nor the length of a token leaks
// through timing, and every credential is compared (no early exit). A credential may be
// given as the token or as its SHA-256 ([[client]] token_sha256). With no credentials
// configured, enabled() is false and every request is the local caller, with every scope.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smsgw::http {

// What a caller may do. admin includes every other scope.
enum class Scope : std::uint8_t { none = 0, send = 1, read = 2, modems = 4, admin = 8 };

// "send" -> Scope::send ...; nullopt for another name.
std::optional<Scope> scope_from_name(std::string_view name);
std::string_view scope_name(Scope scope);

struct Caller {
  std::string name;  // the [[client]] name, "http.tokens[N]", or "local" without auth
  std::uint8_t scopes = 0;
  bool client = false;  // a [[client]] (its messages are its own), not an admin token

  [[nodiscard]] bool may(Scope scope) const {
    const auto admin = static_cast<std::uint8_t>(Scope::admin);
    return scope == Scope::none || (scopes & admin) != 0 ||
           (scopes & static_cast<std::uint8_t>(scope)) != 0;
  }
};

// The caller of every request when no credential is configured (loopback only).
Caller local_caller();

struct BearerCredential {
  Caller caller;
  std::array<unsigned char, 32> digest{};  // SHA-256 of the token

  // An admin token as [http] tokens lists it, named "http.tokens[<index>]".
  static BearerCredential admin_token(std::size_t index, std::string_view token);
  // A [[client]] by its token, or by its SHA-256 as 64 hex digits (nullopt when malformed).
  static BearerCredential client_token(std::string name, std::uint8_t scopes,
                                       std::string_view token);
  static std::optional<BearerCredential> client_digest(std::string name, std::uint8_t scopes,
                                                       std::string_view sha256_hex);
};

class BearerAuth {
 public:
  BearerAuth() = default;
  // Admin tokens only.
  explicit BearerAuth(const std::vector<std::string>& tokens);
  static BearerAuth of(std::vector<BearerCredential> credentials);

  [[nodiscard]] bool enabled() const noexcept { return !credentials_.empty(); }

  // `authorization` is the whole Authorization header value ("" when absent). The scheme
  // name is case-insensitive (RFC 9110 11.1). The local caller when auth is disabled;
  // nullopt when the token is missing or matches no credential.
  [[nodiscard]] std::optional<Caller> identify(std::string_view authorization) const;
  [[nodiscard]] bool allows(std::string_view authorization) const {
    return identify(authorization).has_value();
  }

 private:
  std::vector<BearerCredential> credentials_;
};

}  // namespace smsgw::http
