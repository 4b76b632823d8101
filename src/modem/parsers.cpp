#include "smsgw/modem/parsers.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "smsgw/modem/text_codec.hpp"

namespace smsgw::modem {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

Error parse_error(std::string_view what, std::string_view line, std::string_view why) {
  return make_error("modem.parse",
                    std::string(what) + " in \"" + std::string(line) + "\": " + std::string(why));
}

std::optional<int> to_int(std::string_view text) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  int value = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(),
                                      [](unsigned char c) { return std::isdigit(c) != 0; });
}

bool all_hex(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(),
                                      [](unsigned char c) { return std::isxdigit(c) != 0; });
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::optional<std::string> optional_text(const Field& field) {
  if (field.text.empty()) return std::nullopt;
  return upper(field.text);
}

// The parameters after any "<tag>:" prefix (+X:, ^X:, #X:), or the whole line when it has
// none; used by the identity parsers that accept a bare value too.
std::string_view after_any_tag(std::string_view line) {
  line = trim(line);
  if (!line.empty() && (line.front() == '+' || line.front() == '^' || line.front() == '#')) {
    const auto colon = line.find(':');
    if (colon != std::string_view::npos) return trim(line.substr(colon + 1));
  }
  return line;
}

std::string_view unquote(std::string_view text) {
  text = trim(text);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    text = text.substr(1, text.size() - 2);
  }
  return trim(text);
}

Result<MessageHeader> parse_message_header(std::string_view line, std::string_view prefix,
                                           bool with_index) {
  const auto params = strip_prefix(line, prefix);
  if (!params) return parse_error(std::string(prefix) + " header", line, "wrong prefix");
  auto fields = split_fields(*params);
  MessageHeader header;
  if (with_index) {
    if (fields.empty()) return parse_error("+CMGL header", line, "no index");
    header.index = to_int(fields.front().text);
    if (!header.index || *header.index < 0) {
      return parse_error("+CMGL header", line, "index is not a number");
    }
    fields.erase(fields.begin());
  }
  // Remaining: <stat>,[<alpha>],<length> or, without the alpha field, <stat>,<length>.
  if (fields.size() < 2 || fields.size() > 3) {
    // Text-mode headers carry more fields; this gateway reads PDU mode only.
    return parse_error(std::string(prefix) + " header", line, "expected <stat>,[<alpha>],<length>");
  }
  if (!fields.front().text.empty()) {
    header.stat = to_int(fields.front().text);
    if (!header.stat) return parse_error(std::string(prefix) + " header", line, "bad <stat>");
  }
  if (fields.size() == 3 && (fields[1].quoted || !fields[1].text.empty())) {
    header.alpha = fields[1].text;
  }
  const auto length = to_int(fields.back().text);
  if (!length || *length < 0) {
    return parse_error(std::string(prefix) + " header", line, "bad <length>");
  }
  header.length = *length;
  return header;
}

bool looks_like_pdu_line(std::string_view line) {
  line = trim(line);
  return line.size() % 2 == 0 && all_hex(line);
}

}  // namespace

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

Result<std::uint8_t> parse_cmgs(std::string_view line) {
  const auto params = strip_prefix(line, "+CMGS");
  if (!params) return parse_error("+CMGS", line, "wrong prefix");
  const auto fields = split_fields(*params);
  if (fields.empty()) return parse_error("+CMGS", line, "no <mr>");
  const auto mr = to_int(fields[0].text);
  if (!mr || *mr < 0 || *mr > 255) return parse_error("+CMGS", line, "<mr> is not 0..255");
  return static_cast<std::uint8_t>(*mr);
}

