// Table-driven tests of the AT reply parsers, with the real replies quoted in
// shared/reference/at-protocol.md (device or source named per row).
#include "smsgw/modem/parsers.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace smsgw::modem {
namespace {

TEST(ModemSplitFields, QuotesProtectCommasAndEmptyFieldsStay) {
  const auto fields = split_fields(R"(1,"a,b",,3)");
  ASSERT_EQ(fields.size(), 4u);
  EXPECT_EQ(fields[0], (Field{"1", false}));
  EXPECT_EQ(fields[1], (Field{"a,b", true}));
  EXPECT_EQ(fields[2], (Field{"", false}));
  EXPECT_EQ(fields[3], (Field{"3", false}));
  EXPECT_TRUE(split_fields("").empty());
  EXPECT_EQ(split_fields(R"("")").front(), (Field{"", true}));
}

TEST(ModemStripPrefix, CaseInsensitiveAndSpaceOptional) {
  EXPECT_EQ(strip_prefix("+CSQ: 20,99", "+CSQ"), "20,99");
  EXPECT_EQ(strip_prefix("+csq:20,99", "+CSQ"), "20,99");
  EXPECT_FALSE(strip_prefix("+CSQX: 1", "+CSQ"));
  EXPECT_FALSE(strip_prefix("+CS", "+CSQ"));
}

// ---- +CSQ ----
struct CsqCase {
  std::string line;
  int rssi;
  int ber;
  std::optional<int> dbm;
};
class ModemCsqTest : public testing::TestWithParam<CsqCase> {};
TEST_P(ModemCsqTest, Parses) {
  const auto& c = GetParam();
  auto parsed = parse_csq(c.line);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->rssi, c.rssi);
  EXPECT_EQ(parsed->ber, c.ber);
  EXPECT_EQ(parsed->dbm, c.dbm);
}
INSTANTIATE_TEST_SUITE_P(RealReplies, ModemCsqTest,
                         testing::Values(CsqCase{"+CSQ: 20,99", 20, 99, -73},  // -113 + 2*20
                                         CsqCase{"+CSQ: 0,0", 0, 0, -113},  // 0 means <= -113 dBm
                                         CsqCase{"+CSQ: 31,99", 31, 99,
                                                 -51},  // 31 means >= -51 dBm
                                         CsqCase{"+CSQ: 99,99", 99, 99, std::nullopt},  // unknown
                                         CsqCase{"+CSQ:14,2", 14, 2, -85}));

TEST(ModemCsq, RejectsGarbage) {
  EXPECT_FALSE(parse_csq("+CSQ: x,99"));
  EXPECT_FALSE(parse_csq("+CSQ: "));
  EXPECT_FALSE(parse_csq("+CREG: 0,1"));
  EXPECT_FALSE(parse_csq("+CSQ: -1,99"));
  EXPECT_EQ(parse_csq("+CSQ: x,99").error().code, "modem.parse");
}

