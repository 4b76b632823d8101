#include "smsgw/cli/table.hpp"

#include <algorithm>
#include <numeric>

#include "smsgw/cli/text_width.hpp"

namespace smsgw::cli {

namespace {

constexpr std::size_t kGap = 2;  // spaces between columns

// ECMA-48 8.3.117 SGR parameters.
std::string_view sgr_of(Colour colour) {
  switch (colour) {
    case Colour::red:
      return "31";
    case Colour::yellow:
      return "33";
    case Colour::green:
      return "32";
    case Colour::dim:
      return "2";
    case Colour::none:
      break;
  }
  return {};
}

struct Layout {
  std::vector<std::size_t> visible;  // indexes of the shown columns, in order
  std::vector<std::size_t> widths;   // per shown column
};

std::size_t total_width(const std::vector<std::size_t>& widths) {
  if (widths.empty()) return 0;
  return std::accumulate(widths.begin(), widths.end(), std::size_t{0}) + kGap * (widths.size() - 1);
}

std::size_t natural_width(const std::vector<Column>& columns, const std::vector<Row>& rows,
                          std::size_t column) {
  std::size_t width = display_width(columns[column].header);
  for (const auto& row : rows) {
    if (column < row.size()) width = std::max(width, display_width(row[column].text));
  }
  return width;
}

// Shrinks shrinkable columns one column at a time, always the widest, until `excess`
// columns are saved or none can give more; returns what is still in excess.
std::size_t shrink(const std::vector<Column>& columns, Layout& layout, std::size_t excess) {
  while (excess > 0) {
    std::size_t widest = layout.visible.size();
    for (std::size_t i = 0; i < layout.visible.size(); ++i) {
      const Column& column = columns[layout.visible[i]];
      if (!column.shrinkable || layout.widths[i] <= std::max<std::size_t>(column.min_width, 1)) {
        continue;
      }
      if (widest == layout.visible.size() || layout.widths[i] > layout.widths[widest]) widest = i;
    }
    if (widest == layout.visible.size()) break;
    --layout.widths[widest];
    --excess;
  }
  return excess;
}

Layout lay_out(const std::vector<Column>& columns, const std::vector<Row>& rows,
               std::size_t limit) {
  std::vector<std::size_t> shown(columns.size());
  std::iota(shown.begin(), shown.end(), 0);
  for (;;) {
    Layout layout;
    layout.visible = shown;
    for (std::size_t index : shown) layout.widths.push_back(natural_width(columns, rows, index));
    const std::size_t total = total_width(layout.widths);
    if (total <= limit) return layout;
    // The least important droppable column (largest priority, the rightmost on ties).
    std::size_t victim = shown.size();
    for (std::size_t i = 0; i < shown.size(); ++i) {
      const int priority = columns[shown[i]].priority;
      if (priority == 0) continue;
      if (victim == shown.size() || priority >= columns[shown[victim]].priority) victim = i;
    }
    // Cutting shrinkable columns is cheaper than dropping one, unless it cuts a column
    // more important than the one that would be dropped.
    Layout shrunk = layout;
    if (shrink(columns, shrunk, total - limit) == 0) {
      bool cuts_more_important = false;
      for (std::size_t i = 0; i < shown.size() && victim != shown.size(); ++i) {
        cuts_more_important |= shrunk.widths[i] < layout.widths[i] &&
                               columns[shown[i]].priority < columns[shown[victim]].priority;
      }
      if (!cuts_more_important) return shrunk;
    }
    if (victim == shown.size()) return shrunk;  // nothing left to drop: overflow
    shown.erase(shown.begin() + static_cast<std::ptrdiff_t>(victim));
  }
}

// Appends `shown` (already cut to `width`) padded to `width`.
void append_cell(std::string& line, const std::string& shown, Colour colour, std::size_t width,
                 Align align, bool last, const TerminalStyle& style) {
  const std::size_t padding = width - std::min(width, display_width(shown));
  if (align == Align::right) line.append(padding, ' ');
  line += paint(shown, colour, style.colour);
  if (align == Align::left && !last) line.append(padding, ' ');
}

void trim_trailing_spaces(std::string& line) {
  while (!line.empty() && line.back() == ' ') line.pop_back();
}

}  // namespace

std::string paint(std::string_view text, Colour colour, bool enabled) {
  const auto sgr = sgr_of(colour);
  if (!enabled || sgr.empty() || text.empty()) return std::string(text);
  std::string result = "\x1b[";
  result += sgr;
  result += 'm';
  result += text;
  result += "\x1b[0m";
  return result;
}

std::string render_table(const std::vector<Column>& columns, const std::vector<Row>& rows,
                         const TerminalStyle& style) {
  const std::size_t limit = static_cast<std::size_t>(std::max(style.width, 1));
  const Layout layout = lay_out(columns, rows, limit);
  std::string out;
  const auto emit_line = [&](const auto& cell_of, bool header) {
    std::string line;
    for (std::size_t i = 0; i < layout.visible.size(); ++i) {
      const std::size_t index = layout.visible[i];
      const bool last = i + 1 == layout.visible.size();
      if (i > 0) line.append(kGap, ' ');
      const auto [text, colour] = cell_of(index);
      std::string shown = columns[index].keep_end
                              ? truncate_start_to_width(text, layout.widths[i], style.unicode)
                              : truncate_to_width(text, layout.widths[i], style.unicode);
      if (header && style.colour) {
        const std::size_t padding =
            layout.widths[i] - std::min(layout.widths[i], display_width(shown));
        if (columns[index].align == Align::right) line.append(padding, ' ');
        line += "\x1b[1m" + shown + "\x1b[0m";
        if (columns[index].align == Align::left && !last) line.append(padding, ' ');
      } else {
        append_cell(line, shown, colour, layout.widths[i], columns[index].align, last, style);
      }
    }
    trim_trailing_spaces(line);
    out += line;
    out += '\n';
  };
  emit_line(
      [&](std::size_t index) {
        return std::pair<std::string, Colour>(columns[index].header, Colour::none);
      },
      true);
  static const Cell kEmpty{};
  for (const auto& row : rows) {
    emit_line(
        [&](std::size_t index) {
          const Cell& cell = index < row.size() ? row[index] : kEmpty;
          return std::pair<std::string, Colour>(cell.text, cell.colour);
        },
        false);
  }
  return out;
}

}  // namespace smsgw::cli
