// smsgw: the gateway daemon and its command-line client in one binary.
// This file only wires the subcommands together; each lives in src/cli.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "smsgw/cli/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"smsgw: an SMS gateway for banks of GSM modems"};
  app.set_version_flag("--version", "smsgw 0.1.0");
  app.require_subcommand(1);
  smsgw::cli::add_pdu_command(app);
  smsgw::cli::add_scan_command(app);
  smsgw::cli::add_modems_command(app);
  smsgw::cli::add_balance_command(app);
  smsgw::cli::add_ussd_command(app);
  smsgw::cli::add_send_command(app);
  smsgw::cli::add_messages_command(app);
  smsgw::cli::add_inbox_command(app);

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
