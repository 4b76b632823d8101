// `smsgw modem pause|resume|reset ID`: live control of one modem through
// POST /api/v1/modems/{id}/pause, /resume and /reset (contract.md "Live control").
//
// Prints one line saying what happened ("modem0: paused by api at 2024-05-01T12:00:00Z");
// --json prints the API's answer (the modem as GET /api/v1/modems shows it) unchanged.
// Exit codes: 0 done, 1 refused or failed (one line on stderr: the gateway's reason, e.g.
// a reset already running), 2 bad usage (no action, no ID).
#include <iostream>
#include <memory>

#include "smsgw/cli/client_options.hpp"
#include "smsgw/cli/commands.hpp"

namespace smsgw::cli {

namespace {

struct ModemActionOptions {
  ClientOptions client;
  std::string action;  // "pause", "resume", "reset"
  std::string modem;
  bool json = false;
};

std::string string_field(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void run_modem_action(const ModemActionOptions& options) {
  ApiClient client = make_client(options.client);
  const nlohmann::json empty = nlohmann::json::object();
  const ApiAnswer answer = value_or_fail(client.call(
      "POST", "/api/v1/modems/" + encode_path_segment(options.modem) + "/" + options.action,
      &empty));
  if (options.json) {
    print_body(answer.body);
    return;
  }
  const auto& modem = answer.json;
  const std::string paused = string_field(modem, "paused");
  std::string line = options.modem + ": ";
  if (options.action == "pause") {
    line += "paused by " + string_field(modem, "paused_by");
    if (auto at = string_field(modem, "paused_at"); !at.empty()) line += " at " + at;
    line += "; it takes no new message until `smsgw modem resume " + options.modem + "`";
  } else if (options.action == "resume") {
    line +=
        paused.empty() ? "resumed" : "resumed from the manual pause, still held back: " + paused;
  } else {
    line += "reset started (state " + string_field(modem, "state") +
            "); `smsgw modems` shows when it is ready again";
  }
  std::cout << line << '\n';
  std::cout.flush();
}

void add_action(CLI::App& modem, const char* name, const char* description) {
  auto options = std::make_shared<ModemActionOptions>();
  options->action = name;
  CLI::App* command = modem.add_subcommand(name, description);
  add_client_options(*command, options->client);
  command->add_option("ID", options->modem, "the modem's id, as `smsgw modems` lists it")
      ->required();
  command->add_flag("--json", options->json, "print the API's JSON answer unchanged");
  command->callback([options] { run_modem_action(*options); });
}

}  // namespace

void add_modem_command(CLI::App& app) {
  CLI::App* modem = app.add_subcommand("modem", "live control of one modem: pause, resume, reset");
  modem->require_subcommand(1);
  add_action(*modem, "pause",
             "its SIM takes no new message until resumed (kept across restarts, by ICCID)");
  add_action(*modem, "resume", "end a manual pause of its SIM");
  add_action(*modem, "reset", "reopen its port, switch the radio off and on, initialise again");
}

}  // namespace smsgw::cli
