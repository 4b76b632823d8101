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

namespace smsgw::pdu {
namespace {

// Real PDUs from devices, as published with the expected values in ModemManager's
// src/tests/test-sms-part-3gpp.c (the values were checked again here by hand).
struct RealVector {
  const char* name;
  const char* hex;
  MessageType type;
  const char* smsc;
  const char* number;
  const char* timestamp;  // SCTS (empty for SUBMIT)
  const char* text;
  std::optional<Concat> concat;
};

class RealDeviceVectors : public ::testing::TestWithParam<RealVector> {};

TEST_P(RealDeviceVectors, DecodeToThePublishedValues) {
  const auto& v = GetParam();
  auto decoded = decode(v.hex);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  ASSERT_EQ(decoded->type(), v.type);
  EXPECT_EQ(decoded->smsc ? decoded->smsc->text : "", v.smsc);
  const UserData* ud = nullptr;
  if (const auto* d = std::get_if<Deliver>(&decoded->tpdu)) {
    EXPECT_EQ(d->from.text, v.number);
    EXPECT_EQ(d->scts.iso8601(), v.timestamp);
    ud = &d->user_data;
  } else if (const auto* s = std::get_if<Submit>(&decoded->tpdu)) {
    EXPECT_EQ(s->to.text, v.number);
    ud = &s->user_data;
  } else {
    const auto& r = std::get<StatusReport>(decoded->tpdu);
    EXPECT_EQ(r.recipient.text, v.number);
    EXPECT_EQ(r.scts.iso8601(), v.timestamp);
    return;
  }
  EXPECT_EQ(ud->text, v.text);
  EXPECT_EQ(ud->concat, v.concat);
}

INSTANTIATE_TEST_SUITE_P(
    Pdu, RealDeviceVectors,
    ::testing::Values(
        RealVector{"extension_chars_negative_zone",
                   "07912104442961F4040B916171957291F800001120821105050A6AC8B2BC7C9A83C220F6DB7D"
                   "2ECB41EDF27C1E3E97411BDE06754FD3D1A0F9BB5D0695F1F4B29B5C2683C6E8B03C3CA697E5"
                   "F34D6AE303D1D1F2F7DD0D4ABB59A0797D8C0685E7A00028EC26832A960B28EC2683BE605078"
                   "0EBA97D96C17",
                   MessageType::deliver, "+12404492164", "+16175927198",
                   "2011-02-28T11:50:50-05:00",
                   "Here's a longer message [{with some extended characters}] thrown in, such "
                   "as \u00A3 and \u03A9\u03A0\u03A8 and \u00A7\u00BF as well.",
                   std::nullopt},
        RealVector{"alphanumeric_sender_ucs2",
                   "07919730071111F10414D04937BD2C7797E9D3E61400081130929102406108044204350441"
                   "0442",
                   MessageType::deliver, "+79037011111", "InternetSMS", "2011-03-29T19:20:04+04:00",
                   "\u0442\u0435\u0441\u0442", std::nullopt},
        RealVector{"dcs_group_f_160_septets",
                   "07913306091093F0040485810000F111604231805180A049B7F90D9A1AA5A01668F8769BD3"
                   "E4B29B9E2EB359A03FC85D06A9C3ED707A0EA2CBC3EE79BB4CA7CBCBA05643617DA7C76990"
                   "FD4D979741EE77DD5E0ED741ED371D442E83E0E1F9BC0CD281E677D9B84C06C1DF7539E85C"
                   "9097E520FB9B2E2F83C6EF369C5E064D8D52D0BC2E07DDEF77D7DC2C7799E5A0771D040FCB"
                   "41F402BB0047BFDD6550B80ECAD966",
                   MessageType::deliver, "+33609001390", "1800", "2011-06-24T13:08:15+02:00",
                   "Info SFR - Confidentiel, \u00E0 ne jamais transmettre -\r\nVoici votre "
                   "nouveau mot de passe : sw2ced pour g\u00E9rer votre compte SFR sur "
                   "www.sfr.fr ou par t\u00E9l\u00E9phone au 963",
                   std::nullopt},
        RealVector{"sixteen_bit_concat_welcome",
                   "07911356131313F64004850120390011609232239180A006080400100201D7327BFD6EB340E"
                   "2321BF46E83EA7790F59D1E97DBE1341B442F83C465763D3DA797E56537C81D0ECB41AB59CC"
                   "1693C16031D96C064241E5656838AF03A96230982A269BCD462917C8FA4E8FCBED709A0D7ABB"
                   "E9F6B0FB5C7683D27350984D4FABC9A0B33C4C4FCF5D20EBFB2D079DCB62793DBD06D9C36E50"
                   "FB2D4E97D9A0B49B5E96BBCB",
                   MessageType::deliver, "+31653131316", "1002", "2011-06-29T23:32:19+02:00",
                   "Welkom, bel om uw Voicemail te beluisteren naar +31612001233 (PrePay: "
                   "*100*1233#). Voicemail ontvangen is altijd gratis. Voor gebruik van mobiel "
                   "interne",
                   Concat{0x0010, 1, 2}},
        RealVector{"multipart_second_part",
                   "07912160130320F6440B916171056429F5000021405291651569320500034C0202E9E8301D4"
                   "4479741F0B09C3E0785E56590BCCC0ED3CB6410FD0D7ABBCBA0B0FB4D4797E52E10",
                   MessageType::deliver, "+12063130026", "+16175046925",
                   "2012-04-25T19:56:51-04:00", "that the parts are related to one another. ",
                   Concat{0x4C, 2, 2}},
        RealVector{"stored_submit_ucs2",
                   "002100098136397339F70008224F60597D4F60597D4F60597D4F60597D4F60597D4F60597D"
                   "4F60597D4F60597D4F60",
                   MessageType::submit, "", "639337937", "",
                   "\u4F60\u597D\u4F60\u597D\u4F60\u597D\u4F60\u597D\u4F60\u597D\u4F60\u597D"
                   "\u4F60\u597D\u4F60\u597D\u4F60",
                   std::nullopt},
        RealVector{"status_report_sc_specific_pending",
                   "07914356060013F1065A098136397339F7219011700463802190117004638030",
                   MessageType::status_report, "+34656000311", "639337937",
                   "2012-09-11T07:40:36+02:00", "", std::nullopt}),
    [](const auto& test_info) { return std::string(test_info.param.name); });

TEST(RealDeviceVectors, InsufficientUserDataIsAnError) {
  // TP-UDL says 11 septets (10 octets), only 9 follow.
  auto decoded = decode("07912143658709F1040B918100551512F20000111010214365000BE8329BFD4697D9EC37");
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, "pdu.truncated");
  EXPECT_EQ(decoded.error().message.rfind("octet 27:", 0), 0u) << decoded.error().message;
}

TEST(DecodeDeliver, NegativeTimeZoneSignBit) {
  // TZ octet 0x49: tens semi-octet 1 with bit 3 set (negative), units 4: -14 quarters.
  auto decoded = decode("0004038121F300004210907183844900");
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  const auto& scts = std::get<Deliver>(decoded->tpdu).scts;
  EXPECT_EQ(scts.tz_quarter_hours, -14);
  EXPECT_EQ(scts.iso8601(), "2024-01-09T17:38:48-03:30");
}

}  // namespace
}  // namespace smsgw::pdu
