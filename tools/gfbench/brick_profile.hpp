#pragma once
// What reached the bricks: `gluster volume profile` snapshots taken right
// around each timed pass of a case, so that a case can say how many bytes
// its pass read from and wrote to the bricks (and how many calls of each
// kind the bricks served, and how long they took there).
//
// The bricks' io-stats translator sits at the top of each brick's graph,
// above the posix translator: a read the brick serves from the server's
// page cache still counts as a brick read. It counts what reached the
// brick process, which is what "not served by a client-side cache" means.
//
// Snapshots are cumulative (`info cumulative`), and an interval is the
// difference of two: unlike `info incremental`, that leaves the bricks'
// interval counters alone for anyone else watching the volume, and a brick
// that restarted (its counters start again at zero) is noticed instead of
// being read as a quiet interval.
//
// Everything the bricks did between two snapshots counts, whoever did it:
// on a volume other clients use at the same time, their traffic is in the
// figures too. The zero-config sandbox volume has no other client.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "gfbench/observer.hpp"

namespace gfbench {
class sandbox;
}

namespace gfbench::detail {

// Counter names the observers set and the summary reads.
inline constexpr const char* brick_read_bytes_counter = "brick_read_bytes";
inline constexpr const char* brick_write_bytes_counter = "brick_write_bytes";
inline constexpr const char* brick_copies_counter = "brick_copies";

/// A profile could not be taken or does not add up.
class profile_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Calls of one file operation and their summed latency. Gluster reports an
/// average per operation; average x calls gives the sum, and sums subtract.
struct fop_counts {
  std::uint64_t calls = 0;
  double total_latency_ns = 0;

  [[nodiscard]] double avg_us() const noexcept {
    return calls == 0 ? 0.0 : total_latency_ns / static_cast<double>(calls) / 1000.0;
  }
};

/// One brick's cumulative io-stats since it started (or profiling began).
struct brick_stats {
  std::string brick{};  ///< "host:/path", as gluster names it
  std::uint64_t duration_s = 0;
  std::uint64_t bytes_read = 0;
  std::uint64_t bytes_written = 0;
  std::map<std::string, fop_counts> fops{};  ///< by gluster's name: "WRITE", "READ", "FSYNC", ...
};

/// `gluster volume profile VOL info cumulative --xml`, per brick that answered.
struct profile_snapshot {
  std::vector<brick_stats> bricks{};
};

/// What the bricks did between two snapshots, summed over bricks.
struct brick_interval {
  std::uint64_t bytes_read = 0;
  std::uint64_t bytes_written = 0;
  std::map<std::string, fop_counts> fops{};
  std::size_t bricks = 0;