// ---- +CREG / +CEREG ----
struct RegCase {
  std::string line;
  RegistrationForm form;
  int stat;
  RegistrationState state;
  std::optional<int> mode;
  std::optional<std::string> lac;
  std::optional<std::string> cell;
  std::optional<int> act;
};
class ModemRegistrationTest : public testing::TestWithParam<RegCase> {};
TEST_P(ModemRegistrationTest, Parses) {
  const auto& c = GetParam();
  auto parsed = parse_registration(c.line, c.form);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->stat, c.stat);
  EXPECT_EQ(parsed->state, c.state);
  EXPECT_EQ(parsed->mode, c.mode);
  EXPECT_EQ(parsed->lac, c.lac);
  EXPECT_EQ(parsed->cell_id, c.cell);
  EXPECT_EQ(parsed->act, c.act);
}
using RS = RegistrationState;
using RF = RegistrationForm;
INSTANTIATE_TEST_SUITE_P(
    RealReplies, ModemRegistrationTest,
    testing::Values(
        // Solicited with n=0 (how the actor polls).
        RegCase{"+CREG: 0,1", RF::detect, 1, RS::home, 0, {}, {}, {}},
        RegCase{"+CREG: 0,5", RF::detect, 5, RS::roaming, 0, {}, {}, {}},
        RegCase{"+CREG: 0,2", RF::detect, 2, RS::searching, 0, {}, {}, {}},
        RegCase{"+CREG: 0,3", RF::detect, 3, RS::denied, 0, {}, {}, {}},
        // at-protocol.md real replies.
        RegCase{"+CREG: 2,1,8BE3,2BAF", RF::detect, 1, RS::home, 2, "8BE3", "2BAF", {}},
        RegCase{"+CREG: 1,84CD,00D30156", RF::detect, 1, RS::home, {}, "84CD", "00D30156", {}},
        RegCase{"+CREG: 2,0,00,0", RF::detect, 0, RS::unknown, 2, "00", "0", {}},  // E160G
        // Quoted location, with access technology, both forms.
        RegCase{R"(+CREG: 2,1,"8BE3","2BAF",7)", RF::detect, 1, RS::home, 2, "8BE3", "2BAF", 7},
        RegCase{R"(+CREG: 5,"8be3","2baf",2)", RF::detect, 5, RS::roaming, {}, "8BE3", "2BAF", 2},
        RegCase{"+CREG: 1", RF::detect, 1, RS::home, {}, {}, {}, {}},  // unsolicited, n=1
        // Forced forms resolve the ambiguous 2-field line either way.
        RegCase{"+CREG: 1,5", RF::unsolicited, 1, RS::home, {}, "5", {}, {}},
        RegCase{"+CREG: 1,5", RF::solicited, 5, RS::roaming, 1, {}, {}, {}},
        // LTE: +CEREG with n=2 and the long form with reject cause (TS 27.007 10.1.22).
        RegCase{R"(+CEREG: 2,1,"1A2B","01A2B3C4",7)", RF::detect, 1, RS::home, 2, "1A2B",
                "01A2B3C4", 7},
        RegCase{R"(+CEREG: 3,3,"1A2B","01A2B3C4",7,0,15)", RF::detect, 3, RS::denied, 3, "1A2B",
                "01A2B3C4", 7},
        RegCase{"+CEREG: 0,4", RF::detect, 4, RS::unknown, 0, {}, {}, {}},
        RegCase{"+CGREG: 0,1", RF::detect, 1, RS::home, 0, {}, {}, {}},
        // SMS-only registrations count as home / roaming.
        RegCase{"+CEREG: 0,6", RF::detect, 6, RS::home, 0, {}, {}, {}},
        RegCase{"+CEREG: 0,7", RF::detect, 7, RS::roaming, 0, {}, {}, {}}));

TEST(ModemRegistration, RejectsGarbage) {
  EXPECT_FALSE(parse_registration("+CREG: "));
  EXPECT_FALSE(parse_registration("+CREG: a,b"));
  EXPECT_FALSE(parse_registration("+CSQ: 1,2"));
  EXPECT_FALSE(parse_registration("+CREG: 1", RegistrationForm::solicited));
}

TEST(ModemRegistration, StateNames) {
  EXPECT_EQ(to_string(RegistrationState::home), "home");
  EXPECT_EQ(to_string(RegistrationState::roaming), "roaming");
  EXPECT_EQ(to_string(RegistrationState::searching), "searching");
  EXPECT_EQ(to_string(RegistrationState::denied), "denied");
  EXPECT_EQ(to_string(RegistrationState::unknown), "unknown");
}

