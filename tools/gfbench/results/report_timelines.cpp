// The report's timeline files: timeline.csv (every interval of every
// pass), fio's logs (--fio-logs), and the plot of IOPS and the largest
// latency over time with the volume's events marked.

#include <cmath>
#include <cstdio>
#include <ctime>
#include <string>

#include "results/report.hpp"
#include "util/text.hpp"

namespace gfbench::app {
namespace {

std::string number(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string errors_text(const timeline_interval& i) {
  std::string out;
  for (const auto& [e, n] : i.errors) {
    if (!out.empty()) out += ' ';
    out += detail::errno_name(e) + ":" + std::to_string(n);
  }
  return out;
}

// ISO 8601 in UTC, to the millisecond: gluster's logs are in UTC too.
std::string utc_at(std::chrono::system_clock::time_point begin, double at_s) {
  const auto at = begin + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                              std::chrono::duration<double>(at_s));
  const std::time_t seconds = std::chrono::system_clock::to_time_t(at);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &utc);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()) %
                  std::chrono::seconds(1);
  return std::string(buf) + "." + (ms.count() < 100 ? (ms.count() < 10 ? "00" : "0") : "") +
         std::to_string(ms.count()) + "Z";
}

// A file name of a case's: its name with '/' and ':' made '_'.
std::string file_stem(const case_timeline& t) {
  std::string stem = t.case_name;
  for (char& c : stem) {
    if (c == '/' || c == ':' || c == ' ') c = '_';
  }
  return stem + "_rep" + std::to_string(t.repetition + 1) +
         (t.pass > 0 ? "_pass" + std::to_string(t.pass + 1) : std::string());
}

}  // namespace

std::string format_timeline_csv(const std::vector<case_timeline>& timelines) {
  std::string out =
      "case,repetition,pass,start_s,seconds,utc,completions,bytes,iops,mib_per_s,p50_us,p99_us,"
      "max_us,in_flight,backlog,items,errors\n";
  for (const case_timeline& t : timelines) {
    for (const timeline_interval& i : t.timeline.intervals) {
      const double s = i.seconds > 0 ? i.seconds : 1;
      out += t.case_name + "," + std::to_string(t.repetition + 1) + "," +
             std::to_string(t.pass + 1) + "," + number(i.start_s, 3) + "," + number(i.seconds, 3) +
             "," + utc_at(t.timeline.begin_utc, i.start_s) + "," + std::to_string(i.completions) +
             "," + std::to_string(i.bytes) + "," +
             number(static_cast<double>(i.completions) / s, 1) + "," +
             number(static_cast<double>(i.bytes) / s / 1048576.0, 3) + "," + number(i.p50_us, 1) +
             "," + number(i.p99_us, 1) + "," + number(i.max_us, 1) + "," +
             std::to_string(i.in_flight) + "," + std::to_string(i.backlog) + "," +
             std::to_string(i.items) + "," + errors_text(i) + "\n";
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> format_fio_logs(
    const std::vector<case_timeline>& timelines) {
  // fio's columns: time (ms), value, data direction (0 read, 1 write),
  // block size, offset; here one line per interval, at its end, the
  // directions together (fio logs them apart), as fio's log_avg_msec does.
  std::vector<std::pair<std::string, std::string>> files;
  for (const case_timeline& t : timelines) {
    const int direction = t.case_name.find("write") != std::string::npos ? 1 : 0;
    std::string iops, lat;
    for (const timeline_interval& i : t.timeline.intervals) {
      const auto at_ms = static_cast<long long>(std::llround((i.start_s + i.seconds) * 1000.0));
      const double s = i.seconds > 0 ? i.seconds : 1;
      iops += std::to_string(at_ms) + ", " +
              std::to_string(std::llround(static_cast<double>(i.completions) / s)) + ", " +
              std::to_string(direction) + ", 0, 0\n";
      // fio 3 logs latency in nanoseconds; the interval's median stands
      // for its requests.
      lat += std::to_string(at_ms) + ", " + std::to_string(std::llround(i.p50_us * 1000.0)) + ", " +
             std::to_string(direction) + ", 0, 0\n";
    }
    files.emplace_back(file_stem(t) + "_iops.1.log", std::move(iops));
    files.emplace_back(file_stem(t) + "_lat.1.log", std::move(lat));
  }
  return files;
}

std::string format_timeline_plot_data(const std::vector<case_timeline>& timelines) {
  std::string out;
  for (const case_timeline& t : timelines) {
    out += "# " + t.case_name + " repetition " + std::to_string(t.repetition + 1) + "\n";
    // Each interval from its start, and the last one's value again at the
    // pass's end, for gnuplot's steps.
    std::string last;
    for (const timeline_interval& i : t.timeline.intervals) {
      const double s = i.seconds > 0 ? i.seconds : 1;
      last = number(static_cast<double>(i.completions) / s, 1);
      out += number(i.start_s, 3) + " " + last + " " + number(i.max_us / 1000.0, 3) + "\n";
    }
    out += number(t.timeline.seconds, 3) + " " + (last.empty() ? "0" : last) + " 0\n\n\n";
  }
  return out;
}

std::string format_timeline_plot_script(const std::vector<case_timeline>& timelines,
                                        const std::filesystem::path& dir) {
  if (timelines.empty()) return {};
  const std::string data = (dir / "timeline.dat").string();
  std::string out =
      "# IOPS and the largest latency over time, per pass; the volume's events marked.\n"
      "set terminal pngcairo size 1200," +
      std::to_string(300 * static_cast<int>(std::min<std::size_t>(timelines.size(), 12))) +
      " font ',9'\n"
      "set output '" +
      (dir / "timeline.png").string() +
      "'\n"
      "set multiplot layout " +
      std::to_string(std::min<std::size_t>(timelines.size(), 12)) +
      ",1\n"
      "set xlabel 'seconds into the pass'\n"
      "set ylabel 'IOPS'\n"
      "set y2label 'max latency (ms)'\n"
      "set ytics nomirror\n"
      "set yrange [0:*]\n"
      "set y2tics\n"
      "set logscale y2\n"
      "set key top right\n"
      "set grid\n";
  for (std::size_t k = 0; k < timelines.size() && k < 12; ++k) {
    const case_timeline& t = timelines[k];
    out += "unset arrow\nunset label\n";
    int n = 0;
    for (const timeline_event& e : t.events) {
      ++n;
      out += "set arrow " + std::to_string(n) + " from " + number(e.at_s, 3) + ", graph 0 to " +
             number(e.at_s, 3) + ", graph 1 nohead dashtype 2 lc rgb '#aa0000'\n";
      out += "set label " + std::to_string(n) + " '" + e.kind + "' at " + number(e.at_s, 3) +
             ", graph " + number(0.95 - 0.06 * ((n - 1) % 4), 2) + " font ',8' tc rgb '#aa0000'\n";
    }
    out += "set title '" + t.case_name + " (repetition " + std::to_string(t.repetition + 1) +
           ")' noenhanced\n";
    out += "plot '" + data + "' index " + std::to_string(k) +
           " using 1:2 with steps lw 2 title 'IOPS', '' index " + std::to_string(k) +
           " using 1:($3 > 0 ? $3 : NaN) axes x1y2 with points pt 7 ps 0.5 title 'max latency'\n";
  }
  return out + "unset multiplot\n";
}

}  // namespace gfbench::app
