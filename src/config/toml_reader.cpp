#include "toml_reader.hpp"

#include <limits>

namespace smsgw::config {
namespace {

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (const char c : text.substr(0, 60)) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  if (text.size() > 60) out += "...";
  out += '"';
  return out;
}

// How a value looks in an error message: `got "ten"`, `got 0`, `got a table`.
std::string describe(const toml::node& node) {
  if (const auto* s = node.as_string()) return quote(s->get());
  if (const auto* i = node.as_integer()) return std::to_string(i->get());
  if (const auto* f = node.as_floating_point()) {
    std::string text = std::to_string(f->get());
    return text;
  }
  if (const auto* b = node.as_boolean()) return b->get() ? "true" : "false";
  if (node.is_array()) return "an array";
  if (node.is_table()) return "a table";
  return "a date or time";
}

}  // namespace

Result<Duration> parse_duration_text(std::string_view text) {
  const auto bad = [&](std::string why) -> Result<Duration> {
    return make_error("config.duration", quote(text) + " " + why);
  };
  if (text.empty()) return bad("is empty");
  std::int64_t total_ms = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::int64_t number = 0;
    const std::size_t digits_start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (number > 1'000'000'000) return bad("is too long");
      number = number * 10 + (text[i] - '0');
      ++i;
    }
    if (i == digits_start) return bad("must be <number><unit> groups such as \"30s\" or \"1h30m\"");
    const std::size_t unit_start = i;
    while (i < text.size() && text[i] >= 'a' && text[i] <= 'z') ++i;
    const auto unit = text.substr(unit_start, i - unit_start);
    std::int64_t scale = 0;
    if (unit == "ms") {
      scale = 1;
    } else if (unit == "s") {
      scale = 1000;
    } else if (unit == "m") {
      scale = 60'000;
    } else if (unit == "h") {
      scale = 3'600'000;
    } else if (unit == "d") {
      scale = 86'400'000;
    } else if (unit.empty()) {
      return bad("needs a unit (ms, s, m, h or d) after " + std::to_string(number));
    } else {
      return bad("has unknown unit " + quote(unit) + " (use ms, s, m, h or d)");
    }
    total_ms += number * scale;
    if (total_ms > std::int64_t{365} * 86'400'000 * 100) return bad("is too long");
  }
  return Duration(total_ms);
}

void TomlReader::fail(const std::string& key_path, const toml::node* node,
                      const std::string& reason) const {
  std::string message = file_ + ": " + key_path + ": " + reason;
  if (node != nullptr && node->source().begin.line != 0) {
    message += " (line " + std::to_string(node->source().begin.line) + ")";
  }
  throw ConfigInvalid{make_error("config.invalid", std::move(message))};
}

void TomlReader::allow_keys(const toml::table& table, const std::string& path,
                            std::initializer_list<std::string_view> allowed) const {
  for (const auto& [key, value] : table) {
    bool known = false;
    for (const auto name : allowed) known = known || key.str() == name;
    if (known) continue;
    std::string names;
    for (const auto name : allowed) {
      if (!names.empty()) names += ", ";
      names += name;
    }
    const std::string key_path =
        path.empty() ? std::string(key.str()) : path + "." + std::string(key.str());
    fail(key_path, &value, "unknown key (known here: " + names + ")");
  }
}

const toml::table* TomlReader::table(const toml::table& parent, std::string_view key,
                                     const std::string& prefix) const {
  const auto* node = parent.get(key);
  if (node == nullptr) return nullptr;
  if (!node->is_table()) {
    fail(prefix + std::string(key), node, "must be a table, got " + describe(*node));
  }
  return node->as_table();
}

const toml::array* TomlReader::array_of_tables(const toml::table& root,
                                               std::string_view key) const {
  const auto* node = root.get(key);
  if (node == nullptr) return nullptr;
  const auto* array = node->as_array();
  if (array == nullptr) {
    fail(std::string(key), node,
         "must be an array of tables written [[" + std::string(key) + "]], got " + describe(*node));
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    if (!(*array)[i].is_table()) {
      fail(std::string(key) + "[" + std::to_string(i) + "]", &(*array)[i],
           "must be a table, got " + describe((*array)[i]));
    }
  }
  return array;
}

bool TomlReader::boolean(const toml::table& table, std::string_view key, const std::string& prefix,
                         bool fallback) const {
  const auto* node = table.get(key);
  if (node == nullptr) return fallback;
  if (const auto* b = node->as_boolean()) return b->get();
  fail(prefix + std::string(key), node, "must be true or false, got " + describe(*node));
}

