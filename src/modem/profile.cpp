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

// ---- noise URCs ----
// Huawei (MM plugins/huawei; gammu#111 ^RSSI every 10 s, gammu#393 ^BOOT every 30 s).
constexpr Names kNoiseHuawei[] = {"^RSSI",      "^BOOT",       "^MODE", "^DSFLOWRPT", "^SRVST",
                                  "^SIMST",     "^STIN",       "^HCSQ", "^RFSWITCH",  "^CEND",
                                  "^ORIG",      "^CONF",       "^CONN", "^NDISSTAT",  "^EONS",
                                  "^SYSINFOEX", "^ACTIVEBAND", "^CSNR"};
// ZTE sends these before "> " and before +CMGS (python-gsmmodem test_modem.py).
constexpr Names kNoiseZte[] = {"+ZDONR", "+ZPASR", "+ZUSIMR", "+ZEND", "+ZSTR"};
constexpr Names kNoiseQuectel[] = {"+QIND", "+QUSIM"};
constexpr Names kNoiseSimcom[] = {"+CIEV", "*PSUTTZ", "DST", "+CTZV"};
constexpr Names kNoiseCinterion[] = {"^SIS", "+CIEV", "^SBC"};
constexpr Names kNoiseCommon[] = {"^RSSI",  "^BOOT",  "^MODE", "^DSFLOWRPT", "^HCSQ",
                                  "+ZDONR", "+ZPASR", "RING",  "+CIEV"};

constexpr std::array kProfiles{
    Profile{"generic", kEmpty, kCnmiStored, kEmpty, kIccidGeneric, UssdEncoding::plain, false,
            kEmpty},
    Profile{"huawei", kIdHuawei, kCnmiStored, kHuaweiExtras, kIccidHuawei,
            UssdEncoding::gsm7_packed_hex, false, kNoiseHuawei},
    Profile{"zte", kIdZte, kCnmiStored, kZteExtras, kIccidZte, UssdEncoding::plain, false,
            kNoiseZte},
    Profile{"simcom", kIdSimcom, kCnmiDirectReports, kEmpty, kIccidSimcom, UssdEncoding::plain,
            false, kNoiseSimcom},
    Profile{"quectel", kIdQuectel, kCnmiStored, kEmpty, kIccidQuectel, UssdEncoding::plain, true,
            kNoiseQuectel},
    Profile{"telit", kIdTelit, kCnmiTelit, kEmpty, kIccidTelit, UssdEncoding::plain, false, kEmpty},
    Profile{"cinterion", kIdCinterion, kCnmiStored, kEmpty, kIccidCinterion, UssdEncoding::plain,
            false, kNoiseCinterion},
};

// Boot lines (at-protocol.md "Recovery ladder").
constexpr Names kBootNames[] = {"RDY",     "SMS DONE",  "SMS READY", "CALL READY",
                                "PB DONE", "^SYSSTART", "+PBREADY",  "+QUSIM"};

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string upper_trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
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

bool is_boot_urc(std::string_view urc_name, std::string_view line) {
  const auto name = upper_trimmed(urc_name);
  const auto whole = upper_trimmed(line);
  if (whole == "+CPIN: READY" || whole == "+QIND: SMS DONE" || whole == "+CFUN: 1") return true;
  return std::any_of(std::begin(kBootNames), std::end(kBootNames),
                     [&](std::string_view boot) { return name == boot || whole == boot; });
}

bool is_noise_urc(const Profile& profile, std::string_view urc_name) {
  const auto name = upper_trimmed(urc_name);
  const auto in = [&](std::span<const std::string_view> list) {
    return std::any_of(list.begin(), list.end(),
                       [&](std::string_view noise) { return name == noise; });
  };
  return in(profile.noise_urcs) || in(kNoiseCommon);
}

}  // namespace smsgw::modem
