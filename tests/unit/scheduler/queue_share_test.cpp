// QueueShare: the split of a shared queue between nodes by a hash of the message id.
#include "smsgw/scheduler/queue_share.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace smsgw::scheduler {
namespace {

TEST(QueueShare, OneNodeHoldsEveryMessage) {
  EXPECT_TRUE(in_share("01JEXAMPLE", QueueShare{}));
  EXPECT_TRUE(in_share("", QueueShare{0, 1}));
}

TEST(QueueShare, EveryMessageFallsInExactlyOneShareAndTheSharesAreEven) {
  constexpr std::size_t kNodes = 3;
  std::vector<int> counts(kNodes, 0);
  for (int i = 0; i < 3000; ++i) {
    const std::string id = "01JF" + std::to_string(1000000 + i);
    int holders = 0;
    for (std::size_t n = 0; n < kNodes; ++n) {
      if (in_share(id, QueueShare{n, kNodes})) {
        ++holders;
        ++counts[n];
      }
    }
    EXPECT_EQ(holders, 1) << id;
  }
  for (const int count : counts) EXPECT_NEAR(count, 1000, 150);
}

TEST(QueueShare, TheSplitIsFixedFNV1a) {
  // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c (the FNV reference vectors): even.
  EXPECT_TRUE(in_share("a", QueueShare{0, 2}));
  EXPECT_FALSE(in_share("a", QueueShare{1, 2}));
}

TEST(QueueShare, ANodesPlaceIsItsRankByName) {
  const auto share = share_among("site-b", {"site-c", "site-a"});
  EXPECT_EQ(share.index, 1u);
  EXPECT_EQ(share.count, 3u);
  // Listed or not, and listed twice, it counts once.
  const auto listed = share_among("site-a", {"site-a", "site-b", "site-b"});
  EXPECT_EQ(listed.index, 0u);
  EXPECT_EQ(listed.count, 2u);
  const auto alone = share_among("solo", {});
  EXPECT_EQ(alone.index, 0u);
  EXPECT_EQ(alone.count, 1u);
}

}  // namespace
}  // namespace smsgw::scheduler
