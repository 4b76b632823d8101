#include "smsgw/config/config.hpp"

#include <sys/stat.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <regex>
#include <set>
#include <sstream>

#include "smsgw/common/listen_address.hpp"
#include "smsgw/http/callback_hosts.hpp"
#include "smsgw/http/webhook.hpp"
#include "table_readers.hpp"
#include "toml_reader.hpp"

namespace smsgw::config {
namespace {

constexpr std::uint32_t kStandardBauds[] = {1200,   2400,    4800,    9600,    19200,
                                            38400,  57600,   115200,  230400,  460800,
                                            921600, 1000000, 2000000, 3000000, 4000000};
constexpr std::string_view kLogLevels[] = {"trace", "debug",    "info", "warn",
                                           "error", "critical", "off"};
constexpr std::string_view kLogFormats[] = {"text", "json"};
constexpr std::string_view kAfterSettle[] = {"keep", "resend"};

template <std::size_t N>
bool one_of(std::string_view value, const std::string_view (&names)[N]) {
  return std::find(std::begin(names), std::end(names), value) != std::end(names);
}

template <std::size_t N>
std::string list_names(const std::string_view (&names)[N]) {
  std::string out;
  for (std::size_t i = 0; i < N; ++i) {
    if (i != 0) out += i + 1 == N ? " or " : ", ";
    out += '"';
    out += names[i];
    out += '"';
  }
  return out;
}

// Why `name` is not a time zone of the tz database this machine has; nothing when it is.
std::optional<std::string> time_zone_problem(const std::string& name) {
  if (name.empty()) return std::nullopt;  // the system's zone
  const bool well_formed = !name.empty() && name.front() != '/' &&
                           name.find("..") == std::string::npos &&
                           std::all_of(name.begin(), name.end(), [](char c) {
                             return std::isalnum(static_cast<unsigned char>(c)) || c == '/' ||
                                    c == '_' || c == '-' || c == '+';
                           });
  if (!well_formed) return "must be a tz database name such as \"Europe/Berlin\"";
  const char* dir = std::getenv("TZDIR");
  const std::filesystem::path zoneinfo = dir != nullptr && *dir != 0 ? dir : "/usr/share/zoneinfo";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(zoneinfo / name, ec)) {
    return "is not a time zone in " + zoneinfo.string() + " (install tzdata, or check the name)";
  }
  return std::nullopt;
}

void read_http(TomlReader& reader, const toml::table& root, HttpConfig& http) {
  const auto* table = reader.table(root, "http", "");
  if (table != nullptr) {
    reader.allow_keys(*table, "http",
                      {"listen", "tokens", "body_limit", "request_timeout", "max_connections",
                       "ca_file", "callback_hosts", "callback_secret"});
    http.listen = reader.string(*table, "listen", "http.", http.listen);
    if (auto address = parse_listen_address(http.listen); address) {
      http.listen_host = address->host;
      http.listen_port = address->port;
      http.listen_is_loopback = address->loopback;
    } else {
      reader.fail("http.listen", table->get("listen"),
                  address.error().message + ", got \"" + http.listen + "\"");
    }
    http.tokens = reader.string_array(
        *table, "tokens", "http.", [](const std::string& v) -> std::optional<std::string> {
          if (v.empty()) return "must not be empty";
          if (std::any_of(v.begin(), v.end(),
                          [](char c) { return std::isspace(static_cast<unsigned char>(c)); })) {
            return "must not contain white space";
          }
          return std::nullopt;
        });
    http.body_limit = static_cast<std::size_t>(
        reader.integer(*table, "body_limit", "http.", 1, std::int64_t{1} << 30,
                       static_cast<std::int64_t>(http.body_limit)));
    http.request_timeout = reader.duration(*table, "request_timeout", "http.", http.request_timeout,
                                           /*allow_zero=*/false);
    http.max_connections =
        static_cast<std::size_t>(reader.integer(*table, "max_connections", "http.", 1, 1'000'000,
                                                static_cast<std::int64_t>(http.max_connections)));
  }
}

bool has_token(const ClientConfig& client) {
  return !client.token.empty() || !client.token_sha256.empty();
}

bool has_smpp_account(const ClientConfig& client) { return !client.system_id.empty(); }

// Off loopback the API needs credentials: an [http] token or a [[client]] token; the SMPP
// server a [[client]] with system_id and password.
void check_credentials(TomlReader& reader, const toml::table& root, const Config& config) {
  if (!config.smpp.listen.empty() && !config.smpp.listen_is_loopback &&
      std::none_of(config.clients.begin(), config.clients.end(), has_smpp_account)) {
    const auto* table = root.get_as<toml::table>("smpp");
    reader.fail("smpp.listen", table != nullptr ? table->get("listen") : nullptr,
                "\"" + config.smpp.listen +
                    "\" is not a loopback address: add a [[client]] with system_id and "
                    "password, so that binds must authenticate");
  }
  if (!config.http.tokens.empty() || config.http.listen_is_loopback ||
      std::any_of(config.clients.begin(), config.clients.end(), has_token)) {
    return;
  }
  const auto* table = root.get_as<toml::table>("http");
  reader.fail("http.tokens", table != nullptr ? table->get("tokens") : nullptr,
              "must name at least one token (or add a [[client]] with a token) when listen (\"" +
                  config.http.listen + "\") is not a loopback address");
}

// [http] ca_file, callback_hosts, callback_secret: https webhooks and per-message callbacks.
// Runs after resolve_paths(), so that ca_file is checked where it will be read.
void read_http_callbacks(TomlReader& reader, const toml::table& root, HttpConfig& http,
                         const std::filesystem::path& config_path) {
  const auto* table = reader.table(root, "http", "");
  if (table == nullptr) return;
  const auto ca_file = reader.string(*table, "ca_file", "http.", "");
  if (!ca_file.empty()) {
    http.ca_file = ca_file;
    if (http.ca_file.is_relative()) http.ca_file = config_path.parent_path() / http.ca_file;
    if (!std::ifstream(http.ca_file, std::ios::binary)) {
      reader.fail(
          "http.ca_file", table->get("ca_file"),
          "cannot be read (" + std::string(std::strerror(errno)) + "): " + http.ca_file.string());
    }
    // The webhook client loads it the same way: a file it cannot use fails here, not later.
    if (auto loaded = http::WebhookTls::create(http.ca_file); !loaded) {
      reader.fail("http.ca_file", table->get("ca_file"),
                  loaded.error().message + " (a PEM file of CA certificates is expected)");
    }
  }
  http.callback_hosts = reader.string_array(
      *table, "callback_hosts", "http.", [](const std::string& v) -> std::optional<std::string> {
        if (auto parsed = http::CallbackHosts::parse({v}); !parsed) {
          const auto& message = parsed.error().message;  // "\"<entry>\": <reason>"
          return message.substr(message.find(": ") + 2);
        }
        return std::nullopt;
      });
  http.callback_secret = reader.string(*table, "callback_secret", "http.", "");
}

ModemConfig read_modem(TomlReader& reader, const toml::table& table, const std::string& path) {
  ModemConfig modem;
  reader.allow_keys(
      table, path,
      {"port", "id", "id_prefix", "baud", "pin", "profile", "limits", "send_timeout", "enabled"});
  const auto prefix = path + ".";
  modem.port = reader.required_string(table, "port", prefix);
  if (table.contains("id")) {
    modem.id = reader.string(table, "id", prefix, "",
                             [](const std::string& v) -> std::optional<std::string> {
                               if (!is_identifier(v)) {
                                 return "must be letters, digits, '-', '_' or '.'";
                               }
                               return std::nullopt;
                             });
  }
  modem.id_prefix = reader.string(table, "id_prefix", prefix, "",
                                  [](const std::string& v) -> std::optional<std::string> {
                                    if (!v.empty() && !is_identifier(v)) {
                                      return "must be letters, digits, '-', '_' or '.'";
                                    }
                                    return std::nullopt;
                                  });
  const auto baud = reader.integer(table, "baud", prefix, 1, 4'000'000, modem.baud);
  if (std::find(std::begin(kStandardBauds), std::end(kStandardBauds), baud) ==
      std::end(kStandardBauds)) {
    reader.fail(prefix + "baud", table.get("baud"),
                "must be a standard rate such as 9600 or 115200, got " + std::to_string(baud));
  }
  modem.baud = static_cast<std::uint32_t>(baud);
  if (table.contains("pin")) {
    modem.pin = reader.string(table, "pin", prefix, "", pin_problem);
  }
  modem.profile = reader.string(table, "profile", prefix, modem.profile,
                                [](const std::string& v) -> std::optional<std::string> {
                                  if (!is_identifier(v)) return "must be a profile name";
                                  return std::nullopt;
                                });
  modem.limits = read_limits(reader, table, prefix);
  modem.send_timeout = reader.duration(table, "send_timeout", prefix, modem.send_timeout, false);
  modem.enabled = reader.boolean(table, "enabled", prefix, modem.enabled);
  return modem;
}

BalanceConfig read_balance(TomlReader& reader, const toml::table& table, const std::string& path) {
  BalanceConfig balance;
  reader.allow_keys(table, path, {"ussd", "pattern", "currency", "interval", "low_balance"});
  const auto prefix = path + ".";
  balance.ussd = reader.required_string(table, "ussd", prefix);
  if (balance.ussd.find_first_not_of("0123456789*#+") != std::string::npos) {
    reader.fail(prefix + "ussd", table.get("ussd"),
                "must be a USSD code of digits, '*', '#' and '+', got \"" + balance.ussd + "\"");
  }
  balance.pattern = reader.required_string(table, "pattern", prefix);
  try {
    const std::regex compiled(balance.pattern, std::regex::ECMAScript);
    if (compiled.mark_count() < 1) {
      reader.fail(prefix + "pattern", table.get("pattern"),
                  "needs a capture group for the amount, e.g. \"([0-9]+[.,][0-9]+)\"");
    }
  } catch (const std::regex_error& e) {
    reader.fail(prefix + "pattern", table.get("pattern"),
                std::string("is not a valid regular expression (") + e.what() + ")");
  }
  balance.currency = reader.string(table, "currency", prefix, balance.currency);
  balance.interval = reader.duration(table, "interval", prefix, balance.interval, true);
  if (table.contains("low_balance")) {
    balance.low_balance = reader.number(table, "low_balance", prefix);
  }
  return balance;
}

OperatorConfig read_operator(TomlReader& reader, const toml::table& table,
                             const std::string& path) {
  OperatorConfig op;
  reader.allow_keys(table, path, {"name", "mccmnc", "prefixes", "balance", "limits"});
  const auto prefix = path + ".";
  op.name = reader.required_string(table, "name", prefix);
  op.mccmnc = reader.string_array(table, "mccmnc", prefix,
                                  [](const std::string& v) -> std::optional<std::string> {
                                    if (!all_digits(v) || v.size() < 5 || v.size() > 6)
                                      return "must be 5 or 6 digits";
                                    return std::nullopt;
                                  });
  op.prefixes = reader.string_array(
      table, "prefixes", prefix, [](const std::string& v) -> std::optional<std::string> {
        const std::string_view digits =
            !v.empty() && v.front() == '+' ? std::string_view(v).substr(1) : std::string_view(v);
        if (!all_digits(digits) || digits.size() > 15) {
          return "must be digits with an optional leading '+'";
        }
        return std::nullopt;
      });
  if (const auto* balance = reader.table(table, "balance", prefix)) {
    op.balance = read_balance(reader, *balance, prefix + "balance");
  }
  op.limits = read_limits(reader, table, prefix);
  return op;
}

void check_operators(TomlReader& reader, const toml::array* array,
                     const std::vector<OperatorConfig>& operators) {
  auto node_of = [&](std::size_t i, std::string_view key) -> const toml::node* {
    if (array == nullptr) return nullptr;
    const auto* table = (*array)[i].as_table();
    return table != nullptr ? table->get(key) : nullptr;
  };
  for (std::size_t i = 0; i < operators.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      const auto path = "operator[" + std::to_string(i) + "].";
      const auto other = "operator[" + std::to_string(j) + "]";
      if (operators[i].name == operators[j].name) {
        reader.fail(path + "name", node_of(i, "name"),
                    "\"" + operators[i].name + "\" is already the name of " + other);
      }
      for (const auto& mine : operators[i].mccmnc) {
        for (const auto& theirs : operators[j].mccmnc) {
          if (mine.starts_with(theirs) || theirs.starts_with(mine)) {
            reader.fail(path + "mccmnc", node_of(i, "mccmnc"),
                        "\"" + mine + "\" overlaps \"" + theirs + "\" of " + other + " (\"" +
                            operators[j].name + "\")");
          }
        }
      }
      for (const auto& mine : operators[i].prefixes) {
        for (const auto& theirs : operators[j].prefixes) {
          if (mine == theirs) {
            reader.fail(path + "prefixes", node_of(i, "prefixes"),
                        "\"" + mine + "\" is already a prefix of " + other + " (\"" +
                            operators[j].name + "\")");
          }
        }
      }
    }
  }
}

