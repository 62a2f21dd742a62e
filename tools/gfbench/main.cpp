// gfbench: IOzone's write/rewrite/read measurement of a Gluster volume,
// through libgfapi and through a FUSE mount (or any directory), as Google
// Benchmark cases, with an IOzone-style summary table at the end.
//
// Exit status: 0 every case ran; 1 a case failed or set-up failed; 2 a bad
// command line; 128+N interrupted by signal N (after cleaning up).

#include <benchmark/benchmark.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

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
#include "gfbench/stop.hpp"
#include "gfbench/suite.hpp"
#include "gfbench/target.hpp"
#include "gfbench/units.hpp"
#include "gfbench/volume.hpp"
#include "mounts.hpp"
#include "progress.hpp"
#include "pve_storage.hpp"
#include "report.hpp"
#include "results.hpp"
#include "results_collector.hpp"
#include "run_observers.hpp"
#include "run_safety.hpp"
#include "signals.hpp"
#include "statistics.hpp"
#include "summary_table.hpp"

namespace {

using gfbench::app::cli_options;
using gfbench::app::usage_error;
using clock_type = std::chrono::steady_clock;

// The volume name of the seed study, for the zero-config sandbox.
constexpr std::string_view sandbox_volume_name = "gfs-volume-proxmox";
// The seed study's 5 trials per measurement.
constexpr int default_repetitions = 5;

// Thrown between set-up steps once SIGINT/SIGTERM arrived.
struct interrupted {};

// The "gfbench" detail::logger, made here as a host application would: the library
// finds it by name and logs into it, so one --log-level governs both.
spdlog::logger& logger() {
  static const std::shared_ptr<spdlog::logger> log = [] {
    auto existing = spdlog::get("gfbench");
    return existing ? existing : spdlog::stderr_color_mt("gfbench");
  }();
  return *log;
}

void check_interrupt() {
  if (gfbench::stop_requested()) throw interrupted{};
}

void print_help() {
  std::fputs(gfbench::app::help_text().c_str(), stdout);
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
  // Brick and client counters (--profile, --fop-stats); they hold
  // connections and a profiler, so they go before the targets and the sandbox.
  gfbench::app::run_observers observers;

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
    observers.release();
    targets.clear();
    if (box) {
      box->stop();
      box.reset();
    }
    return ok;
  }
  ~run_state() { tear_down(); }
};

// Where libgfapi's own log goes unless --gfapi-log says: next to the
// report, else with the sandbox's other logs; never the terminal.
std::string gfapi_log_file(const cli_options& opts, const run_state& state) {
  if (!opts.gfapi_log.empty()) return opts.gfapi_log;
  if (!opts.report_dir.empty()) {
    return (std::filesystem::path(opts.report_dir) / "gfapi.log").string();
  }
  if (state.box) return (state.box->base_dir() / "gfapi.log").string();
  return "/dev/null";
}

