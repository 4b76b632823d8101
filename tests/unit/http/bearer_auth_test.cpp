#include "smsgw/http/bearer_auth.hpp"

#include <gtest/gtest.h>

namespace smsgw::http {
namespace {

TEST(BearerAuth, WithoutTokensEverythingPasses) {
  const BearerAuth auth({});
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

}  // namespace
}  // namespace smsgw::http
