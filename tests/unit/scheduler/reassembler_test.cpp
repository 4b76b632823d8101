#include "smsgw/scheduler/reassembler.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace smsgw::scheduler {
namespace {

TEST(Reassembler, SinglePartMessagesStandAlone) {
  EXPECT_FALSE(joins_concatenation(std::nullopt, 1));
  EXPECT_FALSE(joins_concatenation(std::nullopt, 3));  // no concatenation IE
  EXPECT_FALSE(joins_concatenation(0x42, 1));          // an IE announcing one part
  EXPECT_TRUE(joins_concatenation(0x42, 2));
  EXPECT_TRUE(joins_concatenation(0x1234, 2));  // 16-bit references (9.2.3.24.8)
  const std::vector<ReceivedPart> one{{1, "Hello"}};
  const auto message = reassemble(one, 1);
  EXPECT_TRUE(message.complete);
  EXPECT_EQ(message.text, "Hello");
  EXPECT_EQ(message.parts_received, 1);
}

TEST(Reassembler, JoinsPartsArrivingOutOfOrder) {
  std::vector<ReceivedPart> parts{{3, "C"}};
  auto message = reassemble(parts, 3);
  EXPECT_FALSE(message.complete);
  EXPECT_EQ(message.text, "C");
  EXPECT_EQ(message.missing_parts, (std::vector<int>{1, 2}));
  parts.push_back({1, "A"});
  message = reassemble(parts, 3);
  EXPECT_EQ(message.text, "AC");
  EXPECT_EQ(message.parts_received, 2);
  EXPECT_EQ(message.missing_parts, std::vector<int>{2});
  parts.push_back({2, "B"});
  message = reassemble(parts, 3);
  EXPECT_TRUE(message.complete);
  EXPECT_EQ(message.text, "ABC");
  EXPECT_TRUE(message.missing_parts.empty());
}

TEST(Reassembler, EveryOrderOfFourPartsGivesTheSameText) {
  std::vector<ReceivedPart> parts{{1, "one "}, {2, "two "}, {3, "three "}, {4, "four"}};
  std::sort(parts.begin(), parts.end(),
            [](const ReceivedPart& a, const ReceivedPart& b) { return a.number < b.number; });
  do {
    const auto message = reassemble(parts, 4);
    EXPECT_TRUE(message.complete);
    EXPECT_EQ(message.text, "one two three four");
  } while (std::next_permutation(
      parts.begin(), parts.end(),
      [](const ReceivedPart& a, const ReceivedPart& b) { return a.number < b.number; }));
}

TEST(Reassembler, ARepeatedPartNumberKeepsTheFirstCopy) {
  const std::vector<ReceivedPart> parts{{1, "A"}, {1, "X"}, {2, "B"}};
  const auto message = reassemble(parts, 2);
  EXPECT_TRUE(message.complete);
  EXPECT_EQ(message.text, "AB");
  EXPECT_EQ(message.parts_received, 2);
}

TEST(Reassembler, IncompleteMessagesNameTheirGaps) {
  const std::vector<ReceivedPart> parts{{4, "D"}, {1, "A"}};
  const auto message = reassemble(parts, 5);
  EXPECT_FALSE(message.complete);
  EXPECT_EQ(message.text, "AD");  // nothing in the gaps
  EXPECT_EQ(message.missing_parts, (std::vector<int>{2, 3, 5}));
}

TEST(Reassembler, PartNumbersOutsideOneToTotalAreInvalid) {
  // 3GPP TS 23.040 9.2.3.24.1: a number of 0 or above the total is to be ignored.
  EXPECT_FALSE(valid_part_number(0, 3));
  EXPECT_FALSE(valid_part_number(4, 3));
  EXPECT_FALSE(valid_part_number(1, 0));
  EXPECT_TRUE(valid_part_number(1, 3));
  EXPECT_TRUE(valid_part_number(3, 3));
  EXPECT_TRUE(valid_part_number(1, 1));
}

}  // namespace
}  // namespace smsgw::scheduler
