// One gfbench run: set up the targets (a sandbox in a zero-config run), register
// the matrix, run it under Google Benchmark, print the summary, write the
// report, and tear everything down, also after a failure or a stop request.

#include "run/run.hpp"

#include <benchmark/benchmark.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/app_log.hpp"
#include "gfbench/sandbox.hpp"
#include "gfbench/stop.hpp"
#include "gfbench/suite.hpp"
#include "gfbench/target.hpp"
#include "gfbench/volume.hpp"
#include "gluster/mounts.hpp"
#include "gluster/run_observers.hpp"
#include "group/run_group.hpp"
#include "results/client_passes.hpp"
#include "results/client_tunings.hpp"
#include "results/meta_table.hpp"
#include "results/report.hpp"
#include "results/results.hpp"
#include "results/results_collector.hpp"
#include "results/scaling_table.hpp"
#include "results/statistics.hpp"
#include "results/summary_table.hpp"
#include "results/timelines.hpp"
#include "run/progress.hpp"
#include "run/run_output.hpp"
#include "run/run_safety.hpp"

namespace gfbench::app {
namespace {

using clock_type = std::chrono::steady_clock;

// The volume name of the seed study, for the zero-config sandbox.
constexpr std::string_view sandbox_volume_name = "gfs-volume-proxmox";
// The seed study's 5 trials per measurement.
constexpr int default_repetitions = 5;

// A stall this long is named in the summary.
constexpr std::chrono::seconds notable_stall{1};

// Thrown between set-up steps once SIGINT/SIGTERM arrived.
struct interrupted {};

void check_interrupt() {
  if (stop_requested()) throw interrupted{};
}

// A new case: on a terminal, the live line; else a log line at info.
std::function<void(const std::string&)> progress_sink(spdlog::logger& log) {
  if (live_line* line = terminal_line(); line != nullptr && log.should_log(spdlog::level::info)) {
    return [line](const std::string& text) { line->show(text); };
  }
  return [&log](const std::string& text) { log.info("{}", text); };
}

// A later repetition of a case: on a terminal the live line says which,
// "repetition 2/5"; else a log line at debug.
std::function<void(const std::string&)> repeat_sink(spdlog::logger& log, int repetitions) {
  if (live_line* line = terminal_line(); line != nullptr && log.should_log(spdlog::level::info)) {
    return [line, repetitions](const std::string& text) {
      line->show(text + "/" + std::to_string(repetitions));
    };
  }
  return [&log](const std::string& text) { log.debug("{}", text); };
}

std::string describe_counts(const std::vector<std::uint64_t>& counts) {
  std::string out;
  for (const auto n : counts) out += (out.empty() ? "" : ", ") + std::to_string(n);
  return out;
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
  std::optional<sandbox> box;
  std::vector<std::unique_ptr<target>> targets;
  std::unique_ptr<suite> cases;
  // Brick and client counters (--profile, --fop-stats); they hold
  // connections and a profiler, so they go before the targets and the sandbox.
  run_observers observers;
  // Each target's client graph, read once the target is ready.
  std::vector<target_client> clients;

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

volume_options finish_connect_options(volume_options v, const cli_options& opts,
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
    volume = gluster_fuse_volume(p.directory).value_or("");
  }
  if (volume.empty()) {
    throw usage_error(
        "--profile needs a Gluster volume: --volume, or a --posix directory on a Gluster FUSE "
        "mount");
  }
  auto cli = make_command_cli(opts.gluster_cli.empty() ? std::vector<std::string>{"gluster"}
                                                       : opts.gluster_cli);
  try {
    state.observers.start_profiler(std::move(cli), volume, /*keep_running=*/false);
  } catch (const profile_error& e) {
    throw std::runtime_error(std::string("--profile: ") + e.what() +
                             "; run gfbench on a node of the cluster, or give --gluster-cli "
                             "\"ssh NODE gluster\"");
  }
}

// A gfapi target's client, from the graph its connection runs on.
target_client gfapi_client(const std::string& label, const volume& vol) {
  target_client client{.target = label, .kind = client_kind::gfapi};
  try {
    client.tuning = tuning_of(vol.graph());
  } catch (const std::exception& e) {
    client.unknown_reason = e.what();
  }
  return client;
}

// A POSIX target's client. A glusterfs FUSE mount of the volume the gfapi
// target uses runs the volfile glusterd serves for it, as gfapi does; the
// gfapi connection has just fetched it. Another FUSE mount shows the graph
// it built in its meta directory, whose options are those of when it was
// built: `volume set` of an option that keeps the translators changes a
// running client in place and leaves that copy as it was.
target_client posix_client(const std::string& label, const std::filesystem::path& directory,
                           const std::string& gfapi_volume, const target_client* gfapi) {
  target_client client{.target = label, .kind = client_kind::other};
  const auto mount = find_gluster_fuse_mount(directory);
  if (!mount) return client;
  client.kind = client_kind::gluster_fuse;
  if (gfapi != nullptr && gfapi->tuning && mount->volume == gfapi_volume) {
    client.tuning = gfapi->tuning;
    client.source_note = "glusterd's volfile of " + gfapi_volume + ", as gfapi's";
    return client;
  }
  const std::string volfile = fuse_client_volfile(*mount);
  if (volfile.empty()) {
    client.unknown_reason =
        "no readable " + (mount->mount_point / ".meta/graphs/active/volfile").string();
  } else {
    client.tuning = tuning_of(parse_client_volfile(volfile));
    client.source_note =
        "the graph the mount built; options changed in place since by `volume set` do not "
        "show here";
  }
  return client;
}

void set_up_targets(run_state& state, const cli_options& opts) {
  auto& log = logger();
  if (opts.zero_config()) {
    log.info(
        "no --volume, --pve-storage or --posix given: starting a private one-node Gluster sandbox");
    sandbox_options sandbox_opts;
    sandbox_opts.nodes = 1;
    sandbox_opts.keep_files = opts.keep;
    state.box.emplace(sandbox::start(sandbox_opts));
    check_interrupt();
    state.box->create_volume(sandbox_volume_name);
    check_interrupt();
    state.observers.count_client_calls(opts.fop_stats);
    if (!opts.no_profile) {
      // Before any client connects: starting a profile switches clients to
      // a new graph. The sandbox is deleted at the end, profile and all.
      state.observers.start_profiler(make_sandbox_cli(*state.box), std::string(sandbox_volume_name),
                                     /*keep_running=*/true);
    }
    // The volume is reachable only inside the sandbox's network namespace.
    // libgfapi's threads inherit the namespace of the thread that creates
    // them, so the main thread moves there before connecting.
    state.box->enter_network();
    const auto connect_opts = state.observers.client_options(
        finish_connect_options(state.box->client_options(sandbox_volume_name), opts, state));
    auto vol = volume::connect(connect_opts);
    state.clients.push_back(gfapi_client("gfapi", vol));
    state.targets.push_back(make_gfapi_target(std::move(vol), "gfapi"));
    state.observers.add_gfapi_target("gfapi", connect_opts);
    check_interrupt();
    const std::filesystem::path mountpoint = state.box->fuse_mount(sandbox_volume_name);
    log.info("sandbox volume {} in {}, FUSE-mounted on {}", sandbox_volume_name,
             state.box->base_dir().string(), mountpoint.string());
    state.targets.push_back(make_posix_target(mountpoint, "fuse"));
    state.clients.push_back(
        posix_client("fuse", mountpoint, std::string(sandbox_volume_name), &state.clients.front()));
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
    auto vol = volume::connect(connect_opts);
    state.observers.add_gfapi_target("gfapi", connect_opts);
    log.info("connected to volume {} in {:.1f} ms", vol.name(),
             std::chrono::duration<double, std::milli>(vol.connect_duration()).count());
    state.clients.push_back(gfapi_client("gfapi", vol));
    state.targets.push_back(make_gfapi_target(std::move(vol), "gfapi"));
    check_interrupt();
  }
  for (const auto& p : opts.posix_targets) {
    state.targets.push_back(make_posix_target(p.directory, p.label));
    state.clients.push_back(posix_client(p.label, p.directory, opts.volume,
                                         opts.volume.empty() ? nullptr : &state.clients.front()));
    state.observers.add_posix_target(p.label, p.directory);
  }
}

void print_summary(std::FILE* out, const results_collector& reporter, const run_state& state,
                   const io_shape& options, const std::string& group_text) {
  const bool direct = options.direct;
  const auto stonewall = options.stonewall;
  const bool wear_out = options.wear_out;
  if (reporter.runs_seen() == 0) return;
  std::fputs("\n", out);
  std::vector<case_summary> io_cases;
  for (const case_summary& c : reporter.results()) {
    if (!is_metadata_case(c)) io_cases.push_back(c);
  }
  if (!io_cases.empty()) std::fputs(format_summary(io_cases).c_str(), out);
  std::fputs(format_metadata(reporter.results()).c_str(), out);
  const std::string profile =
      format_profile_note(state.observers.profiling(), state.observers.profiling_shared_volume(),
                          state.observers.profiled_volume());
  if (!profile.empty()) std::fprintf(out, "\n%s", profile.c_str());
  const auto& clients = state.clients;
  const std::string tunings = format_client_tunings(clients, direct);
  if (!tunings.empty()) std::fprintf(out, "\n%s", tunings.c_str());
  const std::string scaling = format_scaling(reporter.results());
  if (!scaling.empty()) std::fprintf(out, "\n%s", scaling.c_str());
  const std::string failures = format_failures(reporter.failures());
  if (!failures.empty()) std::fprintf(out, "\n%s", failures.c_str());
  const std::string degraded = format_degraded(reporter.results());
  if (!degraded.empty()) std::fprintf(out, "\n%s", degraded.c_str());
  if (!group_text.empty()) std::fprintf(out, "\n%s", group_text.c_str());
  if (stonewall.count() > 0) {
    std::fprintf(out,
                 "\n--stonewall %.3g s: every pass stopped at that deadline after its start%s; "
                 "the rates are of what it moved by then, not of the whole file\n",
                 std::chrono::duration<double>(stonewall).count(),
                 wear_out ? ", then went on to the most calls any rank made (--wear-out)" : "");
  }
}

// --report DIR: the run's results as JSON, CSV and a plot. Returns false
// when the files could not be written; a missing gnuplot is only a warning.
bool write_run_report(std::FILE* out, const cli_options& opts, const results_collector& reporter,
                      const report_context& context) {
  try {
    const auto result =
        write_report(opts.report_dir, reporter.results(), reporter.failures(), context);
    std::fprintf(out, "\nreport in %s:", opts.report_dir.c_str());
    std::size_t fio_logs = 0;
    for (const auto& file : result.written) {
      // fio's logs, one pair per pass, are counted rather than listed.
      if (file.filename().string().ends_with(".1.log")) {
        ++fio_logs;
        continue;
      }
      std::fprintf(out, " %s", file.filename().c_str());
    }
    if (fio_logs > 0) std::fprintf(out, " and %zu fio logs", fio_logs);
    std::fputs("\n", out);
    if (!result.plotted) logger().warn("{}", result.plot_note);
    for (const auto& file : result.written) {
      if (file.extension() == ".png") std::fprintf(out, "plot: %s\n", file.c_str());
    }
    return true;
  } catch (const std::exception& e) {
    logger().error("--report: {}", e.what());
    return false;
  }
}

// One run, step by step, with what it owns; the steps that differ
// between one client and many are the mode's (client_mode.hpp).
class one_run {
 public:
  explicit one_run(const run_request& request)
      : request_(request),
        opts_(request.options),
        mode_(*request.mode),
        report_context_{.command_line = request.command_line, .started_utc = utc_timestamp()} {}

