// Who a /cgi-bin/sendsms request is: Kannel's username/password are a [[client]]'s
// system_id/password (the same accounts as SMPP binds).
//
// Contract: identify() compares the presented password with the account's in constant time
// (both hashed with SHA-256, compared with CRYPTO_memcmp; every account is looked at, no
// early exit) and answers that [[client]]'s Caller (its scopes decide: sendsms needs
// "send"). With no account configured, it answers the local caller (every scope) only when
// the server was built `open` -- the HTTP listener is loopback and has no bearer
// credential either, so the API itself is already open; otherwise nobody.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smsgw/http/bearer_auth.hpp"

namespace smsgw::http {

struct SendsmsAccount {
  Caller caller;          // the [[client]] (client = true)
  std::string system_id;  // Kannel's username
  std::array<unsigned char, 32> password_digest{};

  static SendsmsAccount of(std::string name, std::uint8_t scopes, std::string system_id,
                           std::string_view password);
};

class SendsmsAuth {
 public:
  SendsmsAuth() = default;  // nobody may send
  SendsmsAuth(std::vector<SendsmsAccount> accounts, bool open)
      : accounts_(std::move(accounts)), open_(open && accounts_.empty()) {}

  [[nodiscard]] std::optional<Caller> identify(const std::optional<std::string>& username,
                                               const std::optional<std::string>& password) const;
  [[nodiscard]] bool open() const noexcept { return open_; }

 private:
  std::vector<SendsmsAccount> accounts_;
  bool open_ = false;
};

}  // namespace smsgw::http
