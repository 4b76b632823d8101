#include "smsgw/http/sendsms_auth.hpp"

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

}  // namespace

SendsmsAccount SendsmsAccount::of(std::string name, std::uint8_t scopes, std::string system_id,
                                  std::string_view password) {
  return SendsmsAccount{Caller{std::move(name), scopes, true}, std::move(system_id),
                        sha256(password)};
}

std::optional<Caller> SendsmsAuth::identify(const std::optional<std::string>& username,
                                            const std::optional<std::string>& password) const {
  if (open_) return local_caller();
  if (!username || !password) return std::nullopt;
  const auto presented = sha256(*password);
  const SendsmsAccount* match = nullptr;
  for (const auto& account : accounts_) {
    // The username is not secret (Kannel logs it); the password is compared in constant time.
    const bool same_password =
        CRYPTO_memcmp(presented.data(), account.password_digest.data(), presented.size()) == 0;
    if (same_password && account.system_id == *username && match == nullptr) match = &account;
  }
  if (match == nullptr) return std::nullopt;
  return match->caller;
}

}  // namespace smsgw::http
