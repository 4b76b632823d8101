#include "smsgw/cli/command_docs.hpp"

#include <cctype>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <vector>

#include "smsgw/cli/client_options.hpp"
#include "smsgw/cli/commands.hpp"

namespace smsgw::cli {
namespace {

// ---- The command tree -----------------------------------------------------------------

bool hidden(const CLI::App& app) { return app.get_group().empty(); }

// Named, visible subcommands in the order they were added.
std::vector<const CLI::App*> commands_of(const CLI::App& app) {
  return app.get_subcommands(
      [](const CLI::App* sub) { return !sub->get_name().empty() && !hidden(*sub); });
}

// Visible options of `app`, with those of its option groups (nameless subcommands).
std::vector<const CLI::Option*> options_of(const CLI::App& app) {
  auto options = app.get_options([](const CLI::Option* o) { return !o->get_group().empty(); });
  for (const CLI::App* group :
       app.get_subcommands([](const CLI::App* sub) { return sub->get_name().empty(); })) {
    for (const CLI::Option* o : options_of(*group)) {
      if (o != group->get_help_ptr()) options.push_back(o);
    }
  }
  return options;
}

// Flags (and --help, --version) expect no value (CLI11 sets expected(0) for them).
bool takes_value(const CLI::Option& option) {
  return option.get_expected_max() > 0 && option.get_type_size_max() > 0;
}

// "-h", "--help": every name an option answers to on the command line.
std::vector<std::string> switches_of(const CLI::Option& option) {
  std::vector<std::string> names;
  for (const auto& name : option.get_snames()) names.push_back("-" + name);
  for (const auto& name : option.get_lnames()) names.push_back("--" + name);
  return names;
}

// The value's placeholder as --help shows it ("TEXT", "INT:POSITIVE", "TEXT:{a,b}").
std::string value_name(const CLI::Option& option) {
  std::string type = option.get_type_name();
  return type.empty() ? "VALUE" : type;
}

// The parts of a CLI11 type name: "TEXT:{auto,gsm7}" -> "TEXT", "{auto,gsm7}".
std::vector<std::string> type_parts(const std::string& type) {
  std::vector<std::string> parts;
  std::size_t depth = 0;
  std::string part;
  for (char c : type) {
    if (c == '{' || c == '[') ++depth;
    if ((c == '}' || c == ']') && depth > 0) --depth;
    if (c == ':' && depth == 0) {
      parts.push_back(part);
      part.clear();
      continue;
    }
    part += c;
  }
  parts.push_back(part);
  return parts;
}

// How the completion offers an option's value: "words a b" for a CLI11 IsMember check,
// "file" for a file or path check and for plain text (bash's own default), "none" for
// numbers and other checked values.
std::string value_completion(const CLI::Option& option) {
  const auto parts = type_parts(option.get_type_name());
  for (const auto& part : parts) {
    if (part.size() > 2 && part.front() == '{' && part.back() == '}') {
      std::string words = part.substr(1, part.size() - 2);
      for (char& c : words) {
        if (c == ',') c = ' ';
      }
      return "words " + words;
    }
    if (part == "FILE" || part == "DIR" || part.rfind("PATH", 0) == 0) return "file";
  }
  return parts.size() == 1 && parts.front() == "TEXT" ? "file" : "none";
}

// ---- roff -------------------------------------------------------------------------------

// Text for a roff text line (groff_man(7)): backslash as \e, hyphen-minus as \- (so options
// copy and paste as typed), and a line that would start with a control character (. or ')
// protected with \&.
std::string roff(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    line_start = c == '\n';
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
  }
  return out;
}

std::string bold(std::string_view text) { return "\\fB" + roff(text) + "\\fR"; }
std::string italic(std::string_view text) { return "\\fI" + roff(text) + "\\fR"; }

std::string option_usage(const CLI::Option& option) {
  if (option.get_positional() && !option.nonpositional()) return italic(option.get_name(true));
  const auto names = switches_of(option);
  std::string usage = bold(names.back());
  if (takes_value(option)) usage += " " + italic(value_name(option));
  return usage;
}

std::string synopsis(const CLI::App& command, const std::string& path) {
  std::string line = bold(path);
  if (!commands_of(command).empty()) return line + " " + italic("command") + " [...]";
  bool optional = false;
  for (const CLI::Option* option : options_of(command)) {
    if (option->get_positional() && !option->nonpositional()) continue;
    if (option == command.get_help_ptr()) continue;
    if (option->get_required()) {
      line += " " + option_usage(*option);
    } else {
      optional = true;
    }
  }
  if (optional) line += " [" + italic("options") + "]";
  for (const CLI::Option* option : options_of(command)) {
    if (option->get_positional() && !option->nonpositional()) line += " " + option_usage(*option);
  }
  return line;
}

void write_option(std::ostream& out, const CLI::Option& option) {
  out << ".TP\n";
  if (option.get_positional() && !option.nonpositional()) {
    out << option_usage(option) << "\n";
  } else {
    std::string names;
    for (const auto& name : switches_of(option)) names += (names.empty() ? "" : ", ") + bold(name);
    if (takes_value(option)) names += " " + italic(value_name(option));
    out << names << "\n";
  }
  std::string notes;
  const auto note = [&](const std::string& text) { notes += (notes.empty() ? "" : "; ") + text; };
  if (option.get_required()) note("required");
  if (!option.get_default_str().empty()) note("default: " + option.get_default_str());
  if (!option.get_envname().empty()) note("environment: " + option.get_envname());
  out << roff(option.get_description());
  if (!notes.empty()) out << " (" << roff(notes) << ")";
  out << "\n";
}

void write_commands(std::ostream& out, const CLI::App& app, const std::string& path,
                    std::map<std::string, std::string>& environment) {
  for (const CLI::App* command : commands_of(app)) {
    const std::string name = path + " " + command->get_name();
    out << ".SS \"" << roff(name) << "\"\n" << synopsis(*command, name) << "\n.PP\n";
    out << roff(command->get_description()) << "\n";
    const auto subcommands = commands_of(*command);
    if (!subcommands.empty()) {
      std::string names;
      for (const CLI::App* sub : subcommands)
        names += (names.empty() ? "" : ", ") + bold(sub->get_name());
      out << ".PP\nCommands: " << names << ".\n";
    }
    for (const CLI::Option* option : options_of(*command)) {
      if (option == command->get_help_ptr()) continue;
      write_option(out, *option);
      if (!option->get_envname().empty()) {
        environment.emplace(option->get_envname(), option->get_description());
      }
    }
    write_commands(out, *command, name, environment);
  }
}

// "smsgw: an SMS gateway ..." -> "an SMS gateway ...".
std::string summary_of(const CLI::App& root, const std::string& name) {
  std::string text = root.get_description();
  const std::string prefix = name + ": ";
  if (text.rfind(prefix, 0) == 0) text.erase(0, prefix.size());
  return text;
}

// ---- bash -------------------------------------------------------------------------------

// One word in single quotes for bash.
std::string shell_quoted(std::string_view word) {
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

struct CompletionTables {
  std::vector<std::pair<std::string, std::string>> subcommands;  // path -> words
  std::vector<std::pair<std::string, std::string>> options;      // path -> words
  std::vector<std::pair<std::string, std::string>> values;       // "path|--opt" -> kind
};

void collect(const CLI::App& app, const std::string& path, CompletionTables& tables) {
  std::string subcommands;
  for (const CLI::App* command : commands_of(app)) {
    subcommands += (subcommands.empty() ? "" : " ") + command->get_name();
  }
  if (!subcommands.empty()) tables.subcommands.emplace_back(path, subcommands);
  std::string switches;
  for (const CLI::Option* option : options_of(app)) {
    for (const auto& name : switches_of(*option)) {
      switches += (switches.empty() ? "" : " ") + name;
      if (takes_value(*option)) {
        tables.values.emplace_back(path + "|" + name, value_completion(*option));
      }
    }
  }
  if (!switches.empty()) tables.options.emplace_back(path, switches);
  for (const CLI::App* command : commands_of(app)) {
    collect(*command, path.empty() ? command->get_name() : path + " " + command->get_name(),
            tables);
  }
}

void write_case(std::ostream& out, const std::string& function, const std::string& comment,
                const std::vector<std::pair<std::string, std::string>>& entries) {
  out << "# " << comment << "\n" << function << "() {\n  case $1 in\n";
  for (const auto& [key, words] : entries) {
    out << "    " << shell_quoted(key) << ") printf '%s\\n' " << shell_quoted(words) << " ;;\n";
  }
  out << "    *) return 1 ;;\n  esac\n}\n\n";
}

// The completion function; '@' stands for "_<name>". The command path is the subcommands
// among the words before the cursor; an option's value is skipped, and the cursor's word
// completes that value when it follows its option.
constexpr std::string_view kCompletionFunction = R"sh(@() {
  local cur=${COMP_WORDS[COMP_CWORD]} path='' word sub kind='' i
  COMPREPLY=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    [[ $word == -*=* ]] && continue
    if [[ $word == -* ]]; then
      if kind=$(@_value "$path|$word"); then
        ((i + 1 == COMP_CWORD)) && break
        i=$((i + 1))
      fi
      kind=''
      continue
    fi
    for sub in $(@_subcommands "$path"); do
      if [[ $sub == "$word" ]]; then
        path=${path:+$path }$word
        break
      fi
    done
  done
  case $kind in
    words\ *)
      mapfile -t COMPREPLY < <(compgen -W "${kind#words }" -- "$cur")
      return 0
      ;;
    file)
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      return 0
      ;;
    none) return 0 ;;
  esac
  local subcommands
  subcommands=$(@_subcommands "$path")
  if [[ $cur == -* || -z $subcommands ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(@_options "$path")" -- "$cur")
  else
    mapfile -t COMPREPLY < <(compgen -W "$subcommands" -- "$cur")
  fi
  return 0
}
)sh";

