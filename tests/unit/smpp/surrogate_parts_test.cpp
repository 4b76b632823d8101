// A UTF-16 surrogate pair split between two UCS-2 parts of a client-split message, as
// Kannel 1.4.5 sends it (it cuts UCS-2 text every 67 code units; found by
// tests/integration/kannel): each part maps with its half kept, and the assembled text
// joins the halves.
#include <gtest/gtest.h>

#include <chrono>

#include "smsgw/smpp/submit_spec.hpp"
#include "test_support.hpp"

namespace smsgw::smpp {
namespace {

using test::hex;

MessageBody ucs2_part(const std::string& short_message_hex) {
  MessageBody body;
  body.dest_addr_ton = 1;
  body.dest_addr_npi = 1;
  body.destination_addr = "4915212345678";
  body.esm_class = 0x43;
  body.data_coding = 8;
  body.short_message = hex(short_message_hex);
  return body;
}

Outcome<SubmitSpec> mapped(const MessageBody& body) {
  return map_submit(body, std::chrono::system_clock::now());
}

TEST(SmppSurrogateParts, APairAcrossTwoPartsIsJoined) {
  // "жж" + U+1F44B (D83D DC4B) + "я": the high half ends part 1, the low half starts part 2.
  const auto first = mapped(ucs2_part("05 00 03 04 02 01 04 36 04 36 D8 3D"));
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->text, "жж\xED\xA0\xBD");  // the high half, WTF-8
  const auto second = mapped(ucs2_part("05 00 03 04 02 02 DC 4B 04 4F"));
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->text, "\xED\xB1\x8Bя");
  EXPECT_EQ(join_surrogate_halves(first->text + second->text), "жж👋я");
}

TEST(SmppSurrogateParts, AHalfWithoutItsOtherHalfBecomesAReplacementCharacter) {
  EXPECT_EQ(join_surrogate_halves("a\xED\xA0\xBD"), "a\uFFFD");  // part 2 never came
  EXPECT_EQ(join_surrogate_halves("\xED\xB1\x8B"
                                  "b"),
            "\uFFFDb");
  EXPECT_EQ(join_surrogate_halves("\xED\xB1\x8B\xED\xA0\xBD"), "\uFFFD\uFFFD");  // wrong order
  EXPECT_EQ(join_surrogate_halves("plain 👋 text"), "plain 👋 text");
}

TEST(SmppSurrogateParts, OnlyAPartsEdgesMayHoldAHalf) {
  // A whole message ending with a high surrogate is refused as before.
  MessageBody whole = ucs2_part("04 36 D8 3D");
  whole.esm_class = 0x03;
  const auto refused = mapped(whole);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().status, CommandStatus::esme_rsubmitfail);
  // Inside a part, an unpaired surrogate is still refused.
  const auto inside = mapped(ucs2_part("05 00 03 04 02 01 D8 3D 04 36"));
  ASSERT_FALSE(inside.ok());
  EXPECT_NE(inside.error().message.find("high surrogate"), std::string::npos);
  // An odd length too.
  EXPECT_FALSE(mapped(ucs2_part("05 00 03 04 02 01 04 36 D8")).ok());
}

}  // namespace
}  // namespace smsgw::smpp
