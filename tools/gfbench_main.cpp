// gfbench: IOzone's write/rewrite/read measurement of a Gluster volume,
// through libgfapi and through a FUSE mount (or any directory), as Google
// Benchmark cases, with an IOzone-style summary table at the end.
//
// Exit status: 0 every case ran; 1 a case failed or set-up failed; 2 a bad
// command line; 128+N interrupted by signal N (after cleaning up).

#include <benchmark/benchmark.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "cli.hpp"
#include "gfbench/sandbox.hpp"
#include "gfbench/suite.hpp"
#include "gfbench/target.hpp"
#include "gfbench/units.hpp"
#include "gfbench/volume.hpp"
#include "interrupt.hpp"
#include "summary.hpp"

namespace {

using gfbench::detail::cli_options;
using gfbench::detail::usage_error;
using clock_type = std::chrono::steady_clock;

// The volume name of the seed study, for the zero-config sandbox.
constexpr std::string_view sandbox_volume_name = "gfs-volume-proxmox";
// The seed study's 5 trials per measurement.
constexpr int default_repetitions = 5;

// Thrown between set-up steps once SIGINT/SIGTERM arrived.
struct interrupted {};

// The "gfbench" logger, made here as a host application would: the library
// finds it by name and logs into it, so one --log-level governs both.
spdlog::logger& logger() {
  static const std::shared_ptr<spdlog::logger> log = [] {
    auto existing = spdlog::get("gfbench");
    return existing ? existing : spdlog::stderr_color_mt("gfbench");
  }();
  return *log;
}

void check_interrupt() {
  if (gfbench::detail::stop_requested()) throw interrupted{};
}

void print_help() {
  std::fputs(gfbench::detail::help_text().c_str(), stdout);
  benchmark::PrintDefaultHelp();
}

// Google Benchmark's flags are gone from argv after Initialize, so whether
// the user chose a repetition count has to be seen before. Google Benchmark
// accepts "--benchmark_repetitions=N" (and "-benchmark_repetitions=N").
bool repetitions_given(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.starts_with("--")) {
      arg.remove_prefix(2);
    } else if (arg.starts_with("-")) {
      arg.remove_prefix(1);
    } else {
      continue;
    }
    if (arg.starts_with("benchmark_repetitions=")) return true;
  }
  return false;
}

double seconds(clock_type::duration d) { return std::chrono::duration<double>(d).count(); }

std::string format_seconds(clock_type::duration d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", seconds(d));
  return buf;
}

// Everything a run owns, declared so that destruction runs in the right
// order even on an exception: the suite's scratch areas are removed through
// the targets, the targets go before the sandbox that serves them.
struct run_state {
  std::optional<gfbench::sandbox> box;
  std::vector<std::unique_ptr<gfbench::target>> targets;
  std::unique_ptr<gfbench::suite> cases;

  // Removes the scratch areas, closes the targets and stops the sandbox.
  // Returns false when cleaning up the scratch areas failed.
  bool tear_down() noexcept {
    bool ok = true;
    if (cases) {
      try {
        cases->cleanup();
      } catch (const std::exception& e) {
        logger().error("{}", e.what());
        ok = false;
      }
      cases.reset();
    }
    targets.clear();
    if (box) {
      box->stop();
      box.reset();
    }
    return ok;
  }
  ~run_state() { tear_down(); }
};

gfbench::volume_options finish_connect_options(gfbench::volume_options v, const cli_options& opts) {
  v.connect_timeout = opts.connect_timeout;
  v.log_file = opts.gfapi_log;
  v.log_level = opts.gfapi_log_level;
  // gfbench exits right after the run. glfs_fini costs a fixed ~10 s
  // (libgfapi's rpc-clnt timer), and by the time the connection goes every
  // file has been closed (glfs_close waits for write-behind to flush) and,
  // where a case asked for it, fsynced; the scratch files are unlinked. So
  // the glfs_t and its threads are left to process exit, which closes the
  // sockets. Do not copy this into code that keeps running afterwards.
  v.skip_fini = true;
  return v;
}

