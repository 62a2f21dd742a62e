#include "run/run_output.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iomanip>
#include <ostream>
#include <vector>

#include "cli/cli.hpp"

#ifndef GFBENCH_VERSION
#define GFBENCH_VERSION "unknown"
#endif
#ifndef GFBENCH_BUILD_TYPE
#define GFBENCH_BUILD_TYPE ""
#endif

namespace gfbench::app {
namespace {

// Google Benchmark's console rows, under a header that says what this
// machine is and tells the truth about the build.
class row_printer final : public benchmark::ConsoleReporter {
 public:
  using ConsoleReporter::ConsoleReporter;

  bool ReportContext(const Context& context) override {
    name_field_width_ = context.name_field_width;
    printed_header_ = false;
    prev_counters_.clear();
    std::ostream& out = GetErrorStream();
    const benchmark::CPUInfo& cpu = context.cpu_info;
    out << "Run on (" << cpu.num_cpus << " X " << std::fixed << std::setprecision(0)
        << cpu.cycles_per_second / 1e6 << " MHz CPU" << (cpu.num_cpus > 1 ? "s" : "") << ")\n";
    if (!cpu.load_avg.empty()) {
      out << "Load Average:";
      for (const double load : cpu.load_avg) out << ' ' << std::setprecision(2) << load;
      out << '\n';
    }
    if (cpu.scaling == benchmark::CPUInfo::ENABLED) {
      out << "***WARNING*** CPU scaling is enabled: real-time measurements may be noisy\n";
    }
    out << build_note() << "\n\n";
    return true;
  }
};

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
// Google Benchmark's CSV reporter writes its header from the first case's
// counters and aborts on a later case with one more (a brick's or a fop's
// counter, a case with errors counted by errno). This one keeps every run
// and hands them to it at the end in one call, so that the header has them
// all; a case without a counter gets an empty cell.
class csv_reporter final : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context& context) override {
    inner_.SetOutputStream(&GetOutputStream());
    inner_.SetErrorStream(&GetErrorStream());
    return inner_.ReportContext(context);
  }
  void ReportRuns(const std::vector<Run>& runs) override {
    runs_.insert(runs_.end(), runs.begin(), runs.end());
  }
  void Finalize() override {
    if (!runs_.empty()) inner_.ReportRuns(runs_);
    runs_.clear();
    inner_.Finalize();
  }

 private:
  benchmark::CSVReporter inner_;
  std::vector<Run> runs_;
};
#pragma GCC diagnostic pop

// A reporter in `format`; console rows only with `rows`, in colour only on
// a terminal.
std::unique_ptr<benchmark::BenchmarkReporter> reporter_for(const std::string& format, bool rows,
                                                           bool colour) {
  if (format == "json") return std::make_unique<benchmark::JSONReporter>();
  // CSV is deprecated in Google Benchmark 1.7, which still offers
  // --benchmark_format=csv itself: gfbench offers what the flag offers.
  if (format == "csv") return std::make_unique<csv_reporter>();
  if (!rows) return nullptr;
  return std::make_unique<row_printer>(colour ? benchmark::ConsoleReporter::OO_Color
                                              : benchmark::ConsoleReporter::OO_None);
}

}  // namespace

std::string build_note() {
  const std::string type = GFBENCH_BUILD_TYPE;
  std::string note =
      "gfbench " GFBENCH_VERSION " is a " + (type.empty() ? "default" : type) + " build";
  if (type != "Release" && type != "RelWithDebInfo") {
    note += " (not optimised for timing: build with -DCMAKE_BUILD_TYPE=Release)";
  }
  return note +
         "; Debian's Google Benchmark library is built without NDEBUG, which keeps only its own "
         "internal checks: the timed I/O is gfbench's code";
}

run_output::run_output(const benchmark_settings& settings, bool rows)
    : settings_(settings),
      display_(reporter_for(settings.format, rows, ::isatty(STDOUT_FILENO) == 1)) {
  if (settings_.out.empty()) return;
  file_.open(settings_.out, std::ios::out | std::ios::trunc);
  if (!file_) {
    throw usage_error("--benchmark_out " + settings_.out +
                      ": cannot write it: " + std::strerror(errno));
  }
  // A file always gets rows: console format there means the rows' text.
  file_reporter_ = reporter_for(settings_.out_format, /*rows=*/true, /*colour=*/false);
  file_reporter_->SetOutputStream(&file_);
  file_reporter_->SetErrorStream(&file_);
}

run_output::~run_output() = default;

std::vector<output_sink> run_output::sinks() const {
  std::vector<output_sink> sinks;
  if (display_) {
    sinks.push_back(
        {display_.get(), settings_.display_aggregates_only || settings_.report_aggregates_only});
  }
  if (file_reporter_) sinks.push_back({file_reporter_.get(), settings_.report_aggregates_only});
  return sinks;
}

std::FILE* run_output::summary_stream() const noexcept {
  return settings_.format == "console" ? stdout : stderr;
}

}  // namespace gfbench::app
