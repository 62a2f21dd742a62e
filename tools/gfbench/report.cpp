#include "report.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>
#include <numeric>
#include <stdexcept>
#include <system_error>
#include <tuple>
#include <utility>

#include "gfbench/units.hpp"
#include "util/log.hpp"
#include "util/child_process.hpp"

#ifndef GFBENCH_VERSION
#define GFBENCH_VERSION "unknown"
#endif

namespace gfbench::detail {

namespace {

constexpr double bytes_per_kib = 1024.0;
constexpr double bytes_per_mib = 1024.0 * 1024.0;

// Bar colours, one per target in the order targets first appear: gfapi is
// usually first (blue), the FUSE mount second (orange).
constexpr const char* bar_colours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                       "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};

// The column a case belongs to, as in the summary table: "read:cold".
std::string category_of(const case_summary& c) {
  return c.cache.empty() ? c.operation : c.operation + ":" + c.cache;
}

// Shortest text that reads back as the value rounded to 3 decimals; no
// exponent for the magnitudes a benchmark produces.
std::string format_number(double value) {
  const double rounded = std::round(value * 1000.0) / 1000.0;
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, rounded, std::chars_format::fixed);
  if (ec != std::errc{}) return "0";
  return std::string(buf, end);
}

// Ratios span orders of magnitude (a page-cache read over a network read
// is 0.005): four significant digits rather than three decimals.
std::string format_ratio(const std::optional<double>& ratio) {
  if (!ratio || !std::isfinite(*ratio)) return {};
  char buf[64];
  const auto [end, ec] =
      std::to_chars(buf, buf + sizeof buf, *ratio, std::chars_format::general, 4);
  if (ec != std::errc{}) return {};
  return std::string(buf, end);
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20) {
          char esc[8];
          std::snprintf(esc, sizeof esc, "\\u%04x", c);
          out += esc;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
  return out;
}

std::string json_number(const std::optional<double>& value, double scale = 1.0) {
  if (!value || !std::isfinite(*value)) return "null";
  return format_number(*value / scale);
}

// RFC 4180: quoted only when it has to be.
// {"name": median, ...} over every counter the case reported, by name.
std::string counters_json(const case_summary& c) {
  std::vector<std::string> names;
  for (const auto& [name, values] : c.counters) names.push_back(name);
  for (const auto& [name, value] : c.aggregate_counters) {
    if (!c.counters.contains(name)) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  std::string out = "{";
  for (const auto& name : names) {
    if (out.size() > 1) out += ", ";
    out += json_string(name) + ": " + json_number(counter_median(c, name));
  }
  return out + "}";
}

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string csv_number(const std::optional<double>& value, double scale = 1.0) {
  if (!value || !std::isfinite(*value)) return {};
  return format_number(*value / scale);
}

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

using panel_key = std::pair<std::uint64_t, std::uint64_t>;  // file size, block size

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
    index_of(layout.panels, panel_key{s.source->file_size, s.source->block_size});
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
    const std::size_t panel = index_of(layout.panels, panel_key{c.file_size, c.block_size});
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
  return format_iec(panel.first) + " files, " + format_iec(panel.second) + " blocks";
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) {
    const int err = errno;
    throw std::runtime_error("cannot write " + path.string() + ": " + std::strerror(err));
  }
  const std::size_t n = std::fwrite(text.data(), 1, text.size(), f);
  const int write_err = n == text.size() ? 0 : errno;
  const int close_status = std::fclose(f);
  const int close_err = errno;
  if (write_err != 0 || close_status != 0) {
    throw std::runtime_error("cannot write " + path.string() + ": " +
                             std::strerror(write_err != 0 ? write_err : close_err));
  }
}

}  // namespace

std::string format_command_line(int argc, const char* const* argv) {
  std::string out;
  for (int i = 0; i < argc; ++i) {
    const std::string_view arg = argv[i] != nullptr ? argv[i] : "";
    if (i > 0) out += ' ';
    const bool plain = !arg.empty() && arg.find_first_not_of(
                                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                           "0123456789_./:=,@%+-") == std::string_view::npos;
    if (plain) {
      out += arg;
      continue;
    }
    out += '\'';
    for (const char c : arg) {
      if (c == '\'') {
        out += "'\\''";
      } else {
        out += c;
      }
    }
    out += '\'';
  }
  return out;
}

std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

std::optional<double> stddev_of(const std::vector<double>& values) {
  if (values.size() < 2) return std::nullopt;
  const double mean = mean_of(values);
  double sum = 0;
  for (const double v : values) sum += (v - mean) * (v - mean);
  return std::sqrt(sum / static_cast<double>(values.size() - 1));
}

