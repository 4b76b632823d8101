#include "control_commands.hpp"

#include <string>
#include <vector>

namespace smsgw::sim {

using nlohmann::json;

namespace {

json failure(std::string message) { return json{{"ok", false}, {"error", std::move(message)}}; }

// "modem": n, or "all" (or absent where `all_by_default`).
Result<std::vector<int>> modems_of(const ControlTarget& target, const json& request,
                                   bool all_by_default) {
  std::vector<int> all;
  for (int i = 0; i < target.modem_count(); ++i) all.push_back(i);
  if (!request.contains("modem")) {
    if (all_by_default) return all;
    return make_error("sim.control", "\"modem\" is required");
  }
  const json& value = request["modem"];
  if (value.is_string() && value.get<std::string>() == "all") return all;
  if (!value.is_number_integer())
    return make_error("sim.control", "\"modem\" must be an index or \"all\"");
  const int index = value.get<int>();
  if (index < 0 || index >= target.modem_count())
    return make_error("sim.control", "no modem " + std::to_string(index) + " (have " +
                                         std::to_string(target.modem_count()) + ")");
  return std::vector<int>{index};
}

Result<pdu::EncodingChoice> encoding_of(const json& request) {
  if (!request.contains("encoding")) return pdu::EncodingChoice::automatic;
  const std::string name =
      request["encoding"].is_string() ? request["encoding"].get<std::string>() : "";
  if (name == "auto") return pdu::EncodingChoice::automatic;
  if (name == "gsm7") return pdu::EncodingChoice::gsm7;
  if (name == "ucs2") return pdu::EncodingChoice::ucs2;
  return make_error("sim.control", "\"encoding\" must be auto, gsm7 or ucs2");
}

json inject(ControlTarget& target, const json& request) {
  auto modems = modems_of(target, request, false);
  if (!modems) return failure(modems.error().message);
  if (!request.contains("from") || !request["from"].is_string() || !request.contains("text") ||
      !request["text"].is_string())
    return failure("inject needs string \"from\" and \"text\"");
  auto encoding = encoding_of(request);
  if (!encoding) return failure(encoding.error().message);
  InjectRequest inject;
  inject.from = request["from"].get<std::string>();
  inject.text = request["text"].get<std::string>();
  inject.encoding = *encoding;
  if (request.contains("class")) {
    if (!request["class"].is_number_integer()) return failure("\"class\" must be 0-3");
    inject.message_class = request["class"].get<int>();
  }
  if (request.contains("ref")) {
    if (!request["ref"].is_number_integer()) return failure("\"ref\" must be an integer");
    inject.concat_reference = request["ref"].get<unsigned>();
  }
  InjectDelivery delivery;
  if (request.contains("order")) {
    const json& order = request["order"];
    if (!order.is_array() || order.empty())
      return failure("\"order\" must be a non-empty array of 0-based part indexes, e.g. [2,0,1]");
    for (const json& part : order) {
      if (!part.is_number_integer())
        return failure("\"order\" must be a non-empty array of 0-based part indexes, e.g. [2,0,1]");
      delivery.order.push_back(part.get<int>());
    }
  }
  if (request.contains("repeat_part")) {
    if (!request["repeat_part"].is_number_integer() || request["repeat_part"].get<int>() < 0)
      return failure("\"repeat_part\" must be a 0-based part index");
    delivery.repeat_part = request["repeat_part"].get<int>();
  }
  int parts = 0;
  for (int index : *modems) {
    auto injected = target.modem(index).inject_message(inject, delivery);
    if (!injected) return failure(injected.error().message);
    parts = *injected;
  }
  return json{{"ok", true}, {"parts", parts}};
}

json status_report(ControlTarget& target, const json& request) {
  auto modems = modems_of(target, request, false);
  if (!modems) return failure(modems.error().message);
  if (!request.contains("mr") || !request["mr"].is_number_integer())
    return failure("status_report needs integer \"mr\"");
  if (!request.contains("to") || !request["to"].is_string())
    return failure("status_report needs string \"to\" (the recipient)");
  int status = 0;
  if (request.contains("status")) {
    const json& value = request["status"];
    if (value.is_number_integer()) {
      status = value.get<int>();
    } else if (value == "delivered") {
      status = 0x00;
    } else if (value == "pending") {
      status = 0x20;
    } else if (value == "failed") {
      status = 0x41;
    } else {
      return failure("\"status\" must be a TP-ST integer or delivered/pending/failed");
    }
  }
  const auto mr = static_cast<std::uint8_t>(request["mr"].get<int>() & 0xFF);
  for (int index : *modems) {
    auto sent =
        target.modem(index).inject_status_report(mr, request["to"].get<std::string>(), status);
    if (!sent) return failure(sent.error().message);
  }
  return json{{"ok", true}};
}

json fault(ControlTarget& target, const json& request) {
  auto modems = modems_of(target, request, false);
  if (!modems) return failure(modems.error().message);
  // Actions first taken out; the rest are FaultConfig settings.
  json settings = request;
  settings.erase("cmd");
  settings.erase("modem");
  std::optional<int> unplug_ms;
  bool unplug = false, replug = false, reset = false;
  int flood = 0;
  if (settings.contains("unplug_ms")) {
    if (!settings["unplug_ms"].is_number_integer() || settings["unplug_ms"].get<int>() < 0)
      return failure("\"unplug_ms\" must be a non-negative integer");
    unplug_ms = settings["unplug_ms"].get<int>();
    unplug = true;
    settings.erase("unplug_ms");
  }
  if (settings.contains("unplug")) {
    unplug = unplug || settings["unplug"] == true;
    settings.erase("unplug");
  }
  if (settings.contains("replug")) {
    replug = settings["replug"] == true;
    settings.erase("replug");
  }
  if (settings.contains("reset")) {
    reset = settings["reset"] == true;
    settings.erase("reset");
  }
  if (settings.contains("urc_flood")) {
    if (!settings["urc_flood"].is_number_integer())
      return failure("\"urc_flood\" must be an integer");
    flood = settings["urc_flood"].get<int>();
    settings.erase("urc_flood");
  }
  for (int index : *modems) {
    SimulatedModem& modem = target.modem(index);
    if (reset) modem.clear_faults();
    if (auto applied = modem.set_faults(settings); !applied)
      return failure(applied.error().message);
    if (flood > 0) modem.urc_flood(flood);
    if (unplug) {
      if (auto done = target.unplug(index, unplug_ms); !done) return failure(done.error().message);
    }
    if (replug) {
      if (auto done = target.replug(index); !done) return failure(done.error().message);
    }
  }
  json answer{{"ok", true}};
  if (modems->size() == 1)
    answer["faults"] = faults_to_json(target.modem((*modems)[0]).config().faults);
  return answer;
}

json set(ControlTarget& target, const json& request) {
  auto modems = modems_of(target, request, false);
  if (!modems) return failure(modems.error().message);
  for (int index : *modems) {
    if (auto applied = target.modem(index).set(request); !applied)
      return failure(applied.error().message);
  }
  return json{{"ok", true}};
}

json stats(ControlTarget& target, const json& request) {
  auto modems = modems_of(target, request, true);
  if (!modems) return failure(modems.error().message);
  json list = json::array();
  for (int index : *modems) list.push_back(target.modem(index).stats());
  return json{{"ok", true}, {"modems", list}};
}

json messages(ControlTarget& target, const json& request) {
  auto modems = modems_of(target, request, false);
  if (!modems) return failure(modems.error().message);
  const std::string memory = request.contains("memory") && request["memory"].is_string()
                                 ? request["memory"].get<std::string>()
                                 : "SM";
  const SimulatedModem& modem = target.modem((*modems)[0]);
  if (!modem.store().has_memory(memory))
    return failure("no memory \"" + memory + "\" (SM, ME, SR)");
  json list = json::array();
  for (const auto& [index, message] : modem.store().list(memory, std::nullopt)) {
    list.push_back(json{{"index", index},
                        {"status", static_cast<int>(message->status)},
                        {"length", message->tpdu_length},
                        {"pdu", message->pdu}});
  }
  return json{{"ok", true}, {"memory", memory}, {"messages", list}};
}

}  // namespace

json handle_control_line(ControlTarget& target, std::string_view line) {
  json request = json::parse(line, nullptr, false);
  if (request.is_discarded() || !request.is_object())
    return failure("each control line must be one JSON object");
  if (!request.contains("cmd") || !request["cmd"].is_string())
    return failure(
        "missing \"cmd\" (inject, status_report, fault, set, stats, info, messages, "
        "unplug, replug, reset)");
  const std::string cmd = request["cmd"].get<std::string>();
  try {
    if (cmd == "inject") return inject(target, request);
    if (cmd == "status_report") return status_report(target, request);
    if (cmd == "fault") return fault(target, request);
    if (cmd == "set") return set(target, request);
    if (cmd == "stats") return stats(target, request);
    if (cmd == "messages") return messages(target, request);
    if (cmd == "info") {
      json answer = target.describe();
      answer["ok"] = true;
      return answer;
    }
    if (cmd == "unplug" || cmd == "replug" || cmd == "reset") {
      auto modems = modems_of(target, request, false);
      if (!modems) return failure(modems.error().message);
      for (int index : *modems) {
        Result<void> done;
        if (cmd == "reset") {
          target.modem(index).clear_faults();
        } else if (cmd == "replug") {
          done = target.replug(index);
        } else {
          std::optional<int> after;
          if (request.contains("ms") && request["ms"].is_number_integer())
            after = request["ms"].get<int>();
          done = target.unplug(index, after);
        }
        if (!done) return failure(done.error().message);
      }
      return json{{"ok", true}};
    }
  } catch (const json::exception& e) {
    return failure(std::string("bad value: ") + e.what());
  }
  return failure("unknown cmd \"" + cmd + "\"");
}

}  // namespace smsgw::sim
