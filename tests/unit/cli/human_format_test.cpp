// Signal bars, ages, balances and --wait's rules.
#include "smsgw/cli/human_format.hpp"

#include <gtest/gtest.h>

#include "smsgw/cli/message_follow.hpp"
#include "smsgw/cli/progress.hpp"

namespace smsgw::cli {
namespace {

using namespace std::chrono_literals;

TEST(Signal, LevelsFromDbmOrCsq) {
  EXPECT_EQ(signal_level(-51, std::nullopt), 4);
  EXPECT_EQ(signal_level(-73, std::nullopt), 4);
  EXPECT_EQ(signal_level(-74, std::nullopt), 3);
  EXPECT_EQ(signal_level(-71, std::nullopt), 4);
  EXPECT_EQ(signal_level(-90, std::nullopt), 2);
  EXPECT_EQ(signal_level(-109, std::nullopt), 1);
  EXPECT_EQ(signal_level(-113, std::nullopt), 0);
  EXPECT_EQ(signal_level(std::nullopt, 21), 4);  // -71 dBm (TS 27.007 8.5)
  EXPECT_EQ(signal_level(std::nullopt, 15), 3);  // -83 dBm
  EXPECT_EQ(signal_level(std::nullopt, 99), -1);
  EXPECT_EQ(signal_level(std::nullopt, std::nullopt), -1);
}

TEST(Signal, BarsAndDbm) {
  EXPECT_EQ(format_signal(-80, 16, true), "\u2582\u2584\u2586_ -80");
  EXPECT_EQ(format_signal(-80, 16, false), "###. -80");
  EXPECT_EQ(format_signal(-60, std::nullopt, true), "\u2582\u2584\u2586\u2588 -60");
  EXPECT_EQ(format_signal(std::nullopt, 10, false), "##.. -93");
  EXPECT_EQ(format_signal(std::nullopt, std::nullopt, true), "?");
  EXPECT_EQ(signal_bars(0, true), "____");
}

TEST(Age, WholeUnitsRoundedDown) {
  EXPECT_EQ(format_age(-3s), "just now");
  EXPECT_EQ(format_age(4s), "just now");
  EXPECT_EQ(format_age(42s), "42s ago");
  EXPECT_EQ(format_age(5min + 59s), "5m ago");
  EXPECT_EQ(format_age(3h), "3h ago");
  EXPECT_EQ(format_age(49h), "2d ago");
}

TEST(Balance, AmountCurrencyAndAge) {
  const TimePoint now = std::chrono::system_clock::from_time_t(1'700'000'000);
  EXPECT_EQ(format_balance(12.34, "EUR", now - 5min, now), "12.34 EUR 5m ago");
  EXPECT_EQ(format_balance(5, "", std::nullopt, now), "5.00");
  EXPECT_EQ(format_balance(std::nullopt, "EUR", now - 2h, now), "? 2h ago");
  EXPECT_EQ(format_amount(-3.5), "-3.50");
  EXPECT_EQ(format_amount(0.125), "0.125");
  EXPECT_EQ(format_count_of(12, 500), "12/500");
  EXPECT_EQ(format_count_of(12, std::nullopt), "12");
}

TEST(MessageFollow, FinalStatusesAndExitCodes) {
  EXPECT_EQ(final_exit_code("delivered", true), 0);
  EXPECT_EQ(final_exit_code("sent", false), 0);
  EXPECT_EQ(final_exit_code("sent", true), std::nullopt);
  EXPECT_EQ(final_exit_code("failed", true), 1);
  EXPECT_EQ(final_exit_code("expired", false), 1);
  EXPECT_EQ(final_exit_code("cancelled", true), 1);
  EXPECT_EQ(final_exit_code("queued", false), std::nullopt);
  EXPECT_EQ(final_exit_code("sending", false), std::nullopt);
  // unknown: a status report may still settle it; without one nothing will.
  EXPECT_EQ(final_exit_code("unknown", true), std::nullopt);
  EXPECT_EQ(final_exit_code("unknown", false), kUnknownOutcomeExit);
}

TEST(MessageFollow, PollingBacksOffUpToFiveSeconds) {
  std::chrono::milliseconds delay{0};
  delay = next_poll_delay(delay);
  EXPECT_EQ(delay, 500ms);
  delay = next_poll_delay(delay);
  EXPECT_EQ(delay, 750ms);
  for (int i = 0; i < 20; ++i) delay = next_poll_delay(delay);
  EXPECT_EQ(delay, 5000ms);
}

TEST(Progress, BarShowsTheShareDone) {
  EXPECT_EQ(progress_bar(5, 10, 10, false), "[#####.....] 5/10");
  EXPECT_EQ(progress_bar(0, 3, 4, false), "[....] 0/3");
  EXPECT_EQ(progress_bar(3, 3, 2, true), "[\u2588\u2588] 3/3");
}

}  // namespace
}  // namespace smsgw::cli
