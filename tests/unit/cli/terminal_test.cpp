// Width, colour and UTF-8 decisions from the environment.
#include "smsgw/cli/terminal.hpp"

#include <gtest/gtest.h>

namespace smsgw::cli {
namespace {

TEST(TerminalStyle, PipedOutputIsEightyColumnsWithoutColour) {
  TerminalEnvironment environment;
  environment.term = "xterm-256color";
  const TerminalStyle style = terminal_style(environment);
  EXPECT_EQ(style.width, 80);
  EXPECT_FALSE(style.colour);
}

TEST(TerminalStyle, ATerminalGetsColourAndItsWidth) {
  TerminalEnvironment environment;
  environment.is_terminal = true;
  environment.window_columns = 132;
  const TerminalStyle style = terminal_style(environment);
  EXPECT_EQ(style.width, 132);
  EXPECT_TRUE(style.colour);
}

TEST(TerminalStyle, ColumnsOverridesTheWindowAndIgnoresGarbage) {
  TerminalEnvironment environment;
  environment.is_terminal = true;
  environment.window_columns = 132;
  environment.columns = "60";
  EXPECT_EQ(terminal_style(environment).width, 60);
  environment.columns = "wide";
  EXPECT_EQ(terminal_style(environment).width, 132);
  environment.is_terminal = false;
  environment.columns = "100";
  EXPECT_EQ(terminal_style(environment).width, 100);
}

TEST(TerminalStyle, NoColorAndDumbTerminalsTurnColourOff) {
  TerminalEnvironment environment;
  environment.is_terminal = true;
  environment.no_color = "1";
  EXPECT_FALSE(terminal_style(environment).colour);
  environment.no_color = "";  // no-color.org: only a non-empty value counts
  EXPECT_TRUE(terminal_style(environment).colour);
  environment.term = "dumb";
  EXPECT_FALSE(terminal_style(environment).colour);
}

TEST(TerminalStyle, UnicodeFollowsTheLocalePrecedence) {
  TerminalEnvironment environment;
  EXPECT_FALSE(terminal_style(environment).unicode);
  environment.lang = "de_DE.UTF-8";
  EXPECT_TRUE(terminal_style(environment).unicode);
  environment.lc_ctype = "C";
  EXPECT_FALSE(terminal_style(environment).unicode);
  environment.lc_all = "en_US.utf8";
  EXPECT_TRUE(terminal_style(environment).unicode);
}

}  // namespace
}  // namespace smsgw::cli