gfbench::volume_options finish_connect_options(gfbench::volume_options v, const cli_options& opts,
                                               const run_state& state) {
  v.connect_timeout = opts.connect_timeout;
  v.log_file = gfapi_log_file(opts, state);
  if (v.log_file != "/dev/null") logger().info("libgfapi's log: {}", v.log_file);
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

// --profile on a volume gfbench did not start: through the gluster CLI of a
// node of its cluster (--gluster-cli). The volume is --volume's, else the
// one a --posix Gluster FUSE mount serves.
void start_external_profiler(run_state& state, const cli_options& opts) {
  std::string volume = opts.volume;
  for (const auto& p : opts.posix_targets) {
    if (!volume.empty()) break;
    volume = gfbench::app::gluster_fuse_volume(p.directory).value_or("");
  }
  if (volume.empty()) {
    throw usage_error(
        "--profile needs a Gluster volume: --volume, or a --posix directory on a Gluster FUSE "
        "mount");
  }
  auto cli = gfbench::app::make_command_cli(
      opts.gluster_cli.empty() ? std::vector<std::string>{"gluster"} : opts.gluster_cli);
  try {
    state.observers.start_profiler(std::move(cli), volume, /*keep_running=*/false);
  } catch (const gfbench::app::profile_error& e) {
    throw std::runtime_error(std::string("--profile: ") + e.what() +
                             "; run gfbench on a node of the cluster, or give --gluster-cli "
                             "\"ssh NODE gluster\"");
  }
}

void set_up_targets(run_state& state, const cli_options& opts) {
  auto& log = logger();
  if (opts.zero_config()) {
    log.info(
        "no --volume, --pve-storage or --posix given: starting a private one-node Gluster sandbox");
    gfbench::sandbox_options sandbox_opts;
    sandbox_opts.nodes = 1;
    sandbox_opts.keep_files = opts.keep;
    state.box.emplace(gfbench::sandbox::start(sandbox_opts));
    check_interrupt();
    state.box->create_volume(sandbox_volume_name);
    check_interrupt();
    state.observers.count_client_calls(opts.fop_stats);
    if (!opts.no_profile) {
      // Before any client connects: starting a profile switches clients to
      // a new graph. The sandbox is deleted at the end, profile and all.
      state.observers.start_profiler(gfbench::app::make_sandbox_cli(*state.box),
                                     std::string(sandbox_volume_name), /*keep_running=*/true);
    }
    // The volume is reachable only inside the sandbox's network namespace.
    // libgfapi's threads inherit the namespace of the thread that creates
    // them, so the main thread moves there before connecting.
    state.box->enter_network();
    const auto connect_opts = state.observers.client_options(
        finish_connect_options(state.box->client_options(sandbox_volume_name), opts, state));
    state.targets.push_back(
        gfbench::make_gfapi_target(gfbench::volume::connect(connect_opts), "gfapi"));
    state.observers.add_gfapi_target("gfapi", connect_opts);
    check_interrupt();
    const std::filesystem::path mountpoint = state.box->fuse_mount(sandbox_volume_name);
    log.info("sandbox volume {} in {}, FUSE-mounted on {}", sandbox_volume_name,
             state.box->base_dir().string(), mountpoint.string());
    state.targets.push_back(gfbench::make_posix_target(mountpoint, "fuse"));
    state.observers.add_posix_target("fuse", mountpoint);
    if (opts.keep) {
      log.info("--keep: the sandbox is stopped at the end but {} (bricks, logs) stays",
               state.box->base_dir().string());
    }
    return;
  }

  state.observers.count_client_calls(opts.fop_stats);
  if (opts.profile) start_external_profiler(state, opts);
  if (!opts.volume.empty()) {
    const auto connect_opts =
        state.observers.client_options(finish_connect_options(opts.connect_options(), opts, state));
    auto vol = gfbench::volume::connect(connect_opts);
    state.observers.add_gfapi_target("gfapi", connect_opts);
    log.info("connected to volume {} in {:.1f} ms", vol.name(),
             std::chrono::duration<double, std::milli>(vol.connect_duration()).count());
    state.targets.push_back(gfbench::make_gfapi_target(std::move(vol), "gfapi"));
    check_interrupt();
  }
  for (const auto& p : opts.posix_targets) {
    state.targets.push_back(gfbench::make_posix_target(p.directory, p.label));
    state.observers.add_posix_target(p.label, p.directory);
  }
}

void print_summary(std::FILE* out, const gfbench::app::results_collector& reporter) {
  if (reporter.runs_seen() == 0) return;
  std::fputs("\n", out);
  std::fputs(gfbench::app::format_summary(reporter.results()).c_str(), out);
  const std::string failures = gfbench::app::format_failures(reporter.failures());
  if (!failures.empty()) std::fprintf(out, "\n%s", failures.c_str());
  const std::string degraded = gfbench::app::format_degraded(reporter.results());
  if (!degraded.empty()) std::fprintf(out, "\n%s", degraded.c_str());
}

// The summary goes where the human-readable output goes: stdout for the
// console format, stderr when stdout carries JSON or CSV.
std::FILE* summary_stream(benchmark::BenchmarkReporter* display) {
  return dynamic_cast<benchmark::ConsoleReporter*>(display) != nullptr ? stdout : stderr;
}

// --report DIR: the run's results as JSON, CSV and a plot. Returns false
// when the files could not be written; a missing gnuplot is only a warning.
bool write_run_report(std::FILE* out, const cli_options& opts,
                      const gfbench::app::results_collector& reporter,
                      const gfbench::app::report_context& context) {
  try {
    const auto result = gfbench::app::write_report(opts.report_dir, reporter.results(),
                                                   reporter.failures(), context);
    std::fprintf(out, "\nreport in %s:", opts.report_dir.c_str());
    for (const auto& file : result.written) std::fprintf(out, " %s", file.filename().c_str());
    std::fputs("\n", out);
    if (result.plotted) {
      std::fprintf(out, "plot: %s\n",
                   (std::filesystem::path(opts.report_dir) / "throughput.png").c_str());
    } else {
      logger().warn("{}", result.plot_note);
    }
    return true;
  } catch (const std::exception& e) {
    logger().error("--report: {}", e.what());
    return false;
  }
}

int run(const cli_options& opts, bool user_set_repetitions, const std::string& command_line) {
  auto& log = logger();
  const auto started = clock_type::now();
  const gfbench::app::report_context report_context{.command_line = command_line,
                                                    .started_utc = gfbench::app::utc_timestamp()};
  // Declared before the suite that points to it, so that it outlives it.
  std::optional<gfbench::app::progress_observer> progress;
  run_state state;
  int status = 0;
  std::FILE* out = stdout;
  clock_type::duration set_up{}, cases_time{}, tear_down{};
  std::optional<gfbench::app::results_collector> reporter;
  auto cases_started = clock_type::now();

  try {
    // A call that never returns (a hung brick) ends the run after twice
    // --op-timeout; the sandbox, if any, is stopped first. The hook runs on
    // the watchdog's thread while this one is blocked, never after run().
    gfbench::app::watch_operations(opts.op_timeout, [&state] {
      if (state.box) state.box->stop();
    });
    set_up_targets(state, opts);
    for (const auto& t : state.targets) log.info("target {}: {}", t->label(), t->describe());

    state.cases = std::make_unique<gfbench::suite>(opts.scratch_dir);
    state.cases->keep_files(opts.keep);
    state.observers.attach(*state.cases);
    gfbench::benchmark_matrix matrix = opts.matrix();
    matrix.repetitions = user_set_repetitions ? 0 : default_repetitions;
    std::vector<gfbench::target*> where;
    for (const auto& t : state.targets) where.push_back(t.get());
    log.info("block sizes: {}", gfbench::app::describe_sizes(opts.block_sizes));
    std::vector<gfbench::case_info> registered;
    if (opts.read_only) {
      // No scratch area, no layout, no removal: the files as they are.
      registered = state.cases->register_files(where, opts.files, matrix);
    } else {
      log.info("file sizes: {}", gfbench::app::describe_sizes(opts.file_sizes));
      // Before anything is created: refuse a run that would fill a target.
      gfbench::app::check_free_space(where, matrix, opts.keep);
      registered = state.cases->register_matrix(where, matrix);
    }
    check_interrupt();
    set_up = clock_type::now() - started;

    // "[7/24] CASE" at info as each case starts, counted against what
    // --benchmark_filter selects.
    std::vector<std::string> run_names;
    run_names.reserve(registered.size());
    for (const auto& c : registered) {
      run_names.push_back(
          gfbench::app::benchmark_run_name(c.name, matrix.iterations, matrix.repetitions));
    }
    progress.emplace(
        gfbench::app::count_selected(run_names, benchmark::GetBenchmarkFilter()),
        [&log](const std::string& line) { log.info("{}", line); },
        [&log](const std::string& line) { log.debug("{}", line); });
    state.cases->add_observer(*progress);

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
    status = gfbench::app::usage_exit_code;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gfbench: %s\n", e.what());
    status = 1;
  }

  const auto tear_down_started = clock_type::now();
  if (set_up == clock_type::duration{}) set_up = tear_down_started - started;
  if (!state.tear_down() && status == 0) status = 1;
  tear_down = clock_type::now() - tear_down_started;

  if (reporter && reporter->runs_seen() > 0 && !opts.report_dir.empty()) {
    if (!write_run_report(out, opts, *reporter, report_context) && status == 0) status = 1;
  }

  if (reporter && (reporter->runs_seen() > 0 || gfbench::stop_requested())) {
    std::fprintf(out, "\nwall time %s: set-up %s, cases %s, tear-down %s\n",
                 format_seconds(clock_type::now() - started).c_str(),
                 format_seconds(set_up).c_str(), format_seconds(cases_time).c_str(),
                 format_seconds(tear_down).c_str());
  }
  if (gfbench::stop_requested()) {
    const int signal_number = gfbench::stop_signal();
    const char* name = signal_number == SIGINT    ? "SIGINT"
                       : signal_number == SIGTERM ? "SIGTERM"
                                                  : "request";
    std::fprintf(stderr, "gfbench: interrupted by %s; cases not yet run were skipped\n", name);
    return 128 + (signal_number != 0 ? signal_number : SIGINT);
  }
  return status;
}

// --pve-storage: the volume, servers and transport of a glusterfs storage
// of Proxmox VE's storage.cfg, read before anything starts (so a wrong ID
// costs no sandbox or connection, and exits 2). Returns lines for the log.
std::vector<std::string> apply_pve_storage(cli_options& opts) {
  if (opts.pve_storage.empty()) return {};
  const std::filesystem::path file =
      opts.pve_config.empty() ? std::filesystem::path(gfbench::app::default_pve_storage_config)
                              : std::filesystem::path(opts.pve_config);
  gfbench::app::pve_gluster_storage storage;
  try {
    storage = gfbench::app::load_pve_gluster_storage(file, opts.pve_storage);
  } catch (const gfbench::app::pve_storage_error& e) {
    throw usage_error(std::string("--pve-storage: ") + e.what());
  }
  opts.volume = storage.volume;
  opts.servers = storage.servers;
  opts.transport = storage.servers.front().transport;
  std::string servers;
  for (const auto& server : storage.servers) {
    if (!servers.empty()) servers += ", then ";
    servers += server.host;
    if (server.transport == gfbench::transport_kind::tcp) {
      servers += ":" + std::to_string(server.port);
    }
  }
  std::vector<std::string> lines{"Proxmox storage " + storage.id + " (" + file.string() +
                                 "): volume " + storage.volume + " via " + servers};
  for (const auto& note : storage.notes) {
    lines.push_back("Proxmox storage " + storage.id + ": " + note);
  }
  return lines;
}

// --report DIR: made now, so that a directory that cannot be written costs
// no sandbox or benchmark run; absolute, since the sandbox may change
// nothing about the working directory but gnuplot's script needs full paths.
void prepare_report_dir(cli_options& opts) {
  std::error_code ec;
  const std::filesystem::path dir = std::filesystem::absolute(opts.report_dir, ec);
  if (!ec) std::filesystem::create_directories(dir, ec);
  if (ec) throw usage_error("--report " + opts.report_dir + ": " + ec.message());
  if (::access(dir.c_str(), W_OK) != 0) {
    throw usage_error("--report " + dir.string() + ": not writable");
  }
  opts.report_dir = dir.string();
}

}  // namespace

