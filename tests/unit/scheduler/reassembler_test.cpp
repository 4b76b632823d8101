#include "smsgw/scheduler/reassembler.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace smsgw::scheduler {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const TimePoint kT0 = TimePoint{} + hours(24 * 19800);

InboundPart part(std::uint32_t number, std::uint32_t total, std::string text, TimePoint at = kT0,
                 std::uint32_t ref = 0x42, bool sixteen = false,
                 std::string sender = "+4917612345678", std::string sim = "m1") {
  return InboundPart{std::move(sim), std::move(sender), ConcatInfo{ref, sixteen, number, total},
                     std::move(text), at};
}

TEST(Reassembler, SinglePartMessagesPassStraightThrough) {
  Reassembler r;
  InboundPart plain{"m1", "MyBank", std::nullopt, "Your code is 1234", kT0};
  const auto out = r.add(plain);
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].text, "Your code is 1234");
  EXPECT_EQ(out[0].sender, "MyBank");
  EXPECT_TRUE(out[0].complete);
  EXPECT_EQ(r.pending(), 0U);
  EXPECT_EQ(r.add(part(1, 1, "one of one")).size(), 1U);
}

TEST(Reassembler, JoinsPartsArrivingOutOfOrder) {
  Reassembler r;
  EXPECT_TRUE(r.add(part(3, 3, "three", kT0 + seconds(1))).empty());
  EXPECT_TRUE(r.add(part(1, 3, "one-", kT0 + seconds(2))).empty());
  EXPECT_EQ(r.pending(), 1U);
  const auto out = r.add(part(2, 3, "two-", kT0 + seconds(3)));
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].text, "one-two-three");
  EXPECT_TRUE(out[0].complete);
  EXPECT_EQ(out[0].total_parts, 3U);
  EXPECT_EQ(out[0].first_received_at, kT0 + seconds(1));
  EXPECT_EQ(out[0].last_received_at, kT0 + seconds(3));
  EXPECT_EQ(r.pending(), 0U);
}

TEST(Reassembler, EveryOrderOfFourPartsGivesTheSameText) {
  std::vector<std::uint32_t> order{1, 2, 3, 4};
  do {
    Reassembler r;
    std::vector<InboundMessage> out;
    for (const auto n : order) {
      for (auto& m : r.add(part(n, 4, std::string(1, static_cast<char>('a' + n - 1))))) {
        out.push_back(std::move(m));
      }
    }
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].text, "abcd");
  } while (std::next_permutation(order.begin(), order.end()));
}

TEST(Reassembler, DropsDuplicatePartsWhilePending) {
  Reassembler r;
  EXPECT_TRUE(r.add(part(1, 2, "first")).empty());
  EXPECT_TRUE(r.add(part(1, 2, "first again")).empty());
  const auto out = r.add(part(2, 2, " second"));
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].text, "first second");
}

TEST(Reassembler, DropsARepeatOfACompletedMessagesPart) {
  Reassembler r;
  r.add(part(1, 2, "a"));
  ASSERT_EQ(r.add(part(2, 2, "b")).size(), 1U);
  // The modem reports the last part twice.
  EXPECT_TRUE(r.add(part(2, 2, "b", kT0 + seconds(5))).empty());
  EXPECT_EQ(r.pending(), 0U);
  // The same reference reused by a new message with other text is a new group.
  EXPECT_TRUE(r.add(part(1, 2, "new-", kT0 + seconds(6))).empty());
  const auto out = r.add(part(2, 2, "message", kT0 + seconds(7)));
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].text, "new-message");
  // Long after completion, an identical part is no longer taken for a repeat.
  r.add(part(1, 2, "x", kT0 + hours(3)));
  EXPECT_EQ(r.add(part(2, 2, "message", kT0 + hours(3))).size(), 1U);
}

