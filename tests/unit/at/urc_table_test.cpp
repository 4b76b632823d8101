// The one URC table: every row's device line is recognised as that URC; boot and noise
// lines are told apart by the table.
#include "smsgw/at/urc_table.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "smsgw/at/classify.hpp"

namespace smsgw::at {
namespace {

TEST(UrcTable, EveryRowHasADeviceLineAndASource) {
  for (const auto& row : urc_table()) {
    EXPECT_FALSE(row.example.empty()) << row.text;
    EXPECT_FALSE(row.source.empty()) << row.text;
  }
}

TEST(UrcTable, EveryExampleIsRecognisedAsItsUrc) {
  for (const auto& row : urc_table()) {
    const auto result = classify(row.example);
    ASSERT_EQ(result.kind, LineKind::urc) << row.example << " (" << row.source << ")";
    EXPECT_EQ(result.urc_name, row.text) << row.example;
    EXPECT_EQ(result.two_line, row.two_line) << row.example;
  }
}

TEST(UrcTable, ASolicitedExampleIsTheReplyWhileItsQueryIsInFlight) {
  for (const auto& row : urc_table()) {
    if (row.solicited_by.empty()) continue;
    const std::string query = "AT" + std::string(row.solicited_by) + "?";
    EXPECT_EQ(classify(row.example, query).kind, LineKind::intermediate) << row.example;
  }
}

TEST(UrcTable, NoDuplicateRows) {
  std::set<std::string_view> seen;
  for (const auto& row : urc_table()) {
    EXPECT_TRUE(seen.insert(row.text).second) << row.text;
  }
}

// These four were in the Huawei / ZTE noise lists but not in the URC table, so they were
// taken for reply lines of whatever command was in flight.
TEST(UrcTable, FormerlyMissingVendorLinesAreUrcsDuringASend) {
  EXPECT_EQ(classify("^EONS:0", "AT+CMGS=23").urc_name, "^EONS");  // E3372 log
  EXPECT_EQ(classify("^SYSINFOEX:2,4,5,1,,3,WCDMA,41,HSPA+", "AT+CMGS=23").urc_name, "^SYSINFOEX");
  EXPECT_EQ(classify("^CSNR: -145,-32", "AT+CMGS=23").urc_name, "^CSNR");
  EXPECT_EQ(classify("+ZSTR: 2, 1", "AT+CMGS=23").urc_name, "+ZSTR");
  for (const auto* name : {"^EONS", "^SYSINFOEX", "^CSNR", "+ZSTR"}) {
    EXPECT_TRUE(is_noise_urc(name)) << name;
  }
}

TEST(UrcTable, NoiseLines) {
  for (const auto* name :
       {"^RSSI", "^DSFLOWRPT", "^BOOT", "^HCSQ", "+ZDONR", "+ZPASR", "RING", "+CIEV", "*PSUTTZ"}) {
    EXPECT_TRUE(is_noise_urc(name)) << name;
  }
  EXPECT_FALSE(is_noise_urc("+CMTI"));
  EXPECT_FALSE(is_noise_urc("+CUSD"));
  EXPECT_FALSE(is_noise_urc("not a urc"));
}

TEST(UrcTable, BootLinesByNameOrWholeLine) {
  EXPECT_TRUE(is_boot_urc("RDY", "RDY"));
  EXPECT_TRUE(is_boot_urc("+CPIN", "+CPIN: READY"));
  EXPECT_TRUE(is_boot_urc("+CFUN", "+CFUN: 1"));
  EXPECT_TRUE(is_boot_urc("+QUSIM", "+QUSIM: 1"));
  EXPECT_TRUE(is_boot_urc("+QIND", "+QIND: SMS DONE"));
  EXPECT_TRUE(is_boot_urc("SMS DONE", "SMS DONE"));
  EXPECT_TRUE(is_boot_urc("SMS Ready", "SMS Ready"));
  EXPECT_TRUE(is_boot_urc("Call Ready", "Call Ready"));
  EXPECT_TRUE(is_boot_urc("PB DONE", "PB DONE"));
  EXPECT_TRUE(is_boot_urc("^SYSSTART", "^SYSSTART"));
  EXPECT_TRUE(is_boot_urc("+PBREADY", "+PBREADY"));
  EXPECT_FALSE(is_boot_urc("+CPIN", "+CPIN: SIM PIN"));
  EXPECT_FALSE(is_boot_urc("+QIND", "+QIND: \"csq\",20,99"));
  EXPECT_FALSE(is_boot_urc("+CFUN", "+CFUN: 0"));
  EXPECT_FALSE(is_boot_urc("+CMTI", "+CMTI: \"SM\",1"));
}

}  // namespace
}  // namespace smsgw::at
