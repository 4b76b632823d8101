// smsgw: the gateway daemon and its command-line client in one binary.
// This file only wires things together: the subcommands (each in src/cli) and, for
// `smsgw serve`, the gateway's parts (config -> store -> modems, dispatcher -> HTTP API).
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <exception>

#include "smsgw/cli/commands.hpp"
#include "smsgw/common/net.hpp"
#include "smsgw/config/config.hpp"
#include "smsgw/gateway/gateway.hpp"
#include "smsgw/gateway/logging.hpp"
#include "smsgw/http/server.hpp"
#include "smsgw/scheduler/operators.hpp"
#include "smsgw/store/store.hpp"
#include "smsgw/store/store_worker.hpp"

namespace {

// Runs the gateway in the foreground until SIGTERM or SIGINT. Exit codes: 0 after a clean
// stop, 2 for a configuration error (one line naming file, key and reason), 1 otherwise.
int serve(const std::string& config_path) {
  using namespace smsgw;
  auto loaded = config::load_config(config_path);
  if (!loaded) {
    std::fprintf(stderr, "smsgw: %s\n", loaded.error().message.c_str());
    return 2;
  }
  const config::Config cfg = std::move(*loaded);
  if (auto logging = gateway::configure_logging(cfg.log); !logging) {
    std::fprintf(stderr, "smsgw: %s: %s\n", config_path.c_str(), logging.error().message.c_str());
    return 2;
  }
  if (auto exposed = config::exposed_secrets_warning(config_path, cfg)) {
    spdlog::warn("config: {}", *exposed);
  }
  std::vector<scheduler::OperatorSpec> specs;
  for (const auto& op : cfg.operators) specs.push_back({op.name, op.mccmnc, op.prefixes});
  auto operators =
      scheduler::OperatorTable::create(std::move(specs), cfg.routing.default_country_code);
  if (!operators) {
    std::fprintf(stderr, "smsgw: %s: %s\n", config_path.c_str(), operators.error().message.c_str());
    return 2;
  }
  auto store = store::Store::open(cfg.store.path);
  if (!store) {
    std::fprintf(stderr, "smsgw: cannot open the store %s: %s\n", cfg.store.path.c_str(),
                 store.error().message.c_str());
    return 1;
  }

  asio::io_context io;  // not hint 1: the StoreWorker thread posts completions into it
  store::StoreWorker worker(io.get_executor(), std::move(*store));
  gateway::Gateway gw(io.get_executor(), cfg, worker, *operators);

  http::ServerOptions http_options;
  http_options.listen = cfg.http.listen;
  http_options.tokens = cfg.http.tokens;
  http_options.body_limit = cfg.http.body_limit;
  http_options.request_timeout =
      std::chrono::duration_cast<std::chrono::milliseconds>(cfg.http.request_timeout);
  http_options.max_connections = cfg.http.max_connections;
  auto server = http::Server::create(io.get_executor(), gw, http_options);
  if (!server) {
    std::fprintf(stderr, "smsgw: %s: http.listen: %s\n", config_path.c_str(),
                 server.error().message.c_str());
    return server.error().kind == ErrorCode::config ? 2 : 1;
  }
  spdlog::info("smsgw: listening on http://{}:{} with {} modem port pattern(s), store {}",
               (*server)->local_endpoint().address().to_string(),
               (*server)->local_endpoint().port(), cfg.modems.size(), cfg.store.path.string());

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("smsgw: signal {}: stopping (sends in flight finish first)", signal);
    (*server)->stop();
    gw.stop();
  });
  int stopped = 0;
  asio::co_spawn(io, (*server)->run(), [&](std::exception_ptr) { ++stopped; });
  asio::co_spawn(io, gw.run(), [&](std::exception_ptr e) {
    ++stopped;
    if (e) spdlog::critical("smsgw: the gateway stopped by a bug");
  });
  io.run();
  worker.stop();
  spdlog::info("smsgw: stopped");
  return stopped == 2 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"smsgw: an SMS gateway for banks of GSM modems"};
  app.set_version_flag("--version", "smsgw 0.1.0");
  app.require_subcommand(1);

  std::string config_path;
  auto* serve_cmd = app.add_subcommand("serve", "Run the gateway in the foreground");
  serve_cmd->add_option("--config", config_path, "Configuration file (TOML)")->required();
  serve_cmd->callback([&] { throw smsgw::cli::CliExit{serve(config_path)}; });

  smsgw::cli::add_pdu_command(app);
  smsgw::cli::add_scan_command(app);
  smsgw::cli::add_modems_command(app);
  smsgw::cli::add_balance_command(app);
  smsgw::cli::add_ussd_command(app);
  smsgw::cli::add_send_command(app);
  smsgw::cli::add_messages_command(app);
  smsgw::cli::add_inbox_command(app);
  smsgw::cli::add_modem_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;  // bad usage (contract: exit 2)
  } catch (const smsgw::cli::CliExit& e) {
    return e.code;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "smsgw: %s\n", e.what());
    return 1;
  }
  return 0;
}
