// The man page and bash completion are read off a CLI11 app: every visible command and
// option, nothing hidden, roff and shell text escaped.
#include "smsgw/cli/command_docs.hpp"

#include <gtest/gtest.h>

#include <string>

namespace smsgw::cli {
namespace {

struct Sample {
  CLI::App app{"tool: does things to widgets"};
  std::string text;
  int count = 0;
  bool flag = false;
  std::string mode = "fast";

  Sample() {
    app.set_version_flag("--version", "tool 1.0");
    auto* make = app.add_subcommand("make", "make a widget");
    make->add_option("--name", text, "the widget's name")->required();
    make->add_option("--count", count, "how many")->check(CLI::PositiveNumber);
    make->add_option("--mode", mode, "fast or slow\n.dot at a line start, back\\slash")
        ->capture_default_str()
        ->check(CLI::IsMember({"fast", "slow"}));
    make->add_option("--token", text, "secret")->envname("TOOL_TOKEN");
    make->add_option("--from", text, "read from this file")->check(CLI::ExistingFile);
    auto* group = make->add_option_group("extra");
    group->add_flag("--loud", flag, "shout");
    auto* widget = app.add_subcommand("widget", "widget commands");
    auto* remove = widget->add_subcommand("remove-all", "remove every widget");
    remove->add_option("ID", text, "which one")->required();
    app.add_subcommand("secret", "not shown")->group("");
    make->add_flag("--quiet", flag, "not shown either")->group("");
  }
};

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(ManPage, HasEveryVisibleCommandAndOption) {
  Sample sample;
  const auto page = man_page(sample.app, "tool", "tool 1.0");
  EXPECT_TRUE(has(page, ".TH TOOL 1 \"\" \"tool 1.0\" \"User Commands\"\n")) << page;
  EXPECT_TRUE(has(page, ".SH NAME\ntool \\- does things to widgets\n")) << page;
  EXPECT_TRUE(has(page, ".SS \"tool make\"\n")) << page;
  EXPECT_TRUE(has(page, ".SS \"tool widget\"\n")) << page;
  EXPECT_TRUE(has(page, ".SS \"tool widget remove\\-all\"\n")) << page;
  // Synopsis: required options and positionals spelled out.
  EXPECT_TRUE(has(page, "\\fBtool make\\fR \\fB\\-\\-name\\fR \\fITEXT\\fR [\\fIoptions\\fR]\n"))
      << page;
  EXPECT_TRUE(has(page, "\\fBtool widget remove\\-all\\fR \\fIID\\fR\n")) << page;
  EXPECT_TRUE(has(page, "\\fB\\-\\-count\\fR \\fIINT:POSITIVE\\fR\nhow many\n")) << page;
  EXPECT_TRUE(has(page, "\\fB\\-\\-loud\\fR\nshout\n")) << page;  // from the option group
  EXPECT_TRUE(has(page, "secret (environment: TOOL_TOKEN)")) << page;
  EXPECT_TRUE(has(page, ".SH ENVIRONMENT\n.TP\n\\fBTOOL_TOKEN\\fR\nsecret\n")) << page;
  EXPECT_TRUE(has(page, "\\fB\\-\\-version\\fR\n")) << page;
  EXPECT_FALSE(has(page, "secret\"")) << page;
  EXPECT_FALSE(has(page, "not shown")) << page;
}

TEST(ManPage, EscapesRoffControlCharacters) {
  Sample sample;
  const auto page = man_page(sample.app, "tool", "tool 1.0");
  // A description line starting with "." would be a request; a backslash an escape.
  EXPECT_TRUE(has(page, "fast or slow\n\\&.dot at a line start, back\\eslash (default: fast)\n"))
      << page;
}

TEST(BashCompletion, TablesForEveryCommandPath) {
  Sample sample;
  const auto script = bash_completion(sample.app, "tool");
  EXPECT_TRUE(has(script, "    '') printf '%s\\n' 'make widget' ;;\n")) << script;
  EXPECT_TRUE(has(script, "    'widget') printf '%s\\n' 'remove-all' ;;\n")) << script;
  EXPECT_TRUE(has(script,
                  "    'make') printf '%s\\n' '-h --help --name --count --mode --token "
                  "--from --loud' ;;\n"))
      << script;
  EXPECT_TRUE(has(script, "    'make|--mode') printf '%s\\n' 'words fast slow' ;;\n")) << script;
  EXPECT_TRUE(has(script, "    'make|--from') printf '%s\\n' 'file' ;;\n")) << script;
  EXPECT_TRUE(has(script, "    'make|--name') printf '%s\\n' 'file' ;;\n")) << script;
  EXPECT_TRUE(has(script, "    'make|--count') printf '%s\\n' 'none' ;;\n")) << script;
  EXPECT_FALSE(has(script, "'make|--loud'")) << script;  // a flag takes no value
  EXPECT_FALSE(has(script, "secret")) << script;
  EXPECT_FALSE(has(script, "--quiet")) << script;
  EXPECT_TRUE(has(script, "\ncomplete -F _tool tool\n")) << script;
}

}  // namespace
}  // namespace smsgw::cli
