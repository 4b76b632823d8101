#include "harness/gateway_config.hpp"

#include <cstdio>
#include <stdexcept>

namespace smsgw::harness {

std::string toml_string(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
          out += escaped;
        } else {
          out.push_back(c);
        }
    }
  }
  return out + "\"";
}

std::string toml_string_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += toml_string(items[i]);
  }
  return out + "]";
}

GatewayConfig GatewayConfig::defaults(const std::string& port_glob, std::uint16_t http_port) {
  GatewayConfig config;
  config.tables["store"]["path"] = toml_string("smsgw.db");
  config.tables["http"]["listen"] = toml_string("127.0.0.1:" + std::to_string(http_port));
  config.tables["routing"]["default_country_code"] = toml_string("49");
  config.tables["retry"]["backoff_initial"] = toml_string("200ms");
  config.tables["retry"]["backoff_max"] = toml_string("1s");
  config.tables["retry"]["bench_cooldown"] = toml_string("2s");
  config.tables["modems"]["rescan_interval"] = toml_string("200ms");
  config.tables["log"]["level"] = toml_string("debug");
  const std::string balance =
      "{ ussd = \"*100#\", pattern = \"([0-9]+[.,][0-9]+)\", currency = \"EUR\", interval = 0 }";
  config.operators.push_back({"Telekom", {"26201"}, {"+49151"}, {{"balance", balance}}});
  config.operators.push_back({"Vodafone", {"26202"}, {"+49152"}, {{"balance", balance}}});
  config.modems.push_back({{"port", toml_string(port_glob)}, {"send_timeout", toml_string("3s")}});
  return config;
}

OperatorSpec& GatewayConfig::op(const std::string& name) {
  for (auto& spec : operators) {
    if (spec.name == name) return spec;
  }
  throw std::out_of_range("no operator named " + name + " in the test's config");
}

std::string GatewayConfig::render() const {
  std::string out = "# Written by the integration test harness.\n";
  for (const auto& [table, keys] : tables) {
    out += "\n[" + table + "]\n";
    for (const auto& [key, value] : keys) out += key + " = " + value + "\n";
  }
  for (const auto& modem : modems) {
    out += "\n[[modem]]\n";
    for (const auto& [key, value] : modem) out += key + " = " + value + "\n";
  }
  for (const auto& spec : operators) {
    out += "\n[[operator]]\n";
    out += "name = " + toml_string(spec.name) + "\n";
    out += "mccmnc = " + toml_string_array(spec.mccmnc) + "\n";
    out += "prefixes = " + toml_string_array(spec.prefixes) + "\n";
    for (const auto& [key, value] : spec.keys) out += key + " = " + value + "\n";
  }
  if (!extra_toml.empty()) out += "\n" + extra_toml + "\n";
  return out;
}

}  // namespace smsgw::harness
