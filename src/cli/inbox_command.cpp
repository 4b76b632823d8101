// `smsgw inbox [--since TIME] [--from NUMBER] [--modem ID] [--limit N] [--before ID]
// [--json]`: received messages, newest first, long ones reassembled by the gateway
// (GET /api/v1/inbox and its filters). --json prints the API's body.
#include <iostream>
#include <memory>

#include "smsgw/cli/client_options.hpp"
#include "smsgw/cli/commands.hpp"
#include "smsgw/cli/views.hpp"

namespace smsgw::cli {

namespace {

struct InboxOptions {
  ClientOptions client;
  int limit = 50;
  std::string before;
  std::string since;  // RFC 3339; the gateway checks it
  std::string from;
  std::string modem;
  bool json = false;
};

void run_inbox(const InboxOptions& options) {
  ApiClient client = make_client(options.client);
  std::string target = "/api/v1/inbox?limit=" + std::to_string(options.limit);
  if (!options.before.empty()) target += "&before=" + encode_query_value(options.before);
  if (!options.since.empty()) target += "&since=" + encode_query_value(options.since);
  if (!options.from.empty()) target += "&from=" + encode_query_value(options.from);
  if (!options.modem.empty()) target += "&modem=" + encode_query_value(options.modem);
  const ApiAnswer answer = value_or_fail(client.call("GET", target));
  if (options.json) {
    print_body(answer.body);
    return;
  }
  std::cout << render_inbox(answer.json, std::chrono::system_clock::now(),
                            detect_terminal_style(1));
}

}  // namespace

void add_inbox_command(CLI::App& app) {
  auto options = std::make_shared<InboxOptions>();
  CLI::App* command =
      app.add_subcommand("inbox", "received messages, newest first, long ones reassembled");
  add_client_options(*command, options->client);
  command->add_option("--limit", options->limit, "how many")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  command->add_option("--before", options->before, "only messages older than this id (paging)");
  command->add_option("--since", options->since,
                      "only messages received at or after this RFC 3339 time "
                      "(e.g. 2024-05-01T12:00:00Z)");
  command->add_option("--from", options->from, "only messages from this sender (as listed)");
  command->add_option("--modem", options->modem, "only messages received by this modem");
  command->add_flag("--json", options->json, "print the API's JSON page unchanged");
  command->callback([options] { run_inbox(*options); });
}

}  // namespace smsgw::cli
