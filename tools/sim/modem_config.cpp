#include "modem_config.hpp"

#include <functional>
#include <string_view>

#include "identity.hpp"

namespace smsgw::sim {

using nlohmann::json;

std::optional<ReportOutcome> report_outcome_from_name(std::string_view name) {
  if (name == "delivered") return ReportOutcome::delivered;
  if (name == "failed") return ReportOutcome::failed;
  if (name == "pending-then-delivered" || name == "pending_then_delivered")
    return ReportOutcome::pending_then_delivered;
  if (name == "none") return ReportOutcome::none;
  return std::nullopt;
}

std::string_view to_string(ReportOutcome outcome) {
  switch (outcome) {
    case ReportOutcome::delivered:
      return "delivered";
    case ReportOutcome::failed:
      return "failed";
    case ReportOutcome::pending_then_delivered:
      return "pending-then-delivered";
    case ReportOutcome::none:
      return "none";
  }
  return "delivered";
}

Result<CnmiSupport> parse_cnmi_support(std::string_view text) {
  CnmiSupport support;
  std::size_t at = 0;
  const auto fail = [&](std::string_view why) {
    return make_error("sim.cnmi_supported", "\"" + std::string(text) + "\": " + std::string(why) +
                                                " at character " + std::to_string(at + 1));
  };
  const auto number = [&]() -> std::optional<int> {
    int value = 0;
    const std::size_t start = at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9' && at - start < 3) {
      value = value * 10 + (text[at++] - '0');
    }
    if (at == start) return std::nullopt;
    return value;
  };
  while (at < text.size()) {
    if (!support.empty()) {
      if (text[at] != ',') return fail("expected ','");
      ++at;
    }
    if (at >= text.size() || text[at] != '(') return fail("expected '('");
    ++at;
    std::vector<int> values;
    while (true) {
      auto low = number();
      if (!low) return fail("expected a number");
      int high = *low;
      if (at < text.size() && text[at] == '-') {
        ++at;
        auto upper = number();
        if (!upper || *upper < *low) return fail("expected a range end not below its start");
        high = *upper;
      }
      for (int value = *low; value <= high; ++value) values.push_back(value);
      if (at < text.size() && text[at] == ',') {
        ++at;
        continue;
      }
      if (at < text.size() && text[at] == ')') {
        ++at;
        break;
      }
      return fail("expected ',' or ')'");
    }
    support.push_back(std::move(values));
  }
  if (support.size() != 5) return fail("expected five lists (mode, mt, bm, ds, bfr)");
  return support;
}

std::string format_cnmi_support(const CnmiSupport& support) {
  std::string text;
  for (const auto& values : support) {
    if (!text.empty()) text += ",";
    text += "(";
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i > 0) text += ",";
      text += std::to_string(values[i]);
    }
    text += ")";
  }
  return text;
}

ModemConfig default_modem_config(int index, std::string_view personality) {
  ModemConfig config;
  config.index = index;
  config.personality = std::string(personality);
  const Personality* row = find_personality(personality);
  const HomeNetwork& network = default_network(index);
  config.imei = default_imei(row ? row->imei_tac : "35000011", index);
  config.imsi = default_imsi(network.mccmnc, index);
  config.mnc_digits = network.mnc_digits;
  config.iccid = default_iccid(network.mccmnc, index);
  config.operator_name = std::string(network.operator_name);
  config.smsc = std::string(network.smsc);
  config.currency = std::string(network.currency);
  config.balance = 12.34 + index;
  config.seed = 0x5157ULL * static_cast<std::uint64_t>(index + 1);
  return config;
}

