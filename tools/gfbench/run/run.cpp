// One gfbench run: set up the targets (a sandbox in a zero-config run), register
// the matrix, run it under Google Benchmark, print the summary, write the
// report, and tear everything down, also after a failure or a stop request.

#include "run/run.hpp"

#include <benchmark/benchmark.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
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
#include "gluster/gluster_cli.hpp"
#include "gluster/mounts.hpp"
#include "gluster/run_observers.hpp"
#include "group/run_group.hpp"
#include "results/client_passes.hpp"
#include "results/client_tunings.hpp"
#include "results/failure_table.hpp"
#include "results/meta_table.hpp"
#include "results/option_comparison.hpp"
#include "results/pacing_table.hpp"
#include "results/queued_table.hpp"
#include "results/report.hpp"
#include "results/results.hpp"
#include "results/results_collector.hpp"
#include "results/scaling_table.hpp"
#include "results/statistics.hpp"
#include "results/summary_table.hpp"
#include "results/timelines.hpp"
#include "run/environment.hpp"
#include "run/progress.hpp"
#include "run/rounds.hpp"
#include "run/run_output.hpp"
#include "run/run_safety.hpp"
#include "run/set_up_targets.hpp"

namespace gfbench::app {
namespace {

using clock_type = std::chrono::steady_clock;

// A stall this long is named in the summary.
constexpr std::chrono::seconds notable_stall{1};

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

void print_summary(std::FILE* out, const results_collector& reporter, const run_state& state,
                   const io_shape& options, const std::string& group_text,
                   std::optional<std::chrono::nanoseconds> latency_target) {
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
  const std::string queued = format_queued(reporter.results());
  if (!queued.empty()) std::fprintf(out, "\n%s", queued.c_str());
  const std::string compared = format_option_comparison(reporter.results());
  if (!compared.empty()) std::fprintf(out, "\n%s", compared.c_str());
  const std::string scaling = format_scaling(reporter.results());
  if (!scaling.empty()) std::fprintf(out, "\n%s", scaling.c_str());
  const std::string pacing = format_pacing(reporter.results(), latency_target);
  if (!pacing.empty()) std::fprintf(out, "\n%s", pacing.c_str());
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
    } catch (const run_interrupted&) {
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
      report_context_.environment = environment_;
      report_context_.timelines = all_timelines();
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
      if (state_.faults) state_.faults->stop();
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
    environment_ = gather_environment(state_, opts_, request_.command_line);
    if (state_.switcher) state_.cases->add_observer(*state_.switcher);
    if (!opts_.faults.empty()) schedule_faults();
    if (!opts_.zero_config() && !opts_.gluster_cli.empty()) watch_volume();
  }

  // --gluster-cli on a volume gfbench did not make: bricks down and up and
  // the entries waiting for self-heal, on the timelines, as gluster says.
  void watch_volume() {
    const std::string volume = state_.observers.profiled_volume();
    if (volume.empty()) return;
    state_.watch = std::make_unique<volume_watch>(
        make_command_cli(opts_.gluster_cli), volume,
        std::max<std::chrono::milliseconds>(opts_.timeline_interval, std::chrono::seconds(1)),
        [this](volume_watch::clock::time_point at, std::string kind, std::string what) {
          logger().info("{}: {}", kind, what);
          timelines_.add_event(at, std::move(kind), std::move(what));
        },
        [this](volume_watch::clock::time_point at, std::vector<std::int64_t> pending) {
          timelines_.add_heal_sample(at, std::move(pending));
        });
    logger().info("following volume {} through {}: bricks down and up, entries waiting for heal",
                  volume, opts_.gluster_cli.front());
  }

  // --fault: struck in every timed pass, last of the observers, so that a
  // pass's clock starts right after (the brick profiler's snapshot first).
  void schedule_faults() {
    fault_schedule::settings settings{.faults = opts_.faults,
                                      .volumes = {},
                                      .sample_interval = opts_.timeline_interval,
                                      .until_healed = opts_.until_healed,
                                      .heal_bound = opts_.heal_timeout};
    for (const sandbox_target_volume& v : state_.volumes) {
      for (const std::string& label : v.labels) settings.volumes[label] = v.name;
    }
    state_.faults = std::make_unique<fault_schedule>(
        *state_.box, std::move(settings),
        [this](fault_schedule::clock::time_point at, std::string kind, std::string what) {
          timelines_.add_event(at, std::move(kind), std::move(what));
        },
        [this](fault_schedule::clock::time_point at, std::vector<std::int64_t> pending) {
          timelines_.add_heal_sample(at, std::move(pending));
        });
    state_.cases->add_observer(*state_.faults);
  }