void check_modems(TomlReader& reader, const toml::array* array,
                  const std::vector<ModemConfig>& modems) {
  auto node_of = [&](std::size_t i, std::string_view key) -> const toml::node* {
    if (array == nullptr) return nullptr;
    const auto* table = (*array)[i].as_table();
    return table != nullptr ? table->get(key) : nullptr;
  };
  for (std::size_t i = 0; i < modems.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      const auto path = "modem[" + std::to_string(i) + "].";
      if (modems[i].port == modems[j].port) {
        reader.fail(
            path + "port", node_of(i, "port"),
            "\"" + modems[i].port + "\" is already the port of modem[" + std::to_string(j) + "]");
      }
      if (modems[i].id && modems[i].id == modems[j].id) {
        reader.fail(
            path + "id", node_of(i, "id"),
            "\"" + *modems[i].id + "\" is already the id of modem[" + std::to_string(j) + "]");
      }
    }
  }
}

void read_routing(TomlReader& reader, const toml::table& root, RoutingConfig& routing) {
  const auto* table = reader.table(root, "routing", "");
  if (table == nullptr) return;
  reader.allow_keys(*table, "routing",
                    {"fallback", "fallback_wait", "default_country_code", "timezone"});
  const auto fallback = reader.string(*table, "fallback", "routing.", "any",
                                      [](const std::string& v) -> std::optional<std::string> {
                                        if (v != "any" && v != "none")
                                          return "must be \"any\" or \"none\"";
                                        return std::nullopt;
                                      });
  routing.fallback = fallback == "none" ? Fallback::none : Fallback::any;
  routing.fallback_wait =
      reader.duration(*table, "fallback_wait", "routing.", routing.fallback_wait, true);
  routing.default_country_code =
      reader.string(*table, "default_country_code", "routing.", routing.default_country_code,
                    [](const std::string& v) -> std::optional<std::string> {
                      if (v.empty()) return std::nullopt;
                      if (!all_digits(v) || v.size() > 3 || v.front() == '0') {
                        return "must be 1 to 3 digits without a leading 0 or '+'";
                      }
                      return std::nullopt;
                    });
  routing.timezone = reader.string(
      *table, "timezone", "routing.", routing.timezone,
      [](const std::string& v) -> std::optional<std::string> { return time_zone_problem(v); });
}

