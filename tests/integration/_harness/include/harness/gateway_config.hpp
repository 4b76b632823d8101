// The smsgw.toml a test runs the gateway with, as editable data: each [table] is an ordered
// map of key -> raw TOML value (write strings with toml_string()), [[operator]] and
// [[modem]] tables are lists, `extra_toml` is appended verbatim (e.g. [[webhook]] tables).
//
// Defaults (GatewayConfig::defaults):
//   [store]   path = "smsgw.db"
//   [http]    listen = "127.0.0.1:<port>"
//   [[modem]] port = "<sim dir>/modem*", send_timeout = "3s"
//   [[operator]] Telekom   mccmnc ["26201"] prefixes ["+49151"], balance *100# EUR
//   [[operator]] Vodafone  mccmnc ["26202"] prefixes ["+49152"], balance *100# EUR
//   [routing] default_country_code = "49"
//   [retry]   backoff_initial = "200ms", backoff_max = "1s", bench_cooldown = "2s"
//   [modems]  rescan_interval = "200ms"
//   [log]     level = "debug"
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace smsgw::harness {

// A TOML basic string with quotes and escapes: toml_string("a\"b") == "\"a\\\"b\"".
std::string toml_string(const std::string& text);
// ["a", "b"]
std::string toml_string_array(const std::vector<std::string>& items);

// key -> raw TOML value, written in key order.
using TomlTable = std::map<std::string, std::string>;

struct OperatorSpec {
  std::string name;
  std::vector<std::string> mccmnc;
  std::vector<std::string> prefixes;
  // More keys of this [[operator]] as raw TOML, e.g. {"limits", "{ per_minute = 2 }"}.
  TomlTable keys;
};

struct GatewayConfig {
  std::map<std::string, TomlTable> tables;  // "store", "http", "routing", ...
  std::vector<OperatorSpec> operators;
  std::vector<TomlTable> modems;  // [[modem]] tables
  std::string extra_toml;

  // The defaults above for a simulator whose ports match `port_glob`, listening on `port`.
  static GatewayConfig defaults(const std::string& port_glob, std::uint16_t http_port);

  // The operator named `name` (throws std::out_of_range when there is none).
  OperatorSpec& op(const std::string& name);

  [[nodiscard]] std::string render() const;
};

}  // namespace smsgw::harness