  // Sets up, runs the cases and prints the summary; every failure ends up
  // in the status, an interruption in the summary of what finished.
  void execute() {
    try {
      set_up();
      register_cases();
      run_cases();
      print();
      if (reporter_->any_failed() || mode_.failed_elsewhere()) status_ = 1;
    } catch (const interrupted&) {
      // What finished is still worth showing; the interruption is reported
      // at the end, after cleaning up.
      if (live_line* line = terminal_line()) line->finish();
      std::fflush(stdout);
      if (reporter_) {
        cases_time_ = clock_type::now() - cases_started_;
        print();
      }
    } catch (const usage_error& e) {
      complain(e.what());
      status_ = usage_exit_code;
    } catch (const std::exception& e) {
      complain(e.what());
      status_ = 1;
    }
  }

  // Removes what the run made and stops what it started, then writes the
  // report and the wall time. Returns the exit status.
  int finish() {
    const auto tear_down_started = clock_type::now();
    if (set_up_time_ == clock_type::duration{}) set_up_time_ = tear_down_started - started_;
    if (!mode_.before_tear_down(state_.cases.get(), where_) && status_ == 0) status_ = 1;
    if (!state_.tear_down() && status_ == 0) status_ = 1;
    tear_down_time_ = clock_type::now() - tear_down_started;
    if (reporter_ && reporter_->runs_seen() > 0 && !opts_.report_dir.empty()) {
      report_context_.clients = state_.clients;
      report_context_.timelines = timelines_.timelines();
      report_context_.fio_logs = opts_.fio_logs;
      mode_.describe(report_context_);
      if (!write_run_report(out_, opts_, *reporter_, report_context_) && status_ == 0) status_ = 1;
    }
    if (reporter_ && (reporter_->runs_seen() > 0 || stop_requested())) {
      std::fprintf(out_, "\nwall time %s: set-up %s, cases %s, tear-down %s\n",
                   format_seconds(clock_type::now() - started_).c_str(),
                   format_seconds(set_up_time_).c_str(), format_seconds(cases_time_).c_str(),
                   format_seconds(tear_down_time_).c_str());
    }
    if (stop_requested()) return interrupted_status();
    return mode_.exit_status(status_);
  }