std::vector<case_statistics> compute_statistics(const std::vector<case_summary>& cases,
                                                std::string_view reference) {
  std::vector<case_statistics> stats;
  stats.reserve(cases.size());
  // (operation, cache, file size, block size) -> the reference's median
  std::map<std::tuple<std::string, std::string, std::uint64_t, std::uint64_t>, double>
      reference_median;

  for (const case_summary& c : cases) {
    case_statistics s;
    s.source = &c;
    s.failed = c.failed;
    if (const auto t = summarize(c)) {
      s.repetitions = t->count;
      s.mean = t->mean;
      s.median = t->median;
    }
    if (!c.bytes_per_second.empty()) {
      s.stddev = stddev_of(c.bytes_per_second);
      s.min = *std::min_element(c.bytes_per_second.begin(), c.bytes_per_second.end());
      s.max = *std::max_element(c.bytes_per_second.begin(), c.bytes_per_second.end());
    }
    if (!c.latencies.empty()) {
      std::vector<double> p50, p99;
      double max = 0;
      for (const latency_sample& l : c.latencies) {
        p50.push_back(l.p50_us);
        p99.push_back(l.p99_us);
        max = std::max(max, l.max_us);
      }
      s.latency = latency_sample{median_of(p50), median_of(p99), max};
    } else if (c.aggregate_latency) {
      s.latency = c.aggregate_latency;
    }
    if (c.target == reference && s.median) {
      reference_median[{c.operation, c.cache, c.file_size, c.block_size}] = *s.median;
    }
    stats.push_back(s);
  }

  for (case_statistics& s : stats) {
    const case_summary& c = *s.source;
    if (c.target == reference || !s.median || *s.median <= 0) continue;
    const auto it = reference_median.find({c.operation, c.cache, c.file_size, c.block_size});
    if (it != reference_median.end()) s.reference_ratio = it->second / *s.median;
  }
  return stats;
}

std::string format_report_json(const std::vector<case_statistics>& stats,
                               const std::vector<case_failure>& failures,
                               const report_context& context) {
  const std::string ratio_key = "ratio_" + context.reference + "_over_this";
  std::string out = "{\n";
  out += "  \"tool\": \"gfbench\",\n";
  out += "  \"version\": " + json_string(GFBENCH_VERSION) + ",\n";
  out += "  \"command_line\": " + json_string(context.command_line) + ",\n";
  out += "  \"started_utc\": " + json_string(context.started_utc) + ",\n";
  out += "  \"reference_target\": " + json_string(context.reference) + ",\n";
  out += "  \"units\": {\n";
  out += "    \"throughput_bytes_per_second\": \"bytes per second of the timed I/O\",\n";
  out +=
      "    \"throughput_kib_per_second\": "
      "\"KiB per second, 1 KiB = 1024 bytes (IOzone's kB/s)\",\n";
  out +=
      "    \"latency_us\": \"microseconds per record (one I/O call of block_size bytes); "
      "p50 and p99 are medians over repetitions, max the largest\",\n";
  out +=
      "    \"served_from_caches\": \"reads, with brick counters (--profile): "
      "1 - bytes the bricks read / bytes read, median over repetitions\",\n";
  out +=
      "    \"brick_write_share\": \"writes, with brick counters: bytes the bricks wrote / "
      "(bytes written x copies) right after the timed region; inside it when fsync_timed\",\n";
  out +=
      "    \"counters\": \"median over repetitions of every counter of a pass: "
      "brick_read_bytes, brick_write_bytes, brick_<fop>_calls and _avg_us (gluster volume "
      "profile), fop_<fop>_calls and _avg_us (the client's io-stats, --fop-stats), IOPS, "
      "lat_*_us\",\n";
  out += "    \"" + ratio_key + "\": \"" + context.reference +
         "'s median throughput over this case's, same operation, cache mode and sizes; "
         "above 1: " +
         context.reference + " is faster\"\n";
  out += "  },\n";
  out += "  \"cases\": [";
  bool first = true;
  for (const case_statistics& s : stats) {
    const case_summary& c = *s.source;
    out += first ? "\n" : ",\n";
    first = false;
    const auto throughput = [&](double scale) {
      return "{\"mean\": " + json_number(s.mean, scale) +
             ", \"median\": " + json_number(s.median, scale) +
             ", \"stddev\": " + json_number(s.stddev, scale) +
             ", \"min\": " + json_number(s.min, scale) + ", \"max\": " + json_number(s.max, scale) +
             "}";
    };
    out += "    {\n";
    out += "      \"name\": " + json_string(c.name) + ",\n";
    out += "      \"target\": " + json_string(c.target) + ",\n";
    out += "      \"operation\": " + json_string(c.operation) + ",\n";
    out += "      \"cache\": " + (c.cache.empty() ? std::string("null") : json_string(c.cache)) +
           ",\n";
    out += "      \"file_size_bytes\": " + std::to_string(c.file_size) + ",\n";
    out += "      \"file_size\": " + json_string(format_iec(c.file_size)) + ",\n";
    out += "      \"block_size_bytes\": " + std::to_string(c.block_size) + ",\n";
    out += "      \"block_size\": " + json_string(format_iec(c.block_size)) + ",\n";
    out += "      \"repetitions\": " + std::to_string(s.repetitions) + ",\n";
    out += "      \"failed_repetitions\": " + std::to_string(s.failed) + ",\n";
    out += "      \"throughput_bytes_per_second\": " + throughput(1.0) + ",\n";
    out += "      \"throughput_kib_per_second\": " + throughput(bytes_per_kib) + ",\n";
    if (s.latency) {
      out += "      \"latency_us\": {\"p50\": " + format_number(s.latency->p50_us) +
             ", \"p99\": " + format_number(s.latency->p99_us) +
             ", \"max\": " + format_number(s.latency->max_us) + "},\n";
    } else {
      out += "      \"latency_us\": null,\n";
    }
    out += "      \"fsync_timed\": " + std::string(c.fsync_timed ? "true" : "false") + ",\n";
    out += "      \"degraded_repetitions\": " + std::to_string(c.degraded) + ",\n";
    out += "      \"served_from_caches\": " + json_number(cache_share(c)) + ",\n";
    out += "      \"brick_write_share\": " + json_number(brick_write_share(c)) + ",\n";
    out += "      \"counters\": " + counters_json(c) + ",\n";
    const std::string ratio = format_ratio(s.reference_ratio);
    out += "      \"" + ratio_key + "\": " + (ratio.empty() ? std::string("null") : ratio) + "\n";
    out += "    }";
  }
  out += first ? "],\n" : "\n  ],\n";
  out += "  \"failures\": [";
  first = true;
  for (const case_failure& f : failures) {
    out += first ? "\n" : ",\n";
    first = false;
    out += "    {\"name\": " + json_string(f.name) + ", \"repetition\": " +
           (f.repetition >= 0 ? std::to_string(f.repetition + 1) : std::string("null")) +
           ", \"message\": " + json_string(f.message) + "}";
  }
  out += first ? "]\n" : "\n  ]\n";
  out += "}\n";
  return out;
}