int main(int argc, char** argv) {
  const bool user_set_repetitions = repetitions_given(argc, argv);
  // For summary.json, before Initialize takes the --benchmark_* flags out.
  const std::string command_line = gfbench::app::format_command_line(argc, argv);
  // Takes out the --benchmark_* flags; --help prints ours and its own, then exits.
  benchmark::Initialize(&argc, argv, print_help);

  cli_options opts;
  std::vector<std::string> pve_notes;
  try {
    opts = gfbench::app::parse_cli(argc, argv);
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
    pve_notes = apply_pve_storage(opts);
    if (!opts.report_dir.empty()) prepare_report_dir(opts);
    gfbench::app::assign_target_labels(opts, gfbench::app::on_fuse_filesystem);
  } catch (const usage_error& e) {
    std::fprintf(stderr, "gfbench: %s\n", e.what());
    return gfbench::app::usage_exit_code;
  }

  auto& log = logger();
  log.set_level(spdlog::level::from_str(opts.log_level));
  for (const auto& note : pve_notes) log.info("{}", note);

  try {
    // Before any thread exists (libgfapi's, the sandbox's), so all share them.
    gfbench::app::install_signal_handlers();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gfbench: %s\n", e.what());
    return 1;
  }
  const int status = run(opts, user_set_repetitions, command_line);
  benchmark::Shutdown();
  std::fflush(stdout);
  return status;
}
