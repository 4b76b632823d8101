// Decoding real and hand-built PDUs (TS 23.040 9.2.2).
#include <gtest/gtest.h>

#include "smsgw/pdu/pdu.hpp"

namespace smsgw::pdu {
namespace {

TEST(DecodeStatusReport, RealCdsFromAnIndianNetwork) {
  // +CDS from python-gsmmodem issue 44 (at-protocol.md section 1).
  auto decoded = decode("079119890400202306400C91197909913764511090718384225110907183252200");
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  ASSERT_EQ(decoded->type(), MessageType::status_report);
  ASSERT_TRUE(decoded->smsc.has_value());
  EXPECT_EQ(decoded->smsc->text, "+919840000232");
  const auto& report = std::get<StatusReport>(decoded->tpdu);
  EXPECT_EQ(report.message_reference, 0x40);
  EXPECT_EQ(report.recipient, (Address{"+919790197346", Address::Type::international}));
  EXPECT_EQ(report.scts.iso8601(), "2015-01-09T17:38:48+05:30");
  EXPECT_EQ(report.discharge.iso8601(), "2015-01-09T17:38:52+05:30");
  EXPECT_EQ(report.status, 0);
  EXPECT_EQ(report.status_class, StatusClass::delivered);
  EXPECT_FALSE(report.protocol_id.has_value());
  EXPECT_FALSE(report.user_data.has_value());
}

TEST(DecodeStatusReport, PythonGsmmodemReportWithNationalRecipient) {
  auto decoded = decode("07917248014000F506B70AA18092020000317071518590803170715185418000");
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  const auto& report = std::get<StatusReport>(decoded->tpdu);
  EXPECT_EQ(decoded->smsc->text, "+27841004005");
  EXPECT_EQ(report.message_reference, 183);
  EXPECT_EQ(report.recipient, (Address{"0829200000", Address::Type::national}));
  EXPECT_EQ(report.scts.iso8601(), "2013-07-17T15:58:09+02:00");
  EXPECT_EQ(report.discharge.iso8601(), "2013-07-17T15:58:14+02:00");
  EXPECT_EQ(report.status, 0);
}

TEST(DecodeDeliver, ClassicHelloHello) {
  // SMSC +27381000015, sender TON 4 / NPI 8, 1999 read as 2099 per the 00-99 rule.
  auto decoded = decode("07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37");
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  ASSERT_EQ(decoded->type(), MessageType::deliver);
  const auto& deliver = std::get<Deliver>(decoded->tpdu);
  EXPECT_EQ(decoded->smsc->text, "+27381000015");
  EXPECT_EQ(deliver.from, (Address{"27838890001", Address::Type::unknown}));
  EXPECT_EQ(deliver.scts.iso8601(), "2099-03-29T15:16:59+02:00");
  EXPECT_EQ(deliver.user_data.encoding, Encoding::gsm7);
  EXPECT_EQ(deliver.user_data.text, "hellohello");
  EXPECT_FALSE(deliver.user_data.udh.has_value());
}

TEST(DecodeSubmit, ClassicSubmitWithRelativeValidity) {
  auto decoded = decode("0011000B916407281553F80000AA0AE8329BFD4697D9EC37");
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  ASSERT_EQ(decoded->type(), MessageType::submit);
  EXPECT_FALSE(decoded->smsc.has_value());
  const auto& submit = std::get<Submit>(decoded->tpdu);
  EXPECT_EQ(submit.to, (Address{"+46708251358", Address::Type::international}));
  ASSERT_TRUE(submit.validity.has_value());
  EXPECT_EQ(submit.validity->count(), 4 * 24 * 3600);
  EXPECT_EQ(submit.user_data.text, "hellohello");
}

}  // namespace
}  // namespace smsgw::pdu
