// `smsgw modems [--json]`: the modem/SIM table from GET /api/v1/modems.
//
// --json prints the API's body unchanged. The SENT column shows today's count over the
// daily limit when --config names the limits (the modem's own, else its operator's).
#include <fnmatch.h>

#include <iostream>
#include <memory>

#include "smsgw/cli/client_options.hpp"
#include "smsgw/cli/commands.hpp"
#include "smsgw/cli/views.hpp"
#include "smsgw/config/config.hpp"

namespace smsgw::cli {

namespace {

struct ModemsOptions {
  ClientOptions client;
  bool json = false;
};

std::optional<std::string> json_string(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return std::nullopt;
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

// Per-day limits by modem id: [[modem]] limits (port or glob match) override the limits of
// the SIM's [[operator]] (config.hpp Limits).
DailyLimits daily_limits(const config::Config& config, const nlohmann::json& modems) {
  DailyLimits limits;
  if (!modems.is_array()) return limits;
  for (const auto& modem : modems) {
    const auto id = json_string(modem, "id");
    if (!id) continue;
    const auto port = json_string(modem, "port").value_or("");
    std::optional<std::uint32_t> per_day;
    for (const auto& configured : config.modems) {
      const bool same = configured.id ? *configured.id == *id
                                      : fnmatch(configured.port.c_str(), port.c_str(), 0) == 0;
      if (same && configured.limits.per_day) {
        per_day = configured.limits.per_day;
        break;
      }
    }
    if (!per_day && modem.contains("operator")) {
      const auto name = json_string(modem["operator"], "name");
      for (const auto& op : config.operators) {
        if (name && op.name == *name && op.limits.per_day) per_day = op.limits.per_day;
      }
    }
    if (per_day) limits[*id] = *per_day;
  }
  return limits;
}

void run_modems(const ModemsOptions& options) {
  ApiClient client = make_client(options.client);
  const ApiAnswer answer = value_or_fail(client.call("GET", "/api/v1/modems"));
  if (options.json) {
    print_body(answer.body);
    return;
  }
  DailyLimits limits;
  if (!options.client.config_path.empty()) {
    if (auto config = config::load_config(options.client.config_path)) {
      limits = daily_limits(*config, answer.json);
    }
  }
  std::cout << render_modems(answer.json, std::chrono::system_clock::now(),
                             detect_terminal_style(1), limits);
}

}  // namespace

void add_modems_command(CLI::App& app) {
  auto options = std::make_shared<ModemsOptions>();
  CLI::App* command =
      app.add_subcommand("modems", "modem/SIM table: state, operator, signal, balance, sent today");
  add_client_options(*command, options->client);
  command->add_flag("--json", options->json, "print the API's JSON list unchanged");
  command->callback([options] { run_modems(*options); });
}

}  // namespace smsgw::cli