// ---- +CPIN ----
TEST(ModemCpin, States) {
  struct Case {
    std::string line;
    PinState state;
  };
  const std::vector<Case> cases = {
      {"+CPIN: READY", PinState::ready},          {"+CPIN: SIM PIN", PinState::sim_pin},
      {"+CPIN: SIM PUK", PinState::sim_puk},      {"+CPIN: SIM PIN2", PinState::sim_pin2},
      {"+CPIN: PH-SIM PIN", PinState::phone_pin}, {"+CPIN:READY", PinState::ready},
      {"+CPIN: \"READY\"", PinState::ready},      {"+CPIN: NOT READY", PinState::other},
  };
  for (const auto& c : cases) {
    auto parsed = parse_cpin(c.line);
    ASSERT_TRUE(parsed) << c.line;
    EXPECT_EQ(parsed->state, c.state) << c.line;
  }
  EXPECT_EQ(parse_cpin("+CPIN: NOT READY")->text, "NOT READY");
  EXPECT_FALSE(parse_cpin("+CPIN: "));
  EXPECT_FALSE(parse_cpin("READY"));
}

// ---- identity ----
TEST(ModemImei, BareAndTagged) {
  EXPECT_EQ(parse_imei("490154203237518").value(), "490154203237518");
  EXPECT_EQ(parse_imei(R"(+CGSN: "490154203237518")").value(), "490154203237518");  // G24
  EXPECT_EQ(parse_imei("+CGSN: 490154203237518").value(), "490154203237518");
  EXPECT_FALSE(parse_imei("49015420"));
  EXPECT_FALSE(parse_imei("4901542032375AB"));
  EXPECT_FALSE(parse_imei("ERROR"));
}

TEST(ModemImsi, BareAndTagged) {
  EXPECT_EQ(parse_imsi("262011234567890").value(), "262011234567890");
  EXPECT_EQ(parse_imsi("+CIMI: 262011234567890").value(), "262011234567890");
  EXPECT_FALSE(parse_imsi("26201x"));
  EXPECT_FALSE(parse_imsi("1234567890123456"));
}

TEST(ModemCrsm, StatusWords) {
  auto ok = parse_crsm(R"(+CRSM: 144,0,"984402003576012594F9")");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->sw1, 144);
  EXPECT_EQ(ok->data, "984402003576012594F9");
  auto refused = parse_crsm("+CRSM: 106,130");  // 6A82: file not found
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "modem.sim_io");
  EXPECT_FALSE(parse_crsm(R"(+CRSM: 144,0,"XYZ")"));
}

TEST(ModemMncLength, FromEfAd) {
  EXPECT_EQ(parse_mnc_length_from_ef_ad(R"(+CRSM: 144,0,"00000002")").value(), 2);
  EXPECT_EQ(parse_mnc_length_from_ef_ad(R"(+CRSM: 144,0,"00FFFF03")").value(), 3);
  // Only bits 1-4 of byte 4 count (the upper bits are reserved).
  EXPECT_EQ(parse_mnc_length_from_ef_ad(R"(+CRSM: 144,0,"000000F2")").value(), 2);
  EXPECT_FALSE(parse_mnc_length_from_ef_ad(R"(+CRSM: 144,0,"000000")"));    // 3 bytes
  EXPECT_FALSE(parse_mnc_length_from_ef_ad(R"(+CRSM: 144,0,"00000005")"));  // not 2/3
  EXPECT_FALSE(parse_mnc_length_from_ef_ad("+CRSM: 148,4"));                // refused
}

TEST(ModemMccmnc, TwoAndThreeDigitMnc) {
  EXPECT_EQ(mccmnc_from_imsi("262011234567890").value(), "26201");   // Telekom DE
  EXPECT_EQ(mccmnc_from_imsi("460001234567890").value(), "46000");   // CMCC
  EXPECT_EQ(mccmnc_from_imsi("310260123456789").value(), "310260");  // T-Mobile US
  EXPECT_EQ(mccmnc_from_imsi("334020123456789").value(), "334020");  // Telcel MX
  EXPECT_EQ(mccmnc_from_imsi("405854123456789").value(), "405854");  // India 405
  EXPECT_EQ(mccmnc_from_imsi("722070123456789").value(), "722070");  // Argentina
  // EF_AD overrides the table either way.
  EXPECT_EQ(mccmnc_from_imsi("262011234567890", 3).value(), "262011");
  EXPECT_EQ(mccmnc_from_imsi("310260123456789", 2).value(), "31026");
  EXPECT_FALSE(mccmnc_from_imsi("26201"));
  EXPECT_FALSE(mccmnc_from_imsi("2620x1234567890"));
}

