// The stream framer (SMPP 3.4 section 3.2): whole PDUs from chunks of any size, and a
// command_length under 16 or over the maximum as a sticky ESME_RINVCMDLEN failure.
#include "smsgw/smpp/framer.hpp"

#include "test_support.hpp"

namespace smsgw::smpp {
namespace {

using test::hex;

const Bytes kEnquireLink = hex("00 00 00 10 00 00 00 15 00 00 00 00 00 00 00 01");
const Bytes kUnbind = hex("00 00 00 10 00 00 00 06 00 00 00 00 00 00 00 02");

TEST(SmppFramer, YieldsNothingUntilAPduIsWhole) {
  Framer framer;
  framer.feed(std::span(kEnquireLink).first(15));
  auto none = framer.next();
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  framer.feed(std::span(kEnquireLink).subspan(15));
  auto one = framer.next();
  ASSERT_TRUE(one.ok());
  ASSERT_TRUE(one->has_value());
  EXPECT_EQ(**one, kEnquireLink);
  EXPECT_FALSE(framer.next()->has_value());
  EXPECT_EQ(framer.buffered(), 0u);
}

TEST(SmppFramer, OneOctetAtATimeAndTwoPdusInOneChunk) {
  Bytes stream = kEnquireLink;
  stream.insert(stream.end(), kUnbind.begin(), kUnbind.end());
  Framer bytewise;
  std::vector<Bytes> seen;
  for (std::uint8_t octet : stream) {
    bytewise.feed(std::span(&octet, 1));
    auto next = bytewise.next();
    ASSERT_TRUE(next.ok());
    if (next->has_value()) seen.push_back(**next);
  }
  EXPECT_EQ(seen, (std::vector<Bytes>{kEnquireLink, kUnbind}));

  Framer whole;
  whole.feed(stream);
  EXPECT_EQ(**whole.next(), kEnquireLink);
  EXPECT_EQ(**whole.next(), kUnbind);
  EXPECT_FALSE(whole.next()->has_value());
}

TEST(SmppFramer, CommandLengthUnderTheHeaderIsStickyFailure) {
  Framer framer;
  framer.feed(hex("00 00 00 0F 00 00 00 15 00 00 00 00 00 00 00"));
  auto failed = framer.next();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().status, CommandStatus::esme_rinvcmdlen);
  EXPECT_EQ(failed.error().field, "command_length");
  EXPECT_NE(failed.error().message.find("15"), std::string::npos);
  EXPECT_TRUE(framer.failed());
  framer.feed(kEnquireLink);
  EXPECT_FALSE(framer.next().ok());
}

TEST(SmppFramer, CommandLengthOverTheMaximumFailsBeforeBuffering) {
  Framer framer(1024);
  framer.feed(hex("00 00 04 01"));
  auto failed = framer.next();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().status, CommandStatus::esme_rinvcmdlen);
  EXPECT_NE(failed.error().message.find("1025"), std::string::npos);

  Framer exact(1024);
  Bytes big(1024, 0);
  big[2] = 0x04;  // command_length 1024
  exact.feed(big);
  auto ok = exact.next();
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)->size(), 1024u);
}

TEST(SmppFramer, DefaultMaximumAdmitsTheLargestMessagePayload) {
  EXPECT_GE(kDefaultMaxCommandLength, 65535u + 4 + 300);
  Framer framer;
  framer.feed(hex("FF FF FF FF"));
  EXPECT_FALSE(framer.next().ok());
}

}  // namespace
}  // namespace smsgw::smpp
