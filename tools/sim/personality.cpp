#include "personality.hpp"

#include <array>

namespace smsgw::sim {

namespace {

// Qualcomm-based modules report ds 0-2 but refuse ds=1 (MM mm-broadband-modem.c cnmi_sequence).
const CnmiSupport kCnmiNoDs1{{0, 1, 2}, {0, 1, 2, 3}, {0, 2}, {0, 2}, {0, 1}};

const std::array<Personality, 5>& table() {
  static const std::array<Personality, 5> rows{{
      {
          .name = "generic",
          .manufacturer = "SMSGW",
          .model = "SIM-GENERIC",
          .revision = "1.0.0",
          .imei_tac = "35000011",
          .iccid_form = IccidForm::ccid,
          .boot_urcs = {"RDY", "+CPIN: READY"},
          .boot_urcs_locked = {"RDY", "+CPIN: SIM PIN"},
          .noise_urcs = {"+CREG: 1"},
      },
      {
          // Huawei E1752 / E3372 sticks (pgm fakemodems HuaweiE1752, gammu#111, #393).
          .name = "huawei",
          .manufacturer = "huawei",
          .model = "E1752",
          .revision = "11.126.13.00.00",
          .imei_tac = "35167805",
          .iccid_form = IccidForm::huawei,
          .unsupported_final = "COMMAND NOT SUPPORT",
          .boot_urcs = {"^SIMST: 1", "+CPIN: READY"},
          .boot_urcs_locked = {"^SIMST: 1", "+CPIN: SIM PIN"},
          .ussd_request = UssdCoding::gsm7_packed,
          .ussd_reply = UssdCoding::gsm7_packed,
          .cnmi_test_reply = "+CNMI: (0,1,2),(0,1,2,3),(0,2),(0,1,2),(0,1)",
          .index_base = 0,
          .noise_interval_ms = 10000,
          .noise_urcs = {"^RSSI:{csq}", "^BOOT:20834602,0,0,0,72",
                         "^DSFLOWRPT:0000240E,00000000,00000000,00000000000AD023,"
                         "00000000002FA192,0003E800,0003E800"},
          .vendor_commands = {{"^CURC", ""},
                              {"^USSDMODE", ""},
                              {"^GETPORTMODE", "^GETPORTMODE: huawei,MDM:0,PCUI:1,NDIS:2"},
                              {"^SYSCFG", "^SYSCFG: 2,2,3FFFFFFF,1,2"}},
      },
      {
          // ZTE MF-series sticks (pgm test_modem.py; Gammu ATGEN_PostConnect).
          .name = "zte",
          .manufacturer = "ZTE INCORPORATED",
          .model = "MF190",
          .revision = "BD_MF190V1.0.0B06",
          .imei_tac = "35838704",
          .iccid_form = IccidForm::crsm_only,
          .boot_urcs = {"+CPIN: READY", "+ZUSIMR:2"},
          .boot_urcs_locked = {"+CPIN: SIM PIN"},
          .after_pin_urcs = {"+ZUSIMR:2"},
          .send_noise = true,
          .cmgr_empty_stat = true,
          .noise_urcs = {"+ZPASR: \"UMTS\""},
          .vendor_commands = {{"+ZCDRUN", ""}, {"+ZOPRT", ""}, {"+ZSNT", ""}},
      },
      {
          // SIMCom SIM800L (TinyGSM; python-gsmmodem PR#76: +CDS instead of +CDSI).
          .name = "simcom",
          .manufacturer = "SIMCOM_Ltd",
          .model = "SIMCOM_SIM800L",
          .revision = "Revision:1418B05SIM800L24",
          .imei_tac = "86220503",
          .iccid_form = IccidForm::simcom,
          .boot_urcs = {"RDY", "+CFUN: 1", "+CPIN: READY", "Call Ready", "SMS Ready"},
          .boot_urcs_locked = {"RDY", "+CFUN: 1", "+CPIN: SIM PIN"},
          .after_pin_urcs = {"Call Ready", "SMS Ready"},
          .report_route = ReportRoute::cds_direct,
          .cnmi_test_reply = "+CNMI: (0-3),(0-3),(0,2),(0-2),(0,1)",
          .noise_urcs = {"+CREG: 1"},
          .vendor_commands = {{"+CSCLK", ""}, {"+CLTS", ""}},
      },
      {
          // Quectel EC25/EG25 (chan-quectel PR#75: reports in SR announced as "SM").
          .name = "quectel",
          .manufacturer = "Quectel",
          .model = "EC25",
          .revision = "EC25EFAR06A06M4G",
          .imei_tac = "86678703",
          .iccid_form = IccidForm::quectel,
          .boot_urcs = {"RDY", "+CFUN: 1", "+CPIN: READY", "+QUSIM: 1", "+QIND: SMS DONE"},
          .boot_urcs_locked = {"RDY", "+CFUN: 1", "+CPIN: SIM PIN"},
          .after_pin_urcs = {"+QUSIM: 1", "+QIND: SMS DONE"},
          .ussd_reply = UssdCoding::ucs2_hex,
          .ussd_reply_dcs = 72,
          .report_route = ReportRoute::cdsi_sm_bug,
          .cnmi_accepted = kCnmiNoDs1,
          .index_base = 0,
          .noise_urcs = {"+QIND: \"csq\",{csq},99"},
          .vendor_commands = {{"+QURCCFG", ""}, {"+QINDCFG", ""}, {"+QCFG", ""}},
      },
  }};
  return rows;
}

}  // namespace

std::span<const Personality> personalities() { return table(); }

const Personality* find_personality(std::string_view name) {
  for (const auto& row : table()) {
    if (row.name == name) return &row;
  }
  return nullptr;
}

std::optional<IccidForm> iccid_form_from_name(std::string_view name) {
  if (name == "crsm") return IccidForm::crsm_only;
  if (name == "huawei") return IccidForm::huawei;
  if (name == "quectel") return IccidForm::quectel;
  if (name == "simcom") return IccidForm::simcom;
  if (name == "ccid") return IccidForm::ccid;
  if (name == "bare") return IccidForm::bare;
  return std::nullopt;
}

std::string_view to_string(IccidForm form) {
  switch (form) {
    case IccidForm::crsm_only:
      return "crsm";
    case IccidForm::huawei:
      return "huawei";
    case IccidForm::quectel:
      return "quectel";
    case IccidForm::simcom:
      return "simcom";
    case IccidForm::ccid:
      return "ccid";
    case IccidForm::bare:
      return "bare";
  }
  return "crsm";
}

}  // namespace smsgw::sim