namespace {

Error bad(std::string_view key, std::string_view why) {
  return make_error("sim.config", std::string(key) + ": " + std::string(why));
}

Result<int> int_in(const json& value, std::string_view key, int low, int high) {
  if (!value.is_number_integer()) return bad(key, "must be an integer");
  const auto number = value.get<long long>();
  if (number < low || number > high)
    return bad(key, "must be between " + std::to_string(low) + " and " + std::to_string(high));
  return static_cast<int>(number);
}

Result<double> probability(const json& value, std::string_view key) {
  if (!value.is_number()) return bad(key, "must be a number");
  const double p = value.get<double>();
  if (p < 0 || p > 1) return bad(key, "must be between 0 and 1");
  return p;
}

Result<std::string> text(const json& value, std::string_view key) {
  if (!value.is_string()) return bad(key, "must be a string");
  return value.get<std::string>();
}

Result<bool> flag(const json& value, std::string_view key) {
  if (!value.is_boolean()) return bad(key, "must be true or false");
  return value.get<bool>();
}

bool all_digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}

bool all_hex(std::string_view s) {
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return !s.empty();
}

template <class T>
using Setter = std::function<Result<void>(T&, const json&, std::string_view)>;

// Setters for int, bool, string, probability fields.
template <class T>
Setter<T> int_field(int T::*member, int low, int high) {
  return [=](T& target, const json& value, std::string_view key) -> Result<void> {
    auto number = int_in(value, key, low, high);
    if (!number) return number.error();
    target.*member = *number;
    return {};
  };
}
template <class T>
Setter<T> bool_field(bool T::*member) {
  return [=](T& target, const json& value, std::string_view key) -> Result<void> {
    auto b = flag(value, key);
    if (!b) return b.error();
    target.*member = *b;
    return {};
  };
}
template <class T>
Setter<T> string_field(std::string T::*member) {
  return [=](T& target, const json& value, std::string_view key) -> Result<void> {
    auto s = text(value, key);
    if (!s) return s.error();
    target.*member = *s;
    return {};
  };
}
template <class T>
Setter<T> probability_field(double T::*member) {
  return [=](T& target, const json& value, std::string_view key) -> Result<void> {
    auto p = probability(value, key);
    if (!p) return p.error();
    target.*member = *p;
    return {};
  };
}

const std::map<std::string, Setter<FaultConfig>, std::less<>>& fault_setters() {
  static const std::map<std::string, Setter<FaultConfig>, std::less<>> setters{
      {"cms_error_codes",
       [](FaultConfig& f, const json& value, std::string_view key) -> Result<void> {
         std::vector<int> codes;
         const json list = value.is_array() ? value : json::array({value});
         for (const auto& item : list) {
           auto code = int_in(item, key, 0, 999);
           if (!code) return code.error();
           codes.push_back(*code);
         }
         if (codes.empty()) return bad(key, "must name at least one code");
         f.cms_error_codes = std::move(codes);
         return {};
       }},
      {"cms_error_probability", probability_field(&FaultConfig::cms_error_probability)},
      {"cms_error_next", int_field(&FaultConfig::cms_error_next, 0, 1000000)},
      {"lost_answer_probability", probability_field(&FaultConfig::lost_answer_probability)},
      {"lost_answer_next", int_field(&FaultConfig::lost_answer_next, 0, 1000000)},
      {"swallow_probability", probability_field(&FaultConfig::swallow_probability)},
      {"hang",
       [](FaultConfig& f, const json& value, std::string_view key) -> Result<void> {
         auto name = text(value, key);
         if (!name) return name.error();
         if (*name == "none")
           f.hang = FaultConfig::Hang::none;
         else if (*name == "total")
           f.hang = FaultConfig::Hang::total;
         else if (*name == "cmgs")
           f.hang = FaultConfig::Hang::cmgs;
         else
           return bad(key, "must be \"none\", \"total\" or \"cmgs\"");
         return {};
       }},
      {"garbage_probability", probability_field(&FaultConfig::garbage_probability)},
      {"urc_in_reply_probability", probability_field(&FaultConfig::urc_in_reply_probability)},
      {"duplicate_cmti_probability", probability_field(&FaultConfig::duplicate_cmti_probability)},
      {"duplicate_direct_probability",
       probability_field(&FaultConfig::duplicate_direct_probability)},
  };
  return setters;
}

