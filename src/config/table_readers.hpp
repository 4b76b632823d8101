// Readers of the config's repeated tables that share rules ([[sim]], [[client]], limits).
// Same contract as TomlReader: a valid value or ConfigInvalid with the one-line Error.
#pragma once

#include <string>

#include "smsgw/config/config.hpp"
#include "toml_reader.hpp"

namespace smsgw::config {

// Checks shared by the config's readers (config.cpp, sim_client_tables.cpp).
bool all_digits(std::string_view text);
// Letters, digits, '-', '_' or '.', at least one (modem ids, profile and client names).
bool is_identifier(std::string_view text);
// A SIM PIN ([[modem]] pin, [[sim]] pin): 4 to 8 digits (3GPP TS 31.101 9.4.2).
std::optional<std::string> pin_problem(const std::string& pin);

// `limits = { per_minute, per_day, per_month, recipients_per_day }` of the table at `path`
// (with its trailing dot), or no limits when absent.
Limits read_limits(TomlReader& reader, const toml::table& parent, const std::string& path);

// Every [[sim]] table; iccids unique, operator names among `operators`.
std::vector<SimConfig> read_sims(TomlReader& reader, const toml::table& root,
                                 const std::vector<OperatorConfig>& operators);

// Every [[client]] table; names and tokens unique, also against `http_tokens`.
std::vector<ClientConfig> read_clients(TomlReader& reader, const toml::table& root,
                                       const std::vector<std::string>& http_tokens);

// [smpp] (config.hpp SmppConfig); listen parsed like [http] listen.
void read_smpp(TomlReader& reader, const toml::table& root, SmppConfig& smpp);

// [store] (config.hpp StoreConfig): path or url (not both), at_least_once, password_file
// (only with url; resolved later with the other paths).
void read_store(TomlReader& reader, const toml::table& root, StoreConfig& store);
// [node] (config.hpp NodeConfig): name, lease (>= 3s), url, poll.
void read_node(TomlReader& reader, const toml::table& root, NodeConfig& node);
// The [node] defaults that depend on the machine and on [http]: the host name as `name`,
// "http://" + listen as `url` (with the host name for an unspecified address).
void resolve_node(NodeConfig& node, const HttpConfig& http);
// Why `name` is no node name (1-64 of [A-Za-z0-9._-]); nothing when it is one.
std::optional<std::string> node_name_problem(const std::string& name);
// A host name made a node name: other characters become '-', cut to 64, "smsgw" if empty.
std::string node_name_from_host(std::string host);

}  // namespace smsgw::config