TEST(ModemMccmnc, ThreeDigitTable) {
  for (int mcc :
       {302, 310, 311, 312, 313, 314, 315, 316, 334, 338, 342, 358, 365, 376, 405, 708, 722, 732}) {
    EXPECT_TRUE(mcc_uses_three_digit_mnc(mcc)) << mcc;
  }
  for (int mcc : {208, 234, 262, 309, 317, 404, 460, 505, 724}) {
    EXPECT_FALSE(mcc_uses_three_digit_mnc(mcc)) << mcc;
  }
}

// ---- ICCID: every reply form in at-protocol.md ----
struct IccidCase {
  std::string line;
  std::string iccid;
};
class ModemIccidTest : public testing::TestWithParam<IccidCase> {};
TEST_P(ModemIccidTest, Parses) {
  auto parsed = parse_iccid(GetParam().line);
  ASSERT_TRUE(parsed) << GetParam().line << ": " << parsed.error().message;
  EXPECT_EQ(parsed.value(), GetParam().iccid);
}
INSTANTIATE_TEST_SUITE_P(
    RealReplies, ModemIccidTest,
    testing::Values(
        // MM test-modem-helpers.c: EF_ICCID, nibbles swapped, F padding.
        IccidCase{R"(+CRSM: 144,0,"984402003576012594F9")", "8944200053671052499"},
        IccidCase{R"(+CRSM: 144,0,984402003576012594F9)", "8944200053671052499"},
        // Huawei ^ICCID (swapped), Quectel, SIMCom, u-blox, Telit, Cinterion, SIM800 bare.
        IccidCase{"^ICCID: 984402003576012594F9", "8944200053671052499"},
        IccidCase{"+QCCID: 89882390000000012345", "89882390000000012345"},
        IccidCase{"+QCCID: 8988239000000001234F", "8988239000000001234"},
        IccidCase{"+ICCID: 8901260487759545390F", "8901260487759545390"},
        IccidCase{"+CCID: \"8944200053671052499\"", "8944200053671052499"},
        IccidCase{"#CCID: 8939010000000000123", "8939010000000000123"},
        IccidCase{"^SCID: 8949020000000000123", "8949020000000000123"},
        IccidCase{"89014103211118510720", "89014103211118510720"},
        // CMCC: A-F digits inside, check digit kept.
        IccidCase{"+ICCID: 898600A1234567890123", "898600A1234567890123"},
        IccidCase{R"(+CRSM: 144,0,"98680010325476980A21")", "8986000123456789A012"}));

TEST(ModemIccid, Rejects) {
  EXPECT_FALSE(parse_iccid("+CCID: 12345"));                 // too short
  EXPECT_FALSE(parse_iccid("+CCID: 89XX0000000000000000"));  // not hex
  EXPECT_EQ(parse_iccid("+CRSM: 106,130").error().code, "modem.sim_io");
  EXPECT_FALSE(parse_iccid("ERROR"));
}

// ---- +COPS ----
TEST(ModemCops, Forms) {
  auto numeric = parse_cops(R"(+COPS: 1,2,"46000",7)");  // MM test-modem-helpers.c
  ASSERT_TRUE(numeric);
  EXPECT_EQ(numeric->mode, 1);
  EXPECT_EQ(numeric->format, 2);
  EXPECT_EQ(numeric->name, "46000");
  EXPECT_EQ(numeric->act, 7);
  auto named = parse_cops(R"(+COPS: 0,0,"Vodafone.de, Test",2)");
  ASSERT_TRUE(named);
  EXPECT_EQ(named->name, "Vodafone.de, Test");
  auto none = parse_cops("+COPS: 0");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->name);
  EXPECT_FALSE(parse_cops("+COPS: x"));
}

