// throughput.dat and throughput.gp: the plot of a run, one panel per file
// size (and block size), one group of bars per operation, one bar per
// target, as the seed study's figures 23-25.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "gfbench/units.hpp"
#include "results/report.hpp"
#include "results/report_numbers.hpp"

namespace gfbench::app {
namespace {

// Bar colours, one per target in the order targets first appear: gfapi is
// usually first (blue), the FUSE mount second (orange).
constexpr const char* bar_colours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                       "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};

// A string in gnuplot's double quotes, where backslash escapes are read.
std::string gnuplot_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  out += '"';
  return out;
}

// A bar's value as printed above it: three significant digits or so.
std::string bar_label(double mib_per_second) {
  char buf[32];
  const int decimals = mib_per_second >= 100 ? 0 : mib_per_second >= 10 ? 1 : 2;
  std::snprintf(buf, sizeof buf, "%.*f", decimals, mib_per_second);
  return buf;
}

// "read:cold" -> "read\n(cold)" for an x-axis label.
std::string category_label(const std::string& category) {
  const std::size_t colon = category.find(':');
  if (colon == std::string::npos) return category;
  return category.substr(0, colon) + "\n(" + category.substr(colon + 1) + ")";
}

template <class T>
std::size_t index_of(std::vector<T>& list, const T& value) {
  const auto it = std::find(list.begin(), list.end(), value);
  if (it != list.end()) return static_cast<std::size_t>(it - list.begin());
  list.push_back(value);
  return list.size() - 1;
}

// A panel: one file size and block size, and in read-only runs one file.
struct panel_key {
  std::uint64_t file_size = 0;
  std::uint64_t block_size = 0;
  std::string file{};
  friend bool operator==(const panel_key&, const panel_key&) = default;
};

struct plot_bar {
  std::size_t category = 0;
  double x = 0;
  double median = 0;  // MiB/s
  double low = 0;
  double high = 0;
};

struct plot_block {
  std::size_t panel = 0;
  std::size_t target = 0;
  std::vector<plot_bar> bars;
};

// Where every bar goes. Only cases with a result take part; the categories
// (operations) are the same on every panel so that panels line up.
struct plot_layout {
  std::vector<panel_key> panels;
  std::vector<std::string> targets;
  std::vector<std::string> categories;
  std::vector<plot_block> blocks;  // in data-file order: the gnuplot index
  std::int64_t repetitions = 0;    // the most any case has
  double bar_width = 0;
};

plot_layout make_layout(const std::vector<case_statistics>& stats) {
  plot_layout layout;
  std::vector<const case_statistics*> plotted;
  for (const case_statistics& s : stats) {
    if (s.source == nullptr || !s.median) continue;
    plotted.push_back(&s);
    index_of(layout.panels, panel_key{s.source->file_size, s.source->block_size, s.source->file});
    index_of(layout.targets, s.source->target);
    index_of(layout.categories, category_of(*s.source));
    layout.repetitions = std::max(layout.repetitions, s.repetitions);
  }
  if (plotted.empty()) return layout;

  // A group of bars spans 0.8 of the unit between operations.
  const double group_width = 0.8;
  layout.bar_width = group_width / static_cast<double>(layout.targets.size());
  std::map<std::pair<std::size_t, std::size_t>, plot_block> blocks;
  for (const case_statistics* s : plotted) {
    const case_summary& c = *s->source;
    const std::size_t panel = index_of(layout.panels, panel_key{c.file_size, c.block_size, c.file});
    const std::size_t target = index_of(layout.targets, c.target);
    const std::size_t category = index_of(layout.categories, category_of(c));
    plot_bar bar;
    bar.category = category;
    bar.x = static_cast<double>(category) - group_width / 2 +
            layout.bar_width * (static_cast<double>(target) + 0.5);
    bar.median = *s->median / bytes_per_mib;
    bar.low = s->min.value_or(*s->median) / bytes_per_mib;
    bar.high = s->max.value_or(*s->median) / bytes_per_mib;
    auto& block = blocks[{panel, target}];
    block.panel = panel;
    block.target = target;
    block.bars.push_back(bar);
  }
  for (auto& [key, block] : blocks) {
    std::sort(block.bars.begin(), block.bars.end(),
              [](const plot_bar& a, const plot_bar& b) { return a.x < b.x; });
    layout.blocks.push_back(std::move(block));
  }
  return layout;
}

std::string panel_title(const panel_key& panel) {
  if (!panel.file.empty()) {
    return panel.file + " (" + format_iec(panel.file_size) + ", " + format_iec(panel.block_size) +
           " blocks)";
  }
  return format_iec(panel.file_size) + " files, " + format_iec(panel.block_size) + " blocks";
}

// "1 repetition", "5 repetitions".
std::string repetitions_text(std::int64_t repetitions) {
  return repetitions == 1 ? std::string("1 repetition")
                          : std::to_string(repetitions) + " repetitions";
}

// The script's head: how to run it again, where its data is, the style.
std::string script_settings(const plot_layout& layout, const std::filesystem::path& dir,
                            const std::string& reps) {
  std::string out;
  out += "# gfbench: throughput per operation for each file size, one bar per target\n";
  out += "# (the shape of the seed study's figures 23-25). Made by gfbench --report;\n";
  out += "# run it again with:  gnuplot " + (dir / "throughput.gp").string() + "\n";
  out += "# It reads throughput.dat and writes throughput.png and throughput.svg in dir.\n\n";
  out += "dir = " + gnuplot_string(dir.string()) + "\n";
  out += "data = dir . \"/throughput.dat\"\n\n";
  out += "set encoding utf8\n";
  out += "set style fill solid 0.85 border lc rgb \"#303030\"\n";
  out += "set border 3\n";
  out += "set tics nomirror\n";
  out += "set xtics scale 0\n";
  out += "set grid ytics lc rgb \"#d0d0d0\"\n";
  out += "set bmargin 4\n";  // two-line operation names ("read" over "(cold)")
  out += "set key top left reverse Left samplen 1.5 spacing 1.1\n";
  out += "set ylabel \"MiB/s (median of " + reps + ")\"\n";
  out += "bw = " + format_number(layout.bar_width * 0.95) + "\n\n";
  return out;
}

// Opens the loop over the output formats and, in it, a multiplot of rows x
// columns panels.
std::string script_terminals(std::size_t rows, std::size_t columns, const std::string& reps) {
  const std::size_t width = 60 + columns * 440;
  const std::size_t height = 50 + rows * 400;
  std::string out;
  out += "do for [fmt in \"png svg\"] {\n";
  out += "  if (fmt eq \"png\") {\n";
  out += "    set terminal pngcairo size " + std::to_string(width) + "," + std::to_string(height) +
         " font \"sans,10\" noenhanced\n";
  out += "  } else {\n";
  out += "    set terminal svg size " + std::to_string(width) + "," + std::to_string(height) +
         " font \"sans,10\" noenhanced\n";
  out += "  }\n";
  out += "  set output dir . \"/throughput.\" . fmt\n";
  out += "  set multiplot layout " + std::to_string(rows) + "," + std::to_string(columns) +
         " title " +
         gnuplot_string("gfbench: throughput per operation (bars: median of " + reps +
                        "; whiskers: slowest to fastest repetition)") +
         "\n";
  return out;
}

// x tics: every operation, on every panel.
std::string xtics_of(const std::vector<std::string>& categories) {
  std::string xtics = "(";
  for (std::size_t i = 0; i < categories.size(); ++i) {
    if (i > 0) xtics += ", ";
    xtics += gnuplot_string(category_label(categories[i])) + " " + std::to_string(i);
  }
  xtics += ")";
  return xtics;
}

// The values a panel's y axis must show.
struct value_span {
  double y_max = 0;
  double y_min = 0;  // the smallest value above 0
};

value_span panel_span(const plot_layout& layout, std::size_t p) {
  value_span span;
  for (const plot_block& block : layout.blocks) {
    if (block.panel != p) continue;
    for (const plot_bar& bar : block.bars) {
      span.y_max = std::max(span.y_max, bar.high);
      for (const double v : {bar.low, bar.median}) {
        if (v > 0 && (span.y_min == 0 || v < span.y_min)) span.y_min = v;
      }
    }
  }
  return span;
}

// Panel p's plot command: per target a block of bars, whiskers and labels.
// The first panel a target appears on gives it its key entry.
std::string panel_plot(const plot_layout& layout, std::size_t p, std::vector<bool>& titled) {
  std::string out = "  plot \\\n";
  bool first = true;
  for (std::size_t i = 0; i < layout.blocks.size(); ++i) {
    const plot_block& block = layout.blocks[i];
    if (block.panel != p) continue;
    const std::string index = std::to_string(i);
    const std::string colour = bar_colours[block.target % std::size(bar_colours)];
    std::string title = "notitle";
    if (!titled[block.target]) {
      title = "title " + gnuplot_string(layout.targets[block.target]);
      titled[block.target] = true;
    }
    if (!first) out += ", \\\n";
    first = false;
    out += "    data index " + index + " using 1:2:(bw) with boxes lc rgb \"" + colour + "\" " +
           title + ", \\\n";
    // Whiskers as plain lines: yerrorbars would also mark the median.
    out += "    data index " + index +
           " using 1:3:(0):($4-$3) with vectors nohead lc rgb \"#303030\" notitle, \\\n";
    out += "    data index " + index +
           " using 1:4:5 with labels center offset 0,0.7 font \",8\" notitle";
  }
  out += "\n";
  return out;
}

// Panel p: its y axis, title, x axis and plot command.
std::string panel_script(const plot_layout& layout, std::size_t p, const std::string& xtics,
                         std::vector<bool>& titled) {
  const value_span span = panel_span(layout, p);
  const double x_max = static_cast<double>(layout.categories.size()) - 0.4;
  // A warm read from the page cache can be a thousand times a network
  // write: on a linear axis the writes would be invisible. Past a factor
  // of 50 the panel gets a logarithmic axis, and says so in its title.
  const bool logarithmic = span.y_min > 0 && span.y_max / span.y_min > 50;
  std::string panel = panel_title(layout.panels[p]);
  std::string out = "\n";
  if (logarithmic) {
    panel += " (log scale)";
    const double low = std::pow(10.0, std::floor(std::log10(span.y_min)));
    out += "  set logscale y 10\n";
    // Room above the tallest whisker for its label and the key.
    out += "  set yrange [" + format_number(low) + ":" + format_number(span.y_max * 4) + "]\n";
  } else {
    out += "  unset logscale y\n";
    out += "  set yrange [0:" + format_number(span.y_max > 0 ? span.y_max * 1.25 : 1) + "]\n";
  }
  out += "  set title " + gnuplot_string(panel) + "\n";
  out += "  set xtics " + xtics + "\n";
  out += "  set xrange [-0.6:" + format_number(x_max) + "]\n";
  out += panel_plot(layout, p, titled);
  return out;
}

}  // namespace