void read_retry(TomlReader& reader, const toml::table& root, RetryConfig& retry) {
  const auto* table = reader.table(root, "retry", "");
  if (table == nullptr) return;
  reader.allow_keys(
      *table, "retry",
      {"max_attempts", "backoff_initial", "backoff_max", "bench_after_failures", "bench_cooldown"});
  retry.max_attempts = static_cast<std::uint32_t>(
      reader.integer(*table, "max_attempts", "retry.", 1, 1000, retry.max_attempts));
  retry.backoff_initial =
      reader.duration(*table, "backoff_initial", "retry.", retry.backoff_initial, false);
  retry.backoff_max = reader.duration(*table, "backoff_max", "retry.", retry.backoff_max, false);
  if (retry.backoff_max < retry.backoff_initial) {
    reader.fail("retry.backoff_max", table->get("backoff_max"),
                "must not be shorter than retry.backoff_initial");
  }
  retry.bench_after_failures = static_cast<std::uint32_t>(reader.integer(
      *table, "bench_after_failures", "retry.", 1, 1000, retry.bench_after_failures));
  retry.bench_cooldown =
      reader.duration(*table, "bench_cooldown", "retry.", retry.bench_cooldown, true);
}

void read_sms(TomlReader& reader, const toml::table& root, SmsConfig& sms) {
  const auto* table = reader.table(root, "sms", "");
  if (table == nullptr) return;
  reader.allow_keys(*table, "sms",
                    {"max_parts", "shift_tables", "status_report", "report_window",
                     "settle_unknown", "after_settle"});
  sms.max_parts = static_cast<std::uint32_t>(
      reader.integer(*table, "max_parts", "sms.", 1, 255, sms.max_parts));
  sms.shift_tables = reader.string_array(
      *table, "shift_tables", "sms.", [](const std::string& v) -> std::optional<std::string> {
        if (!one_of(v, kShiftTableNames)) return "must be one of " + list_names(kShiftTableNames);
        return std::nullopt;
      });
  sms.status_report = reader.boolean(*table, "status_report", "sms.", sms.status_report);
  sms.report_window = reader.duration(*table, "report_window", "sms.", sms.report_window, false);
  sms.settle_unknown = reader.duration(*table, "settle_unknown", "sms.", sms.settle_unknown, false);
  sms.after_settle = reader.string(*table, "after_settle", "sms.", sms.after_settle,
                                   [](const std::string& v) -> std::optional<std::string> {
                                     if (!one_of(v, kAfterSettle)) {
                                       return "must be " + list_names(kAfterSettle);
                                     }
                                     return std::nullopt;
                                   });
}