  // The seed study's five trials, or one when a fault makes each minutes
  // long; --benchmark_repetitions decides when given.
  [[nodiscard]] int repetitions() const {
    if (request_.benchmark.repetitions_given) return request_.benchmark.repetitions;
    return opts_.faults.empty() ? default_repetitions : 1;
  }

  // How many rounds: that many, or with --target-ci as many as it takes.
  [[nodiscard]] round_plan plan() const {
    if (opts_.target_ci <= 0) return {.min_rounds = repetitions(), .max_rounds = repetitions()};
    if (request_.benchmark.repetitions_given) {
      throw usage_error(
          "--target-ci decides how many repetitions each case takes: leave out "
          "--benchmark_repetitions (bound them with --min-repetitions and --max-repetitions)");
    }
    const int min = opts_.min_repetitions > 0 ? opts_.min_repetitions : default_min_repetitions;
    const int max =
        opts_.max_repetitions > 0 ? opts_.max_repetitions : std::max(min, default_max_repetitions);
    if (max < min) {
      throw usage_error("--max-repetitions " + std::to_string(max) +
                        " is below the repetitions before the first check, " + std::to_string(min));
    }
    return {.min_rounds = min, .max_rounds = max, .target_ci = opts_.target_ci};
  }

  void register_cases() {
    auto& log = logger();
    matrix_ = opts_.matrix();
    // One repetition per case as Google Benchmark sees it: gfbench repeats
    // in rounds (run/rounds.hpp).
    matrix_.repetitions = 1;
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
    const std::vector<bool> selected = select_by_filter(run_names, benchmark::GetBenchmarkFilter());
    const auto count = static_cast<std::size_t>(std::count(selected.begin(), selected.end(), true));
    if (count == 0) {
      throw usage_error("no case matches --benchmark_filter=" + benchmark::GetBenchmarkFilter());
    }
    plan_ = plan();
    progress_.emplace(count, progress_sink(log), repeat_sink(log, plan_.max_rounds));
    state_.cases->add_observer(*progress_);
    mode_.observe(*state_.cases);

    output_.emplace(request_.benchmark, opts_.rows);
    reporter_.emplace(output_->sinks(), registered_);
    out_ = output_->summary_stream();
    cases_started_ = clock_type::now();
    rounds_ = run_rounds(
        run_names, selected, plan_,
        [&](const std::string& filter) {
          benchmark::RunSpecifiedBenchmarks(&*reporter_, filter);
          return !stop_requested();
        },
        [&](const std::string& filter) { return mode_.agree_on(filter); },
        [&]() -> const std::vector<case_summary>& { return reporter_->results(); });
    reporter_->finish();
    cases_time_ = clock_type::now() - cases_started_;
    if (live_line* line = terminal_line()) line->finish();
    std::fflush(stdout);
    if (!mode_.after_cases(*reporter_, state_.cases.get(), where_)) status_ = 1;
    if (stop_requested()) throw run_interrupted{};
  }

  // This client's passes over time, and with many clients all ranks'
  // added up.
  [[nodiscard]] std::vector<case_timeline> all_timelines() const {
    std::vector<case_timeline> all = timelines_.timelines();
    for (case_timeline& t : mode_.timelines()) all.push_back(std::move(t));
    return all;
  }

  void print() {
    const auto timelines = all_timelines();
    print_summary(out_, *reporter_, state_, matrix_.options,
                  mode_.summary() + format_stalls(timelines, notable_stall), opts_.latency_target);
    std::fputs(format_failure_tables(failure_stories(timelines)).c_str(), out_);
    const std::string rounds = describe_rounds(rounds_, plan_, reporter_->results());
    if (!rounds.empty()) std::fprintf(out_, "\n%s", rounds.c_str());
    const std::string volumes = describe_sandbox_volumes(state_.volumes);
    if (!volumes.empty()) std::fprintf(out_, "\n%s", volumes.c_str());
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
  round_plan plan_;
  round_outcome rounds_;
  run_environment environment_;
};

}  // namespace

int run(const run_request& request) {
  one_run r(request);
  r.execute();
  return r.finish();
}

}  // namespace gfbench::app
