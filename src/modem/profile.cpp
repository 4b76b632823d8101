#include "smsgw/modem/profile.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace smsgw::modem {
namespace {

using Names = std::string_view;

// ---- generic init ----
constexpr Names kCmee[] = {"AT+CMEE=1", "AT+CMEE=2"};  // numeric, else verbose (Gammu)
constexpr Names kCmgf[] = {"AT+CMGF=0"};               // PDU mode
constexpr Names kCscs[] = {"AT+CSCS=\"GSM\""};         // text fields and USSD only
constexpr Names kCsms[] = {"AT+CSMS=0"};               // phase 2: no +CNMA needed
constexpr InitStep kInitSteps[] = {
    {"numeric error codes", kCmee, false, false},
    {"PDU mode", kCmgf, true},
    {"GSM character set", kCscs, false},
    {"SMS service phase 2", kCsms, false},
};

// ---- CNMI (TS 27.005 3.4.1: mode,mt,bm,ds,bfr) ----
// ds=2 (+CDSI, stored) first, then ds=1 (+CDS direct), then no reports; mt=1 (stored,
// +CMTI) while the modem takes it. A modem that refuses mt=1 gets direct delivery (mt=2,
// +CMT, the routing Kannel uses) as the last resort before polling; the actor then asks
// for +CSMS=1 so it acknowledges each +CMT only after the gateway stored it.
constexpr Names kCnmiStored[] = {"AT+CNMI=2,1,0,2,0", "AT+CNMI=2,1,0,1,0", "AT+CNMI=2,1,2,1,0",
                                 "AT+CNMI=2,1,0,0,0", "AT+CNMI=2,2,0,1,0", "AT+CNMI=2,2,0,2,0",
                                 "AT+CNMI=2,2,0,0,0"};
// SIMCom SIM800 reports with +CDS rather than +CDSI (python-gsmmodem PR#76).
constexpr Names kCnmiDirectReports[] = {"AT+CNMI=2,1,0,1,0", "AT+CNMI=2,1,0,2,0",
                                        "AT+CNMI=2,1,0,0,0", "AT+CNMI=2,2,0,1,0",
                                        "AT+CNMI=2,2,0,0,0"};
// Telit HE910 delivers reports only with ds=1 (gammu#272).
constexpr Names kCnmiTelit[] = {"AT+CNMI=2,1,0,1,0", "AT+CNMI=2,1,0,2,0", "AT+CNMI=2,1,0,0,0",
                                "AT+CNMI=2,2,0,1,0", "AT+CNMI=2,2,0,0,0"};

// ---- extras ----
constexpr Names kHuaweiExtras[] = {"AT^CURC=0", "AT^USSDMODE=0"};  // Gammu, python-gsmmodem
constexpr Names kZteExtras[] = {"AT+ZCDRUN=8", "AT+ZOPRT=5"};      // Gammu ATGEN_PostConnect
constexpr std::span<const Names> kEmpty{};

// ---- ICCID (at-protocol.md "ICCID variants") ----
constexpr Names kCrsmIccid = "AT+CRSM=176,12258,0,0,10";  // EF_ICCID, TS 27.007 8.18
constexpr Names kIccidGeneric[] = {kCrsmIccid,  "AT+CCID",  "AT+ICCID",
                                   "AT+CICCID", "AT+QCCID", "AT^ICCID?"};
constexpr Names kIccidHuawei[] = {"AT^ICCID?", kCrsmIccid};
constexpr Names kIccidZte[] = {kCrsmIccid, "AT+ZGETICCID", "AT+CCID"};
constexpr Names kIccidSimcom[] = {"AT+CICCID", "AT+CCID", kCrsmIccid};
constexpr Names kIccidQuectel[] = {"AT+QCCID", kCrsmIccid};
constexpr Names kIccidTelit[] = {"AT#CCID", kCrsmIccid};
constexpr Names kIccidCinterion[] = {"AT^SCID", kCrsmIccid};

// ---- identification fragments ----
constexpr Names kIdHuawei[] = {"huawei"};
constexpr Names kIdZte[] = {"zte"};
constexpr Names kIdSimcom[] = {"simcom", "sim800", "sim900", "sim7600", "sim7000"};
constexpr Names kIdQuectel[] = {"quectel"};
constexpr Names kIdTelit[] = {"telit"};
constexpr Names kIdCinterion[] = {"cinterion", "siemens", "gemalto", "thales"};

constexpr std::array kProfiles{
    Profile{"generic", kEmpty, kCnmiStored, kEmpty, kIccidGeneric, UssdEncoding::plain, false},
    Profile{"huawei", kIdHuawei, kCnmiStored, kHuaweiExtras, kIccidHuawei,
            UssdEncoding::gsm7_packed_hex, false},
    Profile{"zte", kIdZte, kCnmiStored, kZteExtras, kIccidZte, UssdEncoding::plain, false},
    Profile{"simcom", kIdSimcom, kCnmiDirectReports, kEmpty, kIccidSimcom, UssdEncoding::plain,
            false},
    Profile{"quectel", kIdQuectel, kCnmiStored, kEmpty, kIccidQuectel, UssdEncoding::plain, true},
    Profile{"telit", kIdTelit, kCnmiTelit, kEmpty, kIccidTelit, UssdEncoding::plain, false},
    Profile{"cinterion", kIdCinterion, kCnmiStored, kEmpty, kIccidCinterion, UssdEncoding::plain,
            false},
};

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::span<const InitStep> generic_init_steps() { return kInitSteps; }

std::span<const Profile> all_profiles() { return kProfiles; }

const Profile& generic_profile() { return kProfiles.front(); }

Result<const Profile*> find_profile(std::string_view name) {
  const auto wanted = lower(name);
  std::string known;
  for (const auto& profile : kProfiles) {
    if (profile.name == wanted) return &profile;
    if (!known.empty()) known += ", ";
    known += profile.name;
  }
  return make_error("modem.profile", "unknown modem profile \"" + std::string(name) +
                                         "\" (known: auto, " + known + ")");
}

const Profile& detect_profile(std::string_view identification) {
  const auto text = lower(identification);
  for (const auto& profile : kProfiles) {
    for (auto fragment : profile.identifies_by) {
      if (text.find(fragment) != std::string::npos) return profile;
    }
  }
  return generic_profile();
}

}  // namespace smsgw::modem
