#include "smsgw/http/callback_hosts.hpp"

#include <gtest/gtest.h>

namespace smsgw::http {
namespace {

CallbackHosts hosts(const std::vector<std::string>& entries) {
  auto parsed = CallbackHosts::parse(entries);
  EXPECT_TRUE(parsed.ok()) << parsed.error().message;
  return parsed.ok() ? std::move(parsed).value() : CallbackHosts{};
}

asio::ip::address ip(const char* text) { return asio::ip::make_address(text); }

TEST(SpecialAddress, NamesEachRangeAtItsEdges) {
  const std::pair<const char*, const char*> cases[] = {
      {"0.0.0.0", "unspecified"},
      {"0.255.255.255", "unspecified"},
      {"127.0.0.1", "loopback"},
      {"127.255.255.254", "loopback"},
      {"169.254.0.0", "link-local"},
      {"169.254.255.255", "link-local"},
      {"10.0.0.0", "private"},
      {"10.255.255.255", "private"},
      {"172.16.0.0", "private"},
      {"172.31.255.255", "private"},
      {"192.168.0.1", "private"},
      {"100.64.0.0", "shared (CGNAT)"},
      {"100.127.255.255", "shared (CGNAT)"},
      {"224.0.0.1", "multicast"},
      {"255.255.255.255", "broadcast"},
      {"::", "unspecified"},
      {"::1", "loopback"},
      {"fe80::1", "link-local"},
      {"febf::1", "link-local"},
      {"fc00::1", "private"},
      {"fdff:ffff::1", "private"},
      {"ff02::1", "multicast"},
      {"::ffff:10.1.2.3", "private"},
      {"::ffff:127.0.0.1", "loopback"},
  };
  for (const auto& [text, kind] : cases) {
    EXPECT_EQ(special_address_kind(ip(text)).value_or("public"), kind) << text;
  }
  for (const char* text :
       {"9.255.255.255", "11.0.0.0", "172.15.255.255", "172.32.0.0", "169.253.255.255",
        "100.63.255.255", "100.128.0.0", "192.169.0.0", "203.0.113.9", "2001:db8::1", "fec0::1",
        "fbff::1", "::ffff:203.0.113.9"}) {
    EXPECT_FALSE(special_address_kind(ip(text)).has_value()) << text;
  }
}

TEST(CallbackHosts, AnEmptyListAllowsNothing) {
  const CallbackHosts none;
  EXPECT_TRUE(none.empty());
  const auto refused = none.check_host("hooks.example.com");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "validation");
  EXPECT_EQ(refused.error().message,
            "host hooks.example.com is not listed in [http] callback_hosts; list it (or \"*\" "
            "for any public host) to allow it");
  EXPECT_FALSE(none.check_host("203.0.113.9").ok());
}

TEST(CallbackHosts, NamesMatchCaseInsensitivelyAndWildcardsMatchSubdomainsOnly) {
  const auto allowed = hosts({"Hooks.Example.COM", "*.shop.example"});
  EXPECT_TRUE(allowed.check_host("hooks.example.com").ok());
  EXPECT_TRUE(allowed.check_host("HOOKS.example.com.").ok());
  EXPECT_TRUE(allowed.check_host("a.shop.example").ok());
  EXPECT_TRUE(allowed.check_host("b.a.shop.example").ok());
  EXPECT_FALSE(allowed.check_host("shop.example").ok());
  EXPECT_FALSE(allowed.check_host("evilshop.example").ok());
  EXPECT_FALSE(allowed.check_host("hooks.example.com.evil").ok());
  // A listed name is the operator's choice: its addresses pass, private ones too.
  EXPECT_TRUE(allowed.check_address("hooks.example.com", ip("10.0.0.5")).ok());
  EXPECT_TRUE(allowed.check_address("hooks.example.com", ip("203.0.113.1")).ok());
  EXPECT_FALSE(allowed.check_address("other.example.com", ip("203.0.113.1")).ok());
}

TEST(CallbackHosts, StarAllowsPublicAddressesOnly) {
  const auto any = hosts({"*"});
  EXPECT_TRUE(any.check_host("anything.example").ok());
  EXPECT_TRUE(any.check_host("203.0.113.9").ok());
  EXPECT_TRUE(any.check_host("2001:db8::5").ok());
  EXPECT_TRUE(any.check_address("anything.example", ip("203.0.113.9")).ok());

  const auto literal = any.check_host("10.0.0.5");
  ASSERT_FALSE(literal.ok());
  EXPECT_EQ(literal.error().message,
            "host 10.0.0.5 is a private address; list it in [http] callback_hosts to allow it");
  const auto resolved = any.check_address("internal.example", ip("127.0.0.1"));
  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.error().message,
            "host internal.example resolves to 127.0.0.1, which is a loopback address; list it "
            "in [http] callback_hosts to allow it");
  EXPECT_FALSE(any.check_host("::1").ok());
  EXPECT_FALSE(any.check_host("fe80::1").ok());
  EXPECT_FALSE(any.check_host("::ffff:192.168.1.1").ok());
  EXPECT_FALSE(any.check_host("100.64.0.1").ok());
  EXPECT_FALSE(any.check_host("169.254.169.254").ok());  // cloud metadata
  const auto unspecified = any.check_host("0.0.0.0");
  ASSERT_FALSE(unspecified.ok());
  EXPECT_NE(unspecified.error().message.find("is an unspecified address"), std::string::npos);
}