void set_up_targets(run_state& state, const cli_options& opts) {
  auto& log = logger();
  if (opts.zero_config()) {
    log.info("no --volume or --posix given: starting a private one-node Gluster sandbox");
    gfbench::sandbox_options sandbox_opts;
    sandbox_opts.nodes = 1;
    sandbox_opts.keep_files = opts.keep;
    state.box.emplace(gfbench::sandbox::start(sandbox_opts));
    check_interrupt();
    state.box->create_volume(sandbox_volume_name);
    check_interrupt();
    // The volume is reachable only inside the sandbox's network namespace.
    // libgfapi's threads inherit the namespace of the thread that creates
    // them, so the main thread moves there before connecting.
    state.box->enter_network();
    const auto connect_opts =
        finish_connect_options(state.box->client_options(sandbox_volume_name), opts);
    state.targets.push_back(
        gfbench::make_gfapi_target(gfbench::volume::connect(connect_opts), "gfapi"));
    check_interrupt();
    const std::filesystem::path mountpoint = state.box->fuse_mount(sandbox_volume_name);
    log.info("sandbox volume {} in {}, FUSE-mounted on {}", sandbox_volume_name,
             state.box->base_dir().string(), mountpoint.string());
    state.targets.push_back(gfbench::make_posix_target(mountpoint, "fuse"));
    if (opts.keep) {
      log.info("--keep: the sandbox is stopped at the end but {} (bricks, logs) stays",
               state.box->base_dir().string());
    }
    return;
  }

  if (!opts.volume.empty()) {
    const auto connect_opts = finish_connect_options(opts.connect_options(), opts);
    auto vol = gfbench::volume::connect(connect_opts);
    log.info("connected to volume {} in {:.1f} ms", vol.name(),
             std::chrono::duration<double, std::milli>(vol.connect_duration()).count());
    state.targets.push_back(gfbench::make_gfapi_target(std::move(vol), "gfapi"));
    check_interrupt();
  }
  for (const auto& p : opts.posix_targets) {
    state.targets.push_back(gfbench::make_posix_target(p.directory, p.label));
  }
}

// Ends the run at the next case boundary once SIGINT/SIGTERM arrived.
// Google Benchmark has no way to stop a run from outside; its runner is
// built with exceptions and holds only RAII state, so unwinding out of a
// reporter call is safe. (Kernels that check detail::stop_requested() and
// skip would end a run with --benchmark_out complete; this backstop makes
// Ctrl-C prompt either way, at the latest when the current case's
// repetitions are done.)
class interruptible_reporter : public gfbench::detail::summary_reporter {
 public:
  using summary_reporter::summary_reporter;
  void ReportRuns(const std::vector<Run>& reports) override {
    summary_reporter::ReportRuns(reports);
    check_interrupt();
  }
};

void print_summary(std::FILE* out, const gfbench::detail::summary_reporter& reporter) {
  if (reporter.runs_seen() == 0) return;
  std::fputs("\n", out);
  std::fputs(gfbench::detail::format_summary(reporter.results()).c_str(), out);
  const std::string failures = gfbench::detail::format_failures(reporter.failures());
  if (!failures.empty()) std::fprintf(out, "\n%s", failures.c_str());
}

// The summary goes where the human-readable output goes: stdout for the
// console format, stderr when stdout carries JSON or CSV.
std::FILE* summary_stream(benchmark::BenchmarkReporter* display) {
  return dynamic_cast<benchmark::ConsoleReporter*>(display) != nullptr ? stdout : stderr;
}