 private:
  void set_up() {
    // A call that never returns (a hung brick) ends the run after twice
    // --op-timeout; the sandbox, if any, is stopped first. The hook runs on
    // the watchdog's thread while this one is blocked, never after run().
    watch_operations(opts_.op_timeout, [this] {
      if (state_.box) state_.box->stop();
    });
    mode_.warn_early();
    mode_.together([&] { set_up_targets(state_, opts_); });
    for (const auto& t : state_.targets) {
      logger().info("target {}: {}", t->label(), t->describe());
      where_.push_back(t.get());
    }
    state_.cases = std::make_unique<suite>(mode_.scratch_root(opts_.scratch_dir));
    state_.cases->keep_files(opts_.keep);
    state_.cases->timeline_interval(opts_.timeline_interval);
    state_.observers.attach(*state_.cases);
    state_.cases->add_observer(timelines_);
  }

  void register_cases() {
    auto& log = logger();
    matrix_ = opts_.matrix();
    matrix_.repetitions = request_.benchmark.repetitions_given ? 0 : default_repetitions;
    log.info("block sizes: {}", opts_.block_sizes.empty()
                                    ? describe_sizes(as_size_options(matrix_.block_sizes))
                                    : describe_sizes(opts_.block_sizes));
    std::vector<target_place> places;
    if (!opts_.volume.empty())
      places.push_back({.label = "gfapi", .volume = opts_.volume, .posix_directory = {}});
    for (const auto& p : opts_.posix_targets) {
      places.push_back({.label = p.label, .volume = {}, .posix_directory = p.directory.string()});
    }
    mode_.register_all(*state_.cases, where_, places, [&] { registered_ = register_matrix(); });
    check_interrupt();
    set_up_time_ = clock_type::now() - started_;
  }

