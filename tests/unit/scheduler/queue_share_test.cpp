// QueueShare: the split of a shared queue between nodes by a hash of the message id, in
// proportion to each node's SIMs.
#include "smsgw/scheduler/queue_share.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace smsgw::scheduler {
namespace {

// How many of 3,000 ids fall in each share; every id must fall in exactly one.
std::vector<int> split_of(const std::vector<QueueShare>& shares) {
  std::vector<int> counts(shares.size(), 0);
  for (int i = 0; i < 3000; ++i) {
    const std::string id = "01JF" + std::to_string(1000000 + i);
    int holders = 0;
    for (std::size_t n = 0; n < shares.size(); ++n) {
      if (in_share(id, shares[n])) {
        ++holders;
        ++counts[n];
      }
    }
    EXPECT_EQ(holders, 1) << id;
  }
  return counts;
}

TEST(QueueShare, OneNodeHoldsEveryMessage) {
  EXPECT_TRUE(in_share("01JEXAMPLE", QueueShare{}));
  EXPECT_TRUE(in_share("", QueueShare{0, 1, 1}));
  const auto alone = share_among("solo", {});
  EXPECT_TRUE(in_share("01JEXAMPLE", alone));
}

TEST(QueueShare, EveryMessageFallsInExactlyOneShareAndEqualNodesShareEvenly) {
  const std::vector<NodeWeight> live{{"n1", 4}, {"n2", 4}, {"n3", 4}};
  std::vector<QueueShare> shares;
  for (const auto& node : live) shares.push_back(share_among(node.name, live));
  for (const int count : split_of(shares)) EXPECT_NEAR(count, 1000, 150);
}

TEST(QueueShare, ANodesShareFollowsItsSims) {
  // site-a carries 6 SIMs, site-b 2, site-c none: 3/4, 1/4 and nothing.
  const std::vector<NodeWeight> live{{"site-c", 0}, {"site-a", 6}, {"site-b", 2}};
  const auto a = share_among("site-a", live);
  const auto b = share_among("site-b", live);
  const auto c = share_among("site-c", live);
  EXPECT_EQ(a.total, 8u);
  EXPECT_EQ(a.to - a.from, 6u);
  EXPECT_EQ(b.to - b.from, 2u);
  EXPECT_EQ(c.to - c.from, 0u);
  const auto counts = split_of({a, b, c});
  EXPECT_NEAR(counts[0], 2250, 200);
  EXPECT_NEAR(counts[1], 750, 150);
  EXPECT_EQ(counts[2], 0);
}

TEST(QueueShare, WhenNoNodeCarriesAnythingEachWeighsOne) {
  const std::vector<NodeWeight> live{{"site-a", 0}, {"site-b", 0}};
  const auto a = share_among("site-a", live);
  EXPECT_EQ(a.total, 2u);
  EXPECT_EQ(a.from, 0u);
  EXPECT_EQ(a.to, 1u);
}

TEST(QueueShare, TheSplitIsFixedFNV1a) {
  // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c (the FNV reference vectors): even.
  EXPECT_TRUE(in_share("a", QueueShare{0, 1, 2}));
  EXPECT_FALSE(in_share("a", QueueShare{1, 2, 2}));
}

TEST(QueueShare, ANodesSlotsFollowItsRankByName) {
  const auto share = share_among("site-b", {{"site-c", 1}, {"site-a", 1}, {"site-b", 1}});
  EXPECT_EQ(share.from, 1u);
  EXPECT_EQ(share.to, 2u);
  EXPECT_EQ(share.total, 3u);
  // Listed twice, a node counts once, by its first entry; unlisted, `self` weighs nothing.
  const auto listed = share_among("site-a", {{"site-a", 2}, {"site-b", 1}, {"site-b", 5}});
  EXPECT_EQ(listed.from, 0u);
  EXPECT_EQ(listed.to, 2u);
  EXPECT_EQ(listed.total, 3u);
  const auto unlisted = share_among("site-0", {{"site-a", 1}});
  EXPECT_EQ(unlisted.to - unlisted.from, 0u);
  EXPECT_EQ(unlisted.total, 1u);
}

}  // namespace
}  // namespace smsgw::scheduler