TEST(Reassembler, KeysSeparateSimsSendersReferencesAndWidths) {
  Reassembler r;
  EXPECT_TRUE(r.add(part(1, 2, "A1", kT0, 7, false)).empty());
  EXPECT_TRUE(r.add(part(1, 2, "B1", kT0, 7, true)).empty());  // 16-bit ref 7 differs
  EXPECT_TRUE(r.add(part(1, 2, "C1", kT0, 7, false, "+4915112345678")).empty());
  EXPECT_TRUE(r.add(part(1, 2, "D1", kT0, 7, false, "+4917612345678", "m2")).empty());
  EXPECT_TRUE(r.add(part(1, 3, "E1", kT0, 7, false)).empty());  // other total
  EXPECT_EQ(r.pending(), 5U);
  const auto b = r.add(part(2, 2, "B2", kT0, 7, true));
  ASSERT_EQ(b.size(), 1U);
  EXPECT_EQ(b[0].text, "B1B2");
  const auto a = r.add(part(2, 2, "A2", kT0, 7, false));
  ASSERT_EQ(a.size(), 1U);
  EXPECT_EQ(a[0].text, "A1A2");
  EXPECT_EQ(r.pending(), 3U);
}

TEST(Reassembler, SixteenBitReferencesAboveTwoFiveFive) {
  Reassembler r;
  r.add(part(2, 2, "world", kT0, 0xBEEF, true));
  const auto out = r.add(part(1, 2, "hello ", kT0, 0xBEEF, true));
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].text, "hello world");
}

TEST(Reassembler, DeliversIncompleteGroupsAfterTheTimeout) {
  Reassembler r(ReassemblyOptions{minutes(30), 100});
  r.add(part(1, 4, "one ", kT0));
  r.add(part(3, 4, "three", kT0 + minutes(10)));
  r.add(part(1, 2, "other", kT0 + minutes(20), 9));
  EXPECT_EQ(r.next_expiry(), kT0 + minutes(30));
  EXPECT_TRUE(r.expire(kT0 + minutes(29)).empty());
  const auto out = r.expire(kT0 + minutes(30));
  ASSERT_EQ(out.size(), 1U);
  EXPECT_FALSE(out[0].complete);
  EXPECT_EQ(out[0].text, "one three");
  EXPECT_EQ(out[0].missing_parts, (std::vector<std::uint32_t>{2, 4}));
  EXPECT_EQ(out[0].total_parts, 4U);
  EXPECT_EQ(r.next_expiry(), kT0 + minutes(50));
  // A straggler after delivery starts a group of its own.
  EXPECT_TRUE(r.add(part(2, 4, "two ", kT0 + minutes(31))).empty());
  EXPECT_EQ(r.pending(), 2U);
  const auto later = r.expire(kT0 + hours(2));
  ASSERT_EQ(later.size(), 2U);
  EXPECT_EQ(later[0].text, "other");  // oldest first
  EXPECT_EQ(later[1].text, "two ");
  EXPECT_EQ(later[1].missing_parts, (std::vector<std::uint32_t>{1, 3, 4}));
  EXPECT_EQ(r.next_expiry(), std::nullopt);
}

TEST(Reassembler, InvalidConcatenationNumbersStandAlone) {
  Reassembler r;
  EXPECT_EQ(r.add(part(0, 3, "zero")).size(), 1U);
  EXPECT_EQ(r.add(part(4, 3, "four of three")).size(), 1U);
  EXPECT_EQ(r.add(part(1, 0, "of zero")).size(), 1U);
  EXPECT_EQ(r.pending(), 0U);
}

TEST(Reassembler, EvictsTheOldestGroupBeyondMaxPending) {
  Reassembler r(ReassemblyOptions{hours(1), 2});
  EXPECT_TRUE(r.add(part(1, 2, "old", kT0, 1)).empty());
  EXPECT_TRUE(r.add(part(1, 2, "mid", kT0 + seconds(1), 2)).empty());
  const auto out = r.add(part(1, 2, "new", kT0 + seconds(2), 3));
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].text, "old");
  EXPECT_FALSE(out[0].complete);
  EXPECT_EQ(r.pending(), 2U);
}

}  // namespace
}  // namespace smsgw::scheduler
