// Aligned text tables that fit the terminal (pure).
//
// Contract: render_table() lays out the header and rows in columns separated by two
// spaces, at most `style.width` columns wide when possible:
//   1. each column is as wide as its widest cell (header included);
//   2. when too wide, shrinkable columns are cut (with an ellipsis) down to their
//      min_width, widest first (the start of a keep_end column goes, else the end);
//   3. if still too wide, the column with the largest `priority` number is dropped
//      (priority 0 is never dropped) and layout restarts from 1.
// Colour (ANSI SGR) is written only when style.colour is set; the header is then bold.
// Lines carry no trailing spaces and end with '\n'.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "smsgw/cli/terminal.hpp"

namespace smsgw::cli {

enum class Align { left, right };

enum class Colour { none, red, yellow, green, dim };

struct Column {
  std::string header;
  int priority = 0;  // 0: always shown; higher numbers are dropped first
  Align align = Align::left;
  bool shrinkable = false;  // may be cut down to min_width
  std::size_t min_width = 0;
  bool keep_end = false;  // when cut, keep the end of the text ("…usb-1-1.2")
};

struct Cell {
  std::string text;
  Colour colour = Colour::none;
};

using Row = std::vector<Cell>;

std::string render_table(const std::vector<Column>& columns, const std::vector<Row>& rows,
                         const TerminalStyle& style);

// `text` wrapped in the SGR sequence of `colour` when `enabled`, else `text` unchanged.
std::string paint(std::string_view text, Colour colour, bool enabled);

}  // namespace smsgw::cli
