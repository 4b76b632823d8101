#include "smsgw/gateway/message_builder.hpp"

#include <random>

#include "smsgw/scheduler/numbering.hpp"

namespace smsgw::gateway {
namespace {

Error invalid(std::string_view field, std::string_view reason) {
  return make_error("validation", std::string(field) + ": " + std::string(reason));
}

}  // namespace

MessageBuilder::MessageBuilder(MessageBuilderOptions options,
                               const scheduler::OperatorTable& operators)
    : options_(std::move(options)),
      operators_(operators),
      next_concat_reference_(static_cast<std::uint8_t>(std::random_device{}())) {}

Result<store::NewMessage> MessageBuilder::build(const http::SubmitRequest& request,
                                                store::TimePoint now) {
  auto to = scheduler::normalise_destination(request.to, options_.default_country_code);
  if (!to) return invalid("to", to.error().message);
  if (request.text.empty()) return invalid("text", "must not be empty");
  if (request.validity && request.validity->count() <= 0) {
    return invalid("validity", "must be a positive number of seconds");
  }
  if (request.modem && options_.modem_known && !options_.modem_known(*request.modem)) {
    return invalid("modem", "no modem with id \"" + *request.modem + "\" is configured");
  }
  if (request.operator_name && operators_.find(*request.operator_name) == nullptr) {
    return invalid("operator",
                   "no operator named \"" + *request.operator_name + "\" is configured");
  }

  pdu::SubmitOptions encode;
  encode.status_report = request.status_report.value_or(options_.status_report);
  encode.validity = request.validity;
  encode.flash = request.flash;
  encode.max_parts = options_.max_parts;
  encode.national_languages = options_.national_languages;
  encode.concat_reference = next_concat_reference_;
  auto encoded = pdu::encode_submit(*to, request.text, encode);
  if (!encoded) {
    const bool about_number = encoded.error().kind == ErrorCode::pdu_bad_address;
    return invalid(about_number ? "to" : "text", encoded.error().message);
  }
  if (encoded->parts.size() > 1) ++next_concat_reference_;

  store::NewMessage message;
  message.to = std::move(*to);
  message.text = request.text;
  message.encoding = std::string(pdu::to_string(encoded->encoding));
  message.priority = request.priority;
  message.send_at = request.send_at;
  if (request.validity) message.expires_at = request.send_at.value_or(now) + *request.validity;
  message.flash = request.flash;
  message.status_report = encode.status_report;
  message.pinned_modem = request.modem;
  message.pinned_operator = request.operator_name;
  if (const auto* op = operators_.for_destination(message.to)) {
    message.destination_operator = op->name;
  }
  message.parts.reserve(encoded->parts.size());
  for (auto& part : encoded->parts) {
    message.parts.push_back(store::NewPart{std::move(part.pdu), static_cast<int>(part.length)});
  }
  message.created_at = now;
  message.client = request.client;
  message.reference = request.reference;
  message.callback_url = request.callback_url;
  message.origin = request.origin;
  return message;
}

}  // namespace smsgw::gateway
