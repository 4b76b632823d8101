// Vendor profiles: detection from what real devices answer to AT+CGMI / ATI, and the quirks.
#include "smsgw/modem/profile.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "smsgw/modem/parsers.hpp"

namespace smsgw::modem {
namespace {

bool contains(std::span<const std::string_view> list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

struct DetectCase {
  std::string identification;
  std::string profile;
};
class ModemDetectProfile : public testing::TestWithParam<DetectCase> {};
TEST_P(ModemDetectProfile, FromCgmiOrAti) {
  EXPECT_EQ(detect_profile(GetParam().identification).name, GetParam().profile);
}
INSTANTIATE_TEST_SUITE_P(
    RealDevices, ModemDetectProfile,
    testing::Values(DetectCase{"huawei", "huawei"},                              // E1752 AT+CGMI
                    DetectCase{"Manufacturer: huawei\nModel: E3372", "huawei"},  // ATI
                    DetectCase{"ZTE INCORPORATED", "zte"},
                    DetectCase{"SIMCOM_Ltd", "simcom"},           // SIM800 AT+CGMI
                    DetectCase{"SIMCOM INCORPORATED", "simcom"},  // SIM7600
                    DetectCase{"Quectel", "quectel"},             // EC25
                    DetectCase{"Telit", "telit"},                 // HE910
                    DetectCase{"Cinterion", "cinterion"}, DetectCase{"SIEMENS", "cinterion"},
                    DetectCase{"WAVECOM MODEM", "generic"}, DetectCase{"", "generic"}));

TEST(ModemFindProfile, ByNameOrError) {
  for (const auto& profile : all_profiles()) {
    auto found = find_profile(profile.name);
    ASSERT_TRUE(found) << profile.name;
    EXPECT_EQ((*found)->name, profile.name);
  }
  EXPECT_EQ(find_profile("Huawei").value()->name, "huawei");
  auto unknown = find_profile("nokia");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, "modem.profile");
  EXPECT_NE(unknown.error().message.find("huawei"), std::string::npos);
  EXPECT_EQ(generic_profile().name, "generic");
}

TEST(ModemProfiles, EveryProfileCanInitAndReadIccid) {
  for (const auto& profile : all_profiles()) {
    EXPECT_FALSE(profile.cnmi_variants.empty()) << profile.name;
    EXPECT_FALSE(profile.iccid_commands.empty()) << profile.name;
    for (auto cnmi : profile.cnmi_variants) {
      EXPECT_EQ(cnmi.substr(0, 8), "AT+CNMI=") << profile.name;
    }
  }
}

TEST(ModemProfiles, GenericCnmiFallbacksInOrder) {
  const auto& cnmi = generic_profile().cnmi_variants;
  ASSERT_GE(cnmi.size(), 3u);
  EXPECT_EQ(cnmi[0], "AT+CNMI=2,1,0,2,0");
  EXPECT_EQ(cnmi[1], "AT+CNMI=2,1,0,1,0");
  EXPECT_EQ(cnmi[2], "AT+CNMI=2,1,2,1,0");
}

TEST(ModemProfiles, DirectDeliveryOnlyAfterEveryStoredVariant) {
  for (const auto& profile : all_profiles()) {
    bool direct_seen = false;
    for (auto cnmi : profile.cnmi_variants) {
      auto setting = parse_cnmi(cnmi);
      ASSERT_TRUE(setting) << cnmi;
      if (setting->delivers_messages_directly()) direct_seen = true;
      EXPECT_EQ(setting->delivers_messages_directly(), direct_seen)
          << profile.name << ": " << cnmi << " comes after a direct variant";
    }
    EXPECT_TRUE(direct_seen) << profile.name << " has no direct-delivery fallback";
  }
}

TEST(ModemProfiles, GenericInitStepsFallBack) {
  const auto steps = generic_init_steps();
  ASSERT_FALSE(steps.empty());
  EXPECT_EQ(steps[0].alternatives[0], "AT+CMEE=1");
  EXPECT_EQ(steps[0].alternatives[1], "AT+CMEE=2");
  const auto pdu_mode = std::find_if(steps.begin(), steps.end(), [](const InitStep& step) {
    return contains(step.alternatives, "AT+CMGF=0");
  });
  ASSERT_NE(pdu_mode, steps.end());
  EXPECT_TRUE(pdu_mode->required);
}

TEST(ModemProfiles, HuaweiQuirks) {
  const auto& huawei = *find_profile("huawei").value();
  EXPECT_TRUE(contains(huawei.extra_commands, "AT^CURC=0"));
  EXPECT_TRUE(contains(huawei.extra_commands, "AT^USSDMODE=0"));
  EXPECT_EQ(huawei.ussd_encoding, UssdEncoding::gsm7_packed_hex);
  EXPECT_EQ(huawei.iccid_commands[0], "AT^ICCID?");
  // The reply form its ICCID command gives is understood.
  EXPECT_TRUE(parse_iccid("^ICCID: 984402003576012594F9"));
}

TEST(ModemProfiles, ZteQuectelSimcomQuirks) {
  const auto& zte = *find_profile("zte").value();
  EXPECT_TRUE(contains(zte.extra_commands, "AT+ZCDRUN=8"));
  EXPECT_TRUE(contains(zte.extra_commands, "AT+ZOPRT=5"));

  const auto& quectel = *find_profile("quectel").value();
  EXPECT_TRUE(quectel.status_report_announced_in_sm_stored_in_sr);
  EXPECT_EQ(quectel.iccid_commands[0], "AT+QCCID");
  EXPECT_FALSE(generic_profile().status_report_announced_in_sm_stored_in_sr);

  const auto& simcom = *find_profile("simcom").value();
  EXPECT_EQ(simcom.iccid_commands[0], "AT+CICCID");
  EXPECT_EQ(simcom.cnmi_variants[0], "AT+CNMI=2,1,0,1,0");  // +CDS direct (SIM800)
}

}  // namespace
}  // namespace smsgw::modem
