#pragma once
// `gluster volume profile` on for the length of a run, and cumulative
// snapshots of every brick's counters (brick_counters.hpp).

#include <memory>
#include <string>

#include "gluster/brick_counters.hpp"
#include "gluster/gluster_cli.hpp"

namespace gfbench::app {

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

}  // namespace gfbench::app
