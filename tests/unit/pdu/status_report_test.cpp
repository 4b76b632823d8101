// TS 23.040 9.2.2.3 SMS-STATUS-REPORT and 9.2.3.15 TP-ST.
#include <gtest/gtest.h>

#include "smsgw/pdu/pdu.hpp"
#include "test_support.hpp"

namespace smsgw::pdu {
namespace {

// SMSC 00, FO 06, MR 2A, RA +4917 (04 91 9471), SCTS, DT, then `tail` (ST...).
std::string report_hex(const std::string& tail) {
  return "00062A049194714210907183842242109071838522" + tail;
}

struct StatusCase {
  std::uint8_t status;
  StatusClass expected;
};

class ClassifiesStatus : public ::testing::TestWithParam<StatusCase> {};

TEST_P(ClassifiesStatus, ByTheSpecRanges) {
  const auto& c = GetParam();
  EXPECT_EQ(classify_status(c.status), c.expected);
  auto decoded = decode(report_hex(to_hex(Bytes{c.status})));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  const auto& report = std::get<StatusReport>(decoded->tpdu);
  EXPECT_EQ(report.status, c.status);
  EXPECT_EQ(report.status_class, c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Pdu, ClassifiesStatus,
    ::testing::Values(
        StatusCase{0x00, StatusClass::delivered}, StatusCase{0x01, StatusClass::delivered},
        StatusCase{0x02, StatusClass::delivered}, StatusCase{0x1F, StatusClass::delivered},
        StatusCase{0x20, StatusClass::pending}, StatusCase{0x25, StatusClass::pending},
        StatusCase{0x3F, StatusClass::pending}, StatusCase{0x40, StatusClass::failed},
        StatusCase{0x41, StatusClass::failed}, StatusCase{0x60, StatusClass::failed},
        StatusCase{0x65, StatusClass::failed}, StatusCase{0x7F, StatusClass::failed},
        StatusCase{0x80, StatusClass::failed}, StatusCase{0xFF, StatusClass::failed}));

TEST(StatusReport, ClassNames) {
  EXPECT_EQ(to_string(StatusClass::delivered), "delivered");
  EXPECT_EQ(to_string(StatusClass::pending), "pending");
  EXPECT_EQ(to_string(StatusClass::failed), "failed");
}

TEST(StatusReport, ParameterIndicatorAnnouncesPidDcsAndUserData) {
  // ST 00, PI 07 (PID, DCS, UDL), PID 00, DCS 08, UDL 04, "OK" in UCS2.
  auto decoded = decode(report_hex("0007000804004F004B"));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  const auto& report = std::get<StatusReport>(decoded->tpdu);
  EXPECT_EQ(report.message_reference, 0x2A);
  EXPECT_EQ(report.recipient, (Address{"+4917", Address::Type::international}));
  EXPECT_EQ(report.protocol_id, 0);
  EXPECT_EQ(report.dcs, 0x08);
  ASSERT_TRUE(report.user_data.has_value());
  EXPECT_EQ(report.user_data->text, "OK");
}

TEST(StatusReport, UserDataWithoutDcsIsGsm7) {
  // PI 04 (UDL only): TS 23.040 9.2.3.27 default coding.
  auto decoded =
      decode(report_hex("0004"
                        "02" +
                        to_hex(test::pack({'O', 'K'}))));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  const auto& report = std::get<StatusReport>(decoded->tpdu);
  EXPECT_FALSE(report.protocol_id.has_value());
  EXPECT_FALSE(report.dcs.has_value());
  ASSERT_TRUE(report.user_data.has_value());
  EXPECT_EQ(report.user_data->text, "OK");
}

TEST(StatusReport, PidOnlyAndEmptyIndicator) {
  auto pid = decode(report_hex("000140"));
  ASSERT_TRUE(pid.ok()) << pid.error().message;
  EXPECT_EQ(std::get<StatusReport>(pid->tpdu).protocol_id, 0x40);
  EXPECT_FALSE(std::get<StatusReport>(pid->tpdu).user_data.has_value());
  auto none = decode(report_hex("4600"));
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_EQ(std::get<StatusReport>(none->tpdu).status_class, StatusClass::failed);
}

TEST(StatusReport, AnnouncedFieldMissingIsTruncated) {
  auto decoded =
      decode(report_hex("0003"
                        "00"));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, "pdu.truncated");
  // SMSC 1 + FO, MR, RA 4, SCTS 7, DT 7, ST, PI, PID = octet 24 is the missing DCS.
  EXPECT_EQ(decoded.error().message.rfind("octet 24:", 0), 0u) << decoded.error().message;
}

TEST(StatusReport, EncoderRoundTripsNegativeZonesAndNationalRecipients) {
  const Timestamp scts{2023, 12, 31, 23, 59, 59, -20};
  const Timestamp discharge{2024, 1, 1, 0, 0, 1, -20};
  const Address recipient{"0301234567", Address::Type::national};
  const std::string hex = encode_status_report(200, recipient, scts, discharge, 0x41);
  auto decoded = decode(hex);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_FALSE(decoded->smsc.has_value());
  const auto& report = std::get<StatusReport>(decoded->tpdu);
  EXPECT_EQ(report.message_reference, 200);
  EXPECT_EQ(report.recipient, recipient);
  EXPECT_EQ(report.scts, scts);
  EXPECT_EQ(report.discharge, discharge);
  EXPECT_EQ(report.scts.iso8601(), "2023-12-31T23:59:59-05:00");
  EXPECT_EQ(report.status, 0x41);
  EXPECT_EQ(report.status_class, StatusClass::failed);
}

}  // namespace
}  // namespace smsgw::pdu
