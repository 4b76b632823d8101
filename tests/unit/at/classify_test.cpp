#include "smsgw/at/classify.hpp"

#include <gtest/gtest.h>

#include <string>

namespace smsgw::at {
namespace {

struct ClassifyCase {
  std::string name;
  std::string line;
  std::string command;  // in flight, or empty
  LineKind kind;
  std::string detail;  // urc: its name; error: its code
  bool two_line = false;
};

std::ostream& operator<<(std::ostream& out, const ClassifyCase& c) { return out << c.name; }

class ClassifyTable : public ::testing::TestWithParam<ClassifyCase> {};

TEST_P(ClassifyTable, Classifies) {
  const auto& c = GetParam();
  const auto result = classify(c.line, c.command);
  ASSERT_EQ(result.kind, c.kind) << c.line;
  switch (c.kind) {
    case LineKind::urc:
      EXPECT_EQ(result.urc_name, c.detail);
      EXPECT_EQ(result.two_line, c.two_line);
      break;
    case LineKind::error:
      ASSERT_TRUE(result.error.has_value());
      EXPECT_EQ(result.error->code, c.detail);
      EXPECT_FALSE(result.error->message.empty());
      break;
    default:
      EXPECT_FALSE(result.error.has_value());
      break;
  }
}

using K = LineKind;

// Lines from at-protocol.md (real devices, with the source named there).
INSTANTIATE_TEST_SUITE_P(
    Finals, ClassifyTable,
    ::testing::Values(
        ClassifyCase{"ok", "OK", "AT", K::ok, ""},
        ClassifyCase{"error", "ERROR", "AT+CNMI=2,1,0,2,0", K::error, "at.error"},
        ClassifyCase{"cme_numeric", "+CME ERROR: 10", "AT+CPIN?", K::error, "cme.10"},
        ClassifyCase{"cme_text", "+CME ERROR: SIM not inserted", "AT+CPIN?", K::error, "cme.10"},
        ClassifyCase{"cme_text_other_case", "+CME ERROR: sim busy", "AT+CPIN?", K::error, "cme.14"},
        ClassifyCase{"cme_no_space", "+CME ERROR:3", "AT+CUSD=1", K::error, "cme.3"},
        ClassifyCase{"cme_unknown_text", "+CME ERROR: frobnicated", "AT", K::error, "cme.unknown"},
        ClassifyCase{"cme_unknown_number", "+CME ERROR: 9999", "AT", K::error, "cme.9999"},
        ClassifyCase{"cms_numeric", "+CMS ERROR: 38", "AT+CMGS=61", K::error, "cms.38"},
        // Quectel EC25 manual: a second AT+CNMA.
        ClassifyCase{"cms_340", "+CMS ERROR: 340", "AT+CNMA", K::error, "cms.340"},
        ClassifyCase{"cms_text", "+CMS ERROR: SMSC address unknown", "AT+CMGS=61", K::error,
                     "cms.330"},
        ClassifyCase{"cms_text_usim", "+CMS ERROR: (U)SIM not inserted", "AT+CMGS=61", K::error,
                     "cms.310"},
        ClassifyCase{"no_carrier", "NO CARRIER", "ATD123;", K::error, "at.no_carrier"},
        // pgm fakemodems.py HuaweiE1752; MM mm-serial-parsers.c.
        ClassifyCase{"huawei_not_support", "COMMAND NOT SUPPORT", "AT+CSCS=\"GSM\"", K::error,
                     "at.unsupported"},
        ClassifyCase{"huawei_too_many", "TOO MANY PARAMETERS", "AT+CNMI=2,1,0,2,0", K::error,
                     "at.unsupported"},
        // Whole-line matching, never "contains OK".
        ClassifyCase{"ok_inside_text", "+COPS: 0,0,\"OK Mobile\"", "AT+COPS?", K::intermediate, ""},
        ClassifyCase{"ok_prefix", "OKAY", "AT", K::intermediate, ""},
        ClassifyCase{"error_prefix", "ERRORS", "AT", K::intermediate, ""},
        ClassifyCase{"lowercase_ok_is_not_final", "ok", "AT", K::intermediate, ""}),
    [](const auto& row) { return row.param.name; });

INSTANTIATE_TEST_SUITE_P(
    Urcs, ClassifyTable,
    ::testing::Values(
        ClassifyCase{"cmti", "+CMTI: \"SM\",3", "", K::urc, "+CMTI"},
        ClassifyCase{"cmti_during_command", "+CMTI: \"SM\",3", "AT+CSQ", K::urc, "+CMTI"},
        ClassifyCase{"cmt_two_line", "+CMT: ,23", "", K::urc, "+CMT", true},
        // python-gsmmodem#44 log.
        ClassifyCase{"cds_two_line", "+CDS: 25", "AT+CMGS=61", K::urc, "+CDS", true},
        ClassifyCase{"cdsi", "+CDSI: \"SR\",0", "", K::urc, "+CDSI"},
        // EC25 announces the report in SM (asterisk-chan-quectel PR#75).
        ClassifyCase{"cdsi_sm", "+CDSI: \"SM\",0", "", K::urc, "+CDSI"},
        ClassifyCase{"cusd", "+CUSD: 0,\"Balance 5.78 EUR\",15", "", K::urc, "+CUSD"},
        ClassifyCase{"cusd_bare", "+CUSD: 2", "", K::urc, "+CUSD"},
        ClassifyCase{"cusd_during_its_command", "+CUSD: 2,\"Initiating Release\",15",
                     "AT+CUSD=1,\"*100#\",15", K::urc, "+CUSD"},
        ClassifyCase{"creg_unsolicited", "+CREG: 1,84CD,00D30156", "", K::urc, "+CREG"},
        ClassifyCase{"creg_during_other_command", "+CREG: 2,1,8BE3,2BAF", "AT+CSQ", K::urc,
                     "+CREG"},
        ClassifyCase{"cgreg", "+CGREG: 1", "", K::urc, "+CGREG"},
        ClassifyCase{"cereg", "+CEREG: 1,\"1A2B\",\"01A2B3C4\",7", "", K::urc, "+CEREG"},
        ClassifyCase{"ring", "RING", "", K::urc, "RING"},
        ClassifyCase{"clip", "+CLIP: \"+4917012345\",145", "", K::urc, "+CLIP"},
        ClassifyCase{"rdy", "RDY", "", K::urc, "RDY"},
        ClassifyCase{"sms_ready", "SMS Ready", "", K::urc, "SMS Ready"},
        ClassifyCase{"call_ready", "Call Ready", "", K::urc, "Call Ready"},
        ClassifyCase{"cpin_ready_unsolicited", "+CPIN: READY", "", K::urc, "+CPIN"},
        ClassifyCase{"qusim", "+QUSIM: 1", "", K::urc, "+QUSIM"},
        ClassifyCase{"sms_done", "SMS DONE", "", K::urc, "SMS DONE"},
        ClassifyCase{"sysstart", "^SYSSTART", "", K::urc, "^SYSSTART"},
        ClassifyCase{"pbready", "+PBREADY", "", K::urc, "+PBREADY"},
        ClassifyCase{"pb_done", "PB DONE", "", K::urc, "PB DONE"},
        // E3372 every 10 s (gammu#111); E220 every 30 s (gammu#393).
        ClassifyCase{"huawei_rssi", "^RSSI:25", "AT+CMGS=61", K::urc, "^RSSI"},
        ClassifyCase{"huawei_boot", "^BOOT:20952,0,0,0,72", "", K::urc, "^BOOT"},
        ClassifyCase{"huawei_mode", "^MODE:5,4", "", K::urc, "^MODE"},
        ClassifyCase{"huawei_dsflowrpt",
                     "^DSFLOWRPT:0000240E,00000000,00000000,00000000000AD023,0000000000380AF2,"
                     "0003E800,0003E800",
                     "", K::urc, "^DSFLOWRPT"},
        ClassifyCase{"huawei_srvst", "^SRVST:2", "", K::urc, "^SRVST"},
        ClassifyCase{"huawei_simst", "^SIMST:1", "", K::urc, "^SIMST"},
        ClassifyCase{"huawei_hcsq", "^HCSQ:\"LTE\",52,47,126,28", "", K::urc, "^HCSQ"},
        ClassifyCase{"huawei_cend", "^CEND:1,0,104,16", "", K::urc, "^CEND"},
        // ZTE noise before '>' and before +CMGS (python-gsmmodem test_modem.py).
        ClassifyCase{"zte_zdonr", "+ZDONR: \"01\",\"01\",1,1,1", "AT+CMGS=23", K::urc, "+ZDONR"},
        ClassifyCase{"zte_zpasr", "+ZPASR: \"UMTS\"", "AT+CMGS=23", K::urc, "+ZPASR"},
        ClassifyCase{"zte_zusimr", "+ZUSIMR:2", "", K::urc, "+ZUSIMR"}),
    [](const auto& row) { return row.param.name; });

// The ambiguity: the same text is the answer to the query in flight.
INSTANTIATE_TEST_SUITE_P(
    Solicited, ClassifyTable,
    ::testing::Values(
        ClassifyCase{"creg_query", "+CREG: 2,1,8BE3,2BAF", "AT+CREG?", K::intermediate, ""},
        ClassifyCase{"creg_e160g", "+CREG: 2,0,00,0", "AT+CREG?", K::intermediate, ""},
        ClassifyCase{"creg_test", "+CREG: (0-2)", "AT+CREG=?", K::intermediate, ""},
        ClassifyCase{"creg_chained", "+CREG: 0,1", "AT+CSQ;+CREG?", K::intermediate, ""},
        ClassifyCase{"cgreg_not_creg", "+CGREG: 0,1", "AT+CREG?", K::urc, "+CGREG"},
        ClassifyCase{"cereg_query", "+CEREG: 0,1", "AT+CEREG?", K::intermediate, ""},
        ClassifyCase{"cpin_query", "+CPIN: READY", "AT+CPIN?", K::intermediate, ""},
        ClassifyCase{"cpin_sim_pin_query", "+CPIN: SIM PIN", "AT+CPIN?", K::intermediate, ""},
        ClassifyCase{"hcsq_query", "^HCSQ:\"LTE\",52,47,126,28", "AT^HCSQ?", K::intermediate, ""},
        ClassifyCase{"csq_reply", "+CSQ: 20,99", "AT+CSQ", K::intermediate, ""},
        ClassifyCase{"cmgs_reply", "+CMGS: 64", "AT+CMGS=61", K::intermediate, ""},
        ClassifyCase{"cmgr_header", "+CMGR: 0,,24", "AT+CMGR=3", K::intermediate, ""},
        ClassifyCase{"cmgl_header", "+CMGL: 17,3,35", "AT+CMGL=4", K::intermediate, ""},
        ClassifyCase{"bare_imei", "351234567890123", "AT+CGSN", K::intermediate, ""},
        ClassifyCase{"cmt_prefix_not_cmti", "+CMTX: 1", "", K::intermediate, ""},
        ClassifyCase{"rdy_prefix_only", "RDYX", "", K::intermediate, ""},
        ClassifyCase{"garbage", "\xff\xfe", "", K::intermediate, ""}),
    [](const auto& row) { return row.param.name; });

TEST(Classify, ErrorMessageNamesTheCommandAndTheMeaning) {
  const auto result = classify("+CMS ERROR: 38", "AT+CMGS=61");
  ASSERT_TRUE(result.error.has_value());
  EXPECT_EQ(result.error->message, "AT+CMGS=61: +CMS ERROR: 38 (network out of order)");
}

TEST(Classify, UnknownTextErrorKeepsTheText) {
  EXPECT_EQ(cme_error(" frobnicated").message, "+CME ERROR: frobnicated");
  EXPECT_EQ(cms_error("500").code, "cms.500");
}

TEST(Classify, OnlyUssdTextMayContinueOverLines) {
  EXPECT_TRUE(classify("+CUSD: 1,\"Menu", "").may_continue);
  EXPECT_FALSE(classify("+CMTI: \"SM\",3", "").may_continue);
  EXPECT_FALSE(classify("+CMT: ,23", "").may_continue);
}

}  // namespace
}  // namespace smsgw::at
