// ListenAddress: the one parser of a listening address, "host:port" or "[ipv6]:port", as
// written in `[http] listen` (config.hpp) and handed to the HTTP server and the CLI.
//
// Contract: parse_listen_address() accepts an IPv4 address, a host name (letters, digits,
// '-', '_', '.') or a bracketed IPv6 address, then ':' and a port 0..65535 (0: any free
// port). It never resolves names. On failure the Error (code "config") carries only the
// reason, e.g. `an IPv6 address must be written in brackets, e.g. [::1]:8080`; callers
// name what they parsed in their own format.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "smsgw/common/result.hpp"

namespace smsgw {

struct ListenAddress {
  std::string host;  // without brackets
  std::uint16_t port = 0;
  bool ipv6 = false;      // written in brackets
  bool loopback = false;  // 127.0.0.0/8, ::1 or "localhost"
};

inline Result<ListenAddress> parse_listen_address(std::string_view text) {
  constexpr std::string_view kForm = "must be host:port or [ipv6]:port";
  const auto invalid = [](std::string_view reason) {
    return Error{ErrorCode::config, std::string(reason)};
  };
  ListenAddress address;
  std::string_view host;
  std::string_view port;
  if (text.starts_with('[')) {
    const auto close = text.find("]:");
    if (close == std::string_view::npos) return invalid(kForm);
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
    in6_addr v6{};
    if (inet_pton(AF_INET6, std::string(host).c_str(), &v6) != 1) {
      return invalid("\"" + std::string(host) + "\" is not an IPv6 address");
    }
    address.ipv6 = true;
    address.loopback = IN6_IS_ADDR_LOOPBACK(&v6);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return invalid(kForm);
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      return invalid("an IPv6 address must be written in brackets, e.g. [::1]:8080");
    }
    in_addr v4{};
    const bool is_name = std::all_of(host.begin(), host.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
    });
    if (inet_pton(AF_INET, std::string(host).c_str(), &v4) == 1) {
      address.loopback = (ntohl(v4.s_addr) >> 24) == 127;
    } else if (is_name) {
      address.loopback = host == "localhost";
    } else {
      return invalid("\"" + std::string(host) + "\" is neither an IP address nor a host name");
    }
  }
  const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), address.port);
  if (port.empty() || error != std::errc{} || end != port.data() + port.size()) {
    return invalid("port \"" + std::string(port) + "\" must be a number from 0 to 65535");
  }
  address.host = std::string(host);
  return address;
}

}  // namespace smsgw
