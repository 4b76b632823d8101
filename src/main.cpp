// smsgw: the gateway daemon and its command-line client in one binary.
// This file only wires things together: the subcommands (each in src/cli) and, for
// `smsgw serve`, the gateway's parts (config -> store -> modems, dispatcher -> HTTP API and,
// when [smpp] listen is set, the SMPP server over the gateway's SMPP backend).
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <exception>
#include <functional>

#include "smsgw/cli/command_docs.hpp"
#include "smsgw/cli/commands.hpp"
#include "smsgw/common/net.hpp"
#include "smsgw/common/version.hpp"
#include "smsgw/config/config.hpp"
#include "smsgw/gateway/gateway.hpp"
#include "smsgw/gateway/logging.hpp"
#include "smsgw/gateway/settings.hpp"
#include "smsgw/http/server.hpp"
#include "smsgw/scheduler/operators.hpp"
#include "smsgw/smpp_server/server.hpp"
#include "smsgw/store/queue_listener.hpp"
#include "smsgw/store/store.hpp"
#include "smsgw/store/store_worker.hpp"

namespace {

// Checks a config file as `smsgw serve` would read it, without starting anything. Exit 0
// (with a one-line summary) or 2 with the one-line error.
int check_config(const std::string& config_path) {
  using namespace smsgw;
  auto loaded = gateway::load_for_serving(config_path);
  if (!loaded) {
    std::fprintf(stderr, "smsgw: %s\n", loaded.error().message.c_str());
    return 2;
  }
  const auto& cfg = loaded->config;
  if (auto exposed = config::exposed_secrets_warning(config_path, cfg)) {
    std::fprintf(stderr, "smsgw: warning: %s\n", exposed->c_str());
  }
  std::printf(
      "%s: ok (%zu [[modem]], %zu [[operator]], %zu [[sim]], %zu [[client]], %zu "
      "[[webhook]])\n",
      config_path.c_str(), cfg.modems.size(), cfg.operators.size(), cfg.sims.size(),
      cfg.clients.size(), cfg.webhooks.size());
  return 0;
}

// SIGHUP: reads the config file again and applies what can change live; a file with an
// error is refused with the same one line as at start-up and the running config stays.
void reload(const std::string& config_path, smsgw::config::Config& running,
            smsgw::scheduler::OperatorTable& operators, smsgw::gateway::Gateway& gw,
            smsgw::http::Server& server) {
  using namespace smsgw;
  auto next = gateway::load_for_serving(config_path);
  if (!next) {
    spdlog::error("config reload refused, the running config stays: {}", next.error().message);
    return;
  }
  auto& cfg = next->config;
  if (cfg.http.listen != running.http.listen || cfg.http.body_limit != running.http.body_limit ||
      cfg.http.request_timeout != running.http.request_timeout ||
      cfg.http.max_connections != running.http.max_connections) {
    spdlog::warn(
        "config reload: [http] listen and connection limits apply after a restart "
        "(still listening on {})",
        running.http.listen);
  }
  if (cfg.smpp.listen != running.smpp.listen || cfg.smpp.window != running.smpp.window ||
      cfg.smpp.enquire_link_interval != running.smpp.enquire_link_interval ||
      cfg.smpp.enquire_link_timeout != running.smpp.enquire_link_timeout ||
      cfg.smpp.max_binds != running.smpp.max_binds) {
    spdlog::warn(
        "config reload: [smpp] listen, window, enquire_link_* and max_binds apply after a "
        "restart");
  }
  if (cfg.log.format != running.log.format) {
    spdlog::warn("config reload: log.format applies after a restart");
  }
  if (auto credentials =
          server.set_credentials(cfg.http.tokens, gateway::client_credentials(cfg.clients),
                                 gateway::sendsms_accounts(cfg.clients));
      !credentials) {
    spdlog::error("config reload refused, the running config stays: {}",
                  credentials.error().message);
    return;
  }
  spdlog::set_level(spdlog::level::from_str(cfg.log.level));
  operators = std::move(next->operators);  // in place: the gateway's parts refer to it
  // The listener and its connection limits stay as they run; tokens and callback settings
  // follow the file.
  cfg.http.listen = running.http.listen;
  cfg.http.listen_host = running.http.listen_host;
  cfg.http.listen_port = running.http.listen_port;
  cfg.http.listen_is_loopback = running.http.listen_is_loopback;
  cfg.http.body_limit = running.http.body_limit;
  cfg.http.request_timeout = running.http.request_timeout;
  cfg.http.max_connections = running.http.max_connections;
  running = cfg;
  gw.reconfigure(std::move(cfg), std::move(next->calendar));
  spdlog::info(
      "config reloaded from {}: {} [[modem]], {} [[operator]], {} [[sim]], {} "
      "[[client]], {} [[webhook]]",
      config_path, running.modems.size(), running.operators.size(), running.sims.size(),
      running.clients.size(), running.webhooks.size());
}

// Runs the gateway in the foreground until SIGTERM or SIGINT; SIGHUP reloads the config.
// Exit codes: 0 after a clean stop, 2 for a configuration error (one line naming file, key
// and reason), 1 otherwise.
int serve(const std::string& config_path) {
  using namespace smsgw;
  // A SIGHUP before the reload handler is in place must not end the process.
  std::signal(SIGHUP, SIG_IGN);
  auto loaded = gateway::load_for_serving(config_path);
  if (!loaded) {
    std::fprintf(stderr, "smsgw: %s\n", loaded.error().message.c_str());
    return 2;
  }
  config::Config cfg = loaded->config;
  if (auto logging = gateway::configure_logging(cfg.log); !logging) {
    std::fprintf(stderr, "smsgw: %s: %s\n", config_path.c_str(), logging.error().message.c_str());
    return 2;
  }
  if (auto exposed = config::exposed_secrets_warning(config_path, cfg)) {
    spdlog::warn("config: {}", *exposed);
  }
  scheduler::OperatorTable& operators = loaded->operators;
  store::StoreOptions store_options;
  store_options.node = cfg.node.name;
  store_options.password_file = cfg.store.password_file;
  // The shared PostgreSQL store of several nodes ([store] url), else the SQLite file.
  const std::string store_name = cfg.store.name_for_log();
  auto store = cfg.store.shared() ? store::Store::open_url(cfg.store.url, store_options)
                                  : store::Store::open(cfg.store.path, store_options);
  if (!store) {
    std::fprintf(stderr, "smsgw: cannot open the store %s: %s\n", store_name.c_str(),
                 store.error().message.c_str());
    return 1;
  }
  spdlog::info("smsgw: node {} ({}), store {}{}", cfg.node.name, cfg.node.url,
               cfg.store.shared() ? "shared by several nodes: " : "", store_name);

  asio::io_context io;  // not hint 1: the StoreWorker thread posts completions into it
  store::StoreWorker worker(io.get_executor(), std::move(*store));
  gateway::Gateway gw(io.get_executor(), cfg, worker, operators, std::move(loaded->calendar));

  http::ServerOptions http_options;
  http_options.listen = cfg.http.listen;
  http_options.tokens = cfg.http.tokens;
  http_options.clients = gateway::client_credentials(cfg.clients);
  http_options.sendsms_accounts = gateway::sendsms_accounts(cfg.clients);
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
  std::unique_ptr<smpp_server::Server> smpp;
  std::string smpp_address;
  if (!cfg.smpp.listen.empty()) {
    smpp_server::ServerOptions smpp_options;
    smpp_options.listen = cfg.smpp.listen;
    smpp_options.window = cfg.smpp.window;
    smpp_options.enquire_link_interval = cfg.smpp.enquire_link_interval;
    smpp_options.enquire_link_timeout = cfg.smpp.enquire_link_timeout;
    smpp_options.max_binds = cfg.smpp.max_binds;
    auto created = smpp_server::Server::create(io.get_executor(), gw.smpp_backend(), smpp_options);
    if (!created) {
      std::fprintf(stderr, "smsgw: %s: smpp.listen: %s\n", config_path.c_str(),
                   created.error().message.c_str());
      return created.error().kind == ErrorCode::config ? 2 : 1;
    }
    smpp = std::move(*created);
    const auto endpoint = smpp->local_endpoint();
    const auto address = endpoint.address();
    smpp_address = " and smpp://" +
                   (address.is_v6() ? "[" + address.to_string() + "]" : address.to_string()) + ":" +
                   std::to_string(endpoint.port());
  }
  spdlog::info("smsgw: listening on http://{}:{}{} with {} modem port pattern(s), store {}",
               (*server)->local_endpoint().address().to_string(),
               (*server)->local_endpoint().port(), smpp_address, cfg.modems.size(), store_name);

  // A shared store wakes the dispatcher when another node queues or releases messages
  // (LISTEN smsgw_queue); without it the [node] poll still reads the queue.
  std::unique_ptr<store::QueueListener> listener;
  if (cfg.store.shared()) {
    auto started = store::QueueListener::start(cfg.store.url, cfg.store.password_file,
                                               "smsgw_queue", [&gw] { gw.request_reload(); });
    if (started) {
      listener = std::move(*started);
    } else {
      spdlog::warn("store: no queue wake-ups ({}); the queue is read every [node] poll ({} ms)",
                   started.error().message, cfg.node.poll.count());
    }
  }

  asio::signal_set hangups(io, SIGHUP);
  std::function<void()> wait_for_hangup = [&] {
    hangups.async_wait([&](const error_code& ec, int) {
      if (ec) return;
      spdlog::info("smsgw: SIGHUP: reloading {}", config_path);
      reload(config_path, cfg, operators, gw, **server);
      wait_for_hangup();
    });
  };
  wait_for_hangup();
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("smsgw: signal {}: stopping (sends in flight finish first)", signal);
    hangups.cancel();
    (*server)->stop();
    if (smpp) smpp->stop();
    gw.stop();
  });
  int stopped = 0;
  const int parts = smpp ? 3 : 2;
  asio::co_spawn(io, (*server)->run(), [&](std::exception_ptr) { ++stopped; });
  if (smpp) asio::co_spawn(io, smpp->run(), [&](std::exception_ptr) { ++stopped; });
  asio::co_spawn(io, gw.run(), [&](std::exception_ptr e) {
    ++stopped;
    if (e) spdlog::critical("smsgw: the gateway stopped by a bug");
  });
  io.run();
  listener.reset();  // its thread stops before the gateway it calls goes
  worker.stop();
  spdlog::info("smsgw: stopped");
  return stopped == parts ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"smsgw: an SMS gateway for banks of GSM modems"};
  const std::string version = "smsgw " + std::string(smsgw::kVersion);
  app.set_version_flag("--version", version);
  app.require_subcommand(1);
  // Hidden: the man page and bash completion, generated from this app at build time.
  smsgw::cli::add_docs_commands(app, "smsgw", version);

  std::string config_path;
  auto* serve_cmd = app.add_subcommand("serve", "Run the gateway in the foreground");
  serve_cmd->add_option("--config", config_path, "Configuration file (TOML)")->required();
  serve_cmd->callback([&] { throw smsgw::cli::CliExit{serve(config_path)}; });

  auto* check_cmd = app.add_subcommand(
      "check-config", "Check a configuration file as `smsgw serve` would read it, and exit");
  check_cmd->add_option("--config", config_path, "Configuration file (TOML)")->required();
  check_cmd->callback([&] { throw smsgw::cli::CliExit{check_config(config_path)}; });

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
