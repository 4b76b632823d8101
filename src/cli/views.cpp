#include "smsgw/cli/views.hpp"

#include <set>

#include "smsgw/cli/text_width.hpp"
#include "smsgw/http/rfc3339.hpp"

namespace smsgw::cli {

namespace {

using nlohmann::json;

constexpr std::string_view kNone = "-";

const json* field(const json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

const json& value_at(const json& object, std::string_view key) {
  static const json kNull;
  const json* value = field(object, key);
  return value != nullptr ? *value : kNull;
}

std::optional<std::string> string_of(const json& object, std::string_view key) {
  const json* value = field(object, key);
  if (value == nullptr) return std::nullopt;
  if (value->is_string()) return value->get<std::string>();
  if (value->is_number() || value->is_boolean()) return value->dump();
  return std::nullopt;
}

std::string text_of(const json& object, std::string_view key) {
  auto value = string_of(object, key);
  return value && !value->empty() ? single_line(*value) : std::string(kNone);
}

std::optional<std::int64_t> integer_of(const json& object, std::string_view key) {
  const json* value = field(object, key);
  if (value == nullptr || !value->is_number()) return std::nullopt;
  if (value->is_number_float()) return static_cast<std::int64_t>(value->get<double>());
  return value->get<std::int64_t>();
}

std::optional<int> int_of(const json& object, std::string_view key) {
  auto value = integer_of(object, key);
  if (!value) return std::nullopt;
  return static_cast<int>(*value);
}

std::optional<double> number_of(const json& object, std::string_view key) {
  const json* value = field(object, key);
  if (value == nullptr || !value->is_number()) return std::nullopt;
  return value->get<double>();
}

std::optional<TimePoint> time_of(const json& object, std::string_view key) {
  const json* value = field(object, key);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return http::parse_rfc3339(value->get_ref<const std::string&>());
}

const json& list_of(const json& value, std::string_view key) {
  static const json kEmptyList = json::array();
  if (value.is_array()) return value;
  const json* list = field(value, key);
  return list != nullptr && list->is_array() ? *list : kEmptyList;
}

Colour state_colour(std::string_view state) {
  if (state == "ready" || state == "sending") return Colour::green;
  if (state == "backoff" || state == "absent") return Colour::red;
  return Colour::yellow;
}

Colour registration_colour(std::string_view registration) {
  if (registration == "home") return Colour::none;
  if (registration == "roaming" || registration == "searching") return Colour::yellow;
  return Colour::red;
}

std::string operator_of(const json& modem) {
  const json* info = field(modem, "operator");
  if (info == nullptr) return std::string(kNone);
  if (info->is_string()) return single_line(info->get<std::string>());
  auto name = string_of(*info, "name");
  if (name && !name->empty()) return single_line(*name);
  auto mccmnc = string_of(*info, "mccmnc");
  return mccmnc ? *mccmnc : std::string(kNone);
}

std::string balance_of(const json& modem, TimePoint now) {
  const json* balance = field(modem, "balance");
  if (balance == nullptr) return std::string(kNone);
  return format_balance(number_of(*balance, "amount"), string_of(*balance, "currency").value_or(""),
                        time_of(*balance, "checked_at"), now);
}

std::string count_text(const json& object, std::string_view key) {
  auto value = integer_of(object, key);
  return value ? std::to_string(*value) : std::string(kNone);
}

std::string parts_text(const json& message) {
  const json* parts = field(message, "parts");
  if (parts == nullptr) return std::string(kNone);
  if (parts->is_number()) return parts->dump();
  if (parts->is_array()) return std::to_string(parts->size());
  return std::string(kNone);
}

}  // namespace

Colour status_colour(std::string_view status) {
  if (status == "delivered" || status == "sent") return Colour::green;
  if (status == "failed" || status == "expired" || status == "unknown") return Colour::red;
  if (status == "cancelled") return Colour::dim;
  return Colour::yellow;
}

std::string age_of(const json& rfc3339, TimePoint now) {
  if (!rfc3339.is_string()) return std::string(kNone);
  auto time = http::parse_rfc3339(rfc3339.get_ref<const std::string&>());
  if (!time) return std::string(kNone);
  return format_age(std::chrono::duration_cast<std::chrono::seconds>(now - *time));
}

std::string render_modems(const json& modems, TimePoint now, const TerminalStyle& style,
                          const DailyLimits& limits) {
  // Several nodes on one store: a NODE column after ID, when more than one node appears.
  std::set<std::string> nodes;
  for (const json& modem : list_of(modems, "modems")) {
    if (auto node = string_of(modem, "node")) nodes.insert(*node);
  }
  const bool with_node = nodes.size() > 1;
  std::vector<Column> columns{
      {"ID", 0},
      {"PORT", 5, Align::left, true, 8, true},
      {"STATE", 0},
      {"OPERATOR", 1, Align::left, true, 6},
      {"SIGNAL", 0},
      {"REG", 6},
      {"ICCID", 8, Align::left, true, 8},
      {"IMEI", 9},
      {"BALANCE", 2},
      {"SENT", 3, Align::right},
      {"QUEUE", 4, Align::right},
      {"LAST ERROR", 7, Align::left, true, 10},
  };
  if (with_node) columns.insert(columns.begin() + 1, Column{"NODE", 0});
  std::vector<Row> rows;
  for (const json& modem : list_of(modems, "modems")) {
    const std::string id = text_of(modem, "id");
    // A SIM the gateway holds back shows why instead of "ready".
    const auto paused = string_of(modem, "paused");
    std::string state =
        paused ? (*paused == "low_balance" ? "low balance" : *paused) : text_of(modem, "state");
    // A manual pause says who paused it and when: "paused by api 5m ago".
    if (paused && *paused == "manual") {
      state = "paused by " + string_of(modem, "paused_by").value_or("?");
      if (const json* at = field(modem, "paused_at")) state += " " + age_of(*at, now);
    }
    const std::string registration = text_of(modem, "registration");
    std::optional<int> dbm, csq;
    if (const json* signal = field(modem, "signal")) {
      dbm = int_of(*signal, "dbm");
      csq = int_of(*signal, "csq");
    }
    // The gateway's own figure; the config's for gateways that do not report it.
    std::optional<std::uint64_t> limit;
    if (auto daily = integer_of(modem, "daily_limit"); daily && *daily >= 0) {
      limit = static_cast<std::uint64_t>(*daily);
    } else if (auto it = limits.find(id); it != limits.end()) {
      limit = it->second;
    }
    const auto sent = integer_of(modem, "sent_today");
    const auto last_error = string_of(modem, "last_error");
    rows.push_back(Row{
        {id},
        {text_of(modem, "port")},
        {state, paused ? Colour::yellow : state_colour(state)},
        {operator_of(modem)},
        {format_signal(dbm, csq, style.unicode)},
        {registration, registration_colour(registration)},
        {text_of(modem, "iccid")},
        {text_of(modem, "imei")},
        {balance_of(modem, now)},
        {sent ? format_count_of(static_cast<std::uint64_t>(*sent), limit) : std::string(kNone)},
        {count_text(modem, "queue")},
        last_error ? Cell{single_line(*last_error), Colour::red} : Cell{std::string(kNone)},
    });
    if (with_node) rows.back().insert(rows.back().begin() + 1, Cell{text_of(modem, "node")});
  }
  if (rows.empty()) return "no modems\n";
  return render_table(columns, rows, style);
}

std::string render_balances(const json& balances, TimePoint now, const TerminalStyle& style) {
  const std::vector<Column> columns{
      {"MODEM", 0},   {"OPERATOR", 2, Align::left, true, 6}, {"ICCID", 3},
      {"BALANCE", 0}, {"REPLY", 1, Align::left, true, 12},
  };
  std::vector<Row> rows;
  for (const json& balance : list_of(balances, "balances")) {
    auto error = string_of(balance, "error");
    Row row{
        {text_of(balance, "modem")},
        {text_of(balance, "operator")},
        {text_of(balance, "iccid")},
        {},
        {},
    };
    if (error) {
      row[3] = Cell{"error", Colour::red};
      row[4] = Cell{single_line(*error), Colour::red};
    } else {
      auto amount = number_of(balance, "amount");
      row[3] = Cell{
          format_balance(amount, string_of(balance, "currency").value_or(""), std::nullopt, now),
          amount ? Colour::none : Colour::yellow};
      row[4] = Cell{text_of(balance, "raw")};
    }
    rows.push_back(std::move(row));
  }
  if (rows.empty()) return "no modems\n";
  return render_table(columns, rows, style);
}

std::string render_messages(const json& page, TimePoint now, const TerminalStyle& style) {
  const std::vector<Column> columns{
      {"ID", 0},
      {"TO", 0},
      {"STATUS", 0},
      {"PARTS", 4, Align::right},
      {"MODEM", 2},
      {"AGE", 1},
      {"TEXT", 3, Align::left, true, 8},
  };
  std::vector<Row> rows;
  for (const json& message : list_of(page, "messages")) {
    const std::string status = text_of(message, "status");
    rows.push_back(Row{
        {text_of(message, "id")},
        {text_of(message, "to")},
        {status, status_colour(status)},
        {parts_text(message)},
        {text_of(message, "modem")},
        {age_of(value_at(message, "created_at"), now)},
        {text_of(message, "text")},
    });
  }
  if (rows.empty()) return "no messages\n";
  std::string out = render_table(columns, rows, style);
  if (auto next = string_of(page, "next_before")) {
    out += "(more: --before " + *next + ")\n";
  }
  return out;
}

std::string render_message(const json& message, TimePoint now, const TerminalStyle& style) {
  std::string out;
  const auto line = [&](std::string_view label, const std::string& value, Colour colour) {
    out += label;
    out.append(10 - std::min<std::size_t>(10, label.size()), ' ');
    out += paint(value, colour, style.colour);
    out += '\n';
  };
  const auto time_line = [&](std::string_view label, std::string_view key) {
    auto text = string_of(message, key);
    if (!text) return;
    line(label, *text + " (" + age_of(value_at(message, key), now) + ")", Colour::none);
  };
  const std::string status = text_of(message, "status");
  line("id", text_of(message, "id"), Colour::none);
  line("to", text_of(message, "to"), Colour::none);
  line("status", status, status_colour(status));
  line("operator", text_of(message, "operator"), Colour::none);
  line("modem", text_of(message, "modem"), Colour::none);
  line("attempts", count_text(message, "attempts"), Colour::none);
  time_line("created", "created_at");
  time_line("sent", "sent_at");
  time_line("delivered", "delivered_at");
  if (auto error = string_of(message, "error")) line("error", single_line(*error), Colour::red);
  // Shown only when set (older gateways do not send them).
  for (const auto* key : {"client", "reference", "callback_url"}) {
    if (auto value = string_of(message, key)) {
      line(std::string_view(key) == "callback_url" ? "callback" : key, single_line(*value),
           Colour::none);
    }
  }
  line("text", string_of(message, "text").value_or(""), Colour::none);

  const json& parts = list_of(message, "parts");
  if (!parts.empty()) {
    out += "\nparts\n";
    const std::vector<Column> columns{
        {"#", 0, Align::right},
        {"STATUS", 0},
        {"MODEM", 1},
        {"MR", 2, Align::right},
        {"SENT", 3},
        {"DELIVERED", 3},
        {"ERROR", 1, Align::left, true, 10},
    };
    std::vector<Row> rows;
    for (const json& part : parts) {
      const std::string part_status = text_of(part, "status");
      rows.push_back(Row{
          {count_text(part, "index")},
          {part_status, status_colour(part_status)},
          {text_of(part, "modem")},
          {count_text(part, "mr")},
          {age_of(value_at(part, "sent_at"), now)},
          {age_of(value_at(part, "delivered_at"), now)},
          {text_of(part, "error"), Colour::red},
      });
    }
    out += render_table(columns, rows, style);
  }
  const json& events = list_of(message, "events");
  if (!events.empty()) {
    out += "\nevents\n";
    const std::vector<Column> columns{{"AT", 0}, {"KIND", 0}, {"DETAIL", 1, Align::left, true, 10}};
    std::vector<Row> rows;
    for (const json& event : events) {
      rows.push_back(Row{{text_of(event, "at")},
                         {text_of(event, "kind")},
                         {string_of(event, "detail").value_or("")}});
    }
    out += render_table(columns, rows, style);
  }
  return out;
}

std::string render_inbox(const json& page, TimePoint now, const TerminalStyle& style) {
  const std::vector<Column> columns{
      {"ID", 2},
      {"FROM", 0},
      {"MODEM", 3},
      {"RECEIVED", 1},
      {"PARTS", 4, Align::right},
      {"TEXT", 0, Align::left, true, 10},
  };
  std::vector<Row> rows;
  for (const json& message : list_of(page, "messages")) {
    const auto parts = integer_of(message, "parts").value_or(1);
    const auto received = integer_of(message, "parts_received").value_or(parts);
    const bool complete = received >= parts;
    rows.push_back(Row{
        {text_of(message, "id")},
        {text_of(message, "from")},
        {text_of(message, "modem")},
        {age_of(value_at(message, "received_at"), now)},
        {complete ? std::to_string(parts) : std::to_string(received) + "/" + std::to_string(parts),
         complete ? Colour::none : Colour::yellow},
        {single_line(string_of(message, "text").value_or(""))},
    });
  }
  if (rows.empty()) return "no received messages\n";
  std::string out = render_table(columns, rows, style);
  if (auto next = string_of(page, "next_before")) {
    out += "(more: --before " + *next + ")\n";
  }
  return out;
}

}  // namespace smsgw::cli