  brick_interval& operator+=(const brick_interval& other);
};

/// Parses the XML of `volume profile VOL info cumulative --xml` (also
/// `info` or `info incremental`: then the first stats block of each brick).
/// Throws profile_error for a failed command (opRet != 0: its opErrstr) or
/// text that is not such output.
[[nodiscard]] profile_snapshot parse_profile_xml(std::string_view xml);

/// `after` minus `before`. Throws profile_error when a brick is in one and
/// not the other (it went offline or came back) or its counters went back
/// (it restarted, or someone ran `profile info clear`).
[[nodiscard]] brick_interval profile_difference(const profile_snapshot& before,
                                                const profile_snapshot& after);

/// What `gluster volume info VOL --xml` says that matters here.
struct volume_layout {
  std::string type{};      ///< "Distribute", "Replicate", "Disperse", ...
  std::size_t bricks = 0;
  /// Bytes arriving at the bricks per byte a client writes: the replica
  /// count (an arbiter brick counts too: its io-stats sits above the
  /// arbiter translator that drops the data; not checked here), (k+r)/k
  /// for a disperse volume of k+r, else 1.
  double write_copies = 1;
  /// diagnostics.latency-measurement and diagnostics.count-fop-hits are
  /// both on: `volume profile start` was run (or set them by hand).
  bool profiling = false;
};

/// Parses `gluster volume info VOL --xml`; throws profile_error if it failed
/// or does not describe `volume`.
[[nodiscard]] volume_layout parse_volume_info_xml(std::string_view xml, std::string_view volume);

/// Runs the gluster CLI against the cluster that serves the volume.
class gluster_cli {
 public:
  virtual ~gluster_cli() = default;
  /// Runs `gluster --mode=script ARGS...`; returns stdout. Throws
  /// profile_error when it cannot be run or exits with an error.
  virtual std::string run(const std::vector<std::string>& args) = 0;
  /// For messages: "the sandbox's glusterd", "`ssh pve1 gluster`".
  [[nodiscard]] virtual std::string describe() const = 0;
};

/// The gluster CLI of a gfbench sandbox: run with posix_spawn (never fork,
/// see spawn_capture.hpp) through `nsenter --mount` into node 0's glusterd
/// mount namespace, where gsyncd is a stub (about 0.02 s a call instead of
/// 0.15 s); sandbox::gluster if that glusterd cannot be found.
[[nodiscard]] GFBENCH_API std::unique_ptr<gluster_cli> make_sandbox_cli(sandbox& box);
/// A gluster CLI run as a command (posix_spawn): `prefix` is its argv up to
/// and including the program, e.g. {"gluster"} on a node of the cluster, or
/// {"ssh", "root@192.168.1.1", "gluster"}. `--mode=script` and the
/// arguments follow.
/// (`gluster --remote-host=H` does not do: glusterd 10.3 answers `volume
/// info` to a remote CLI but refuses `volume profile`.)
[[nodiscard]] GFBENCH_API std::unique_ptr<gluster_cli> make_command_cli(std::vector<std::string> prefix);

/// Profiling of one volume for the length of a run.
class brick_profiler {
 public:
  brick_profiler(std::unique_ptr<gluster_cli> cli, std::string volume);
  brick_profiler(const brick_profiler&) = delete;
  brick_profiler& operator=(const brick_profiler&) = delete;
  /// Stops profiling if start() started it, unless keep_running().
  ~brick_profiler();

  /// Reads the volume's layout and runs `volume profile VOL start` unless
  /// profiling is on already. Clients of the volume then switch to a new
  /// graph (latency measurement on in their io-stats too), so start before
  /// connecting where possible. Throws profile_error.
  void start();
  /// A cumulative snapshot of every brick. Throws profile_error.
  [[nodiscard]] profile_snapshot snapshot();
  /// Leaves profiling on at destruction (a sandbox about to be deleted).
  void keep_running() noexcept { keep_running_ = true; }
  /// `volume profile VOL stop` if start() started it. Never throws; logs.
  void stop() noexcept;

  [[nodiscard]] const volume_layout& layout() const noexcept { return layout_; }
  [[nodiscard]] const std::string& volume() const noexcept { return volume_; }
  [[nodiscard]] bool started_here() const noexcept { return started_; }
  [[nodiscard]] std::string describe() const { return cli_->describe(); }

 private:
  std::unique_ptr<gluster_cli> cli_;
  std::string volume_;
  volume_layout layout_{};
  bool started_ = false;
  bool keep_running_ = false;
};

/// Reports, for each case on the listed targets (all on the profiled
/// volume), what its timed passes brought to the bricks, per pass:
/// `brick_read_bytes`, `brick_write_bytes`, `brick_copies` (only when the
/// volume writes more than one copy) and, with `fop_detail`,
/// `brick_<fop>_calls` and `brick_<fop>_avg_us` (latency at the brick).
/// A snapshot that fails leaves the case's brick counters out, with a warning.
class brick_observer final : public case_observer {
 public:
  brick_observer(brick_profiler& profiler, std::vector<std::string> target_labels,
                 bool fop_detail);

  void before_case(const case_info& c) override;
  void before_pass(const case_info& c) override;
  void after_pass(const case_info& c) override;
  void after_case(const case_info& c, benchmark::State& state) override;

 private:
  brick_profiler& profiler_;
  std::vector<std::string> labels_;
  bool fop_detail_;
  // The case running now (Google Benchmark runs one at a time).
  bool covered_ = false;
  std::optional<profile_snapshot> before_;
  brick_interval total_;
  std::int64_t passes_ = 0;
  std::string error_;
  int warnings_ = 0;
};

/// `brick_<fop>_calls` / `fop_<fop>_calls`: "WRITE" -> prefix + "write" + suffix.
[[nodiscard]] std::string fop_counter_name(std::string_view prefix, std::string_view fop,
                                           std::string_view suffix);

}  // namespace gfbench::detail
