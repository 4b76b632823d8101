// `smsgw messages [--status S] [--to NUMBER] [--modem ID] [--reference R] [--client C]
// [--limit N] [--before ID] [--json]`: recent messages, newest first (GET /api/v1/messages;
// the gateway normalises --to as it does a submission's); `smsgw message ID [--json]`: one
// message with its parts and event log (GET /api/v1/messages/{id}). --json prints the API's
// body unchanged.
#include <iostream>
#include <memory>

#include "smsgw/cli/client_options.hpp"
#include "smsgw/cli/commands.hpp"
#include "smsgw/cli/views.hpp"

namespace smsgw::cli {

namespace {

struct MessagesOptions {
  ClientOptions client;
  std::string status;
  std::string reference;
  std::string client_name;
  std::string to;
  std::string modem;
  int limit = 50;
  std::string before;
  bool json = false;
};

struct MessageOptions {
  ClientOptions client;
  std::string id;
  bool json = false;
};

void run_messages(const MessagesOptions& options) {
  ApiClient client = make_client(options.client);
  std::string target = "/api/v1/messages?limit=" + std::to_string(options.limit);
  if (!options.status.empty()) target += "&status=" + encode_query_value(options.status);
  if (!options.before.empty()) target += "&before=" + encode_query_value(options.before);
  if (!options.reference.empty()) {
    target += "&reference=" + encode_query_value(options.reference);
  }
  if (!options.client_name.empty()) {
    target += "&client=" + encode_query_value(options.client_name);
  }
  if (!options.to.empty()) target += "&to=" + encode_query_value(options.to);
  if (!options.modem.empty()) target += "&modem=" + encode_query_value(options.modem);
  const ApiAnswer answer = value_or_fail(client.call("GET", target));
  if (options.json) {
    print_body(answer.body);
    return;
  }
  std::cout << render_messages(answer.json, std::chrono::system_clock::now(),
                               detect_terminal_style(1));
}

void run_message(const MessageOptions& options) {
  ApiClient client = make_client(options.client);
  const ApiAnswer answer =
      value_or_fail(client.call("GET", "/api/v1/messages/" + encode_path_segment(options.id)));
  if (options.json) {
    print_body(answer.body);
    return;
  }
  std::cout << render_message(answer.json, std::chrono::system_clock::now(),
                              detect_terminal_style(1));
}

}  // namespace

void add_messages_command(CLI::App& app) {
  auto list = std::make_shared<MessagesOptions>();
  CLI::App* messages = app.add_subcommand("messages", "recent messages, newest first");
  add_client_options(*messages, list->client);
  messages->add_option("--status", list->status, "only messages with this status")
      ->check(CLI::IsMember(
          {"queued", "sending", "sent", "delivered", "failed", "expired", "cancelled", "unknown"}));
  messages->add_option("--limit", list->limit, "how many")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  messages->add_option("--before", list->before, "only messages older than this id (paging)");
  messages->add_option("--reference", list->reference, "only messages with this reference");
  messages->add_option("--client", list->client_name, "only messages of this API client");
  messages->add_option("--to", list->to,
                       "only messages to this number (written as for `smsgw send --to`)");
  messages->add_option("--modem", list->modem, "only messages sent through this modem id");
  messages->add_flag("--json", list->json, "print the API's JSON page unchanged");
  messages->callback([list] { run_messages(*list); });

  auto one = std::make_shared<MessageOptions>();
  CLI::App* message = app.add_subcommand("message", "one message with its parts and event log");
  add_client_options(*message, one->client);
  message->add_option("ID", one->id, "the message id")->required();
  message->add_flag("--json", one->json, "print the API's JSON answer unchanged");
  message->callback([one] { run_message(*one); });
}

}  // namespace smsgw::cli