TEST(CallbackHosts, CidrsCoverTheirRangeExactly) {
  const auto listed = hosts({"203.0.113.0/24", "10.1.0.0/16", "127.0.0.1", "fd00:1::/32"});
  EXPECT_TRUE(listed.check_host("203.0.113.0").ok());
  EXPECT_TRUE(listed.check_host("203.0.113.255").ok());
  EXPECT_FALSE(listed.check_host("203.0.114.0").ok());
  EXPECT_FALSE(listed.check_host("203.0.112.255").ok());
  // A listed private range is allowed, its neighbours are not.
  EXPECT_TRUE(listed.check_host("10.1.255.255").ok());
  EXPECT_FALSE(listed.check_host("10.2.0.0").ok());
  EXPECT_TRUE(listed.check_host("127.0.0.1").ok());
  EXPECT_FALSE(listed.check_host("127.0.0.2").ok());
  // v4-mapped addresses are judged as IPv4.
  EXPECT_TRUE(listed.check_host("::ffff:203.0.113.7").ok());
  EXPECT_TRUE(listed.check_address("name.example", ip("::ffff:10.1.2.3")).ok());
  EXPECT_TRUE(listed.check_host("fd00:1:ffff::1").ok());
  EXPECT_FALSE(listed.check_host("fd00:2::1").ok());
  // Names are not listed, so a name alone does not pass, even to a listed address at
  // submission; its resolved address does at delivery.
  EXPECT_FALSE(listed.check_host("hooks.example.com").ok());
  EXPECT_TRUE(listed.check_address("hooks.example.com", ip("203.0.113.4")).ok());
}

TEST(CallbackHosts, PrefixEdges) {
  const auto all_v4 = hosts({"0.0.0.0/0"});
  EXPECT_TRUE(all_v4.check_host("10.0.0.1").ok());
  EXPECT_TRUE(all_v4.check_host("::ffff:127.0.0.1").ok());
  EXPECT_FALSE(all_v4.check_host("::1").ok());
  const auto odd = hosts({"172.16.0.0/12"});
  EXPECT_TRUE(odd.check_host("172.31.255.255").ok());
  EXPECT_FALSE(odd.check_host("172.32.0.0").ok());
  const auto host_v6 = hosts({"::1/128"});
  EXPECT_TRUE(host_v6.check_host("::1").ok());
  EXPECT_FALSE(host_v6.check_host("::2").ok());
}

TEST(CallbackHosts, BadEntriesAreNamed) {
  const std::pair<const char*, const char*> bad[] = {
      {"10.0.0.0/33", "the prefix length must be a number from 0 to 32"},
      {"fd00::/129", "the prefix length must be a number from 0 to 128"},
      {"10.0.0.0/", "the prefix length must be a number from 0 to 32"},
      {"nonsense/8", "not an IP address before the '/'"},
      {"hooks example", "not a host name, an IP address, a CIDR (\"10.0.0.0/8\") or \"*\""},
      {"", "not a host name, an IP address, a CIDR (\"10.0.0.0/8\") or \"*\""},
  };
  for (const auto& [entry, reason] : bad) {
    const auto parsed = CallbackHosts::parse({entry});
    ASSERT_FALSE(parsed.ok()) << entry;
    EXPECT_EQ(parsed.error().message, "\"" + std::string(entry) + "\": " + reason);
  }
}

}  // namespace
}  // namespace smsgw::http