void write_output(const std::string& text, const std::string& path) {
  if (path.empty()) {
    std::cout << text;
    std::cout.flush();
    return;
  }
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) fail("cannot write " + path);
}

}  // namespace

std::string man_page(const CLI::App& root, const std::string& name, std::string_view version) {
  std::ostringstream out;
  std::string title = name;
  for (char& c : title) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  out << ".\\\" Generated from the command-line definitions of " << name
      << " (its hidden `man-page` command); not edited by hand.\n";
  out << ".TH " << title << " 1 \"\" \"" << roff(version) << "\" \"User Commands\"\n";
  out << ".SH NAME\n" << roff(name) << " \\- " << roff(summary_of(root, name)) << "\n";
  out << ".SH SYNOPSIS\n"
      << bold(name) << " " << italic("command") << " [" << italic("options") << "]\n";
  out << ".SH DESCRIPTION\n"
      << bold(name) << " is " << roff(summary_of(root, name)) << ".\n"
      << "Each command is described below with its own options; " << bold(name) << " "
      << italic("command") << " " << bold("--help") << " prints the same.\n";
  out << ".SH OPTIONS\n";
  for (const CLI::Option* option : options_of(root)) write_option(out, *option);
  out << ".SH COMMANDS\n";
  std::map<std::string, std::string> environment;
  write_commands(out, root, name, environment);
  if (!environment.empty()) {
    out << ".SH ENVIRONMENT\n";
    for (const auto& [variable, description] : environment) {
      out << ".TP\n" << bold(variable) << "\n" << roff(description) << "\n";
    }
  }
  out << ".SH EXIT STATUS\n"
      << ".TP\n0\nSuccess.\n"
      << ".TP\n1\nFailure, with one line on standard error saying why.\n"
      << ".TP\n2\nBad usage, or (for " << bold("serve") << ") an error in the configuration.\n"
      << ".TP\n3\n"
      << bold("send --wait")
      << ": the message's outcome is unknown and no status report can settle it.\n";
  out << ".SH FILES\n.TP\n"
      << italic("/etc/smsgw/smsgw.toml") << "\nThe configuration " << bold("serve") << " reads ("
      << bold("--config") << ").\n";
  out << ".SH SEE ALSO\n" << italic("/usr/share/doc/smsgw/README.md") << "\n";
  return out.str();
}

