// `smsgw ussd --modem ID CODE`: sends any USSD code through
// POST /api/v1/modems/{id}/ussd and prints the reply text.
//
// The code is checked by the gateway (TS 22.090: digits, * and #). A reply that is a menu
// waiting for an answer (status "action_required") is noted on stderr.
#include <iostream>
#include <memory>

#include "smsgw/cli/client_options.hpp"
#include "smsgw/cli/commands.hpp"
#include "smsgw/cli/progress.hpp"

namespace smsgw::cli {

namespace {

constexpr double kUssdTimeoutSeconds = 120;

struct UssdOptions {
  ClientOptions client;
  std::string modem;
  std::string code;
  bool json = false;
};

void run_ussd(const UssdOptions& options) {
  ApiClient client = make_client(options.client);
  Spinner spinner("waiting for the network's reply...");
  client.set_on_wait([&spinner] { spinner.tick(); });
  const nlohmann::json body{{"code", options.code}};
  auto answer =
      client.call("POST", "/api/v1/modems/" + encode_path_segment(options.modem) + "/ussd", &body);
  spinner.clear();
  const ApiAnswer result = value_or_fail(std::move(answer));
  if (options.json) {
    print_body(result.body);
    return;
  }
  const auto& reply = result.json;
  const std::string text =
      reply.is_object() && reply.contains("response") && reply["response"].is_string()
          ? reply["response"].get<std::string>()
          : std::string();
  const std::string status =
      reply.is_object() && reply.contains("status") && reply["status"].is_string()
          ? reply["status"].get<std::string>()
          : std::string();
  if (text.empty()) {
    std::cout << "(no reply text; the session ended with status " << (status.empty() ? "?" : status)
              << ")\n";
  } else {
    std::cout << text << '\n';
  }
  std::cout.flush();
  if (status == "action_required") {
    std::cerr << "smsgw: the network's menu expects an answer (status action_required)\n";
  }
}

}  // namespace

void add_ussd_command(CLI::App& app) {
  auto options = std::make_shared<UssdOptions>();
  CLI::App* command = app.add_subcommand("ussd", "send any USSD code, print the reply text");
  add_client_options(*command, options->client, kUssdTimeoutSeconds);
  command->add_option("--modem", options->modem, "the modem (its id) to send it from")->required();
  command->add_option("CODE", options->code, "the USSD code, e.g. *100#")->required();
  command->add_flag("--json", options->json, "print the API's JSON answer unchanged");
  command->callback([options] { run_ussd(*options); });
}

}  // namespace smsgw::cli
