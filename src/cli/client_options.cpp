#include "smsgw/cli/client_options.hpp"

#include <cmath>
#include <cstdio>
#include <iostream>

#include "smsgw/cli/commands.hpp"
#include "smsgw/config/config.hpp"

namespace smsgw::cli {

void add_client_options(CLI::App& command, ClientOptions& options, double default_timeout) {
  options.timeout_seconds = default_timeout;
  command.add_option("--url", options.url,
                     "the daemon's HTTP API (default: the [http] listen of --config, else " +
                         std::string(kDefaultUrl) + ")");
  command
      .add_option("--config", options.config_path,
                  "read the daemon's address from this config file")
      ->check(CLI::ExistingFile);
  command.add_option("--token", options.token, "bearer token for the API")->envname("SMSGW_TOKEN");
  command.add_option("--timeout", options.timeout_seconds, "seconds to wait for an answer")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
}

namespace {

std::optional<config::Config> load_config_option(const ClientOptions& options) {
  if (options.config_path.empty()) return std::nullopt;
  auto config = config::load_config(options.config_path);
  if (!config) fail(config.error());
  return std::move(config).value();
}

Endpoint endpoint_for(const ClientOptions& options, const std::optional<config::Config>& config) {
  std::string url = options.url;
  if (url.empty() && config) url = value_or_fail(url_for_listen(config->http.listen));
  if (url.empty()) url = std::string(kDefaultUrl);
  auto endpoint = parse_endpoint(url);
  if (!endpoint) usage_error("", endpoint.error().message);
  return std::move(endpoint).value();
}

}  // namespace

Endpoint resolve_endpoint(const ClientOptions& options) {
  return endpoint_for(options, load_config_option(options));
}

ApiClient make_client(const ClientOptions& options) {
  const auto config = load_config_option(options);
  std::optional<std::string> token;
  if (!options.token.empty()) {
    token = options.token;
  } else if (config && !config->http.tokens.empty()) {
    token = config->http.tokens.front();
  }
  const auto timeout = std::chrono::milliseconds(
      static_cast<std::int64_t>(std::llround(options.timeout_seconds * 1000)));
  return ApiClient(endpoint_for(options, config), std::move(token), timeout);
}

void fail(std::string_view message) {
  std::cout.flush();
  std::cerr << "smsgw: " << message << '\n';
  throw CliExit{1};
}

void fail(const Error& error) { fail(std::string_view(error.message)); }

void usage_error(std::string_view command, std::string_view message) {
  std::cout.flush();
  std::cerr << "smsgw";
  if (!command.empty()) std::cerr << ' ' << command;
  std::cerr << ": " << message << '\n';
  throw CliExit{2};
}

void print_body(std::string_view body) {
  std::cout << body;
  if (body.empty() || body.back() != '\n') std::cout << '\n';
  std::cout.flush();
}

}  // namespace smsgw::cli
