#include <algorithm>
#include <array>
#include <cctype>
#include <map>

#include "smsgw/http/bearer_auth.hpp"
#include "table_readers.hpp"

namespace smsgw::config {
namespace {

bool is_lower_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool has_space(const std::string& text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}

const toml::node* node_in(const toml::array& tables, std::size_t i, std::string_view key) {
  const auto* table = tables[i].as_table();
  return table != nullptr ? table->get(key) : nullptr;
}

SimConfig read_sim(TomlReader& reader, const toml::table& table, const std::string& path,
                   const std::vector<OperatorConfig>& operators) {
  SimConfig sim;
  reader.allow_keys(table, path,
                    {"iccid", "pin", "limits", "operator", "number", "label", "enabled"});
  const auto prefix = path + ".";
  // ITU-T E.118: an ICCID is up to 19 digits plus the check digit (some SIMs report 20).
  sim.iccid = reader.string(table, "iccid", prefix, "",
                            [](const std::string& v) -> std::optional<std::string> {
                              if (!all_digits(v) || v.size() < 10 || v.size() > 22) {
                                return "must be the SIM's ICCID digits as the modems list shows "
                                       "them (10 to 22 digits)";
                              }
                              return std::nullopt;
                            });
  if (sim.iccid.empty()) reader.fail(prefix + "iccid", nullptr, "is required");
  if (table.contains("pin")) {
    sim.pin = reader.string(table, "pin", prefix, "", pin_problem);
  }
  sim.limits = read_limits(reader, table, prefix);
  if (table.contains("operator")) {
    sim.operator_name = reader.string(
        table, "operator", prefix, "", [&](const std::string& v) -> std::optional<std::string> {
          const bool known = std::any_of(operators.begin(), operators.end(),
                                         [&](const OperatorConfig& op) { return op.name == v; });
          if (!known) return "\"" + v + "\" is not the name of an [[operator]]";
          return std::nullopt;
        });
  }
  if (table.contains("number")) {
    sim.number = reader.string(table, "number", prefix, "",
                               [](const std::string& v) -> std::optional<std::string> {
                                 if (v.size() < 3 || v.front() != '+' ||
                                     !all_digits(std::string_view(v).substr(1)) || v.size() > 16) {
                                   return "must be an international number, \"+\" and up to 15 "
                                          "digits";
                                 }
                                 return std::nullopt;
                               });
  }
  sim.label = reader.string(table, "label", prefix, sim.label);
  sim.enabled = reader.boolean(table, "enabled", prefix, sim.enabled);
  return sim;
}

bool printable_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

// system_id, password and inbound: the client's SMPP and sendsms identity. Passwords are
// never quoted in messages.
void read_smpp_credentials(TomlReader& reader, const toml::table& table, const std::string& prefix,
                           ClientConfig& client) {
  client.system_id = reader.string(
      table, "system_id", prefix, "", [](const std::string& v) -> std::optional<std::string> {
        if (v.empty() || v.size() > kMaxSystemIdLength || !printable_ascii(v)) {
          return "must be 1 to 15 printable ASCII characters "
                 "without spaces (SMPP 3.4 5.2.1)";
        }
        return std::nullopt;
      });
  client.password = reader.string(table, "password", prefix, "");
  if (table.contains("password") &&
      (client.password.empty() || client.password.size() > kMaxClientPasswordLength ||
       !printable_ascii(client.password))) {
    reader.fail(prefix + "password", nullptr,
                "must be 1 to 64 printable ASCII characters without spaces (an SMPP bind "
                "sends its first 8: SMPP 3.4 5.2.2)");
  }
  if (client.system_id.empty() != client.password.empty()) {
    reader.fail(
        prefix + (client.system_id.empty() ? "system_id" : "password"), nullptr,
        "is required with " + std::string(client.system_id.empty() ? "password" : "system_id"));
  }
  if (table.contains("inbound")) {
    client.inbound = reader.string_array(
        table, "inbound", prefix, [](const std::string& v) -> std::optional<std::string> {
          if (v.empty()) return "entries must be modem ids, ICCIDs or SIM numbers";
          return std::nullopt;
        });
  }
}

ClientConfig read_client(TomlReader& reader, const toml::table& table, const std::string& path) {
  ClientConfig client;
  reader.allow_keys(table, path,
                    {"name", "token", "token_sha256", "scopes", "limits", "secret", "system_id",
                     "password", "inbound"});
  const auto prefix = path + ".";
  client.name = reader.string(table, "name", prefix, "",
                              [](const std::string& v) -> std::optional<std::string> {
                                if (v.size() > 64 || !is_identifier(v))
                                  return "must be 1 to 64 letters, digits, '-', '_' or '.'";
                                return std::nullopt;
                              });
  if (client.name.empty()) reader.fail(prefix + "name", nullptr, "is required");
  // Checked here rather than by the reader, whose messages quote the value: a token is
  // never shown.
  client.token = reader.string(table, "token", prefix, "");
  if (table.contains("token") && client.token.size() < 16) {
    reader.fail(prefix + "token", table.get("token"), "must be at least 16 characters");
  }
  if (has_space(client.token)) {
    reader.fail(prefix + "token", table.get("token"), "must not contain white space");
  }
  client.token_sha256 = reader.string(table, "token_sha256", prefix, "",
                                      [](const std::string& v) -> std::optional<std::string> {
                                        if (v.size() != 64 || !is_lower_hex(v)) {
                                          return "must be 64 lowercase hex digits (sha256sum of "
                                                 "the token)";
                                        }
                                        return std::nullopt;
                                      });
  read_smpp_credentials(reader, table, prefix, client);
  if (!client.token.empty() && !client.token_sha256.empty()) {
    reader.fail(prefix + "token_sha256", table.get("token_sha256"),
                "give exactly one of token and token_sha256");
  }
  if (client.token.empty() && client.token_sha256.empty() && client.system_id.empty()) {
    reader.fail(prefix + "token", nullptr,
                "is required (or token_sha256, or system_id and password for SMPP)");
  }
  if (table.contains("scopes")) {
    client.scopes = reader.string_array(
        table, "scopes", prefix, [](const std::string& v) -> std::optional<std::string> {
          if (std::find(std::begin(kClientScopes), std::end(kClientScopes), v) ==
              std::end(kClientScopes)) {
            return "must be one of \"send\", \"read\", \"modems\" or \"admin\"";
          }
          return std::nullopt;
        });
  }
  if (const auto* limits = reader.table(table, "limits", prefix)) {
    const auto limits_path = prefix + "limits";
    reader.allow_keys(*limits, limits_path, {"per_minute", "per_day"});
    client.limits.per_minute = reader.optional_count(*limits, "per_minute", limits_path + ".");
    client.limits.per_day = reader.optional_count(*limits, "per_day", limits_path + ".");
  }
  client.secret = reader.string(table, "secret", prefix, client.secret);
  return client;
}

}  // namespace

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_identifier(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

std::optional<std::string> pin_problem(const std::string& pin) {
  if (!all_digits(pin) || pin.size() < 4 || pin.size() > 8)
    return "must be 4 to 8 digits in quotes";
  return std::nullopt;
}

Limits read_limits(TomlReader& reader, const toml::table& parent, const std::string& path) {
  Limits limits;
  const auto* table = reader.table(parent, "limits", path);
  if (table == nullptr) return limits;
  const auto limits_path = path + "limits";
  reader.allow_keys(*table, limits_path,
                    {"per_minute", "per_day", "per_month", "recipients_per_day"});
  const auto prefix = limits_path + ".";
  limits.per_minute = reader.optional_count(*table, "per_minute", prefix);
  limits.per_day = reader.optional_count(*table, "per_day", prefix);
  limits.per_month = reader.optional_count(*table, "per_month", prefix);
  limits.recipients_per_day = reader.optional_count(*table, "recipients_per_day", prefix);
  return limits;
}

std::vector<SimConfig> read_sims(TomlReader& reader, const toml::table& root,
                                 const std::vector<OperatorConfig>& operators) {
  std::vector<SimConfig> sims;
  const auto* tables = reader.array_of_tables(root, "sim");
  if (tables == nullptr) return sims;
  std::map<std::string, std::size_t> first_of;
  for (std::size_t i = 0; i < tables->size(); ++i) {
    const auto path = "sim[" + std::to_string(i) + "]";
    sims.push_back(read_sim(reader, *(*tables)[i].as_table(), path, operators));
    if (auto [it, fresh] = first_of.emplace(sims.back().iccid, i); !fresh) {
      reader.fail(path + ".iccid", node_in(*tables, i, "iccid"),
                  "\"" + sims.back().iccid + "\" is already the iccid of sim[" +
                      std::to_string(it->second) + "]");
    }
  }
  return sims;
}

std::vector<ClientConfig> read_clients(TomlReader& reader, const toml::table& root,
                                       const std::vector<std::string>& http_tokens) {
  std::vector<ClientConfig> clients;
  const auto* tables = reader.array_of_tables(root, "client");
  if (tables == nullptr) return clients;
  // Who holds each token, by its SHA-256 as the API compares them (http::BearerAuth).
  std::map<std::array<unsigned char, 32>, std::string> owner_of_digest;
  for (std::size_t i = 0; i < http_tokens.size(); ++i) {
    owner_of_digest.emplace(http::BearerCredential::admin_token(i, http_tokens[i]).digest,
                            "http.tokens[" + std::to_string(i) + "]");
  }
  std::map<std::string, std::size_t> first_of;
  std::map<std::string, std::size_t> system_id_of;
  for (std::size_t i = 0; i < tables->size(); ++i) {
    const auto path = "client[" + std::to_string(i) + "]";
    clients.push_back(read_client(reader, *(*tables)[i].as_table(), path));
    const auto& client = clients.back();
    if (auto [it, fresh] = first_of.emplace(client.name, i); !fresh) {
      reader.fail(path + ".name", node_in(*tables, i, "name"),
                  "\"" + client.name + "\" is already the name of client[" +
                      std::to_string(it->second) + "]");
    }
    if (!client.system_id.empty()) {
      if (auto [it, fresh] = system_id_of.emplace(client.system_id, i); !fresh) {
        reader.fail(path + ".system_id", node_in(*tables, i, "system_id"),
                    "\"" + client.system_id + "\" is already the system_id of client[" +
                        std::to_string(it->second) + "]");
      }
    }
    if (client.token.empty() && client.token_sha256.empty()) continue;
    const auto key = client.token.empty() ? "token_sha256" : "token";
    // token_sha256 was checked to be 64 hex digits, so client_digest() has a value.
    const auto digest =
        client.token.empty()
            ? http::BearerCredential::client_digest(client.name, 0, client.token_sha256)->digest
            : http::BearerCredential::client_token(client.name, 0, client.token).digest;
    if (auto [it, fresh] = owner_of_digest.emplace(digest, path); !fresh) {
      reader.fail(path + "." + key, node_in(*tables, i, key),
                  "is the same token as " + it->second + "'s; every client needs its own");
    }
  }
  return clients;
}

}  // namespace smsgw::config