std::string format_plot_data(const std::vector<case_statistics>& stats) {
  const plot_layout layout = make_layout(stats);
  if (layout.blocks.empty()) return {};
  std::string out =
      "# gfbench: throughput per operation, for throughput.gp.\n"
      "# One block (gnuplot index) per file size, block size and target.\n"
      "# Columns: x position, median MiB/s, slowest and fastest repetition in MiB/s,\n"
      "# the label above the bar, the operation (1 MiB = 1048576 bytes).\n";
  for (std::size_t i = 0; i < layout.blocks.size(); ++i) {
    const plot_block& block = layout.blocks[i];
    out += "\n\n# index " + std::to_string(i) + ": " + panel_title(layout.panels[block.panel]) +
           ", target " + layout.targets[block.target] + "\n";
    for (const plot_bar& bar : block.bars) {
      out += format_number(bar.x) + ' ' + format_number(bar.median) + ' ' + format_number(bar.low) +
             ' ' + format_number(bar.high) + ' ' + gnuplot_string(bar_label(bar.median)) + ' ' +
             gnuplot_string(layout.categories[bar.category]) + '\n';
    }
  }
  return out;
}

std::string format_plot_script(const std::vector<case_statistics>& stats,
                               const std::filesystem::path& dir) {
  const plot_layout layout = make_layout(stats);
  if (layout.blocks.empty()) return {};

  const std::size_t panels = layout.panels.size();
  const std::size_t columns = std::min<std::size_t>(panels, 3);
  const std::size_t rows = (panels + columns - 1) / columns;
  const std::string reps = repetitions_text(layout.repetitions);

  std::string out = script_settings(layout, dir, reps);
  out += script_terminals(rows, columns, reps);
  const std::string xtics = xtics_of(layout.categories);
  std::vector<bool> titled(layout.targets.size(), false);
  for (std::size_t p = 0; p < panels; ++p) out += panel_script(layout, p, xtics, titled);
  out += "\n  unset multiplot\n";
  out += "  set output\n";
  out += "}\n";
  return out;
}

}  // namespace gfbench::app
