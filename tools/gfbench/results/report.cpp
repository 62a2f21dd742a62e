#include "results/report.hpp"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "common/app_log.hpp"
#include "util/child_process.hpp"

namespace gfbench::app {

namespace {

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

// Runs gnuplot on each script, which makes the PNG (and SVG) named after
// it; says in `result` what was drawn and, if not, why and what to do.
void draw(const std::vector<std::filesystem::path>& scripts, plot_mode mode,
          report_result& result) {
  const std::filesystem::path& first = scripts.front();
  if (mode == plot_mode::script_only) {
    result.plot_note = "plot not drawn (script only); to draw it: gnuplot " + first.string();
    return;
  }
  const std::optional<std::filesystem::path> gnuplot = detail::find_program("gnuplot");
  if (!gnuplot) {
    result.plot_note =
        "gnuplot is not installed, so there is no plot; to make it: apt-get install "
        "gnuplot-nox, then gnuplot " +
        first.string();
    return;
  }
  for (const std::filesystem::path& script : scripts) {
    try {
      const std::vector<std::string> argv{gnuplot->string(), script.string()};
      const detail::spawn_result ran = detail::spawn_capture(argv, std::chrono::seconds(120));
      if (!ran.ok()) {
        result.plot_note = "gnuplot failed, so the plot may be missing: " +
                           detail::describe_spawn_failure(argv, ran);
        return;
      }
      if (!ran.err.empty()) logger().debug("gnuplot: {}", detail::tail_lines(ran.err, 10));
    } catch (const detail::process_error& e) {
      result.plot_note = std::string("could not run gnuplot: ") + e.what();
      return;
    }
    std::error_code ec;
    std::filesystem::path png = script;
    png.replace_extension(".png");
    if (!std::filesystem::exists(png, ec)) {
      result.plot_note = "gnuplot ran but made no " + png.string();
      return;
    }
    result.written.push_back(png);
    std::filesystem::path svg = script;
    svg.replace_extension(".svg");
    if (std::filesystem::exists(svg, ec)) result.written.push_back(svg);
  }
  result.plotted = true;
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

  if (!context.timelines.empty()) {
    put("timeline.csv", format_timeline_csv(context.timelines));
    if (context.fio_logs) {
      for (const auto& [name, text] : format_fio_logs(context.timelines)) put(name, text);
    }
  }
  // An earlier run's plots would pass for this run's.
  for (const char* old :
       {"throughput.png", "throughput.svg", "timeline.png", "load.png", "depth.png"}) {
    std::filesystem::remove(where / old, ec);
  }
  const std::string data = format_plot_data(stats);
  if (data.empty()) {
    result.plot_note = "no plot: no case has a result";
    return result;
  }
  put("throughput.dat", data);
  put("throughput.gp", format_plot_script(stats, where));
  std::vector<std::filesystem::path> scripts{where / "throughput.gp"};
  if (!context.timelines.empty()) {
    put("timeline.dat", format_timeline_plot_data(context.timelines));
    put("timeline.gp", format_timeline_plot_script(context.timelines, where));
    scripts.push_back(where / "timeline.gp");
  }
  for (const auto& [name, text] : format_curve_plots(cases, where)) {
    put(name, text);
    if (name.ends_with(".gp")) scripts.push_back(where / name);
  }
  draw(scripts, mode, result);
  return result;
}

}  // namespace gfbench::app