int run(const cli_options& opts, bool user_set_repetitions) {
  auto& log = logger();
  const auto started = clock_type::now();
  run_state state;
  int status = 0;
  std::FILE* out = stdout;
  clock_type::duration set_up{}, cases_time{}, tear_down{};
  std::optional<interruptible_reporter> reporter;
  auto cases_started = clock_type::now();

  try {
    set_up_targets(state, opts);
    for (const auto& t : state.targets) log.info("target {}: {}", t->label(), t->describe());

    state.cases = std::make_unique<gfbench::suite>(opts.scratch_dir);
    state.cases->keep_files(opts.keep);
    gfbench::benchmark_matrix matrix = opts.matrix();
    matrix.repetitions = user_set_repetitions ? 0 : default_repetitions;
    std::vector<gfbench::target*> where;
    for (const auto& t : state.targets) where.push_back(t.get());
    log.info("file sizes: {}", gfbench::detail::describe_sizes(opts.file_sizes));
    log.info("block sizes: {}", gfbench::detail::describe_sizes(opts.block_sizes));
    const std::vector<gfbench::case_info> registered = state.cases->register_matrix(where, matrix);
    check_interrupt();
    set_up = clock_type::now() - started;

    benchmark::BenchmarkReporter* display = benchmark::CreateDefaultDisplayReporter();
    reporter.emplace(display, registered);
    out = summary_stream(display);
    cases_started = clock_type::now();
    const std::size_t matched = benchmark::RunSpecifiedBenchmarks(&*reporter);
    cases_time = clock_type::now() - cases_started;
    std::fflush(stdout);

    if (matched == 0) {
      throw usage_error("no case matches --benchmark_filter=" + benchmark::GetBenchmarkFilter());
    }
    print_summary(out, *reporter);
    if (reporter->any_failed()) status = 1;
  } catch (const interrupted&) {
    // What finished is still worth showing; the interruption is reported
    // below, after cleaning up.
    std::fflush(stdout);
    if (reporter) {
      cases_time = clock_type::now() - cases_started;
      print_summary(out, *reporter);
    }
  } catch (const usage_error& e) {
    std::fprintf(stderr, "gfbench: %s\n", e.what());
    status = gfbench::detail::usage_exit_code;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gfbench: %s\n", e.what());
    status = 1;
  }

  const auto tear_down_started = clock_type::now();
  if (set_up == clock_type::duration{}) set_up = tear_down_started - started;
  if (!state.tear_down() && status == 0) status = 1;
  tear_down = clock_type::now() - tear_down_started;

  if (reporter && (reporter->runs_seen() > 0 || gfbench::detail::stop_requested())) {
    std::fprintf(out, "\nwall time %s: set-up %s, cases %s, tear-down %s\n",
                 format_seconds(clock_type::now() - started).c_str(),
                 format_seconds(set_up).c_str(), format_seconds(cases_time).c_str(),
                 format_seconds(tear_down).c_str());
  }
  if (gfbench::detail::stop_requested()) {
    const int signal_number = gfbench::detail::stop_signal();
    const char* name = signal_number == SIGINT    ? "SIGINT"
                       : signal_number == SIGTERM ? "SIGTERM"
                                                  : "request";
    std::fprintf(stderr, "gfbench: interrupted by %s; cases not yet run were skipped\n", name);
    return 128 + (signal_number != 0 ? signal_number : SIGINT);
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  const bool user_set_repetitions = repetitions_given(argc, argv);
  // Takes out the --benchmark_* flags; --help prints ours and its own, then exits.
  benchmark::Initialize(&argc, argv, print_help);

  cli_options opts;
  try {
    opts = gfbench::detail::parse_cli(argc, argv);
    if (opts.help) {
      print_help();
      return 0;
    }
    // Checked before anything starts, so a typo costs no sandbox or connection.
    for (auto& p : opts.posix_targets) {
      std::error_code ec;
      p.directory = std::filesystem::absolute(p.directory, ec);
      if (!ec && std::filesystem::is_directory(p.directory, ec)) continue;
      throw usage_error(
          "--posix " + p.directory.string() +
          (std::filesystem::exists(p.directory, ec) ? ": not a directory" : ": no such directory"));
    }
    gfbench::detail::assign_target_labels(opts, gfbench::detail::on_fuse_filesystem);
  } catch (const usage_error& e) {
    std::fprintf(stderr, "gfbench: %s\n", e.what());
    return gfbench::detail::usage_exit_code;
  }

  auto& log = logger();
  log.set_level(spdlog::level::from_str(opts.log_level));

  try {
    // Before any thread exists (libgfapi's, the sandbox's), so all share them.
    gfbench::detail::install_interrupt_handlers();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gfbench: %s\n", e.what());
    return 1;
  }
  const int status = run(opts, user_set_repetitions);
  benchmark::Shutdown();
  std::fflush(stdout);
  return status;
}
