// `smsgw balance [--modem ID] [--json]`: runs the operators' balance USSD through
// POST /api/v1/balance (all SIMs) or POST /api/v1/modems/{id}/balance (one).
//
// A spinner with the seconds waited runs on stderr while the modems answer (terminal only).
// Prints one row per SIM with the amount, the currency and the raw reply, or the SIM's
// error; --json prints the API's list unchanged. Exit 1 when any SIM has an error (after
// printing every SIM's result), so monitoring scripts notice.
#include <iostream>
#include <memory>

#include "smsgw/cli/client_options.hpp"
#include "smsgw/cli/commands.hpp"
#include "smsgw/cli/progress.hpp"
#include "smsgw/cli/views.hpp"

namespace smsgw::cli {

namespace {

// USSD sessions take seconds each and the gateway runs them one modem at a time.
constexpr double kBalanceTimeoutSeconds = 300;

struct BalanceOptions {
  ClientOptions client;
  std::string modem;
  bool json = false;
};

void run_balance(const BalanceOptions& options) {
  ApiClient client = make_client(options.client);
  const std::string target =
      options.modem.empty() ? "/api/v1/balance"
                            : "/api/v1/modems/" + encode_path_segment(options.modem) + "/balance";
  Spinner spinner(options.modem.empty() ? "checking balances..."
                                        : "checking the balance of " + options.modem + "...");
  client.set_on_wait([&spinner] { spinner.tick(); });
  const nlohmann::json empty = nlohmann::json::object();
  auto answer = client.call("POST", target, &empty);
  spinner.clear();
  const ApiAnswer result = value_or_fail(std::move(answer));

  if (options.json) {
    print_body(result.body);
  } else {
    std::cout << render_balances(result.json, std::chrono::system_clock::now(),
                                 detect_terminal_style(1));
    std::cout.flush();
  }
  std::size_t failed = 0, total = 0;
  if (result.json.is_array()) {
    for (const auto& entry : result.json) {
      ++total;
      if (entry.is_object() && entry.contains("error") && !entry["error"].is_null()) ++failed;
    }
  }
  if (failed > 0) {
    fail("the balance check failed on " + std::to_string(failed) + " of " + std::to_string(total) +
         (total == 1 ? " SIM" : " SIMs"));
  }
}

}  // namespace

void add_balance_command(CLI::App& app) {
  auto options = std::make_shared<BalanceOptions>();
  CLI::App* command = app.add_subcommand(
      "balance", "run the balance check (USSD) on one or all SIMs and print the amounts");
  add_client_options(*command, options->client, kBalanceTimeoutSeconds);
  command->add_option("--modem", options->modem, "check only this modem (its id)");
  command->add_flag("--json", options->json, "print the API's JSON list unchanged");
  command->callback([options] { run_balance(*options); });
}

}  // namespace smsgw::cli