std::string bash_completion(const CLI::App& root, const std::string& name) {
  CompletionTables tables;
  collect(root, "", tables);
  const std::string prefix = "_" + name;
  std::ostringstream out;
  out << "# bash completion for " << name << ", generated from its command-line definitions\n"
      << "# (its hidden `bash-completion` command); not edited by hand.\n\n";
  write_case(out, prefix + "_subcommands", "The subcommands of a command path (\"\" is the root).",
             tables.subcommands);
  write_case(out, prefix + "_options", "The options of a command path.", tables.options);
  write_case(out, prefix + "_value",
             "For \"PATH|OPTION\" when the option takes a value: \"words ...\", \"file\" or "
             "\"none\".",
             tables.values);
  std::string script(kCompletionFunction);
  for (std::size_t at = script.find('@'); at != std::string::npos; at = script.find('@', at)) {
    script.replace(at, 1, prefix);
    at += prefix.size();
  }
  out << script << "complete -F " << prefix << " " << name << "\n";
  return out.str();
}

void add_docs_commands(CLI::App& app, std::string name, std::string version) {
  auto output = std::make_shared<std::string>();
  CLI::App* man = app.add_subcommand("man-page", "print the man page smsgw(1) (roff)");
  man->group("");
  man->add_option("--output", *output, "write it to this file instead");
  man->callback([&app, output, name, version] {
    write_output(man_page(app, name, version), *output);
    throw CliExit{0};
  });
  CLI::App* bash = app.add_subcommand("bash-completion", "print the bash completion script");
  bash->group("");
  bash->add_option("--output", *output, "write it to this file instead");
  bash->callback([&app, output, name] {
    write_output(bash_completion(app, name), *output);
    throw CliExit{0};
  });
}

}  // namespace smsgw::cli
