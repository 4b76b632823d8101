// The SMS, storage and USSD reply parsers of parsers.hpp (TS 27.005, TS 27.007 7.15).
#include <string>
#include <vector>

#include "parser_support.hpp"
#include "smsgw/modem/parsers.hpp"
#include "smsgw/modem/text_codec.hpp"

namespace smsgw::modem {

// The shared helpers (parser_support.hpp): trim, to_int, parse_error...
using namespace parser_support;  // NOLINT(google-build-using-namespace)

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