// ---- +CMGS ----
TEST(ModemCmgs, FirstIntegerOnly) {
  EXPECT_EQ(parse_cmgs("+CMGS: 64").value(), 64);                            // pgm#44
  EXPECT_EQ(parse_cmgs(R"(+CMGS: 12,"15/01/09,17:38:48+22")").value(), 12);  // Telit scts
  EXPECT_EQ(parse_cmgs("+CMGS: 255,0791").value(), 255);                     // ackpdu
  EXPECT_EQ(parse_cmgs("+CMGS: 0").value(), 0);
  EXPECT_FALSE(parse_cmgs("+CMGS: 256"));
  EXPECT_FALSE(parse_cmgs("+CMGS: "));
  EXPECT_FALSE(parse_cmgs("+CMGS: x"));
}

// ---- +CMTI / +CDSI ----
TEST(ModemStorageIndex, Forms) {
  EXPECT_EQ(parse_storage_index(R"(+CMTI: "SM",3)").value(), (StorageIndex{"SM", 3}));
  EXPECT_EQ(parse_storage_index(R"(+CDSI: "SR",0)").value(), (StorageIndex{"SR", 0}));
  EXPECT_EQ(parse_storage_index(R"(+CMTI: "me", 12)").value(), (StorageIndex{"ME", 12}));
  EXPECT_FALSE(parse_storage_index("+CMTI: 3"));
  EXPECT_FALSE(parse_storage_index(R"(+CMTI: "SM",-1)"));
  EXPECT_FALSE(parse_storage_index(R"(+CMTI: "SM",x)"));
}

TEST(ModemTwoLineUrcs, Lengths) {
  EXPECT_EQ(parse_cmt_length("+CMT: ,23").value(), 23);
  EXPECT_EQ(parse_cmt_length(R"(+CMT: "Alice",23)").value(), 23);
  EXPECT_EQ(parse_cds_length("+CDS: 25").value(), 25);
  EXPECT_FALSE(parse_cds_length("+CDS: x"));
}

// ---- +CNMI ----
TEST(ModemCnmi, QueryReplyAndCommand) {
  EXPECT_EQ(parse_cnmi("+CNMI: 2,1,0,2,0").value(), (CnmiSetting{2, 1, 0, 2, 0}));
  EXPECT_EQ(parse_cnmi("+CNMI: 2,0,0,0,0").value(), (CnmiSetting{2, 0, 0, 0, 0}));  // 3.4.4
  EXPECT_EQ(parse_cnmi("AT+CNMI=2,2,0,1,0").value(), (CnmiSetting{2, 2, 0, 1, 0}));
  EXPECT_EQ(parse_cnmi("+CNMI: 1,2").value(), (CnmiSetting{1, 2, 0, 0, 0}));
  EXPECT_EQ(parse_cnmi("+CNMI: 2,,,1").value(), (CnmiSetting{2, 0, 0, 1, 0}));
  EXPECT_TRUE(parse_cnmi("AT+CNMI=2,2,0,0,0")->delivers_messages_directly());
  EXPECT_TRUE(parse_cnmi("AT+CNMI=2,3,0,0,0")->delivers_messages_directly());
  EXPECT_FALSE(parse_cnmi("AT+CNMI=2,1,0,1,0")->delivers_messages_directly());
  EXPECT_FALSE(parse_cnmi("+CNMI: 2,x,0,0,0"));
  EXPECT_FALSE(parse_cnmi("+CNMI: 1,2,3,4,5,6"));
  EXPECT_FALSE(parse_cnmi("+CNMA: 2,1,0,2,0"));
}