std::string format_report_csv(const std::vector<case_statistics>& stats,
                              std::string_view reference) {
  std::string out =
      "name,target,operation,cache,file_size_bytes,file_size,block_size_bytes,block_size,"
      "repetitions,failed_repetitions,"
      "mean_bytes_per_s,median_bytes_per_s,stddev_bytes_per_s,min_bytes_per_s,max_bytes_per_s,"
      "mean_kib_per_s,median_kib_per_s,stddev_kib_per_s,"
      "lat_p50_us,lat_p99_us,lat_max_us,ratio_";
  out += reference;
  out +=
      "_over_this,fsync_timed,degraded_repetitions,served_from_caches,brick_write_share,"
      "brick_read_bytes,brick_write_bytes\n";
  for (const case_statistics& s : stats) {
    const case_summary& c = *s.source;
    const std::vector<std::string> fields{
        csv_field(c.name),
        csv_field(c.target),
        csv_field(c.operation),
        csv_field(c.cache),
        std::to_string(c.file_size),
        format_iec(c.file_size),
        std::to_string(c.block_size),
        format_iec(c.block_size),
        std::to_string(s.repetitions),
        std::to_string(s.failed),
        csv_number(s.mean),
        csv_number(s.median),
        csv_number(s.stddev),
        csv_number(s.min),
        csv_number(s.max),
        csv_number(s.mean, bytes_per_kib),
        csv_number(s.median, bytes_per_kib),
        csv_number(s.stddev, bytes_per_kib),
        s.latency ? format_number(s.latency->p50_us) : std::string(),
        s.latency ? format_number(s.latency->p99_us) : std::string(),
        s.latency ? format_number(s.latency->max_us) : std::string(),
        format_ratio(s.reference_ratio),
        c.fsync_timed ? "1" : "0",
        std::to_string(c.degraded),
        csv_number(cache_share(c)),
        csv_number(brick_write_share(c)),
        csv_number(counter_median(c, "brick_read_bytes")),
        csv_number(counter_median(c, "brick_write_bytes")),
    };
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out += ',';
      out += fields[i];
    }
    out += '\n';
  }
  return out;
}

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
  const std::size_t width = 60 + columns * 440;
  const std::size_t height = 50 + rows * 400;
  const std::string reps = layout.repetitions == 1
                               ? std::string("1 repetition")
                               : std::to_string(layout.repetitions) + " repetitions";

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

  // x tics: every operation, on every panel.
  std::string xtics = "(";
  for (std::size_t i = 0; i < layout.categories.size(); ++i) {
    if (i > 0) xtics += ", ";
    xtics += gnuplot_string(category_label(layout.categories[i])) + " " + std::to_string(i);
  }
  xtics += ")";
  const double x_max = static_cast<double>(layout.categories.size()) - 0.4;

  std::vector<bool> titled(layout.targets.size(), false);
  for (std::size_t p = 0; p < panels; ++p) {
    double y_max = 0;
    double y_min = 0;  // the smallest value above 0
    for (const plot_block& block : layout.blocks) {
      if (block.panel != p) continue;
      for (const plot_bar& bar : block.bars) {
        y_max = std::max(y_max, bar.high);
        for (const double v : {bar.low, bar.median}) {
          if (v > 0 && (y_min == 0 || v < y_min)) y_min = v;
        }
      }
    }
    // A warm read from the page cache can be a thousand times a network
    // write: on a linear axis the writes would be invisible. Past a factor
    // of 50 the panel gets a logarithmic axis, and says so in its title.
    const bool logarithmic = y_min > 0 && y_max / y_min > 50;
    std::string panel = panel_title(layout.panels[p]);
    out += "\n";
    if (logarithmic) {
      panel += " (log scale)";
      const double low = std::pow(10.0, std::floor(std::log10(y_min)));
      out += "  set logscale y 10\n";
      // Room above the tallest whisker for its label and the key.
      out += "  set yrange [" + format_number(low) + ":" + format_number(y_max * 4) + "]\n";
    } else {
      out += "  unset logscale y\n";
      out += "  set yrange [0:" + format_number(y_max > 0 ? y_max * 1.25 : 1) + "]\n";
    }
    out += "  set title " + gnuplot_string(panel) + "\n";
    out += "  set xtics " + xtics + "\n";
    out += "  set xrange [-0.6:" + format_number(x_max) + "]\n";
    out += "  plot \\\n";
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
  }
  out += "\n  unset multiplot\n";
  out += "  set output\n";
  out += "}\n";
  return out;
}