void read_log(TomlReader& reader, const toml::table& root, LogConfig& log) {
  const auto* table = reader.table(root, "log", "");
  if (table == nullptr) return;
  reader.allow_keys(*table, "log", {"level", "format"});
  log.level = reader.string(*table, "level", "log.", log.level,
                            [](const std::string& v) -> std::optional<std::string> {
                              if (!one_of(v, kLogLevels))
                                return "must be " + list_names(kLogLevels);
                              return std::nullopt;
                            });
  log.format = reader.string(*table, "format", "log.", log.format,
                             [](const std::string& v) -> std::optional<std::string> {
                               if (!one_of(v, kLogFormats)) {
                                 return "must be " + list_names(kLogFormats);
                               }
                               return std::nullopt;
                             });
}

WebhookConfig read_webhook(TomlReader& reader, const toml::table& table, const std::string& path) {
  WebhookConfig hook;
  reader.allow_keys(table, path, {"url", "events", "secret"});
  const auto prefix = path + ".";
  hook.url = reader.required_string(table, "url", prefix);
  const bool http = hook.url.starts_with("http://");
  const bool https = hook.url.starts_with("https://");
  const auto rest = hook.url.substr(http ? 7 : https ? 8 : 0);
  if ((!http && !https) || rest.empty() || rest.front() == '/') {
    reader.fail(prefix + "url", table.get("url"),
                "must be an http:// or https:// URL with a host, got \"" + hook.url + "\"");
  }
  hook.events = reader.string_array(table, "events", prefix,
                                    [](const std::string& v) -> std::optional<std::string> {
                                      if (!one_of(v, kWebhookEvents))
                                        return "must be one of " + list_names(kWebhookEvents);
                                      return std::nullopt;
                                    });
  hook.secret = reader.string(table, "secret", prefix, hook.secret);
  return hook;
}

