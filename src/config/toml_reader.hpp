// TomlReader: typed, validated access to a toml++ table for the config parser.
//
// Contract: every accessor either returns a valid value (or the default when the key is
// absent) or throws ConfigInvalid carrying the one-line Error described in config.hpp.
// ConfigInvalid never leaves parse_config(), which turns it into a Result.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smsgw/config/config.hpp"

namespace smsgw::config {

struct ConfigInvalid {
  Error error;
};

// "500ms", "30s", "5m", "1h30m", "3d" -> milliseconds.
Result<Duration> parse_duration_text(std::string_view text);

// Returns a reason when the value is invalid, nothing when it is fine.
using StringCheck = std::function<std::optional<std::string>(const std::string&)>;

class TomlReader {
 public:
  explicit TomlReader(std::string file) : file_(std::move(file)) {}

  // `key_path` is the dotted path ("operator[1].limits.per_minute"); `node` (may be null)
  // supplies the line number.
  [[noreturn]] void fail(const std::string& key_path, const toml::node* node,
                         const std::string& reason) const;

  // Fails on the first key of `table` that is not in `allowed`. `path` names the table
  // ("" for the root).
  void allow_keys(const toml::table& table, const std::string& path,
                  std::initializer_list<std::string_view> allowed) const;

  // A sub-table, or null when absent. `prefix` is the parent's path with a trailing dot.
  const toml::table* table(const toml::table& parent, std::string_view key,
                           const std::string& prefix) const;
  // An array of tables ([[key]]), or null when absent.
  const toml::array* array_of_tables(const toml::table& root, std::string_view key) const;

  bool boolean(const toml::table& table, std::string_view key, const std::string& prefix,
               bool fallback) const;
  std::int64_t integer(const toml::table& table, std::string_view key, const std::string& prefix,
                       std::int64_t min, std::int64_t max, std::int64_t fallback) const;
  // A positive integer that fits 32 bits, or nothing when absent.
  std::optional<std::uint32_t> optional_count(const toml::table& table, std::string_view key,
                                              const std::string& prefix) const;
  double number(const toml::table& table, std::string_view key, const std::string& prefix) const;
  std::string string(const toml::table& table, std::string_view key, const std::string& prefix,
                     const std::string& fallback, const StringCheck& check = {}) const;
  // A string that must be present and non-empty.
  std::string required_string(const toml::table& table, std::string_view key,
                              const std::string& prefix) const;
  std::vector<std::string> string_array(const toml::table& table, std::string_view key,
                                        const std::string& prefix,
                                        const StringCheck& check = {}) const;
  Duration duration(const toml::table& table, std::string_view key, const std::string& prefix,
                    Duration fallback, bool allow_zero) const;

 private:
  std::string file_;
};

}  // namespace smsgw::config
