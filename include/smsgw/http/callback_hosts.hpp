// Where a per-message callback_url may point: `[http] callback_hosts` (pure, no I/O).
//
// A callback URL comes from an API client, so the gateway must not become a way into the
// networks it can reach (server-side request forgery). The rule:
// - An entry is a host name ("hooks.example.com", compared case-insensitively; "*.example.com"
//   also matches every name below example.com, not example.com itself), an IP address, a
//   CIDR ("203.0.113.0/24", "fd00::/8"), or "*": any host whose addresses are public.
// - Special addresses are refused unless a listed IP/CIDR covers the address or the URL's
//   host is a listed name (an operator who lists "hooks.lan" means it): loopback
//   (127.0.0.0/8, ::1), link-local (169.254.0.0/16, fe80::/10), private (10.0.0.0/8,
//   172.16.0.0/12, 192.168.0.0/16, fc00::/7; RFC 1918, RFC 4193), unspecified (0.0.0.0/8,
//   ::), shared / CGNAT (100.64.0.0/10, RFC 6598) and multicast (224.0.0.0/4, ff00::/8)
//   and broadcast (255.255.255.255). An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is
//   judged as the IPv4 address it carries.
// - check_host() runs at submission on the URL's host as written (a name, or an IP
//   literal); check_address() runs at delivery on every address the name resolved to:
//   each must pass, and the connection goes only to checked addresses (so a DNS answer
//   cannot turn an allowed name into an internal target).
// The failure message is the reason without a field name, e.g. "host 10.0.0.5 is a
// private address; list it in [http] callback_hosts to allow it"; code "validation".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smsgw/common/net.hpp"
#include "smsgw/common/result.hpp"

namespace smsgw::http {

// What kind of special address `address` is ("loopback", "link-local", "private",
// "unspecified", "shared (CGNAT)", "multicast", "broadcast"), or none for a public one.
std::optional<std::string> special_address_kind(const asio::ip::address& address);

class CallbackHosts {
 public:
  CallbackHosts() = default;  // nothing allowed

  // Parses `[http] callback_hosts` entries; the error ("config.invalid") names the entry
  // and why it is not a name, an address, a CIDR or "*".
  static Result<CallbackHosts> parse(const std::vector<std::string>& entries);

  // Whether a callback URL whose host is `host` (a name or an IP literal, IPv6 without
  // brackets) may be submitted.
  [[nodiscard]] Result<void> check_host(std::string_view host) const;
  // Whether the delivery of a callback URL whose host is `host` may connect to `address`
  // (one of the addresses `host` resolved to, or the literal itself).
  [[nodiscard]] Result<void> check_address(std::string_view host,
                                           const asio::ip::address& address) const;

  [[nodiscard]] bool empty() const { return names_.empty() && networks_.empty() && !any_; }

 private:
  struct Network {
    asio::ip::address_v6 base;  // IPv4 as v4-mapped
    unsigned prefix = 128;      // in IPv6 bits (IPv4 /n is 96 + n)
  };
  [[nodiscard]] bool name_listed(std::string_view host) const;
  [[nodiscard]] bool network_listed(const asio::ip::address& address) const;

  std::vector<std::string> names_;  // lower case; "*.x" for subdomains of x
  std::vector<Network> networks_;
  bool any_ = false;
};

}  // namespace smsgw::http
