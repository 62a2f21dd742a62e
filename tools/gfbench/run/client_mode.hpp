#pragma once
// One client or many: the steps of a run that differ between gfbench alone
// and gfbench as one rank of many under mpirun (group/client_group.hpp).
// The run (run.cpp) takes every step through this object; alone, most of
// them do nothing, so the run reads the same either way.

#include <spdlog/spdlog.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "gfbench/suite.hpp"
#include "gfbench/target.hpp"
#include "group/client_group.hpp"
#include "results/report.hpp"
#include "results/results_collector.hpp"

namespace gfbench::app {

/// What a target is, so that another client can find the same files.
struct target_place {
  std::string label;
  std::string volume;           ///< a gfapi target's volume; empty otherwise
  std::string posix_directory;  ///< a POSIX target's directory; empty otherwise
};

class client_mode {
 public:
  virtual ~client_mode() = default;

  /// Whether this process prints: alone, or rank 0.
  [[nodiscard]] virtual bool speaks() const noexcept = 0;

  // The command line, before anything starts.
  /// Makes `options` this client's own (each rank's --posix paths) and
  /// refuses what this mode cannot run; throws usage_error.
  virtual void adapt(cli_options& options) = 0;
  /// Settles a usage problem found while reading the command line (empty:
  /// none): prints it where it should be printed, and returns whether the
  /// run must stop. Every rank takes this step.
  virtual bool stop_for(const std::string& usage_problem) = 0;
  /// Names this client in every log line.
  virtual void configure(spdlog::logger& log) const = 0;

  // The run.
  /// Warns of what may go wrong in this mode; before set-up.
  virtual void warn_early() const = 0;
  /// Runs a set-up step: with many clients every rank runs it and they
  /// agree, failing on every rank when it failed on one.
  virtual void together(const std::function<void()>& step) = 0;
  /// Where the scratch areas go under `root`.
  [[nodiscard]] virtual std::string scratch_root(const std::string& root) = 0;
  /// Registers the cases (`register_cases` on this client's suite).
  /// `targets` are the run's, `places` what each target is (for finding
  /// the same files from another client).
  virtual void register_all(suite& cases, const std::vector<target*>& targets,
                            const std::vector<target_place>& places,
                            const std::function<void()>& register_cases) = 0;
  /// Rank 0's `value`, on every client (alone: `value`): a decision every
  /// rank must take alike, such as the cases of the next round.
  [[nodiscard]] virtual std::string agree_on(const std::string& value) = 0;
  /// Adds what must watch every timed pass, innermost.
  virtual void observe(suite& cases) = 0;
  /// After the cases ran: what must happen before the summary (many
  /// clients remove their areas together now: mpirun gives them little
  /// time after a stop). Returns false when something failed.
  virtual bool after_cases(const results_collector& reporter, suite* cases,
                           const std::vector<target*>& targets) = 0;
  /// The summary's part of this mode (the clients table); may be empty.
  [[nodiscard]] virtual std::string summary() const = 0;
  /// Whether a case failed on another client.
  [[nodiscard]] virtual bool failed_elsewhere() const noexcept = 0;
  /// Before the run's own tear-down: what after_cases did not get to (a
  /// run that failed before its cases). Returns false when something failed.
  virtual bool before_tear_down(suite* cases, const std::vector<target*>& targets) = 0;
  /// Timelines beside this client's own: with many clients, rank 0's
  /// passes of all ranks added up.
  [[nodiscard]] virtual std::vector<case_timeline> timelines() const = 0;
  /// Fills the report's account of the clients.
  virtual void describe(report_context& context) const = 0;
  /// The run's exit status, from this client's own.
  [[nodiscard]] virtual int exit_status(int own) = 0;
};

/// Alone (`group` null), or one rank of `group` (not owned; it must
/// outlive the mode).
[[nodiscard]] std::unique_ptr<client_mode> make_client_mode(client_group* group);

}  // namespace gfbench::app
