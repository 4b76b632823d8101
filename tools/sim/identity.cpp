#include "identity.hpp"

#include <array>
#include <cstdio>

namespace smsgw::sim {

char luhn_check_digit(std::string_view digits) {
  int sum = 0;
  bool double_it = true;  // the rightmost payload digit is doubled
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (d < 0 || d > 9) d = 0;
    if (double_it) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double_it = !double_it;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

namespace {
constexpr std::array<HomeNetwork, 6> kNetworks{{
    {"26201", 2, "Telekom.de", "+491710760000", "EUR"},
    {"26202", 2, "Vodafone.de", "+491722270333", "EUR"},
    {"26203", 2, "o2 - de", "+491770610000", "EUR"},
    {"310260", 3, "T-Mobile", "+12063130004", "USD"},
    {"23415", 2, "Vodafone UK", "+447785016005", "GBP"},
    {"310410", 3, "AT&T", "+13123149810", "USD"},
}};

std::string digits_of(unsigned long long value, int width) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%0*llu", width, value);
  std::string text(buffer);
  return text.substr(text.size() - static_cast<std::size_t>(width));
}

// E.164 country code of an MCC for the ICCID's country field (ITU-T E.118 4.2).
std::string_view country_code(std::string_view mccmnc) {
  if (mccmnc.starts_with("262")) return "49";
  if (mccmnc.starts_with("234")) return "44";
  if (mccmnc.starts_with("310")) return "01";
  return "99";
}
}  // namespace

const HomeNetwork& default_network(int index) {
  return kNetworks[static_cast<std::size_t>(index) % kNetworks.size()];
}

std::string default_imei(std::string_view tac, int index) {
  std::string body = std::string(tac).substr(0, 8);
  while (body.size() < 8) body += '0';
  body += digits_of(100000ULL + static_cast<unsigned long long>(index) * 7919ULL, 6);
  return body + luhn_check_digit(body);
}

std::string default_imsi(std::string_view mccmnc, int index) {
  std::string imsi(mccmnc);
  const int width = 15 - static_cast<int>(imsi.size());
  imsi += digits_of(1234500000ULL + static_cast<unsigned long long>(index), width);
  return imsi;
}

std::string default_iccid(std::string_view mccmnc, int index) {
  std::string body = "89";
  body += country_code(mccmnc);
  body += mccmnc.substr(3);  // issuer: the MNC digits
  const int width = 18 - static_cast<int>(body.size());
  body += digits_of(520000000000ULL + static_cast<unsigned long long>(index) * 7919ULL, width);
  return body + luhn_check_digit(body);
}

std::string iccid_crsm_form(std::string_view iccid) {
  std::string padded(iccid);
  while (padded.size() < 20) padded += 'F';
  std::string swapped;
  for (std::size_t i = 0; i + 1 < padded.size(); i += 2) {
    swapped += padded[i + 1];
    swapped += padded[i];
  }
  return swapped;
}

}  // namespace smsgw::sim
