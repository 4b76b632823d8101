#include "smsgw/modem/parsers.hpp"

#include "parser_support.hpp"

namespace smsgw::modem {

// The shared helpers (parser_support.hpp): trim, to_int, parse_error...
using namespace parser_support;  // NOLINT(google-build-using-namespace)

std::vector<Field> split_fields(std::string_view params) {
  std::vector<Field> fields;
  if (trim(params).empty()) return fields;
  Field current;
  bool in_quotes = false;
  std::string raw;
  auto finish = [&] {
    if (!current.quoted) current.text = std::string(trim(raw));
    fields.push_back(std::move(current));
    current = Field{};
    raw.clear();
  };
  for (char c : params) {
    if (in_quotes) {
      if (c == '"') {
        in_quotes = false;
      } else {
        current.text.push_back(c);
      }
    } else if (c == '"') {
      in_quotes = true;
      current.quoted = true;
    } else if (c == ',') {
      finish();
    } else if (!current.quoted) {
      raw.push_back(c);
    }
  }
  finish();
  return fields;
}

std::optional<std::string_view> strip_prefix(std::string_view line, std::string_view prefix) {
  line = trim(line);
  if (line.size() < prefix.size() + 1) return std::nullopt;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(line[i])) !=
        std::toupper(static_cast<unsigned char>(prefix[i]))) {
      return std::nullopt;
    }
  }
  if (line[prefix.size()] != ':') return std::nullopt;
  return trim(line.substr(prefix.size() + 1));
}

Result<SignalQuality> parse_csq(std::string_view line) {
  const auto params = strip_prefix(line, "+CSQ");
  if (!params) return parse_error("+CSQ", line, "wrong prefix");
  const auto fields = split_fields(*params);
  if (fields.empty() || fields.size() > 2) {
    return parse_error("+CSQ", line, "expected <rssi>,<ber>");
  }
  const auto rssi = to_int(fields[0].text);
  if (!rssi || *rssi < 0) return parse_error("+CSQ", line, "<rssi> is not a number");
  SignalQuality quality;
  quality.rssi = *rssi;
  if (fields.size() == 2) {
    const auto ber = to_int(fields[1].text);
    if (!ber || *ber < 0) return parse_error("+CSQ", line, "<ber> is not a number");
    quality.ber = *ber;
  }
  // TS 27.007 8.5: 0 <= -113 dBm, 1 = -111 dBm, 2..30 = -109..-53 dBm, 31 >= -51 dBm.
  if (quality.rssi <= 31) quality.dbm = -113 + 2 * quality.rssi;
  return quality;
}

std::string_view to_string(RegistrationState state) {
  switch (state) {
    case RegistrationState::home:
      return "home";
    case RegistrationState::roaming:
      return "roaming";
    case RegistrationState::searching:
      return "searching";
    case RegistrationState::denied:
      return "denied";
    case RegistrationState::unknown:
      return "unknown";
  }
  return "unknown";
}

RegistrationState registration_state_from_stat(int stat) {
  switch (stat) {
    case 1:  // registered, home network
    case 6:  // home, SMS only (E-UTRAN)
    case 9:  // home, CSFB not preferred
      return RegistrationState::home;
    case 5:   // registered, roaming
    case 7:   // roaming, SMS only
    case 10:  // roaming, CSFB not preferred
      return RegistrationState::roaming;
    case 2:
      return RegistrationState::searching;
    case 3:  // registration denied
    case 8:  // attached for emergency bearer services only
      return RegistrationState::denied;
    default:
      return RegistrationState::unknown;
  }
}