void read_ussd(TomlReader& reader, const toml::table& root, UssdConfig& ussd) {
  const auto* table = reader.table(root, "ussd", "");
  if (table == nullptr) return;
  reader.allow_keys(*table, "ussd", {"timeout"});
  ussd.timeout = reader.duration(*table, "timeout", "ussd.", ussd.timeout, false);
}

void read_modem_polling(TomlReader& reader, const toml::table& root, ModemsConfig& modems) {
  const auto* table = reader.table(root, "modems", "");
  if (table == nullptr) return;
  reader.allow_keys(*table, "modems", {"poll_interval", "rescan_interval", "down_after"});
  modems.poll_interval =
      reader.duration(*table, "poll_interval", "modems.", modems.poll_interval, false);
  modems.rescan_interval =
      reader.duration(*table, "rescan_interval", "modems.", modems.rescan_interval, false);

  // How long a modem may be not ready before `modem.down` (a positive duration).
  modems.down_after = reader.duration(*table, "down_after", "modems.", modems.down_after, false);
}

void resolve_paths(Config& config, const std::filesystem::path& config_path) {
  if (config.store.path.is_relative()) {
    config.store.path = config_path.parent_path() / config.store.path;
  }
  if (!config.store.password_file.empty() && config.store.password_file.is_relative()) {
    config.store.password_file = config_path.parent_path() / config.store.password_file;
  }
  resolve_node(config.node, config.http);
}

}  // namespace

