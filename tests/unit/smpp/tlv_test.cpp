// Typed accessors of the optional parameters (SMPP 3.4 section 5.3.2).
#include "smsgw/smpp/tlv.hpp"

#include "test_support.hpp"

namespace smsgw::smpp {
namespace {

TEST(SmppTlv, SettersAndGetters) {
  Tlvs tlvs;
  EXPECT_FALSE(tlvs.sar_msg_ref_num());
  EXPECT_FALSE(tlvs.message_payload());
  EXPECT_FALSE(tlvs.receipted_message_id());
  tlvs.set_sar(0x0102, 3, 1);
  tlvs.set_message_payload({0x41, 0x42});
  tlvs.set_receipted_message_id("m-17");
  tlvs.set_message_state(5);  // UNDELIVERABLE
  EXPECT_EQ(tlvs.sar_msg_ref_num(), 0x0102);
  EXPECT_EQ(tlvs.sar_total_segments(), 3);
  EXPECT_EQ(tlvs.sar_segment_seqnum(), 1);
  EXPECT_EQ(tlvs.message_payload(), (Bytes{0x41, 0x42}));
  EXPECT_EQ(tlvs.receipted_message_id(), "m-17");
  EXPECT_EQ(tlvs.message_state(), 5);
  ASSERT_NE(tlvs.find(TlvTag::receipted_message_id), nullptr);
  EXPECT_EQ(tlvs.find(TlvTag::receipted_message_id)->value, test::hex("6D 2D 31 37 00"));
  EXPECT_EQ(tlvs.items.size(), 6u);
  tlvs.set_sar(0x0103, 3, 2);  // replaces, keeps order
  EXPECT_EQ(tlvs.items.size(), 6u);
  EXPECT_EQ(tlvs.items[0].tag, 0x020C);
  EXPECT_EQ(tlvs.sar_segment_seqnum(), 2);
}

TEST(SmppTlv, WrongSizedValuesReadAsAbsent) {
  Tlvs tlvs;
  tlvs.set(TlvTag::sar_msg_ref_num, {1});
  tlvs.set(TlvTag::message_state, {});
  tlvs.set(TlvTag::receipted_message_id, {0x41});
  EXPECT_FALSE(tlvs.sar_msg_ref_num());
  EXPECT_FALSE(tlvs.message_state());
  EXPECT_FALSE(tlvs.receipted_message_id());
  EXPECT_EQ(fixed_tlv_size(0x020C), 2u);
  EXPECT_EQ(fixed_tlv_size(0x0424), std::nullopt);
}

}  // namespace
}  // namespace smsgw::smpp
