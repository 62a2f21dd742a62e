#pragma once
// What a gfbench run observes besides its timings, set up from the tool's
// flags: brick counters (--profile, automatic for the zero-config sandbox)
// and client FOP counters (--fop-stats). It owns the profiler and the
// observers for the length of the run.
//
// Order of set-up, and why:
//   1. start_profiler(), before any client connects or mounts: `volume
//      profile start` changes the volume's options, and every client
//      switches to a new graph; a client that switches mid-case resets its
//      own io-stats counters.
//   2. client_options() on each gfapi connection's options (--fop-stats
//      makes the client's io-stats count calls).
//   3. add_gfapi_target() / add_posix_target() for each target. A FUSE mount
//      made before a profile was started gets the change at a moment of its
//      own; add_posix_target waits until it counts calls, so that the switch
//      does not fall inside a timed pass. (A gfapi connection made after
//      the start fetches the new volfile as it connects.)
//   4. attach() to the suite.
//   5. release() before the targets and the sandbox go: it stops profiling
//      of a volume gfbench started profiling on (not a sandbox's).

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gfbench/observer.hpp"
#include "gfbench/suite.hpp"
#include "gfbench/volume.hpp"
#include "gluster/brick_profiler.hpp"
#include "gluster/fop_stats.hpp"
#include "gluster/gluster_cli.hpp"

namespace gfbench::app {

class run_observers {
 public:
  run_observers() = default;
  run_observers(const run_observers&) = delete;
  run_observers& operator=(const run_observers&) = delete;
  ~run_observers();

  /// --fop-stats.
  void count_client_calls(bool yes) noexcept { fop_stats_ = yes; }
  /// Starts profiling `volume` through `cli`. `keep_running`: leave it on at
  /// the end (a sandbox that is deleted anyway). Throws profile_error.
  void start_profiler(std::unique_ptr<gluster_cli> cli, std::string volume, bool keep_running);
  [[nodiscard]] bool profiling() const noexcept { return profiler_ != nullptr; }

  /// Adds what a gfapi connection to `options.volume` needs: with
  /// --fop-stats, its io-stats counting options.
  [[nodiscard]] volume_options client_options(volume_options options) const;
  /// A gfapi target connected with `options` (as client_options returned).
  void add_gfapi_target(const std::string& label, const volume_options& options);
  /// A POSIX target on `directory`: observed when it is a Gluster FUSE mount.
  void add_posix_target(const std::string& label, const std::filesystem::path& directory);
  /// Adds the observers to `cases`: first the count of libgfapi io-threads
  /// workers each gfapi case starts with (before anything else runs), then
  /// client counters outside brick counters, so that neither sees the
  /// other's snapshots.
  void attach(suite& cases);
  /// Drops the observers and stops profiling where start_profiler started
  /// it and was not told to keep it. Never throws.
  void release() noexcept;
  /// The volume being profiled; empty when none is.
  [[nodiscard]] std::string profiled_volume() const {
    return profiler_ ? profiler_->volume() : std::string();
  }
  /// True when the profile was started on a volume gfbench did not create.
  [[nodiscard]] bool profiling_shared_volume() const noexcept {
    return profiler_ != nullptr && profile_started_under_clients_;
  }

 private:
  // Waits (bounded) until the FUSE client of `directory` applied the
  // profile start; warns when it did not.
  void wait_for_profile(const std::string& label, const std::filesystem::path& directory);

  bool fop_stats_ = false;
  // Profiling was started on a volume whose clients may already run.
  bool profile_started_under_clients_ = false;
  std::unique_ptr<brick_profiler> profiler_;
  std::vector<std::string> brick_labels_;
  std::set<std::string> gfapi_labels_;
  std::map<std::string, std::unique_ptr<client_stats_source>> fop_sources_;
  std::vector<std::unique_ptr<case_observer>> observers_;
};

}  // namespace gfbench::app
