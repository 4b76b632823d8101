// TS 23.038 4: data coding scheme groups.
#include <gtest/gtest.h>

#include "smsgw/pdu/pdu.hpp"
#include "test_support.hpp"

namespace smsgw::pdu {
namespace {

struct DcsCase {
  std::uint8_t dcs;
  Encoding encoding;
  std::optional<int> message_class;
};

class DataCodingScheme : public ::testing::TestWithParam<DcsCase> {};

TEST_P(DataCodingScheme, SelectsAlphabetAndClass) {
  const auto& c = GetParam();
  std::uint8_t udl = 0;
  Bytes ud;
  switch (c.encoding) {
    case Encoding::gsm7:
      udl = 2, ud = test::pack({'h', 'i'});
      break;
    case Encoding::ucs2:
      udl = 4, ud = {0x00, 'h', 0x00, 'i'};
      break;
    case Encoding::eight_bit:
      udl = 2, ud = {'h', 'i'};
      break;
  }
  auto decoded = decode(test::deliver_hex(0x04, c.dcs, udl, ud));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  const auto& deliver = std::get<Deliver>(decoded->tpdu);
  EXPECT_EQ(deliver.dcs, c.dcs);
  EXPECT_EQ(deliver.user_data.encoding, c.encoding);
  EXPECT_EQ(deliver.user_data.message_class, c.message_class);
  if (c.encoding == Encoding::eight_bit) {
    EXPECT_EQ(deliver.user_data.data, (Bytes{'h', 'i'}));
    EXPECT_TRUE(deliver.user_data.text.empty());
  } else {
    EXPECT_EQ(deliver.user_data.text, "hi");
  }
}

INSTANTIATE_TEST_SUITE_P(
    Pdu, DataCodingScheme,
    ::testing::Values(
        // 00xx general data coding: bits 3..2 alphabet, bit 4 class present.
        DcsCase{0x00, Encoding::gsm7, std::nullopt},
        DcsCase{0x04, Encoding::eight_bit, std::nullopt},
        DcsCase{0x08, Encoding::ucs2, std::nullopt}, DcsCase{0x0C, Encoding::gsm7, std::nullopt},
        DcsCase{0x10, Encoding::gsm7, 0}, DcsCase{0x11, Encoding::gsm7, 1},
        DcsCase{0x16, Encoding::eight_bit, 2}, DcsCase{0x1B, Encoding::ucs2, 3},
        // Compressed (bit 5): kept as 8-bit data, never decompressed.
        DcsCase{0x20, Encoding::eight_bit, std::nullopt}, DcsCase{0x38, Encoding::eight_bit, 0},
        // 01xx automatic deletion group: same layout.
        DcsCase{0x40, Encoding::gsm7, std::nullopt}, DcsCase{0x48, Encoding::ucs2, std::nullopt},
        DcsCase{0x51, Encoding::gsm7, 1},
        // 1000..1011 reserved: default alphabet.
        DcsCase{0x80, Encoding::gsm7, std::nullopt}, DcsCase{0xB4, Encoding::gsm7, std::nullopt},
        // 1100 / 1101 message waiting (GSM 7), 1110 message waiting (UCS2).
        DcsCase{0xC0, Encoding::gsm7, std::nullopt}, DcsCase{0xD8, Encoding::gsm7, std::nullopt},
        DcsCase{0xE0, Encoding::ucs2, std::nullopt}, DcsCase{0xEB, Encoding::ucs2, std::nullopt},
        // 1111 data coding / message class: bit 2 alphabet, bits 1..0 class.
        DcsCase{0xF0, Encoding::gsm7, 0}, DcsCase{0xF1, Encoding::gsm7, 1},
        DcsCase{0xF6, Encoding::eight_bit, 2}, DcsCase{0xF7, Encoding::eight_bit, 3}));

TEST(DataCodingScheme, DeliverEncoderSetsTheClass) {
  DeliverOptions options;
  options.message_class = 1;
  auto pdus = encode_deliver("+49", "x", options);
  ASSERT_TRUE(pdus.ok());
  auto decoded = decode(pdus->front());
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(std::get<Deliver>(decoded->tpdu).dcs, 0x11);
  EXPECT_EQ(std::get<Deliver>(decoded->tpdu).user_data.message_class, 1);
}

TEST(DataCodingScheme, UcsTwoDecodingIsLenient) {
  // A lone high surrogate and a dangling odd octet become U+FFFD.
  auto decoded = decode(test::deliver_hex(0x04, 0x08, 5, {0xD8, 0x3D, 0x00, 'a', 0x00}));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(test::user_data_of(*decoded).text, "\uFFFDa\uFFFD");
}

TEST(DataCodingScheme, EncodingNames) {
  EXPECT_EQ(to_string(Encoding::gsm7), "gsm7");
  EXPECT_EQ(to_string(Encoding::eight_bit), "8bit");
  EXPECT_EQ(to_string(Encoding::ucs2), "ucs2");
}

}  // namespace
}  // namespace smsgw::pdu
