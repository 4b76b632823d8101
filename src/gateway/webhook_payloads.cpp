#include "smsgw/gateway/webhook_payloads.hpp"

#include <nlohmann/json.hpp>

#include "smsgw/scheduler/policy.hpp"

namespace smsgw::gateway {
namespace {

using json = nlohmann::json;

json nullable(const std::optional<std::string>& value) {
  return value ? json(*value) : json(nullptr);
}

}  // namespace

std::string message_status_payload(const MessageStatusEvent& event) {
  json payload{{"id", event.id}, {"status", event.status}, {"at", scheduler::format_utc(event.at)}};
  if (event.modem) payload["modem"] = *event.modem;
  payload["client"] = nullable(event.client);
  payload["reference"] = nullable(event.reference);
  return payload.dump();
}

std::string message_received_payload(const MessageReceivedEvent& event) {
  return json{
      {"id", event.id},
      {"modem", event.modem},
      {"iccid", nullable(event.iccid)},
      {"operator", nullable(event.operator_name)},
      {"number", nullable(event.number)},
      {"from", event.from},
      {"text", event.text},
      {"parts", event.parts},
      {"sent_at", event.sent_at ? json(scheduler::format_utc(*event.sent_at)) : json(nullptr)},
      {"received_at", scheduler::format_utc(event.received_at)},
  }
      .dump();
}

std::string webhook_body(const std::string& event, const std::string& payload_json) {
  return json{{"event", event}, {"data", json::parse(payload_json)}}.dump();
}

}  // namespace smsgw::gateway