const std::map<std::string, Setter<ModemConfig>, std::less<>>& modem_setters() {
  using M = ModemConfig;
  static const std::map<std::string, Setter<M>, std::less<>> setters{
      {"personality",
       [](M& c, const json& value, std::string_view key) -> Result<void> {
         auto name = text(value, key);
         if (!name) return name.error();
         if (!find_personality(*name))
           return bad(key, "unknown personality \"" + *name +
                               "\" (generic, huawei, zte, simcom, quectel)");
         c.personality = *name;
         return {};
       }},
      {"imei",
       [](M& c, const json& value, std::string_view key) -> Result<void> {
         auto s = text(value, key);
         if (!s) return s.error();
         if (!all_digits(*s) || s->size() != 15) return bad(key, "must be 15 digits");
         c.imei = *s;
         return {};
       }},
      {"imsi",
       [](M& c, const json& value, std::string_view key) -> Result<void> {
         auto s = text(value, key);
         if (!s) return s.error();
         if (!all_digits(*s) || s->size() < 6 || s->size() > 15)
           return bad(key, "must be 6 to 15 digits");
         c.imsi = *s;
         return {};
       }},
      {"mnc_digits", int_field(&M::mnc_digits, 2, 3)},
      {"iccid",
       [](M& c, const json& value, std::string_view key) -> Result<void> {
         auto s = text(value, key);
         if (!s) return s.error();
         // Some operators (CMCC) use A-F in the ICCID (MM mm_3gpp_parse_iccid).
         if (!all_hex(*s) || s->size() < 18 || s->size() > 20)
           return bad(key, "must be 18 to 20 hex digits");
         c.iccid = *s;
         return {};
       }},
      {"iccid_form",
       [](M& c, const json& value, std::string_view key) -> Result<void> {
         auto s = text(value, key);
         if (!s) return s.error();
         auto form = iccid_form_from_name(*s);
         if (!form) return bad(key, "must be crsm, huawei, quectel, simcom, ccid or bare");
         c.iccid_form = *form;
         return {};
       }},
      {"pin",
       [](M& c, const json& value, std::string_view key) -> Result<void> {
         if (value.is_null()) {
           c.pin.clear();
           return {};
         }
         auto s = text(value, key);
         if (!s) return s.error();
         if (!s->empty() && (!all_digits(*s) || s->size() < 4 || s->size() > 8))
           return bad(key, "must be 4 to 8 digits, or empty/null for none");
         c.pin = *s;
         return {};
       }},
      {"puk", string_field(&M::puk)},
      {"csq",
       [](M& c, const json& value, std::string_view key) -> Result<void> {
         auto n = int_in(value, key, 0, 99);
         if (!n) return n.error();
         if (*n > 31 && *n != 99) return bad(key, "must be 0-31 or 99 (TS 27.007 8.5)");
         c.csq = *n;
         return {};
       }},
      {"registration", int_field(&M::registration, 0, 5)},
      {"operator", string_field(&M::operator_name)},
      {"smsc", string_field(&M::smsc)},
      {"lac", string_field(&M::lac)},
      {"cell_id", string_field(&M::cell_id)},
      {"balance",
       [](M& c, const json& value, std::string_view key) -> Result<void> {
         if (!value.is_number()) return bad(key, "must be a number");
         c.balance = value.get<double>();
         return {};
       }},
      {"sms_cost",
       [](M& c, const json& value, std::string_view key) -> Result<void> {
         if (!value.is_number()) return bad(key, "must be a number");
         c.sms_cost = value.get<double>();
         return {};
       }},
      {"currency", string_field(&M::currency)},
      {"balance_code", string_field(&M::balance_code)},
      {"balance_reply", string_field(&M::balance_reply)},
      {"ussd",
       [](M& c, const json& value, std::string_view key) -> Result<void> {
         if (!value.is_object()) return bad(key, "must be an object of code -> reply text");
         std::map<std::string, std::string> replies;
         for (const auto& [code, reply] : value.items()) {
           if (!reply.is_string()) return bad(std::string(key) + "." + code, "must be a string");
           replies[code] = reply.get<std::string>();
         }
         c.ussd = std::move(replies);
         return {};
       }},
      {"ussd_latency_ms", int_field(&M::ussd_latency_ms, 0, 600000)},
      {"ussd_jitter_ms", int_field(&M::ussd_jitter_ms, 0, 600000)},
      {"ussd_reply_before_ok", bool_field(&M::ussd_reply_before_ok)},
      {"ussd_mode_required", bool_field(&M::ussd_mode_required)},
      {"send_latency_ms", int_field(&M::send_latency_ms, 0, 600000)},
      {"send_jitter_ms", int_field(&M::send_jitter_ms, 0, 600000)},
      {"status_report_latency_ms", int_field(&M::status_report_latency_ms, 0, 86400000)},
      {"boot_ms", int_field(&M::boot_ms, 0, 600000)},
      {"reboot_ms", int_field(&M::reboot_ms, 0, 600000)},
      {"cfun_reset_replugs", bool_field(&M::cfun_reset_replugs)},
      {"cnma_timeout_ms", int_field(&M::cnma_timeout_ms, 0, 600000)},
      {"status_report_outcome",
       [](M& c, const json& value, std::string_view key) -> Result<void> {
         auto s = text(value, key);
         if (!s) return s.error();
         auto outcome = report_outcome_from_name(*s);
         if (!outcome) return bad(key, "must be delivered, failed, pending-then-delivered or none");
         c.status_report_outcome = *outcome;
         return {};
       }},
      {"failed_status", int_field(&M::failed_status, 0x40, 0x7F)},
      {"pending_status", int_field(&M::pending_status, 0x20, 0x3F)},
      {"echo", bool_field(&M::echo)},
      {"noise_interval_ms", int_field(&M::noise_interval_ms, -1, 86400000)},
      {"sm_capacity", int_field(&M::sm_capacity, 1, 255)},
      {"sr_capacity", int_field(&M::sr_capacity, 1, 255)},
      {"index_base", int_field(&M::index_base, -1, 1)},
      {"cnmi", string_field(&M::cnmi)},
      {"cnmi_supported",
       [](M& c, const json& value, std::string_view key) -> Result<void> {
         if (value.is_null()) {
           c.cnmi_supported.reset();
           return {};
         }
         auto s = text(value, key);
         if (!s) return s.error();
         auto support = parse_cnmi_support(*s);
         if (!support) return bad(key, support.error().message);
         c.cnmi_supported = std::move(*support);
         return {};
       }},
      {"stored",
       [](M& c, const json& value, std::string_view key) -> Result<void> {
         if (!value.is_array()) return bad(key, "must be a list of {from, text, read}");
         std::vector<PresetMessage> messages;
         for (const auto& item : value) {
           if (!item.is_object() || !item.contains("from") || !item.contains("text") ||
               !item["from"].is_string() || !item["text"].is_string())
             return bad(key, "each entry needs string \"from\" and \"text\"");
           PresetMessage message{item["from"].get<std::string>(), item["text"].get<std::string>(),
                                 false};
           if (item.contains("read")) {
             auto b = flag(item["read"], "stored[].read");
             if (!b) return b.error();
             message.read = *b;
           }
           messages.push_back(std::move(message));
         }
         c.stored = std::move(messages);
         return {};
       }},
      {"seed",
       [](M& c, const json& value, std::string_view key) -> Result<void> {
         if (!value.is_number_unsigned() && !value.is_number_integer())
           return bad(key, "must be an integer");
         c.seed = value.get<std::uint64_t>();
         return {};
       }},
      {"faults",
       [](M& c, const json& value, std::string_view key) -> Result<void> {
         if (!value.is_object()) return bad(key, "must be an object");
         return apply_faults(c.faults, value);
       }},
  };
  return setters;
}