Result<CnmiSetting> parse_cnmi(std::string_view line) {
  std::optional<std::string_view> params = strip_prefix(line, "+CNMI");
  const std::string command = upper(trim(line));
  if (!params && command.starts_with("AT+CNMI=")) params = trim(line).substr(8);
  if (!params) return parse_error("+CNMI", line, "wrong prefix");
  const auto fields = split_fields(*params);
  if (fields.empty() || fields.size() > 5)
    return parse_error("+CNMI", line, "expected 1 to 5 values");
  int values[5] = {0, 0, 0, 0, 0};
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].text.empty()) continue;
    const auto value = to_int(fields[i].text);
    if (!value || *value < 0) return parse_error("+CNMI", line, "a value is not a number");
    values[i] = *value;
  }
  return CnmiSetting{values[0], values[1], values[2], values[3], values[4]};
}

Result<StorageIndex> parse_storage_index(std::string_view line) {
  std::optional<std::string_view> params = strip_prefix(line, "+CMTI");
  if (!params) params = strip_prefix(line, "+CDSI");
  if (!params) return parse_error("+CMTI/+CDSI", line, "wrong prefix");
  const auto fields = split_fields(*params);
  if (fields.size() != 2) return parse_error("+CMTI/+CDSI", line, "expected <mem>,<index>");
  const auto index = to_int(fields[1].text);
  if (!index || *index < 0) return parse_error("+CMTI/+CDSI", line, "<index> is not a number");
  if (fields[0].text.empty()) return parse_error("+CMTI/+CDSI", line, "no <mem>");
  return StorageIndex{upper(fields[0].text), *index};
}

Result<int> parse_cmt_length(std::string_view line) {
  const auto params = strip_prefix(line, "+CMT");
  if (!params) return parse_error("+CMT", line, "wrong prefix");
  const auto fields = split_fields(*params);
  if (fields.empty()) return parse_error("+CMT", line, "no <length>");
  const auto length = to_int(fields.back().text);
  if (!length || *length < 0) return parse_error("+CMT", line, "<length> is not a number");
  return *length;
}

Result<int> parse_cds_length(std::string_view line) {
  const auto params = strip_prefix(line, "+CDS");
  if (!params) return parse_error("+CDS", line, "wrong prefix");
  const auto fields = split_fields(*params);
  if (fields.empty()) return parse_error("+CDS", line, "no <length>");
  const auto length = to_int(fields.back().text);
  if (!length || *length < 0) return parse_error("+CDS", line, "<length> is not a number");
  return *length;
}

Result<MessageHeader> parse_cmgr_header(std::string_view line) {
  return parse_message_header(line, "+CMGR", false);
}

Result<MessageHeader> parse_cmgl_header(std::string_view line) {
  return parse_message_header(line, "+CMGL", true);
}

std::vector<StoredMessage> parse_cmgl_listing(const std::vector<std::string>& lines) {
  std::vector<StoredMessage> messages;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto header = parse_cmgl_header(lines[i]);
    if (!header) continue;
    if (i + 1 < lines.size() && looks_like_pdu_line(lines[i + 1])) {
      messages.push_back(StoredMessage{std::move(header).value(), upper(trim(lines[i + 1]))});
      ++i;
    }
  }
  return messages;
}

Result<StoredMessage> parse_cmgr_reply(const std::vector<std::string>& lines) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto header = parse_cmgr_header(lines[i]);
    if (!header) {
      if (strip_prefix(lines[i], "+CMGR")) return std::move(header).error();
      continue;
    }
    if (header->length == 0) break;
    if (i + 1 < lines.size() && looks_like_pdu_line(lines[i + 1])) {
      return StoredMessage{std::move(header).value(), upper(trim(lines[i + 1]))};
    }
    return make_error("modem.parse", "+CMGR reply without a PDU line after \"" + lines[i] + "\"");
  }
  return make_error("modem.empty_slot", "the storage slot holds no message");
}