Result<Registration> parse_registration(std::string_view line, RegistrationForm form) {
  std::optional<std::string_view> params;
  for (std::string_view prefix : {"+CREG", "+CGREG", "+CEREG", "+C5GREG"}) {
    params = strip_prefix(line, prefix);
    if (params) break;
  }
  if (!params) return parse_error("registration", line, "wrong prefix");
  const auto fields = split_fields(*params);
  if (fields.empty()) return parse_error("registration", line, "no <stat>");

  if (form == RegistrationForm::detect) {
    const auto is_location = [](const Field& field) {
      return field.quoted || field.text.size() > 1;
    };
    switch (fields.size()) {
      case 1:
      case 3:
        form = RegistrationForm::unsolicited;
        break;
      case 2:
        form = RegistrationForm::solicited;
        break;
      case 4:
        form = is_location(fields[1]) ? RegistrationForm::unsolicited : RegistrationForm::solicited;
        break;
      default:
        form = RegistrationForm::solicited;
        break;
    }
  }

  Registration registration;
  std::size_t next = 0;
  if (form == RegistrationForm::solicited) {
    if (fields.size() < 2) return parse_error("registration", line, "expected <n>,<stat>");
    registration.mode = to_int(fields[0].text);
    if (!registration.mode) return parse_error("registration", line, "<n> is not a number");
    next = 1;
  }
  const auto stat = to_int(fields[next].text);
  if (!stat || *stat < 0) return parse_error("registration", line, "<stat> is not a number");
  registration.stat = *stat;
  registration.state = registration_state_from_stat(*stat);
  if (fields.size() > next + 1) registration.lac = optional_text(fields[next + 1]);
  if (fields.size() > next + 2) registration.cell_id = optional_text(fields[next + 2]);
  if (fields.size() > next + 3 && !fields[next + 3].text.empty()) {
    registration.act = to_int(fields[next + 3].text);
  }
  return registration;
}

Result<PinStatus> parse_cpin(std::string_view line) {
  const auto params = strip_prefix(line, "+CPIN");
  if (!params) return parse_error("+CPIN", line, "wrong prefix");
  const std::string code = upper(unquote(*params));
  if (code.empty()) return parse_error("+CPIN", line, "no code");
  PinStatus status;
  status.text = std::string(unquote(*params));
  if (code == "READY") {
    status.state = PinState::ready;
  } else if (code == "SIM PIN") {
    status.state = PinState::sim_pin;
  } else if (code == "SIM PUK") {
    status.state = PinState::sim_puk;
  } else if (code == "SIM PIN2") {
    status.state = PinState::sim_pin2;
  } else if (code == "SIM PUK2") {
    status.state = PinState::sim_puk2;
  } else if (code == "PH-SIM PIN" || code == "PH-NET PIN") {
    status.state = PinState::phone_pin;
  } else {
    status.state = PinState::other;
  }
  return status;
}

Result<std::string> parse_imei(std::string_view line) {
  const auto value = unquote(after_any_tag(line));
  if (!all_digits(value) || value.size() < 14 || value.size() > 17) {
    return parse_error("IMEI", line, "expected 14 to 17 digits");
  }
  return std::string(value);
}

Result<std::string> parse_imsi(std::string_view line) {
  const auto value = unquote(after_any_tag(line));
  if (!all_digits(value) || value.size() < 6 || value.size() > 15) {
    return parse_error("IMSI", line, "expected 6 to 15 digits");
  }
  return std::string(value);
}

Result<SimResponse> parse_crsm(std::string_view line) {
  const auto params = strip_prefix(line, "+CRSM");
  if (!params) return parse_error("+CRSM", line, "wrong prefix");
  const auto fields = split_fields(*params);
  if (fields.size() < 2) return parse_error("+CRSM", line, "expected <sw1>,<sw2>");
  const auto sw1 = to_int(fields[0].text);
  const auto sw2 = to_int(fields[1].text);
  if (!sw1 || !sw2) return parse_error("+CRSM", line, "status words are not numbers");
  // TS 102 221 10.2.1: 0x90 normal ending, 0x91/0x92 normal ending with extra information.
  if (*sw1 != 0x90 && *sw1 != 0x91 && *sw1 != 0x92) {
    return make_error("modem.sim_io", "the SIM refused the read (\"" + std::string(line) +
                                          "\": sw1=" + std::to_string(*sw1) +
                                          " sw2=" + std::to_string(*sw2) + ")");
  }
  SimResponse response{*sw1, *sw2, {}};
  if (fields.size() > 2) {
    const auto& data = fields[2].text;
    if (!data.empty() && !all_hex(data)) return parse_error("+CRSM", line, "data is not hex");
    response.data = upper(data);
  }
  return response;
}