report_result write_report(const std::filesystem::path& dir, const std::vector<case_summary>& cases,
                           const std::vector<case_failure>& failures, const report_context& context,
                           plot_mode mode) {
  std::error_code ec;
  const std::filesystem::path where = std::filesystem::absolute(dir, ec);
  if (ec) throw std::runtime_error("report directory " + dir.string() + ": " + ec.message());
  std::filesystem::create_directories(where, ec);
  if (ec) {
    throw std::runtime_error("cannot create the report directory " + where.string() + ": " +
                             ec.message());
  }

  report_result result;
  const std::vector<case_statistics> stats = compute_statistics(cases, context.reference);
  const auto put = [&](const std::string& name, const std::string& text) {
    write_file(where / name, text);
    result.written.push_back(where / name);
  };
  put("summary.json", format_report_json(stats, failures, context));
  put("summary.csv", format_report_csv(stats, context.reference));

  const std::string data = format_plot_data(stats);
  const std::filesystem::path script = where / "throughput.gp";
  const std::filesystem::path png = where / "throughput.png";
  const std::filesystem::path svg = where / "throughput.svg";
  // An earlier run's plot would pass for this run's.
  std::filesystem::remove(png, ec);
  std::filesystem::remove(svg, ec);
  if (data.empty()) {
    result.plot_note = "no plot: no case has a result";
    return result;
  }
  put("throughput.dat", data);
  put("throughput.gp", format_plot_script(stats, where));

  const std::string how = "apt-get install gnuplot-nox, then gnuplot " + script.string();
  if (mode == plot_mode::script_only) {
    result.plot_note = "plot not drawn (script only); to draw it: gnuplot " + script.string();
    return result;
  }
  const std::optional<std::filesystem::path> gnuplot = find_program("gnuplot");
  if (!gnuplot) {
    result.plot_note =
        "gnuplot is not installed, so there is no " + png.string() + "; to make it: " + how;
    return result;
  }
  try {
    const std::vector<std::string> argv{gnuplot->string(), script.string()};
    const spawn_result ran = spawn_capture(argv, std::chrono::seconds(120));
    if (!ran.ok()) {
      result.plot_note =
          "gnuplot failed, so the plot may be missing: " + describe_spawn_failure(argv, ran);
      return result;
    }
    if (!ran.err.empty()) logger().debug("gnuplot: {}", tail_lines(ran.err, 10));
  } catch (const process_error& e) {
    result.plot_note = std::string("could not run gnuplot: ") + e.what();
    return result;
  }
  if (!std::filesystem::exists(png, ec)) {
    result.plot_note = "gnuplot ran but made no " + png.string();
    return result;
  }
  result.plotted = true;
  result.written.push_back(png);
  if (std::filesystem::exists(svg, ec)) result.written.push_back(svg);
  return result;
}

}  // namespace gfbench::detail