  // This client's cases: the metadata phases, the files of --read-only,
  // or the matrix.
  std::vector<case_info> register_matrix() {
    auto& log = logger();
    if (opts_.metadata()) {
      metadata_matrix meta = opts_.meta_matrix();
      meta.repetitions = matrix_.repetitions;
      log.info("metadata phases: {} files per thread of {}", describe_counts(opts_.file_counts),
               describe_sizes(opts_.file_sizes));
      check_free_space(where_, meta);
      return state_.cases->register_metadata(where_, meta);
    }
    if (opts_.read_only) {
      // No scratch area, no layout, no removal: the files as they are.
      return state_.cases->register_files(where_, opts_.files, matrix_);
    }
    log.info("file sizes: {}", describe_sizes(opts_.file_sizes));
    // Before anything is created: refuse a run that would fill a target.
    // Files other ranks read (--reorder-reads) stay to the end, as kept ones.
    check_free_space(where_, matrix_, opts_.keep || opts_.reorder_reads > 0);
    return state_.cases->register_matrix(where_, matrix_);
  }

  void run_cases() {
    auto& log = logger();
    // "[7/24] CASE" at info as each case starts, counted against what
    // --benchmark_filter selects.
    std::vector<std::string> run_names;
    run_names.reserve(registered_.size());
    for (const auto& c : registered_) {
      run_names.push_back(benchmark_run_name(c.name, matrix_.iterations, matrix_.repetitions));
    }
    const int repetitions =
        request_.benchmark.repetitions_given ? request_.benchmark.repetitions : default_repetitions;
    progress_.emplace(count_selected(run_names, benchmark::GetBenchmarkFilter()),
                      progress_sink(log), repeat_sink(log, repetitions));
    state_.cases->add_observer(*progress_);
    mode_.observe(*state_.cases);

    output_.emplace(request_.benchmark, opts_.rows);
    reporter_.emplace(output_->sinks(), registered_);
    out_ = output_->summary_stream();
    cases_started_ = clock_type::now();
    const std::size_t matched = benchmark::RunSpecifiedBenchmarks(&*reporter_);
    cases_time_ = clock_type::now() - cases_started_;
    if (live_line* line = terminal_line()) line->finish();
    std::fflush(stdout);
    if (!mode_.after_cases(*reporter_, state_.cases.get(), where_)) status_ = 1;
    if (matched == 0) {
      throw usage_error("no case matches --benchmark_filter=" + benchmark::GetBenchmarkFilter());
    }
  }

