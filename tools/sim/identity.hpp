// Identity numbers of a simulated modem and its SIM: deterministic defaults from the
// modem index, and the wire forms modems print them in. Pure.
#pragma once

#include <string>
#include <string_view>

namespace smsgw::sim {

// The Luhn check digit (ISO/IEC 7812-1 Annex B) for a string of decimal digits.
char luhn_check_digit(std::string_view digits);

// A home network the default SIMs are drawn from: MCC+MNC (2- or 3-digit MNC), the
// operator name +COPS reports, its SMSC and the currency of its balance replies.
struct HomeNetwork {
  std::string_view mccmnc;
  int mnc_digits;
  std::string_view operator_name;
  std::string_view smsc;
  std::string_view currency;
};
const HomeNetwork& default_network(int index);

// 15 digits: TAC (8) + serial (6) + Luhn (3GPP TS 23.003 6.2.1).
std::string default_imei(std::string_view tac, int index);
// 15 digits: MCC+MNC then the subscriber number (3GPP TS 23.003 2.2).
std::string default_imsi(std::string_view mccmnc, int index);
// 19 digits: "89" + country + issuer + account + Luhn (ITU-T E.118).
std::string default_iccid(std::string_view mccmnc, int index);

// EF_ICCID as AT+CRSM=176,12258,0,0,10 returns it: 20 nibbles, padded with F, each
// octet's nibbles swapped (3GPP TS 31.102 4.2.1 via TS 11.11 10.1.1).
std::string iccid_crsm_form(std::string_view iccid);

}  // namespace smsgw::sim