// ---- +CMGR / +CMGL headers ----
struct HeaderCase {
  std::string line;
  std::optional<int> index;
  std::optional<int> stat;
  std::optional<std::string> alpha;
  int length;
};
class ModemCmgrHeaderTest : public testing::TestWithParam<HeaderCase> {};
TEST_P(ModemCmgrHeaderTest, Parses) {
  const auto& c = GetParam();
  auto parsed = parse_cmgr_header(c.line);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->index, c.index);
  EXPECT_EQ(parsed->stat, c.stat);
  EXPECT_EQ(parsed->alpha, c.alpha);
  EXPECT_EQ(parsed->length, c.length);
}
INSTANTIATE_TEST_SUITE_P(RealReplies, ModemCmgrHeaderTest,
                         testing::Values(HeaderCase{"+CMGR: 0,,24", {}, 0, {}, 24},
                                         HeaderCase{"+CMGR: ,,27", {}, {}, {}, 27},  // ZTE
                                         HeaderCase{R"(+CMGR: 1,"",24)", {}, 1, "", 24},
                                         HeaderCase{
                                             R"(+CMGR: 1,"Bob, Jr",30)", {}, 1, "Bob, Jr", 30},
                                         HeaderCase{"+CMGR: 0,24", {}, 0, {}, 24}));

class ModemCmglHeaderTest : public testing::TestWithParam<HeaderCase> {};
TEST_P(ModemCmglHeaderTest, Parses) {
  const auto& c = GetParam();
  auto parsed = parse_cmgl_header(c.line);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->index, c.index);
  EXPECT_EQ(parsed->stat, c.stat);
  EXPECT_EQ(parsed->alpha, c.alpha);
  EXPECT_EQ(parsed->length, c.length);
}
INSTANTIATE_TEST_SUITE_P(RealReplies, ModemCmglHeaderTest,
                         testing::Values(HeaderCase{"+CMGL: 17,3,35", 17, 3, {}, 35},  // Pantech
                                         HeaderCase{R"(+CMGL: 1,1,"",24)", 1, 1, "",
                                                    24},                              // Telit HE910
                                         HeaderCase{"+CMGL: 0,0,,24", 0, 0, {}, 24},  // index 0
                                         HeaderCase{"+CMGL: 4,,,27", 4, {}, {}, 27}));  // no stat

TEST(ModemMessageHeader, Rejects) {
  EXPECT_FALSE(parse_cmgr_header("+CMGR: 0"));
  EXPECT_FALSE(parse_cmgr_header("+CMGR: 0,,x"));
  EXPECT_FALSE(parse_cmgl_header("+CMGL: x,1,,24"));
  EXPECT_FALSE(parse_cmgl_header("+CMGL: "));
  EXPECT_FALSE(parse_cmgr_header(R"(+CMGR: "REC READ","+49170",,"24/01/01,10:00:00+04")"));
}

TEST(ModemCmglListing, PairsHeadersWithPdusAndSkipsNoise) {
  const std::vector<std::string> lines = {
      "+CMGL: 0,1,,24",
      "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07",
      "^RSSI:25",
      "+CMGL: 3,0,,24",
      "0791",
      "+CMGL: 5,1,,30",  // header without its PDU line: dropped
  };
  const auto messages = parse_cmgl_listing(lines);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].header.index, 0);
  EXPECT_EQ(messages[0].pdu_hex.substr(0, 4), "0791");
  EXPECT_EQ(messages[1].header.index, 3);
  EXPECT_EQ(messages[1].pdu_hex, "0791");
}

TEST(ModemCmgrReply, MessageOrEmptySlot) {
  auto read = parse_cmgr_reply({"+CMGR: 0,,24", "07911326040000f0"});
  ASSERT_TRUE(read);
  EXPECT_EQ(read->pdu_hex, "07911326040000F0");
  EXPECT_EQ(parse_cmgr_reply({}).error().code, "modem.empty_slot");
  EXPECT_EQ(parse_cmgr_reply({"+CMGR: 0,,0"}).error().code, "modem.empty_slot");
  EXPECT_EQ(parse_cmgr_reply({"+CMGR: 0,,24"}).error().code, "modem.parse");
}