Result<int> parse_mnc_length_from_ef_ad(std::string_view crsm_line) {
  auto response = parse_crsm(crsm_line);
  if (!response) return std::move(response).error();
  if (response->data.size() < 8) {
    return parse_error("EF_AD", crsm_line, "fewer than 4 bytes (no MNC length)");
  }
  const int nibble = std::stoi(response->data.substr(7, 1), nullptr, 16);
  if (nibble != 2 && nibble != 3) {
    return parse_error("EF_AD", crsm_line, "MNC length is neither 2 nor 3");
  }
  return nibble;
}

bool mcc_uses_three_digit_mnc(int mcc) {
  // North America and the Caribbean, Mexico, India (405), Central/South America.
  return mcc == 302 || (mcc >= 310 && mcc <= 316) || mcc == 334 || mcc == 338 ||
         (mcc >= 342 && mcc <= 358) || (mcc >= 365 && mcc <= 376) || mcc == 405 || mcc == 708 ||
         mcc == 722 || mcc == 732;
}

Result<std::string> mccmnc_from_imsi(std::string_view imsi, std::optional<int> mnc_length) {
  if (!all_digits(imsi) || imsi.size() < 6) {
    return parse_error("IMSI", imsi, "expected at least 6 digits");
  }
  int length = 2;
  if (mnc_length == 2 || mnc_length == 3) {
    length = *mnc_length;
  } else if (mcc_uses_three_digit_mnc(std::stoi(std::string(imsi.substr(0, 3))))) {
    length = 3;
  }
  return std::string(imsi.substr(0, 3 + static_cast<std::size_t>(length)));
}

Result<std::string> parse_iccid(std::string_view line) {
  std::string digits;
  bool swapped = false;
  if (const auto crsm = strip_prefix(line, "+CRSM")) {
    auto response = parse_crsm(line);
    if (!response) return std::move(response).error();
    digits = response->data;
    swapped = true;  // EF_ICCID is BCD with the low nibble first (TS 102 221 13.2)
  } else {
    digits = upper(unquote(after_any_tag(line)));
    swapped = digits.size() >= 2 && digits.compare(0, 2, "98") == 0;
  }
  if (!all_hex(digits)) return parse_error("ICCID", line, "not made of hex digits");
  if (swapped) {
    if (digits.size() % 2 != 0) return parse_error("ICCID", line, "odd number of nibbles");
    for (std::size_t i = 0; i + 1 < digits.size(); i += 2) std::swap(digits[i], digits[i + 1]);
  }
  while (!digits.empty() && digits.back() == 'F') digits.pop_back();
  if (digits.size() < 18 || digits.size() > 22) {
    return parse_error("ICCID", line, "expected 18 to 22 digits");
  }
  return digits;
}

Result<OperatorSelection> parse_cops(std::string_view line) {
  const auto params = strip_prefix(line, "+COPS");
  if (!params) return parse_error("+COPS", line, "wrong prefix");
  const auto fields = split_fields(*params);
  if (fields.empty()) return parse_error("+COPS", line, "no <mode>");
  OperatorSelection selection;
  const auto mode = to_int(fields[0].text);
  if (!mode) return parse_error("+COPS", line, "<mode> is not a number");
  selection.mode = *mode;
  if (fields.size() >= 3) {
    selection.format = to_int(fields[1].text);
    if (!fields[2].text.empty()) selection.name = fields[2].text;
  }
  if (fields.size() >= 4) selection.act = to_int(fields[3].text);
  return selection;
}

}  // namespace smsgw::modem
