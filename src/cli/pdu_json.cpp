#include "smsgw/cli/pdu_json.hpp"

#include <optional>
#include <utility>
#include <variant>

namespace smsgw::cli {

namespace {

using nlohmann::json;

json optional_language(const std::optional<pdu::NationalLanguage>& language) {
  return language ? json(national_language_name(*language)) : json(nullptr);
}

// The fields every decoded type shares that come from TP-DCS and TP-UD.
void add_user_data(json& out, const pdu::UserData& user_data) {
  out["encoding"] = pdu::to_string(user_data.encoding);
  if (user_data.encoding == pdu::Encoding::eight_bit) {
    out["data"] = pdu::to_hex(user_data.data);
  } else {
    out["text"] = user_data.text;
  }
  out["udh"] = user_data.udh ? json(pdu::to_hex(*user_data.udh)) : json(nullptr);
  if (user_data.concat) {
    out["concat"] = {{"ref", user_data.concat->ref},
                     {"part", user_data.concat->part},
                     {"total", user_data.concat->total}};
  } else {
    out["concat"] = nullptr;
  }
  out["class"] = user_data.message_class ? json(*user_data.message_class) : json(nullptr);
  out["single_shift"] = optional_language(user_data.single_shift);
  out["locking_shift"] = optional_language(user_data.locking_shift);
}

void add_tpdu(json& out, const pdu::Deliver& deliver) {
  out["type"] = "deliver";
  out["from"] = deliver.from.text;
  out["from_type"] = address_type_name(deliver.from.type);
  out["scts"] = deliver.scts.iso8601();
  out["pid"] = deliver.protocol_id;
  out["dcs"] = deliver.dcs;
  out["status_report_indication"] = deliver.status_report_indication;
  add_user_data(out, deliver.user_data);
}

void add_tpdu(json& out, const pdu::Submit& submit) {
  out["type"] = "submit";
  out["to"] = submit.to.text;
  out["to_type"] = address_type_name(submit.to.type);
  out["mr"] = submit.message_reference;
  out["status_report"] = submit.status_report_request;
  out["reject_duplicates"] = submit.reject_duplicates;
  out["validity"] = submit.validity ? json(submit.validity->count()) : json(nullptr);
  out["pid"] = submit.protocol_id;
  out["dcs"] = submit.dcs;
  add_user_data(out, submit.user_data);
}

void add_tpdu(json& out, const pdu::StatusReport& report) {
  out["type"] = "status-report";
  out["mr"] = report.message_reference;
  out["recipient"] = report.recipient.text;
  out["recipient_type"] = address_type_name(report.recipient.type);
  out["scts"] = report.scts.iso8601();
  out["discharge"] = report.discharge.iso8601();
  out["status"] = report.status;
  out["status_class"] = pdu::to_string(report.status_class);
  out["pid"] = report.protocol_id ? json(*report.protocol_id) : json(nullptr);
  out["dcs"] = report.dcs ? json(*report.dcs) : json(nullptr);
  add_user_data(out, report.user_data.value_or(pdu::UserData{}));
}

}  // namespace

std::string_view national_language_name(pdu::NationalLanguage language) {
  switch (language) {
    case pdu::NationalLanguage::turkish:
      return "turkish";
    case pdu::NationalLanguage::spanish:
      return "spanish";
    case pdu::NationalLanguage::portuguese:
      return "portuguese";
  }
  return "unknown";
}

std::string_view address_type_name(pdu::Address::Type type) {
  switch (type) {
    case pdu::Address::Type::international:
      return "international";
    case pdu::Address::Type::national:
      return "national";
    case pdu::Address::Type::unknown:
      return "unknown";
    case pdu::Address::Type::alphanumeric:
      return "alphanumeric";
  }
  return "unknown";
}

nlohmann::json encoded_submit_to_json(const pdu::EncodedSubmit& encoded) {
  json parts = json::array();
  for (const pdu::SubmitPart& part : encoded.parts) {
    parts.push_back({{"pdu", part.pdu}, {"length", part.length}});
  }
  return {{"encoding", pdu::to_string(encoded.encoding)},
          {"parts", std::move(parts)},
          {"single_shift", optional_language(encoded.single_shift)},
          {"locking_shift", optional_language(encoded.locking_shift)}};
}

nlohmann::json decoded_to_json(const pdu::Decoded& decoded) {
  json out = json::object();
  std::visit([&out](const auto& tpdu) { add_tpdu(out, tpdu); }, decoded.tpdu);
  if (decoded.smsc) {
    out["smsc"] = decoded.smsc->text;
    out["smsc_type"] = address_type_name(decoded.smsc->type);
  } else {
    out["smsc"] = nullptr;
    out["smsc_type"] = nullptr;
  }
  return out;
}

std::string dump_json_line(const nlohmann::json& json_value) {
  return json_value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace smsgw::cli