template <class T>
Result<void> apply_with(T& target, const json& settings,
                        const std::map<std::string, Setter<T>, std::less<>>& setters,
                        std::initializer_list<std::string_view> ignored) {
  if (!settings.is_object()) return make_error("sim.config", "settings must be a JSON object");
  T updated = target;  // all or nothing
  for (const auto& [key, value] : settings.items()) {
    bool skip = false;
    for (auto name : ignored) skip = skip || name == key;
    if (skip) continue;
    auto setter = setters.find(key);
    if (setter == setters.end()) return bad(key, "unknown setting");
    if (auto applied = setter->second(updated, value, key); !applied) return applied.error();
  }
  target = std::move(updated);
  return {};
}

}  // namespace

Result<void> apply_faults(FaultConfig& faults, const json& settings) {
  return apply_with(faults, settings, fault_setters(), {"cmd", "modem"});
}

Result<void> apply_settings(ModemConfig& config, const json& settings) {
  return apply_with(config, settings, modem_setters(), {"cmd", "modem"});
}

Result<std::vector<ModemConfig>> build_modem_configs(int count, std::string_view personality,
                                                     const json& file) {
  if (!file.is_null() && !file.is_object())
    return make_error("sim.config", "the config file must hold a JSON object");
  const json defaults = file.is_object() && file.contains("defaults") ? file["defaults"] : json();
  const json modems = file.is_object() && file.contains("modems") ? file["modems"] : json();
  if (!defaults.is_null() && !defaults.is_object())
    return make_error("sim.config", "defaults: must be an object");
  if (!modems.is_null() && !modems.is_array())
    return make_error("sim.config", "modems: must be a list");
  if (personality != "mixed" && !find_personality(personality))
    return make_error("sim.config",
                      "--personality: unknown personality \"" + std::string(personality) + "\"");
  std::vector<ModemConfig> configs;
  const auto all = personalities();
  for (int i = 0; i < count; ++i) {
    const json own = modems.is_array() && static_cast<std::size_t>(i) < modems.size()
                         ? modems[static_cast<std::size_t>(i)]
                         : json();
    std::string name = personality == "mixed"
                           ? std::string(all[static_cast<std::size_t>(i) % all.size()].name)
                           : std::string(personality);
    for (const json* layer : {&defaults, &own}) {
      if (layer->is_object() && layer->contains("personality") &&
          (*layer)["personality"].is_string())
        name = (*layer)["personality"].get<std::string>();
    }
    if (!find_personality(name))
      return make_error("sim.config",
                        "modem " + std::to_string(i) + ": unknown personality \"" + name + "\"");
    ModemConfig config = default_modem_config(i, name);
    for (const json* layer : {&defaults, &own}) {
      if (layer->is_null()) continue;
      if (auto applied = apply_settings(config, *layer); !applied)
        return make_error("sim.config",
                          "modem " + std::to_string(i) + ": " + applied.error().message);
    }
    configs.push_back(std::move(config));
  }
  return configs;
}

json faults_to_json(const FaultConfig& f) {
  const char* hang = f.hang == FaultConfig::Hang::total  ? "total"
                     : f.hang == FaultConfig::Hang::cmgs ? "cmgs"
                                                         : "none";
  return json{{"cms_error_codes", f.cms_error_codes},
              {"cms_error_probability", f.cms_error_probability},
              {"cms_error_next", f.cms_error_next},
              {"lost_answer_probability", f.lost_answer_probability},
              {"lost_answer_next", f.lost_answer_next},
              {"swallow_probability", f.swallow_probability},
              {"hang", hang},
              {"garbage_probability", f.garbage_probability},
              {"urc_in_reply_probability", f.urc_in_reply_probability},
              {"duplicate_cmti_probability", f.duplicate_cmti_probability},
              {"duplicate_direct_probability", f.duplicate_direct_probability}};
}

}  // namespace smsgw::sim
