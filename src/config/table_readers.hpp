// Readers of the config's repeated tables that share rules ([[sim]], [[client]], limits).
// Same contract as TomlReader: a valid value or ConfigInvalid with the one-line Error.
#pragma once

#include <string>

#include "smsgw/config/config.hpp"
#include "toml_reader.hpp"

namespace smsgw::config {

// `limits = { per_minute, per_day, per_month, recipients_per_day }` of the table at `path`
// (with its trailing dot), or no limits when absent.
Limits read_limits(TomlReader& reader, const toml::table& parent, const std::string& path);

// Every [[sim]] table; iccids unique, operator names among `operators`.
std::vector<SimConfig> read_sims(TomlReader& reader, const toml::table& root,
                                 const std::vector<OperatorConfig>& operators);

// Every [[client]] table; names and tokens unique, also against `http_tokens`.
std::vector<ClientConfig> read_clients(TomlReader& reader, const toml::table& root,
                                       const std::vector<std::string>& http_tokens);

// The SHA-256 of `token` as 64 lowercase hex digits (how token_sha256 is written).
std::string token_digest_hex(const std::string& token);

}  // namespace smsgw::config
