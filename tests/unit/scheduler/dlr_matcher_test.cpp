#include "smsgw/scheduler/dlr_matcher.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace smsgw::scheduler {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// 2015-01-09 12:08:48 UTC: the SCTS of the real +CDS in shared/reference/at-protocol.md
// (2015-01-09 17:38:48 +05:30), MR 64 to +919790197346 after +CMGS: 64.
const TimePoint kScts = TimePoint{} +
                        std::chrono::sys_days{std::chrono::year{2015} / 1 / 9}.time_since_epoch() +
                        hours(12) + minutes(8) + seconds(48);

StatusReportFacts report(std::string recipient, std::optional<TimePoint> scts = kScts) {
  return StatusReportFacts{"m1", 64, std::move(recipient), scts, kScts + seconds(6)};
}

TEST(MatchStatusReport, MatchesTheRealReportToItsPart) {
  const std::vector<SentPart> parts{{"m1", 64, "+919790197346", kScts - seconds(1)}};
  EXPECT_EQ(match_status_report(report("+919790197346"), parts), 0U);
}

TEST(MatchStatusReport, NeedsSameSimAndMr) {
  const std::vector<SentPart> parts{{"m2", 64, "+919790197346", kScts - seconds(1)},
                                    {"m1", 65, "+919790197346", kScts - seconds(1)}};
  EXPECT_EQ(match_status_report(report("+919790197346"), parts), std::nullopt);
}

TEST(MatchStatusReport, WrappedMrPrefersTheSameRecipient) {
  // The MR came round again: two parts with MR 64 on this SIM within the window.
  const std::vector<SentPart> parts{{"m1", 64, "+919790197346", kScts - hours(2)},
                                    {"m1", 64, "+4917612345678", kScts - seconds(1)}};
  EXPECT_EQ(match_status_report(report("+919790197346"), parts), 0U);
  EXPECT_EQ(match_status_report(report("+4917612345678"), parts), 1U);
  EXPECT_EQ(match_status_report(report("+4915112345678"), parts), std::nullopt);
}

TEST(MatchStatusReport, RecipientFormsAreComparedBySignificantDigits) {
  const std::vector<SentPart> parts{{"m1", 64, "+4917612345678", kScts - seconds(1)}};
  EXPECT_EQ(match_status_report(report("017612345678"), parts), 0U);   // national
  EXPECT_EQ(match_status_report(report("4917612345678"), parts), 0U);  // TON unknown
  EXPECT_EQ(match_status_report(report("004917612345678"), parts), 0U);
  EXPECT_EQ(match_status_report(report(""), parts), 0U);  // not given
  EXPECT_EQ(match_status_report(report("017612345679"), parts), std::nullopt);
}

TEST(MatchStatusReport, PrefersTheMostRecentSendBeforeScts) {
  const std::vector<SentPart> parts{{"m1", 64, "+919790197346", kScts - hours(30)},
                                    {"m1", 64, "+919790197346", kScts - minutes(3)},
                                    {"m1", 64, "+919790197346", kScts - hours(5)}};
  EXPECT_EQ(match_status_report(report("+919790197346"), parts), 1U);
  // A report for the older send (SCTS 5 h ago, arriving late) finds that one.
  auto late = report("+919790197346", kScts - hours(5) + seconds(2));
  EXPECT_EQ(match_status_report(late, parts), 2U);
}

TEST(MatchStatusReport, ToleratesSmallClockSkewAndFallsBackForLargeOnes) {
  // Our send is stamped 2 min after the SC's SCTS (clocks differ): still within skew.
  const std::vector<SentPart> parts{{"m1", 64, "+919790197346", kScts + minutes(2)},
                                    {"m1", 64, "+919790197346", kScts - hours(10)}};
  EXPECT_EQ(match_status_report(report("+919790197346"), parts), 0U);
  // An SC clock an hour slow: no candidate before SCTS + skew except the 10 h old one,
  // which wins under rule 2; without it, the earliest after is taken.
  auto slow = report("+919790197346", kScts - hours(1));
  EXPECT_EQ(match_status_report(slow, parts), 1U);
  const std::vector<SentPart> only_after{{"m1", 64, "+919790197346", kScts + minutes(2)},
                                         {"m1", 64, "+919790197346", kScts + minutes(1)}};
  EXPECT_EQ(match_status_report(slow, only_after), 1U);
  // Without SCTS the arrival time is the reference.
  EXPECT_EQ(match_status_report(report("+919790197346", std::nullopt), parts), 0U);
}

TEST(MatchStatusReport, IgnoresPartsOutsideTheWindow) {
  const std::vector<SentPart> parts{{"m1", 64, "+919790197346", kScts - hours(73)},
                                    {"m1", 64, "+919790197346", kScts + hours(1)}};
  EXPECT_EQ(match_status_report(report("+919790197346"), parts), std::nullopt);
  MatchOptions wide{hours(100), minutes(5)};
  EXPECT_EQ(match_status_report(report("+919790197346"), parts, wide), 0U);
}

// An unknown part (its +CMGS never came) is settled by a report on the same SIM for the same
// subscriber that arrived after the send began, within the window.
TEST(MatchUnknownPart, SameSimSameSubscriberAfterTheSendBegan) {
  const std::vector<UnknownPart> parts{{"m2", "+919790197346", kScts - seconds(2)},
                                       {"m1", "+919790197347", kScts - seconds(2)},
                                       {"m1", "+919790197346", kScts - seconds(2)}};
  EXPECT_EQ(match_unknown_part(report("+919790197346"), parts), 2U);
  EXPECT_EQ(match_unknown_part(report("09790197346"), parts), 2U);  // national form
  EXPECT_EQ(match_unknown_part(report(""), parts), std::nullopt);  // no recipient: no evidence
}

TEST(MatchUnknownPart, NotBeforeTheSendBeganNorOutsideTheWindow) {
  // The report arrived before the send began: it is about something else.
  std::vector<UnknownPart> parts{{"m1", "+919790197346", kScts + seconds(10)}};
  EXPECT_EQ(match_unknown_part(report("+919790197346"), parts), std::nullopt);
  // The SC's timestamp is well before the send began (beyond the clock skew).
  parts = {{"m1", "+919790197346", kScts + minutes(6) - seconds(10)}};
  auto late = report("+919790197346");
  late.received_at = kScts + minutes(7);
  EXPECT_EQ(match_unknown_part(late, parts), std::nullopt);
  // Within the skew it matches: the SC's clock may be off by minutes.
  parts = {{"m1", "+919790197346", kScts + minutes(4)}};
  EXPECT_EQ(match_unknown_part(late, parts), 0U);
  // Older than the window.
  parts = {{"m1", "+919790197346", kScts - hours(73)}};
  EXPECT_EQ(match_unknown_part(report("+919790197346", std::nullopt), parts), std::nullopt);
}

TEST(MatchUnknownPart, TwoUnknownPartsToTheSameSubscriberSettleInSendOrder) {
  const std::vector<UnknownPart> parts{{"m1", "+919790197346", kScts - seconds(1)},
                                       {"m1", "+919790197346", kScts - seconds(3)}};
  EXPECT_EQ(match_unknown_part(report("+919790197346"), parts), 1U);
}

}  // namespace
}  // namespace smsgw::scheduler
