#include "smsgw/http/json.hpp"

#include "smsgw/http/rfc3339.hpp"

namespace smsgw::http {

namespace {

using json = nlohmann::json;

template <class T>
json nullable(const std::optional<T>& value) {
  if (!value) return nullptr;
  return *value;
}

json nullable(const std::optional<TimePoint>& time) {
  if (!time) return nullptr;
  return format_rfc3339(*time);
}

json json_of_part(const MessagePart& part) {
  return json{
      {"index", part.index},
      {"status", part.status},
      {"modem", nullable(part.modem)},
      {"mr", nullable(part.mr)},
      {"error", nullable(part.error)},
      {"sent_at", nullable(part.sent_at)},
      {"delivered_at", nullable(part.delivered_at)},
  };
}

json json_of_balance(const Balance& balance) {
  return json{
      {"amount", nullable(balance.amount)},
      {"currency", balance.currency},
      {"raw", balance.raw},
      {"checked_at", format_rfc3339(balance.checked_at)},
  };
}

}  // namespace

json json_of(const AcceptedMessage& accepted) {
  return json{
      {"id", accepted.id},
      {"status", "queued"},
      {"parts", accepted.parts},
      {"encoding", accepted.encoding},
  };
}

json json_of(const Message& message, bool with_events) {
  json parts = json::array();
  for (const auto& part : message.parts) parts.push_back(json_of_part(part));
  json result{
      {"id", message.id},
      {"to", message.to},
      {"text", message.text},
      {"status", message.status},
      {"operator", nullable(message.operator_name)},
      {"modem", nullable(message.modem)},
      {"parts", std::move(parts)},
      {"attempts", message.attempts},
      {"created_at", format_rfc3339(message.created_at)},
      {"sent_at", nullable(message.sent_at)},
      {"delivered_at", nullable(message.delivered_at)},
      {"error", nullable(message.error)},
      {"client", nullable(message.client)},
      {"reference", nullable(message.reference)},
      {"callback_url", nullable(message.callback_url)},
  };
  if (with_events) {
    json events = json::array();
    for (const auto& event : message.events) {
      events.push_back(
          json{{"at", format_rfc3339(event.at)}, {"kind", event.kind}, {"detail", event.detail}});
    }
    result["events"] = std::move(events);
  }
  return result;
}

json json_of(const MessagePage& page) {
  json messages = json::array();
  for (const auto& message : page.messages) messages.push_back(json_of(message, false));
  return json{{"messages", std::move(messages)}, {"next_before", nullable(page.next_before)}};
}

json json_of(const ModemInfo& modem) {
  if (modem.snapshot_json) {
    // Another node's modem: its item as that node rendered it, with its node.
    json item = json::parse(*modem.snapshot_json, nullptr, /*allow_exceptions=*/false);
    if (!item.is_object()) item = json{{"id", modem.id}, {"state", "absent"}};
    item["node"] = modem.node;
    return item;
  }
  json operator_info = nullptr;
  if (modem.operator_name || modem.mccmnc) {
    operator_info =
        json{{"name", nullable(modem.operator_name)}, {"mccmnc", nullable(modem.mccmnc)}};
  }
  return json{
      {"id", modem.id},
      {"port", modem.port},
      {"state", modem.state},
      {"imei", nullable(modem.imei)},
      {"imsi", nullable(modem.imsi)},
      {"iccid", nullable(modem.iccid)},
      {"operator", std::move(operator_info)},
      {"signal", json{{"csq", nullable(modem.csq)}, {"dbm", nullable(modem.dbm)}}},
      {"registration", modem.registration},
      {"balance", modem.balance ? json_of_balance(*modem.balance) : json(nullptr)},
      {"sent_today", modem.sent_today},
      {"daily_limit", nullable(modem.daily_limit)},
      {"sent_this_month", modem.sent_this_month},
      {"monthly_limit", nullable(modem.monthly_limit)},
      {"number", nullable(modem.number)},
      {"label", nullable(modem.label)},
      {"errors", modem.errors},
      {"last_error", nullable(modem.last_error)},
      {"paused", nullable(modem.paused)},
      {"queue", modem.queue},
      {"paused_by", nullable(modem.paused_by)},
      {"paused_at", nullable(modem.paused_at)},
      {"node", modem.node},
  };
}

json json_of(const std::vector<ModemInfo>& modems) {
  json list = json::array();
  for (const auto& modem : modems) list.push_back(json_of(modem));
  return list;
}

json json_of(const BalanceResult& balance) {
  return json{
      {"modem", balance.modem},
      {"imei", nullable(balance.imei)},
      {"iccid", nullable(balance.iccid)},
      {"operator", nullable(balance.operator_name)},
      {"amount", nullable(balance.amount)},
      {"currency", balance.currency},
      {"raw", balance.raw},
      {"checked_at", nullable(balance.checked_at)},
      {"error", nullable(balance.error)},
  };
}

json json_of(const std::vector<BalanceResult>& balances) {
  json list = json::array();
  for (const auto& balance : balances) list.push_back(json_of(balance));
  return list;
}

json json_of(const UssdReply& reply) {
  return json{{"response", reply.response}, {"status", reply.status}};
}

json json_of(const InboxPage& page) {
  json messages = json::array();
  for (const auto& message : page.messages) {
    messages.push_back(json{
        {"id", message.id},
        {"modem", message.modem},
        {"from", message.from},
        {"text", message.text},
        {"parts", message.parts},
        {"parts_received", message.parts_received},
        {"complete", message.parts_received >= message.parts},
        {"sent_at", nullable(message.sent_at)},
        {"received_at", format_rfc3339(message.received_at)},
    });
  }
  return json{{"messages", std::move(messages)}, {"next_before", nullable(page.next_before)}};
}

json json_of(const Stats& stats) {
  json by_status = json::object();
  for (const auto& [status, count] : stats.messages_by_status) by_status[status] = count;
  return json{{"queue_depth", stats.queue_depth},
              {"messages_by_status", std::move(by_status)},
              {"parts_per_minute", stats.parts_per_minute},
              {"minute_start", format_rfc3339(stats.minute_start)}};
}

json json_of(const GatewayInfo& info, const Caller& caller, bool auth) {
  json scopes = json::array();
  for (const auto scope : {Scope::send, Scope::read, Scope::modems, Scope::admin}) {
    if (caller.may(scope)) scopes.push_back(std::string(scope_name(scope)));
  }
  json alphabets = json::object();
  for (const auto& alphabet : info.alphabets) {
    alphabets[alphabet.name] =
        json{{"locking", nullable(alphabet.locking)}, {"single", alphabet.single}};
  }
  return json{
      {"version", info.version},
      {"caller", json{{"name", caller.name}, {"scopes", std::move(scopes)}}},
      {"auth", auth},
      {"max_parts", info.max_parts},
      {"alphabets", std::move(alphabets)},
      {"shift_tables", info.shift_tables},
  };
}

std::string dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace smsgw::http