// ---- +CPMS ----
TEST(ModemCpms, QueryAndSetForms) {
  auto query = parse_cpms(R"(+CPMS: "SM",0,30,"SM",0,30,"SR",2,10)");
  ASSERT_TRUE(query);
  ASSERT_EQ(query->size(), 3u);
  EXPECT_EQ((*query)[2].memory, "SR");
  EXPECT_EQ((*query)[2].used, 2);
  EXPECT_EQ((*query)[2].total, 10);
  auto set = parse_cpms("+CPMS: 0,30,0,30,0,30");  // at-protocol.md
  ASSERT_TRUE(set);
  ASSERT_EQ(set->size(), 3u);
  EXPECT_EQ((*set)[0].memory, "");
  EXPECT_EQ((*set)[1].total, 30);
  EXPECT_FALSE(parse_cpms("+CPMS: 0,30,0"));
  EXPECT_FALSE(parse_cpms("+CPMS: a,b"));
}

TEST(ModemCpms, SupportForm) {
  auto support =
      parse_cpms_support(R"(+CPMS: ("ME","MT","SM","SR"),("ME","MT","SM","SR"),("ME","SM"))");
  ASSERT_TRUE(support);
  ASSERT_EQ(support->size(), 3u);
  EXPECT_EQ((*support)[0], (std::vector<std::string>{"ME", "MT", "SM", "SR"}));
  EXPECT_EQ((*support)[2], (std::vector<std::string>{"ME", "SM"}));
  auto bare = parse_cpms_support(R"(+CPMS: "SM","SM","SM")");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->size(), 3u);
  EXPECT_EQ((*bare)[1], (std::vector<std::string>{"SM"}));
  EXPECT_FALSE(parse_cpms_support(R"(+CPMS: ("SM")"));
}

// ---- +CSCA ----
TEST(ModemCsca, PlainAndUcs2) {
  auto plain = parse_csca(R"(+CSCA: "+491710760000",145)");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->number, "+491710760000");
  EXPECT_EQ(plain->type, 145);
  auto ucs2 = parse_csca(R"(+CSCA: "002B003900310039",145)");
  ASSERT_TRUE(ucs2);
  EXPECT_EQ(ucs2->number, "+919");
  auto empty = parse_csca(R"(+CSCA: "",129)");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->number, "");
}

// ---- +CUSD ----
TEST(ModemCusd, Forms) {
  auto done = parse_cusd(R"(+CUSD: 0,"On DATA Pack u have 3Gb, left",15)");  // gammu issue178
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 0);
  EXPECT_EQ(done->text, "On DATA Pack u have 3Gb, left");
  EXPECT_EQ(done->dcs, 15);
  auto bare = parse_cusd("+CUSD: 2");  // valid: terminated, no string
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->status, 2);
  EXPECT_FALSE(bare->text);
  EXPECT_FALSE(bare->dcs);
  auto release = parse_cusd(R"(+CUSD: 2,"Initiating Release",15)");  // pgm test_modem.py
  ASSERT_TRUE(release);
  EXPECT_EQ(release->text, "Initiating Release");
  auto no_dcs = parse_cusd(R"(+CUSD: 1,"Menu")");
  ASSERT_TRUE(no_dcs);
  EXPECT_FALSE(no_dcs->dcs);
  // A USSD menu spans lines; the AT channel joins them with '\n' into one URC.
  auto menu = parse_cusd("+CUSD: 1,\"1. Balance\n2. Data, bundles\",15");
  ASSERT_TRUE(menu);
  EXPECT_EQ(menu->text, "1. Balance\n2. Data, bundles");
  EXPECT_EQ(menu->dcs, 15);
  EXPECT_FALSE(parse_cusd("+CUSD: x"));
  EXPECT_FALSE(parse_cusd(R"(+CUSD: 0,"a",zz)"));
}

}  // namespace
}  // namespace smsgw::modem
