// Documentation generated from the CLI11 command tree itself, so every subcommand and option
// registered on the app (now or later) appears without a second list to keep in step.
//
// A subcommand or option is documented unless CLI11 hides it (group ""); an option group
// (a nameless subcommand) contributes its options to its parent.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>

namespace smsgw::cli {

// The man page smsgw(1) in roff with the man(7) macros: NAME and DESCRIPTION from the root's
// description, the root's own options, then one subsection per command (nested commands as
// "smsgw pdu encode") with a synopsis (required options and positionals spelled out) and
// every option with its value type, default, environment variable and description; the
// environment variables any option reads; exit status; files. `name` is the program's name
// ("smsgw"; the root app's own name is argv[0] once parsed), `version` the footer text
// ("smsgw 0.1.0").
std::string man_page(const CLI::App& root, const std::string& name, std::string_view version);

// A bash completion script defining _<name>() and registering it (`complete -F`) for
// `name`. It completes subcommands at every level, each command's own options after
// "-", and an option's value after the option: the choices of a CLI11 IsMember check, file
// names for file/path values and plain text values, nothing for numbers.
std::string bash_completion(const CLI::App& root, const std::string& name);

// Hidden subcommands (not in --help) that print or write the two documents for `app`:
// `smsgw man-page [--output FILE]` and `smsgw bash-completion [--output FILE]`. The build
// runs them to generate the installed man page and completion (src/CMakeLists.txt).
void add_docs_commands(CLI::App& app, std::string name, std::string version);

}  // namespace smsgw::cli
