// The smsgw subcommands. Each add_*_command registers one subcommand (one file each in
// src/cli) on the root app; main.cpp calls them. A subcommand's callback throws
// CliExit with the exit code it wants (contract: 0 success, 1 failure, 2 bad usage).
#pragma once

#include <CLI/CLI.hpp>

namespace smsgw::cli {

struct CliExit {
  int code;
};

// `smsgw pdu encode|decode` (src/cli/pdu_command.cpp).
void add_pdu_command(CLI::App& app);

// `smsgw scan [--probe] [--json] [--port PATH]` (src/cli/scan_command.cpp).
void add_scan_command(CLI::App& app);

// Client subcommands that reach the running daemon over its HTTP API (src/cli/*_command.cpp):
// `smsgw modems`, `smsgw balance`, `smsgw ussd`, `smsgw send`, `smsgw messages` and
// `smsgw message`, `smsgw inbox`.
void add_modems_command(CLI::App& app);
void add_balance_command(CLI::App& app);
void add_ussd_command(CLI::App& app);
void add_send_command(CLI::App& app);
void add_messages_command(CLI::App& app);  // registers `messages` and `message`
void add_inbox_command(CLI::App& app);
// `smsgw modem pause|resume|reset ID` (src/cli/modem_command.cpp).
void add_modem_command(CLI::App& app);

}  // namespace smsgw::cli