Result<std::vector<StorageUsage>> parse_cpms(std::string_view line) {
  const auto params = strip_prefix(line, "+CPMS");
  if (!params) return parse_error("+CPMS", line, "wrong prefix");
  const auto fields = split_fields(*params);
  std::vector<StorageUsage> usage;
  const bool named = !fields.empty() && fields[0].quoted;
  const std::size_t stride = named ? 3 : 2;
  if (fields.empty() || fields.size() % stride != 0) {
    return parse_error("+CPMS", line, "expected groups of [<mem>,]<used>,<total>");
  }
  for (std::size_t i = 0; i < fields.size(); i += stride) {
    StorageUsage entry;
    std::size_t at = i;
    if (named) entry.memory = upper(fields[at++].text);
    const auto used = to_int(fields[at].text);
    const auto total = to_int(fields[at + 1].text);
    if (!used || !total) return parse_error("+CPMS", line, "counts are not numbers");
    entry.used = *used;
    entry.total = *total;
    usage.push_back(std::move(entry));
  }
  return usage;
}

Result<std::vector<std::vector<std::string>>> parse_cpms_support(std::string_view line) {
  const auto params = strip_prefix(line, "+CPMS");
  if (!params) return parse_error("+CPMS", line, "wrong prefix");
  std::vector<std::vector<std::string>> groups;
  std::string_view rest = *params;
  while (!trim(rest).empty()) {
    rest = trim(rest);
    std::string_view group;
    if (rest.front() == '(') {
      const auto close = rest.find(')');
      if (close == std::string_view::npos) return parse_error("+CPMS", line, "unclosed '('");
      group = rest.substr(1, close - 1);
      rest.remove_prefix(close + 1);
    } else {
      // A single memory without parentheses, e.g. +CPMS: "SM","SM","SM".
      std::size_t end = 0;
      bool quoted = false;
      while (end < rest.size() && (quoted || rest[end] != ',')) {
        if (rest[end] == '"') quoted = !quoted;
        ++end;
      }
      group = rest.substr(0, end);
      rest.remove_prefix(end);
    }
    std::vector<std::string> memories;
    for (const auto& field : split_fields(group)) {
      if (!field.text.empty()) memories.push_back(upper(field.text));
    }
    groups.push_back(std::move(memories));
    rest = trim(rest);
    if (!rest.empty()) {
      if (rest.front() != ',') return parse_error("+CPMS", line, "expected ',' between groups");
      rest.remove_prefix(1);
    }
  }
  if (groups.empty()) return parse_error("+CPMS", line, "no memories");
  return groups;
}

Result<ServiceCentre> parse_csca(std::string_view line) {
  const auto params = strip_prefix(line, "+CSCA");
  if (!params) return parse_error("+CSCA", line, "wrong prefix");
  const auto fields = split_fields(*params);
  if (fields.empty()) return parse_error("+CSCA", line, "no <sca>");
  ServiceCentre centre;
  centre.number = fields[0].text;
  if (centre.number.size() >= 8 && centre.number.size() % 4 == 0 && all_hex(centre.number)) {
    auto decoded = decode_ucs2_hex(centre.number);
    if (decoded && std::all_of(decoded->begin(), decoded->end(),
                               [](unsigned char c) { return std::isdigit(c) != 0 || c == '+'; })) {
      centre.number = std::move(decoded).value();
    }
  }
  if (fields.size() > 1) centre.type = to_int(fields[1].text);
  return centre;
}

Result<UssdNotification> parse_cusd(std::string_view line) {
  const auto params = strip_prefix(line, "+CUSD");
  if (!params) return parse_error("+CUSD", line, "wrong prefix");
  const auto fields = split_fields(*params);
  if (fields.empty()) return parse_error("+CUSD", line, "no <m>");
  UssdNotification notification;
  const auto status = to_int(fields[0].text);
  if (!status || *status < 0) return parse_error("+CUSD", line, "<m> is not a number");
  notification.status = *status;
  if (fields.size() > 1 && (fields[1].quoted || !fields[1].text.empty())) {
    notification.text = fields[1].text;
  }
  if (fields.size() > 2 && !fields[2].text.empty()) {
    notification.dcs = to_int(fields[2].text);
    if (!notification.dcs) return parse_error("+CUSD", line, "<dcs> is not a number");
  }
  return notification;
}

}  // namespace smsgw::modem