std::int64_t TomlReader::integer(const toml::table& table, std::string_view key,
                                 const std::string& prefix, std::int64_t min, std::int64_t max,
                                 std::int64_t fallback) const {
  const auto* node = table.get(key);
  if (node == nullptr) return fallback;
  const auto* value = node->as_integer();
  if (value == nullptr || value->get() < min || value->get() > max) {
    const std::string wanted =
        min == 1 ? "must be a positive integer up to " + std::to_string(max)
                 : "must be an integer from " + std::to_string(min) + " to " + std::to_string(max);
    fail(prefix + std::string(key), node, wanted + ", got " + describe(*node));
  }
  return value->get();
}

std::optional<std::uint32_t> TomlReader::optional_count(const toml::table& table,
                                                        std::string_view key,
                                                        const std::string& prefix) const {
  const auto* node = table.get(key);
  if (node == nullptr) return std::nullopt;
  const auto* value = node->as_integer();
  if (value == nullptr || value->get() < 1 ||
      value->get() > std::numeric_limits<std::uint32_t>::max()) {
    fail(prefix + std::string(key), node, "must be a positive integer, got " + describe(*node));
  }
  return static_cast<std::uint32_t>(value->get());
}

double TomlReader::number(const toml::table& table, std::string_view key,
                          const std::string& prefix) const {
  const auto* node = table.get(key);
  if (const auto* f = node->as_floating_point()) return f->get();
  if (const auto* i = node->as_integer()) return static_cast<double>(i->get());
  fail(prefix + std::string(key), node, "must be a number, got " + describe(*node));
}

std::string TomlReader::string(const toml::table& table, std::string_view key,
                               const std::string& prefix, const std::string& fallback,
                               const StringCheck& check) const {
  const auto* node = table.get(key);
  if (node == nullptr) return fallback;
  const auto* value = node->as_string();
  if (value == nullptr) {
    fail(prefix + std::string(key), node, "must be a string, got " + describe(*node));
  }
  if (check) {
    if (auto why = check(value->get())) {
      fail(prefix + std::string(key), node, *why + ", got " + describe(*node));
    }
  }
  return value->get();
}

std::string TomlReader::required_string(const toml::table& table, std::string_view key,
                                        const std::string& prefix) const {
  const auto* node = table.get(key);
  if (node == nullptr) {
    fail(prefix + std::string(key), &table, "is required");
  }
  return string(table, key, prefix, "", [](const std::string& v) -> std::optional<std::string> {
    if (v.empty()) return "must not be empty";
    return std::nullopt;
  });
}

std::vector<std::string> TomlReader::string_array(const toml::table& table, std::string_view key,
                                                  const std::string& prefix,
                                                  const StringCheck& check) const {
  std::vector<std::string> out;
  const auto* node = table.get(key);
  if (node == nullptr) return out;
  const auto* array = node->as_array();
  if (array == nullptr) {
    fail(prefix + std::string(key), node, "must be an array of strings, got " + describe(*node));
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto& item = (*array)[i];
    const auto item_path = prefix + std::string(key) + "[" + std::to_string(i) + "]";
    const auto* value = item.as_string();
    if (value == nullptr) fail(item_path, &item, "must be a string, got " + describe(item));
    if (check) {
      if (auto why = check(value->get())) fail(item_path, &item, *why + ", got " + describe(item));
    }
    out.push_back(value->get());
  }
  return out;
}

Duration TomlReader::duration(const toml::table& table, std::string_view key,
                              const std::string& prefix, Duration fallback, bool allow_zero) const {
  const auto* node = table.get(key);
  if (node == nullptr) return fallback;
  const std::string path = prefix + std::string(key);
  const std::string wanted =
      std::string(allow_zero ? "must be a duration" : "must be a positive duration") +
      " in seconds or a string such as \"30s\", \"5m\" or \"1h30m\"";
  Duration value{};
  if (const auto* seconds = node->as_integer()) {
    if (seconds->get() < 0 || seconds->get() > std::int64_t{100} * 365 * 86400) {
      fail(path, node, wanted + ", got " + describe(*node));
    }
    value = std::chrono::seconds(seconds->get());
  } else if (const auto* text = node->as_string()) {
    auto parsed = parse_duration_text(text->get());
    if (!parsed) fail(path, node, wanted + ": " + parsed.error().message);
    value = *parsed;
  } else {
    fail(path, node, wanted + ", got " + describe(*node));
  }
  if (!allow_zero && value.count() == 0) fail(path, node, wanted + ", got " + describe(*node));
  return value;
}

}  // namespace smsgw::config