Config default_config(const std::filesystem::path& config_path) {
  Config config;
  resolve_paths(config, config_path);
  return config;
}

Result<Duration> parse_duration(std::string_view text) { return parse_duration_text(text); }

Result<Config> parse_config(std::string_view text, const std::filesystem::path& config_path) {
  const std::string file = config_path.empty() ? "<config>" : config_path.string();
  toml::table root;
  try {
    root = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    return make_error("config.syntax", file + ":" + std::to_string(e.source().begin.line) + ": " +
                                           std::string(e.description()));
  }
  TomlReader reader(file);
  try {
    Config config;
    reader.allow_keys(root, "",
                      {"store", "http", "modem", "operator", "routing", "retry", "sms", "log",
                       "webhook", "ussd", "modems", "sim", "client", "smpp", "node"});
    read_store(reader, root, config.store);
    read_http(reader, root, config.http);
    const auto* modems = reader.array_of_tables(root, "modem");
    if (modems != nullptr) {
      for (std::size_t i = 0; i < modems->size(); ++i) {
        config.modems.push_back(
            read_modem(reader, *(*modems)[i].as_table(), "modem[" + std::to_string(i) + "]"));
      }
    }
    check_modems(reader, modems, config.modems);
    const auto* operators = reader.array_of_tables(root, "operator");
    if (operators != nullptr) {
      for (std::size_t i = 0; i < operators->size(); ++i) {
        config.operators.push_back(read_operator(reader, *(*operators)[i].as_table(),
                                                 "operator[" + std::to_string(i) + "]"));
      }
    }
    check_operators(reader, operators, config.operators);
    read_routing(reader, root, config.routing);
    read_retry(reader, root, config.retry);
    read_sms(reader, root, config.sms);
    read_log(reader, root, config.log);
    const auto* webhooks = reader.array_of_tables(root, "webhook");
    if (webhooks != nullptr) {
      for (std::size_t i = 0; i < webhooks->size(); ++i) {
        config.webhooks.push_back(
            read_webhook(reader, *(*webhooks)[i].as_table(), "webhook[" + std::to_string(i) + "]"));
      }
    }
    read_ussd(reader, root, config.ussd);
    read_modem_polling(reader, root, config.modem_polling);
    config.sims = read_sims(reader, root, config.operators);
    config.clients = read_clients(reader, root, config.http.tokens);
    read_smpp(reader, root, config.smpp);
    read_node(reader, root, config.node);
    check_credentials(reader, root, config);
    resolve_paths(config, config_path);
    read_http_callbacks(reader, root, config.http, config_path);
    return config;
  } catch (const ConfigInvalid& invalid) {
    return invalid.error;
  }
}

Result<Config> load_config(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error("config.io", path.string() + ": cannot be read (" +
                                       std::string(std::strerror(errno)) + ")");
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return make_error("config.io", path.string() + ": read failed");
  }
  return parse_config(text.str(), path);
}

std::optional<std::string> exposed_secrets_warning(const std::filesystem::path& path,
                                                   const Config& config) {
  const bool webhook_secret =
      !config.http.callback_secret.empty() ||
      std::any_of(config.webhooks.begin(), config.webhooks.end(),
                  [](const WebhookConfig& w) { return !w.secret.empty(); }) ||
      std::any_of(config.clients.begin(), config.clients.end(),
                  [](const ClientConfig& c) { return !c.secret.empty(); });
  const bool tokens =
      !config.http.tokens.empty() ||
      std::any_of(config.clients.begin(), config.clients.end(),
                  [](const ClientConfig& c) { return !c.token.empty() || !c.password.empty(); });
  if (!tokens && !webhook_secret) return std::nullopt;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || (st.st_mode & S_IROTH) == 0) return std::nullopt;
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  return path.string() + " holds " + (tokens ? "API tokens" : "") +
         (tokens && webhook_secret ? " and " : "") + (webhook_secret ? "webhook secrets" : "") +
         " and is readable by every user (mode " + mode + "); chmod 640 it (or 600)";
}

}  // namespace smsgw::config
