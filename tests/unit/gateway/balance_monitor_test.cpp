#include "smsgw/gateway/balance_monitor.hpp"

#include <gtest/gtest.h>

namespace smsgw::gateway {
namespace {

TEST(LowBalanceDecision, UnderTheThresholdPausesAndRaisesTheEventOnce) {
  const auto first = low_balance_decision(0.5, 1.0, /*paused_before=*/false);
  EXPECT_TRUE(first.paused);
  EXPECT_TRUE(first.raise_event);
  const auto again = low_balance_decision(0.4, 1.0, /*paused_before=*/true);
  EXPECT_TRUE(again.paused);
  EXPECT_FALSE(again.raise_event);
}

TEST(LowBalanceDecision, AtOrAboveTheThresholdResumes) {
  for (const bool paused_before : {false, true}) {
    const auto equal = low_balance_decision(1.0, 1.0, paused_before);
    EXPECT_FALSE(equal.paused);
    EXPECT_FALSE(equal.raise_event);
    const auto above = low_balance_decision(7.5, 1.0, paused_before);
    EXPECT_FALSE(above.paused);
    EXPECT_FALSE(above.raise_event);
  }
}

TEST(LowBalanceDecision, NoThresholdNeverPauses) {
  const auto decision = low_balance_decision(-3.0, std::nullopt, true);
  EXPECT_FALSE(decision.paused);
  EXPECT_FALSE(decision.raise_event);
}

TEST(LowBalanceDecision, AnUnreadableReplyResumes) {
  const auto decision = low_balance_decision(std::nullopt, 1.0, true);
  EXPECT_FALSE(decision.paused);
  EXPECT_FALSE(decision.raise_event);
}

}  // namespace
}  // namespace smsgw::gateway
