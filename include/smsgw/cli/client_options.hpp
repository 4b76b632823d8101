// What every client subcommand shares: how to reach the daemon, how to fail.
//
// Contract:
// - add_client_options() adds --url, --config, --token (or env SMSGW_TOKEN) and --timeout.
//   The URL is --url when given, else the `[http] listen` of --config, else
//   http://127.0.0.1:8080. The token is --token (or SMSGW_TOKEN), else the first of the
//   config's `[http] tokens` when --config is given, else none.
// - fail() prints ONE line "smsgw: <message>" on stderr and exits 1 (by throwing CliExit,
//   which main() turns into the exit code); usage_error() does the same with exit 2.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "smsgw/cli/api_client.hpp"
#include "smsgw/common/result.hpp"

namespace smsgw::cli {

inline constexpr std::string_view kDefaultUrl = "http://127.0.0.1:8080";

struct ClientOptions {
  std::string url;
  std::string config_path;
  std::string token;
  double timeout_seconds = 30;
};

void add_client_options(CLI::App& command, ClientOptions& options, double default_timeout = 30);

// The endpoint the options name (see above); fails (exit 1) on a bad URL or config file.
Endpoint resolve_endpoint(const ClientOptions& options);

ApiClient make_client(const ClientOptions& options);

[[noreturn]] void fail(std::string_view message);
[[noreturn]] void fail(const Error& error);
[[noreturn]] void usage_error(std::string_view command, std::string_view message);

// The answer of `result`, or fail() with its error.
template <class T>
T value_or_fail(Result<T> result) {
  if (!result) fail(result.error());
  return std::move(result).value();
}

// Writes `body` and a newline to stdout (the --json output: the API's body unchanged).
void print_body(std::string_view body);

}  // namespace smsgw::cli
