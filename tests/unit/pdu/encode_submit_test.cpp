// SMS-SUBMIT encoding (TS 23.040 9.2.2.2).
#include <gtest/gtest.h>

#include "smsgw/pdu/pdu.hpp"

namespace smsgw::pdu {
namespace {

TEST(EncodeSubmit, ReproducesTheClassicVector) {
  SubmitOptions options;
  options.validity = std::chrono::hours(24 * 4);
  auto encoded = encode_submit("+46708251358", "hellohello", options);
  ASSERT_TRUE(encoded.ok()) << encoded.error().message;
  ASSERT_EQ(encoded->parts.size(), 1u);
  EXPECT_EQ(encoded->encoding, Encoding::gsm7);
  EXPECT_EQ(encoded->parts[0].pdu, "0011000B916407281553F80000AA0AE8329BFD4697D9EC37");
  EXPECT_EQ(encoded->parts[0].length, 23u);
}

TEST(EncodeSubmit, FirstOctetFlags) {
  SubmitOptions options;
  options.status_report = true;
  options.reject_duplicates = true;
  options.message_reference = 7;
  auto encoded = encode_submit("12345", "x", options);
  ASSERT_TRUE(encoded.ok());
  // MTI 01 | RD 0x04 | SRR 0x20, no VPF, then MR 07, DA 05 81 2143F5.
  EXPECT_EQ(encoded->parts[0].pdu.substr(0, 16), "00250705812143F5");
  auto decoded = decode(encoded->parts[0].pdu);
  ASSERT_TRUE(decoded.ok());
  const auto& submit = std::get<Submit>(decoded->tpdu);
  EXPECT_TRUE(submit.status_report_request);
  EXPECT_TRUE(submit.reject_duplicates);
  EXPECT_EQ(submit.message_reference, 7);
  EXPECT_FALSE(submit.validity.has_value());
  EXPECT_EQ(submit.to, (Address{"12345", Address::Type::unknown}));
}

TEST(EncodeSubmit, FlashIsClassZero) {
  SubmitOptions options;
  options.flash = true;
  auto encoded = encode_submit("+123", "hi", options);
  ASSERT_TRUE(encoded.ok());
  auto decoded = decode(encoded->parts[0].pdu);
  ASSERT_TRUE(decoded.ok());
  const auto& submit = std::get<Submit>(decoded->tpdu);
  EXPECT_EQ(submit.dcs, 0x10);
  EXPECT_EQ(submit.user_data.message_class, 0);
}

TEST(EncodeSubmit, UcsTwoForTextOutsideGsm7) {
  auto encoded = encode_submit("+123", "\xD0\x9F\xD1\x80\xD0\xB8");  // "При"
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(encoded->encoding, Encoding::ucs2);
  // DCS 08, UDL 06, 041F 0440 0438.
  EXPECT_EQ(encoded->parts[0].pdu.substr(encoded->parts[0].pdu.size() - 16), "0806041F04400438");
  auto decoded = decode(encoded->parts[0].pdu);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(std::get<Submit>(decoded->tpdu).user_data.text, "\xD0\x9F\xD1\x80\xD0\xB8");
}

TEST(EncodeSubmit, LongTextSplitsWithConcatenation) {
  const std::string text(200, 'a');
  SubmitOptions options;
  options.concat_reference = 0x42;
  auto encoded = encode_submit("+123", text, options);
  ASSERT_TRUE(encoded.ok());
  ASSERT_EQ(encoded->parts.size(), 2u);
  std::string joined;
  for (unsigned i = 0; i < 2; ++i) {
    auto decoded = decode(encoded->parts[i].pdu);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    const auto& ud = std::get<Submit>(decoded->tpdu).user_data;
    ASSERT_TRUE(ud.concat.has_value());
    EXPECT_EQ(*ud.concat, (Concat{0x42, i + 1, 2}));
    joined += ud.text;
  }
  EXPECT_EQ(joined, text);
  EXPECT_EQ(std::get<Submit>(decode(encoded->parts[0].pdu)->tpdu).user_data.text.size(), 153u);
}

TEST(EncodeDeliverAndStatusReport, RoundTrip) {
  DeliverOptions options;
  options.scts = Timestamp{2024, 2, 29, 23, 59, 58, -14};
  options.smsc = "+4917";
  auto pdus = encode_deliver("MyBank", "Balance: 10\xE2\x82\xAC", options);
  ASSERT_TRUE(pdus.ok()) << pdus.error().message;
  ASSERT_EQ(pdus->size(), 1u);
  auto decoded = decode(pdus->front());
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded->smsc->text, "+4917");
  const auto& deliver = std::get<Deliver>(decoded->tpdu);
  EXPECT_EQ(deliver.from, (Address{"MyBank", Address::Type::alphanumeric}));
  EXPECT_EQ(deliver.scts, options.scts);
  EXPECT_EQ(deliver.scts.iso8601(), "2024-02-29T23:59:58-03:30");
  EXPECT_EQ(deliver.user_data.text, "Balance: 10\xE2\x82\xAC");

  const Timestamp scts{2015, 1, 9, 17, 38, 48, 22};
  const Timestamp discharge{2015, 1, 9, 17, 38, 52, 22};
  const std::string report =
      encode_status_report(0x40, Address{"+919790197346", Address::Type::international}, scts,
                           discharge, 0, "+919840000232");
  EXPECT_EQ(report, "079119890400202306400C91197909913764511090718384225110907183252200");
}

}  // namespace
}  // namespace smsgw::pdu
