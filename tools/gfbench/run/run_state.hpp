#pragma once
// What a run owns (run.cpp), declared so that destruction runs in the right
// order even on an exception: the faults are undone before anything else
// goes, the suite's scratch areas are removed through the targets, the
// targets go before the sandbox that serves them.

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gfbench/sandbox.hpp"
#include "gfbench/suite.hpp"
#include "gfbench/target.hpp"
#include "gfbench/volume.hpp"
#include "gluster/fault_schedule.hpp"
#include "gluster/gluster_cli.hpp"
#include "gluster/option_journal.hpp"
#include "gluster/option_switcher.hpp"
#include "gluster/run_observers.hpp"
#include "gluster/sandbox_volumes.hpp"
#include "gluster/volume_watch.hpp"
#include "results/client_tunings.hpp"

namespace gfbench::app {

/// A volume of the zero-config sandbox and the targets on it.
struct sandbox_target_volume {
  std::string name;
  std::string layout;  ///< in words, e.g. "replica2: 2 nodes, a copy on each (the seed's)"
  volume_variant variant;
  std::vector<std::string> labels;  ///< its targets: "gfapi", "fuse" (with the variant's tag)
  /// The options that decide how a failure goes, as the volume has them
  /// (network.ping-timeout, cluster.heal-timeout, quorum, sharding).
  std::vector<std::pair<std::string, std::string>> in_force;
};

struct run_state {
  std::optional<sandbox> box;
  /// The sandbox's volumes, in the order their targets were made.
  std::vector<sandbox_target_volume> volumes;
  std::vector<std::unique_ptr<target>> targets;
  std::unique_ptr<suite> cases;
  // Brick and client counters (--profile, --fop-stats); they hold
  // connections and a profiler, so they go before the targets and the sandbox.
  run_observers observers;
  // Each target's client graph, read once the target is ready.
  std::vector<target_client> clients;
  // --compare-options on a user's volume: the gluster CLI, the journal of
  // the options as they were (put back at tear-down), the observer that
  // switches them, and a connection per configuration, whose graphs tell
  // when a switch reached the clients.
  std::unique_ptr<gluster_cli> option_cli;
  std::unique_ptr<option_journal> journal;
  std::unique_ptr<option_switcher> switcher;
  std::vector<volume> option_volumes;
  // --gluster-cli on a volume gfbench did not make: what gluster says.
  std::unique_ptr<volume_watch> watch;
  // --fault: last, so that it goes first and nothing stays stopped.
  std::unique_ptr<fault_schedule> faults;

  /// Undoes the faults, removes the scratch areas, closes the targets and
  /// stops the sandbox. Returns false when cleaning up the scratch areas
  /// failed.
  bool tear_down() noexcept;
  ~run_state() { tear_down(); }
};

}  // namespace gfbench::app
