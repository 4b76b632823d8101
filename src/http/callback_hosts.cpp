#include "smsgw/http/callback_hosts.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace smsgw::http {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

// An IPv4-mapped IPv6 address as the IPv4 address it carries (RFC 4291 2.5.5.2).
asio::ip::address unmapped(const asio::ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
  }
  return address;
}

asio::ip::address_v6 as_v6(const asio::ip::address& address) {
  const auto plain = unmapped(address);
  if (plain.is_v4()) return asio::ip::make_address_v6(asio::ip::v4_mapped, plain.to_v4());
  return plain.to_v6();
}

bool in_prefix(const asio::ip::address_v6& address, const asio::ip::address_v6& base,
               unsigned prefix) {
  const auto a = address.to_bytes();
  const auto b = base.to_bytes();
  for (unsigned bit = 0; bit < prefix; bit += 8) {
    const unsigned bits = std::min(8u, prefix - bit);
    const auto mask = static_cast<unsigned char>(0xff << (8 - bits));
    if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) return false;
  }
  return true;
}

std::optional<asio::ip::address> parse_address(std::string_view text) {
  error_code ec;
  auto address = asio::ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  return address;
}

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

}  // namespace

std::optional<std::string> special_address_kind(const asio::ip::address& address_in) {
  const auto address = unmapped(address_in);
  if (address.is_v4()) {
    const auto bytes = address.to_v4().to_bytes();
    const unsigned a = bytes[0];
    const unsigned b = bytes[1];
    if (a == 0) return "unspecified";
    if (a == 127) return "loopback";
    if (a == 169 && b == 254) return "link-local";
    if (a == 10 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168)) return "private";
    if (a == 100 && b >= 64 && b <= 127) return "shared (CGNAT)";
    if (a >= 224 && a <= 239) return "multicast";
    if (address.to_v4() == asio::ip::address_v4::broadcast()) return "broadcast";
    return std::nullopt;
  }
  const auto v6 = address.to_v6();
  if (v6.is_unspecified()) return "unspecified";
  if (v6.is_loopback()) return "loopback";
  const auto bytes = v6.to_bytes();
  if (bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80) return "link-local";
  if ((bytes[0] & 0xfe) == 0xfc) return "private";
  if (bytes[0] == 0xff) return "multicast";
  return std::nullopt;
}

Result<CallbackHosts> CallbackHosts::parse(const std::vector<std::string>& entries) {
  CallbackHosts hosts;
  for (const auto& entry : entries) {
    const auto invalid = [&](std::string_view reason) {
      return Error{"config.invalid", "\"" + entry + "\": " + std::string(reason)};
    };
    if (entry == "*") {
      hosts.any_ = true;
      continue;
    }
    if (const auto slash = entry.find('/'); slash != std::string::npos) {
      const auto address = parse_address(std::string_view(entry).substr(0, slash));
      if (!address) return invalid("not an IP address before the '/'");
      const auto bits_text = std::string_view(entry).substr(slash + 1);
      unsigned bits = 0;
      const auto [end, error] =
          std::from_chars(bits_text.data(), bits_text.data() + bits_text.size(), bits);
      const unsigned max_bits = address->is_v4() ? 32 : 128;
      if (bits_text.empty() || error != std::errc{} || end != bits_text.data() + bits_text.size() ||
          bits > max_bits) {
        return invalid("the prefix length must be a number from 0 to " + std::to_string(max_bits));
      }
      hosts.networks_.push_back({as_v6(*address), address->is_v4() ? 96 + bits : bits});
      continue;
    }
    if (const auto address = parse_address(entry)) {
      hosts.networks_.push_back({as_v6(*address), 128});
      continue;
    }
    auto name = lower(entry);
    if (name.ends_with('.')) name.pop_back();
    const auto bare = name.starts_with("*.") ? std::string_view(name).substr(2) : name;
    if (!valid_name(bare)) {
      return invalid("not a host name, an IP address, a CIDR (\"10.0.0.0/8\") or \"*\"");
    }
    hosts.names_.push_back(std::move(name));
  }
  return hosts;
}

bool CallbackHosts::name_listed(std::string_view host) const {
  auto name = lower(host);
  if (name.ends_with('.')) name.pop_back();
  return std::any_of(names_.begin(), names_.end(), [&](const std::string& listed) {
    if (listed.starts_with("*.")) {
      const auto suffix = std::string_view(listed).substr(1);  // ".example.com"
      return name.size() > suffix.size() && std::string_view(name).ends_with(suffix);
    }
    return listed == name;
  });
}

bool CallbackHosts::network_listed(const asio::ip::address& address) const {
  const auto v6 = as_v6(address);
  return std::any_of(networks_.begin(), networks_.end(),
                     [&](const Network& n) { return in_prefix(v6, n.base, n.prefix); });
}

Result<void> CallbackHosts::check_host(std::string_view host) const {
  if (const auto literal = parse_address(host)) return check_address(host, *literal);
  if (name_listed(host) || any_) return {};
  return Error{"validation", "host " + std::string(host) +
                                 " is not listed in [http] callback_hosts; list it (or \"*\" for "
                                 "any public host) to allow it"};
}

Result<void> CallbackHosts::check_address(std::string_view host,
                                          const asio::ip::address& address) const {
  if (network_listed(address)) return {};
  const bool literal = parse_address(host).has_value();
  if (!literal && name_listed(host)) return {};  // the operator named this host
  const auto shown = unmapped(address).to_string();
  if (const auto kind = special_address_kind(address)) {
    const std::string article = *kind == "unspecified" ? "an " : "a ";
    const std::string what =
        literal ? "host " + shown
                : "host " + std::string(host) + " resolves to " + shown + ", which";
    return Error{"validation", what + " is " + article + *kind +
                                   " address; list it in [http] callback_hosts to allow it"};
  }
  if (any_) return {};
  return Error{"validation", "host " + std::string(host) +
                                 " is not listed in [http] callback_hosts; list it (or \"*\" for "
                                 "any public host) to allow it"};
}

}  // namespace smsgw::http
