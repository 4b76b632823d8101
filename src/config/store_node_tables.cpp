// [store] and [node]: where the queue lives (an SQLite file, or a PostgreSQL database shared
// by several nodes) and who this process is among those nodes (config.hpp StoreConfig,
// NodeConfig).

#include <unistd.h>

#include <algorithm>
#include <climits>

#include "table_readers.hpp"

namespace smsgw::config {
namespace {

constexpr std::size_t kMaxNodeName = 64;
constexpr Duration kMinLease = std::chrono::seconds(3);

bool node_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

std::optional<std::string> non_empty(const std::string& value) {
  if (value.empty()) return "must not be empty";
  return std::nullopt;
}

std::optional<std::string> url_problem(const std::string& value) {
  if (value.rfind("http://", 0) != 0 && value.rfind("https://", 0) != 0) {
    return "must be an http:// or https:// URL";
  }
  if (std::any_of(value.begin(), value.end(),
                  [](char c) { return static_cast<unsigned char>(c) <= ' '; })) {
    return "must not contain white space";
  }
  const auto host = value.find("//") + 2;
  if (host >= value.size() || value[host] == '/') return "has no host";
  return std::nullopt;
}

std::string host_name() {
  char buffer[HOST_NAME_MAX + 1] = {};
  if (::gethostname(buffer, sizeof buffer - 1) != 0) return {};
  return buffer;
}

// host:port of `listen` with the host replaced by `host` (IPv6 in brackets).
std::string listen_with_host(const HttpConfig& http, const std::string& host) {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(http.listen_port);
}

}  // namespace

std::optional<std::string> node_name_problem(const std::string& name) {
  if (name.empty() || name.size() > kMaxNodeName) return "must have 1 to 64 characters";
  if (!std::all_of(name.begin(), name.end(), node_name_char)) {
    return "may hold only letters, digits, '.', '_' and '-'";
  }
  return std::nullopt;
}

std::string node_name_from_host(std::string host) {
  for (char& c : host) {
    if (!node_name_char(c)) c = '-';
  }
  if (host.size() > kMaxNodeName) host.resize(kMaxNodeName);
  return host.empty() ? "smsgw" : host;
}

void read_store(TomlReader& reader, const toml::table& root, StoreConfig& store) {
  const auto* table = reader.table(root, "store", "");
  if (table == nullptr) return;
  reader.allow_keys(*table, "store", {"path", "at_least_once", "url", "password_file"});
  store.path = reader.string(*table, "path", "store.", store.path.string(), non_empty);
  store.at_least_once = reader.boolean(*table, "at_least_once", "store.", store.at_least_once);
  store.url = reader.string(*table, "url", "store.", store.url, non_empty);
  if (table->contains("path") && table->contains("url")) {
    reader.fail("store.url", table->get("url"),
                "store.path and store.url are both set: give one (path for SQLite, url for a "
                "PostgreSQL database shared by several nodes)");
  }
  store.password_file =
      reader.string(*table, "password_file", "store.", store.password_file.string(), non_empty);
  if (!store.password_file.empty() && store.url.empty()) {
    reader.fail("store.password_file", table->get("password_file"),
                "is used only with store.url (PostgreSQL)");
  }
}

void read_node(TomlReader& reader, const toml::table& root, NodeConfig& node) {
  const auto* table = reader.table(root, "node", "");
  if (table == nullptr) return;
  reader.allow_keys(*table, "node", {"name", "lease", "url", "poll"});
  node.name = reader.string(*table, "name", "node.", node.name, node_name_problem);
  node.lease = reader.duration(*table, "lease", "node.", node.lease, false);
  if (node.lease < kMinLease) {
    reader.fail("node.lease", table->get("lease"),
                "must be at least 3s (heartbeats go every lease / 3)");
  }
  node.url = reader.string(*table, "url", "node.", node.url, url_problem);
  node.poll = reader.duration(*table, "poll", "node.", node.poll, false);
}

void resolve_node(NodeConfig& node, const HttpConfig& http) {
  if (node.name.empty()) node.name = node_name_from_host(host_name());
  if (node.url.empty()) {
    const bool unspecified =
        http.listen_host == "0.0.0.0" || http.listen_host == "::" || http.listen_host.empty();
    std::string host = unspecified ? host_name() : std::string();
    if (unspecified && host.empty()) host = "localhost";
    node.url = "http://" + (unspecified ? listen_with_host(http, host) : http.listen);
  }
}

}  // namespace smsgw::config