  void print() {
    print_summary(out_, *reporter_, state_, matrix_.options,
                  mode_.summary() + format_stalls(timelines_.timelines(), notable_stall));
  }

  void complain(const char* what) const {
    if (mode_.speaks()) std::fprintf(stderr, "gfbench: %s\n", what);
  }

  [[nodiscard]] int interrupted_status() const {
    const int signal_number = stop_signal();
    const char* name = signal_number == SIGINT    ? "SIGINT"
                       : signal_number == SIGTERM ? "SIGTERM"
                                                  : "request";
    if (mode_.speaks()) {
      std::fprintf(stderr, "gfbench: interrupted by %s; cases not yet run were skipped\n", name);
    }
    return 128 + (signal_number != 0 ? signal_number : SIGINT);
  }

  const run_request& request_;
  const cli_options& opts_;
  client_mode& mode_;
  const clock_type::time_point started_ = clock_type::now();
  report_context report_context_;
  // Declared before the suite that points to them, so that they outlive it.
  std::optional<progress_observer> progress_;
  timeline_collector timelines_;
  run_state state_;
  std::vector<target*> where_;
  benchmark_matrix matrix_;
  std::vector<case_info> registered_;
  int status_ = 0;
  std::FILE* out_ = stdout;
  clock_type::duration set_up_time_{}, cases_time_{}, tear_down_time_{};
  clock_type::time_point cases_started_ = clock_type::now();
  std::optional<run_output> output_;
  std::optional<results_collector> reporter_;
};

}  // namespace

int run(const run_request& request) {
  one_run r(request);
  r.execute();
  return r.finish();
}

}  // namespace gfbench::app
