// Personality quirks, each against the reply a real device of that family gives
// (shared/reference/at-protocol.md).
#include <gtest/gtest.h>

#include "harness.hpp"
#include "identity.hpp"

namespace smsgw::sim::test {
namespace {

pdu::SubmitPart submit(bool report = true) {
  pdu::SubmitOptions options;
  options.status_report = report;
  auto encoded = pdu::encode_submit("+4917612345678", "hello", options);
  EXPECT_TRUE(encoded.ok());
  return encoded->parts[0];
}

std::string pdu_after_header(const std::string& reply) {
  const auto begin = reply.find("\r\n", 2) + 2;
  return reply.substr(begin, reply.find("\r\n", begin) - begin);
}

TEST(SimPersonality, AllFiveExist) {
  for (auto name : {"generic", "huawei", "zte", "simcom", "quectel"})
    EXPECT_NE(find_personality(name), nullptr) << name;
  EXPECT_EQ(find_personality("nokia"), nullptr);
}

TEST(SimPersonality, BootUrcsPerFamily) {
  EXPECT_EQ(Bench(quiet_config("simcom")).boot_output,
            "\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\nCall Ready\r\n\r\nSMS Ready\r\n");
  EXPECT_EQ(
      Bench(quiet_config("quectel")).boot_output,
      "\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\n+QUSIM: 1\r\n\r\n+QIND: SMS DONE\r\n");
  ModemConfig locked = quiet_config("simcom");
  locked.pin = "1234";
  Bench bench(locked);
  EXPECT_EQ(bench.boot_output, "\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: SIM PIN\r\n");
  // SIM800: "SMS Ready" once the PIN is in.
  EXPECT_EQ(bench.at("AT+CPIN=\"1234\""), "\r\nOK\r\n\r\nCall Ready\r\n\r\nSMS Ready\r\n");
}

TEST(SimPersonality, IccidForms) {
  ModemConfig config = quiet_config("generic");
  config.iccid = "8944200053671052499";
  // MM test-modem-helpers.c: +CRSM: 144,0,"984402003576012594F9" -> 8944200053671052499
  EXPECT_EQ(Bench(config).at("AT+CRSM=176,12258,0,0,10"),
            "\r\n+CRSM: 144,0,\"984402003576012594F9\"\r\n\r\nOK\r\n");
  EXPECT_EQ(Bench(config).at("AT+CCID"), "\r\n+CCID: 8944200053671052499\r\n\r\nOK\r\n");

  auto reply = [](std::string_view personality, const std::string& command) {
    ModemConfig c = quiet_config(personality);
    c.iccid = "8944200053671052499";
    return Bench(c).at(command);
  };
  EXPECT_EQ(reply("huawei", "AT^ICCID?"), "\r\n^ICCID: 8944200053671052499\r\n\r\nOK\r\n");
  EXPECT_EQ(reply("quectel", "AT+QCCID"), "\r\n+QCCID: 8944200053671052499\r\n\r\nOK\r\n");
  EXPECT_EQ(reply("simcom", "AT+CICCID"), "\r\n+ICCID: 8944200053671052499\r\n\r\nOK\r\n");
  EXPECT_EQ(reply("simcom", "AT+CCID"), "\r\n8944200053671052499\r\n\r\nOK\r\n");  // SIM800
  EXPECT_EQ(reply("zte", "AT+CCID"), "\r\nERROR\r\n");
  EXPECT_EQ(reply("zte", "AT+CRSM=176,12258,0,0,10"),
            "\r\n+CRSM: 144,0,\"984402003576012594F9\"\r\n\r\nOK\r\n");
  EXPECT_EQ(reply("huawei", "AT+QCCID"), "\r\nCOMMAND NOT SUPPORT\r\n");

  ModemConfig bare = quiet_config("generic");
  ASSERT_TRUE(apply_settings(bare, {{"iccid_form", "bare"}}).ok());
  EXPECT_EQ(Bench(bare).at("AT+CCID"), "\r\n" + bare.iccid + "\r\n\r\nOK\r\n");
}

TEST(SimPersonality, MncLengthFromEfAd) {
  // Modem 3 draws 310260 (3-digit MNC); modem 0 draws 26201.
  EXPECT_EQ(Bench(quiet_config("generic", 3)).at("AT+CRSM=176,28589,0,0,4"),
            "\r\n+CRSM: 144,0,\"00000003\"\r\n\r\nOK\r\n");
  EXPECT_EQ(Bench(quiet_config("generic", 0)).at("AT+CRSM=176,28589,0,0,4"),
            "\r\n+CRSM: 144,0,\"00000002\"\r\n\r\nOK\r\n");
  EXPECT_EQ(Bench(quiet_config("generic", 3)).at("AT+CIMI").substr(2, 6), "310260");
}

TEST(SimPersonality, HuaweiUnknownCommandAndNoise) {
  ModemConfig config = default_modem_config(0, "huawei");
  config.echo = false;
  Bench bench(config);
  EXPECT_EQ(bench.at("AT+NOSUCH"), "\r\nCOMMAND NOT SUPPORT\r\n");
  // E3372: ^RSSI every 10 s (gammu#111) ...
  const std::string noise = bench.wait(10000);
  EXPECT_TRUE(noise.starts_with("\r\n^")) << noise;
  // ... until AT^CURC=0.
  EXPECT_EQ(bench.at("AT^CURC=0"), "\r\nOK\r\n");
  EXPECT_EQ(bench.wait(60000), "");
  EXPECT_EQ(bench.at("AT^CURC?"), "\r\n^CURC: 0\r\n\r\nOK\r\n");
}

TEST(SimPersonality, HuaweiUssdIsPackedGsm7HexBothWays) {
  Bench bench(quiet_config("huawei"));
  // "*100#" packed is AA180C3602 (MM plugins/huawei; smstools3 smsd.c).
  EXPECT_EQ(bench.at("AT+CUSD=1,\"*100#\",15"), "\r\nERROR\r\n");
  EXPECT_EQ(bench.at("AT+CUSD=1,\"AA180C3602\",15"), "\r\nOK\r\n");
  const std::string urc = bench.wait(300);
  ASSERT_TRUE(urc.starts_with("\r\n+CUSD: 0,\"")) << urc;
  const auto begin = urc.find('"') + 1;
  const std::string hex = urc.substr(begin, urc.find('"', begin) - begin);
  auto bytes = pdu::from_hex(hex);
  ASSERT_TRUE(bytes.ok());
  auto text = pdu::unpack_gsm7_text(*bytes, bytes->size() * 8 / 7);
  ASSERT_TRUE(text.ok());
  EXPECT_TRUE(text->starts_with("Your balance is 12.34 EUR")) << *text;
  EXPECT_TRUE(urc.ends_with("\",15\r\n"));
}

TEST(SimPersonality, HuaweiE1752NeedsUssdModeZero) {
  ModemConfig config = quiet_config("huawei");
  config.ussd_mode_required = true;
  Bench bench(config);
  EXPECT_EQ(bench.at("AT+CUSD=1,\"AA180C3602\",15"), "\r\nERROR\r\n");
  EXPECT_EQ(bench.at("AT^USSDMODE=0"), "\r\nOK\r\n");
  EXPECT_EQ(bench.at("AT+CUSD=1,\"AA180C3602\",15"), "\r\nOK\r\n");
}

TEST(SimPersonality, HuaweiStorageIndexesStartAtZero) {
  Bench bench(quiet_config("huawei"));
  ASSERT_TRUE(bench.modem.inject_message({"+4915112345678", "zero", {}, {}, 0}).ok());
  EXPECT_EQ(bench.host.take(), "\r\n+CMTI: \"SM\",0\r\n");
}

TEST(SimPersonality, QuectelUssdReplyIsUcs2Hex) {
  Bench bench(quiet_config("quectel"));
  EXPECT_EQ(bench.at("AT+CUSD=1,\"*100#\",15"), "\r\nOK\r\n");
  // "Your" = 0059 006F 0075 0072
  const std::string urc = bench.wait(300);
  EXPECT_TRUE(urc.starts_with("\r\n+CUSD: 0,\"0059006F00750072")) << urc;
  EXPECT_TRUE(urc.ends_with("\",72\r\n")) << urc;
}

TEST(SimPersonality, QuectelRefusesCnmiDs1AndAnnouncesReportsAsSm) {
  Bench bench(quiet_config("quectel"));
  EXPECT_EQ(bench.at("AT+CNMI=?"), "\r\n+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)\r\n\r\nOK\r\n");
  EXPECT_EQ(bench.at("AT+CNMI=2,1,2,1,0"), "\r\n+CMS ERROR: 303\r\n");
  EXPECT_EQ(bench.at("AT+CNMI=2,1,2,2,0"), "\r\nOK\r\n");
  const auto part = submit();
  EXPECT_EQ(bench.at("AT+CMGS=" + std::to_string(part.length)), "\r\n> ");
  bench.send_raw(part.pdu + "\x1a");
  EXPECT_EQ(bench.wait(200), "\r\n+CMGS: 0\r\n\r\nOK\r\n");
  // EC25: stored in SR, announced as "SM" (chan-quectel PR#75).
  EXPECT_EQ(bench.wait(1000), "\r\n+CDSI: \"SM\",0\r\n");
  EXPECT_EQ(bench.modem.store().used("SR"), 1);
  EXPECT_EQ(bench.modem.store().used("SM"), 0);
  EXPECT_EQ(bench.at("AT+CMGR=0"), "\r\nOK\r\n");  // nothing in SM at that index
}

TEST(SimPersonality, SimcomDeliversReportsDirectlyWithCds) {
  Bench bench(quiet_config("simcom"));
  EXPECT_EQ(bench.at("AT+CNMI=2,1,0,2,0"), "\r\nOK\r\n");
  const auto part = submit();
  bench.at("AT+CMGS=" + std::to_string(part.length));
  bench.send_raw(part.pdu + "\x1a");
  EXPECT_EQ(bench.wait(200), "\r\n+CMGS: 0\r\n\r\nOK\r\n");
  const std::string urc = bench.wait(1000);
  ASSERT_TRUE(urc.starts_with("\r\n+CDS: ")) << urc;
  auto decoded = pdu::decode(pdu_after_header(urc));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(std::get<pdu::StatusReport>(decoded->tpdu).message_reference, 0);
  EXPECT_EQ(bench.modem.store().used("SR"), 0);
}

TEST(SimPersonality, ZteNoiseAroundThePromptAndEmptyCmgrStat) {
  Bench bench(quiet_config("zte"));
  const auto part = submit(false);
  EXPECT_EQ(bench.at("AT+CMGS=" + std::to_string(part.length)),
            "\r\n+ZDONR: \"Telekom.de\",262,01,\"CS_PS\",\"ROAM_OFF\"\r\n\r\n> ");
  bench.send_raw(part.pdu + "\x1a");
  EXPECT_EQ(bench.wait(200), "\r\n+ZPASR: \"UMTS\"\r\n\r\n+CMGS: 0\r\n\r\nOK\r\n");
  ASSERT_TRUE(bench.modem.inject_message({"+4915112345678", "zte", {}, {}, 0}).ok());
  bench.host.take();
  EXPECT_TRUE(bench.at("AT+CMGR=1").starts_with("\r\n+CMGR: ,,")) << "pgm: +CMGR: ,,27";
  EXPECT_EQ(bench.at("AT+ZCDRUN=8;+ZOPRT=5"), "\r\nOK\r\n");
}

TEST(SimPersonality, VendorCommandsOnlyWhereTheyExist) {
  EXPECT_EQ(Bench(quiet_config("generic")).at("AT^CURC=0"), "\r\nERROR\r\n");
  EXPECT_EQ(Bench(quiet_config("huawei")).at("AT^CURC=0"), "\r\nOK\r\n");
  EXPECT_EQ(Bench(quiet_config("huawei")).at("AT^GETPORTMODE"),
            "\r\n^GETPORTMODE: huawei,MDM:0,PCUI:1,NDIS:2\r\n\r\nOK\r\n");
  EXPECT_EQ(Bench(quiet_config("quectel")).at("AT+QURCCFG=\"urcport\",\"usbat\""), "\r\nOK\r\n");
  EXPECT_EQ(Bench(quiet_config("zte")).at("AT+QURCCFG=\"urcport\",\"usbat\""), "\r\nERROR\r\n");
}

TEST(SimPersonality, TextModeIsRefused) {
  for (const auto& personality : personalities()) {
    Bench bench(quiet_config(personality.name));
    EXPECT_EQ(bench.at("AT+CMGF=0"), "\r\nOK\r\n");
    EXPECT_EQ(bench.at("AT+CMGF=1"), "\r\n+CMS ERROR: 303\r\n") << personality.name;
  }
}

TEST(SimPersonality, GatewayInitSequenceSucceedsOnEveryPersonality) {
  // at-protocol.md "Init", with the vendor lines where they apply.
  for (const auto& personality : personalities()) {
    Bench bench(quiet_config(personality.name));
    for (const char* command :
         {"AT", "ATE0", "AT+CMEE=1", "AT+CPIN?", "AT+CMGF=0", "AT+CSCS=\"GSM\"", "AT+CSMS=0",
          "AT+CPMS=\"SM\",\"SM\",\"SM\"", "AT+CNMI=2,1,0,2,0", "AT+CREG?", "AT+CSQ", "AT+COPS?",
          "AT+CGSN", "AT+CIMI", "AT+CSCA?"}) {
      const std::string reply = bench.at(command);
      EXPECT_TRUE(reply.ends_with("\r\nOK\r\n"))
          << personality.name << " " << command << ": " << reply;
    }
  }
}

}  // namespace
}  // namespace smsgw::sim::test
