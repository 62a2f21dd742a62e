// The report's two curves: latency against load (the paced cases, one line
// per kind of case and target, a point per rate) and the depth sweep (the
// queued cases that are not paced, a point per number of requests in
// flight). Each is a gnuplot data file of blocks and a script that draws it.

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "gfbench/units.hpp"
#include "results/report.hpp"
#include "results/report_numbers.hpp"
#include "results/statistics.hpp"

namespace gfbench::app {
namespace {

// The cases of one line, and its title.
struct curve {
  std::string title;
  std::vector<const case_summary*> points;
};

std::vector<curve> curves_of(const std::vector<case_summary>& cases, bool paced) {
  std::map<std::string, curve> by_title;
  std::vector<std::string> order;
  for (const case_summary& c : cases) {
    if (c.queue_depth == 0 || (c.rate_iops > 0) != paced || !summarize(c)) continue;
    std::string title = c.target + " " + category_of(c) + " " + format_iec(c.block_size);
    title += paced ? " qd " + std::to_string(c.queue_depth) + "x" + std::to_string(c.threads) : "";
    if (!by_title.contains(title)) order.push_back(title);
    by_title[title].title = title;
    by_title[title].points.push_back(&c);
  }
  std::vector<curve> out;
  for (const std::string& t : order) {
    curve c = by_title[t];
    std::sort(c.points.begin(), c.points.end(), [&](const case_summary* a, const case_summary* b) {
      return paced ? a->rate_iops < b->rate_iops
                   : a->queue_depth * a->threads < b->queue_depth * b->threads;
    });
    // A line needs two points.
    if (c.points.size() >= 2) out.push_back(std::move(c));
  }
  return out;
}

// p50, p99 and p99.9 in ms, as the summary's latency (the median of each
// repetition's percentile); NaN, which gnuplot skips, where there is none.
std::string latencies_ms(const case_summary& c) {
  if (c.latencies.empty()) return "NaN NaN NaN";
  const latency_sample l = median_latency(c.latencies);
  const auto ms = [](std::optional<double> us) {
    return us ? format_number(*us / 1000.0) : std::string("NaN");
  };
  return ms(l.p50_us) + " " + ms(l.p99_us) + " " + ms(l.p999_us);
}

std::string data_of(const std::vector<curve>& curves, bool paced) {
  std::string out;
  for (const curve& k : curves) {
    out += "# " + k.title + "\n" +
           (paced ? "# asked_iops achieved_iops p50_ms p99_ms p999_ms\n"
                  : "# in_flight iops p50_ms p99_ms p999_ms\n");
    for (const case_summary* c : k.points) {
      const double x = paced ? c->rate_iops : static_cast<double>(c->queue_depth * c->threads);
      out += format_number(x) + " " + format_number(counter_median(*c, "IOPS").value_or(0)) + " " +
             latencies_ms(*c) + "\n";
    }
    out += "\n\n";
  }
  return out;
}

std::string script_of(const std::vector<curve>& curves, bool paced,
                      const std::filesystem::path& dir) {
  const std::string name = paced ? "load" : "depth";
  const std::string data = (dir / (name + ".dat")).string();
  std::string out =
      std::string(paced ? "# Latency against load: p50 and p99 (from the due time) per rate "
                          "achieved.\n"
                        : "# The depth sweep: IOPS and p99 per number of requests in flight.\n") +
      "set terminal pngcairo size 1000,600 font ',9'\n"
      "set output '" +
      (dir / (name + ".png")).string() +
      "'\n"
      "set grid\n"
      "set key outside right top noenhanced\n"
      "set logscale y\n";
  if (paced) {
    out +=
        "set xlabel 'IOPS achieved'\nset ylabel 'latency (ms), from when each request was due'\n"
        "plot ";
    for (std::size_t i = 0; i < curves.size(); ++i) {
      const std::string idx = std::to_string(i);
      out += std::string(i == 0 ? "" : ", ") + "'" + data + "' index " + idx +
             " using 2:4 with linespoints lw 2 pt 7 title '" + curves[i].title + " p99', '" + data +
             "' index " + idx + " using 2:3 with linespoints dashtype 2 pt 6 title '" +
             curves[i].title + " p50'";
    }
    return out + "\n";
  }
  out +=
      "set logscale x 2\nset xlabel 'requests in flight (threads x queue depth)'\n"
      "set ylabel 'IOPS'\nunset logscale y\nset yrange [0:*]\nset y2label 'p99 (ms)'\n"
      "set y2tics\nset logscale y2\nset ytics nomirror\nplot ";
  for (std::size_t i = 0; i < curves.size(); ++i) {
    const std::string idx = std::to_string(i);
    out += std::string(i == 0 ? "" : ", ") + "'" + data + "' index " + idx +
           " using 1:2 with linespoints lw 2 pt 7 title '" + curves[i].title + " IOPS', '" + data +
           "' index " + idx + " using 1:4 axes x1y2 with linespoints dashtype 2 pt 6 title '" +
           curves[i].title + " p99'";
  }
  return out + "\n";
}

}  // namespace

std::vector<std::pair<std::string, std::string>> format_curve_plots(
    const std::vector<case_summary>& cases, const std::filesystem::path& dir) {
  std::vector<std::pair<std::string, std::string>> files;
  for (const bool paced : {true, false}) {
    const std::vector<curve> curves = curves_of(cases, paced);
    if (curves.empty()) continue;
    const std::string name = paced ? "load" : "depth";
    files.emplace_back(name + ".dat", data_of(curves, paced));
    files.emplace_back(name + ".gp", script_of(curves, paced, dir));
  }
  return files;
}

}  // namespace gfbench::app
