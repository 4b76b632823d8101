#include "smsgw/http/bearer_auth.hpp"

#include <gtest/gtest.h>

namespace smsgw::http {
namespace {

TEST(BearerAuth, WithoutTokensEverythingPasses) {
  const BearerAuth auth(std::vector<std::string>{});
  EXPECT_FALSE(auth.enabled());
  EXPECT_TRUE(auth.allows(""));
  EXPECT_TRUE(auth.allows("Bearer anything"));
}

TEST(BearerAuth, AcceptsOnlyAConfiguredTokenInTheBearerScheme) {
  const BearerAuth auth({"alpha-token", "beta"});
  EXPECT_TRUE(auth.enabled());
  EXPECT_TRUE(auth.allows("Bearer alpha-token"));
  EXPECT_TRUE(auth.allows("Bearer beta"));
  EXPECT_TRUE(auth.allows("BEARER beta"));
  EXPECT_TRUE(auth.allows("Bearer   beta  "));
  EXPECT_FALSE(auth.allows(""));
  EXPECT_FALSE(auth.allows("Bearer"));
  EXPECT_FALSE(auth.allows("Bearer "));
  EXPECT_FALSE(auth.allows("Bearer alpha"));          // a prefix of a token
  EXPECT_FALSE(auth.allows("Bearer alpha-token-x"));  // a token as prefix
  EXPECT_FALSE(auth.allows("Bearer Beta"));           // tokens are case-sensitive
  EXPECT_FALSE(auth.allows("Basic YmV0YTo="));
  EXPECT_FALSE(auth.allows("beta"));
  EXPECT_FALSE(auth.allows("Bearerbeta"));
}

TEST(BearerAuth, IdentifiesAdminTokensAndClientsWithTheirScopes) {
  const auto send_read =
      static_cast<std::uint8_t>(static_cast<int>(Scope::send) | static_cast<int>(Scope::read));
  // A client given only by a digest (of a token this test never presents).
  const auto digest = BearerCredential::client_digest(
      "reports", static_cast<std::uint8_t>(Scope::read),
      "a3f6f4f2c6b8fbd5d4a0d8c4d6bfcf0c8d6e1c5b7f5d1d4f9a3e4c2b1a0f9e8d");
  ASSERT_TRUE(digest.has_value());
  const auto auth = BearerAuth::of(
      {BearerCredential::admin_token(0, "admin-token"),
       BearerCredential::client_token("shop", send_read, "shop-token-123456"), *digest});
  const auto admin = auth.identify("Bearer admin-token");
  ASSERT_TRUE(admin.has_value());
  EXPECT_EQ(admin->name, "http.tokens[0]");
  EXPECT_FALSE(admin->client);
  EXPECT_TRUE(admin->may(Scope::admin));
  EXPECT_TRUE(admin->may(Scope::modems));

  const auto shop = auth.identify("Bearer shop-token-123456");
  ASSERT_TRUE(shop.has_value());
  EXPECT_EQ(shop->name, "shop");
  EXPECT_TRUE(shop->client);
  EXPECT_TRUE(shop->may(Scope::send));
  EXPECT_TRUE(shop->may(Scope::read));
  EXPECT_FALSE(shop->may(Scope::modems));
  EXPECT_FALSE(shop->may(Scope::admin));
  EXPECT_TRUE(shop->may(Scope::none));

  EXPECT_FALSE(auth.identify("Bearer nobody").has_value());
  EXPECT_FALSE(auth.identify("").has_value());
}

TEST(BearerAuth, AClientMayBeGivenByTheSha256OfItsToken) {
  // printf %s 'long-random-string-1' | sha256sum
  const auto digest = BearerCredential::client_digest(
      "alerts", static_cast<std::uint8_t>(Scope::send),
      "f7c0d4fa0ba6fa1f5271906ed108284128e97493cb6ccf1cecbaaa47317a5b9f");
  ASSERT_TRUE(digest.has_value());
  const auto auth = BearerAuth::of({*digest});
  const auto caller = auth.identify("Bearer long-random-string-1");
  ASSERT_TRUE(caller.has_value());
  EXPECT_EQ(caller->name, "alerts");
  EXPECT_FALSE(BearerCredential::client_digest("x", 1, "not hex").has_value());
}

TEST(BearerAuth, WithoutCredentialsEveryoneIsTheLocalCallerWithEveryScope) {
  const BearerAuth auth;
  const auto caller = auth.identify("");
  ASSERT_TRUE(caller.has_value());
  EXPECT_EQ(caller->name, "local");
  EXPECT_TRUE(caller->may(Scope::admin));
}

TEST(Scope, NamesRoundTrip) {
  for (const auto* name : {"send", "read", "modems", "admin"}) {
    const auto scope = scope_from_name(name);
    ASSERT_TRUE(scope.has_value()) << name;
    EXPECT_EQ(scope_name(*scope), name);
  }
  EXPECT_FALSE(scope_from_name("root").has_value());
}

}  // namespace
}  // namespace smsgw::http
