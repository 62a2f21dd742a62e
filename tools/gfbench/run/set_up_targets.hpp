#pragma once
// The targets of a run: the zero-config sandbox's volumes (through libgfapi
// and a FUSE mount each), or --volume, --pve-storage's and --posix's; the
// observers that count what reaches the bricks and the clients, set up in
// the order run_observers.hpp gives.

#include "cli/cli.hpp"
#include "run/run_state.hpp"

namespace gfbench::app {

/// Sets up `state`'s targets as `opts` asks. Throws usage_error for an
/// option gluster refused (--volume-set), else std::exception. Checks for
/// a stop request between the steps (throws run_interrupted).
void set_up_targets(run_state& state, const cli_options& opts);

/// "network.ping-timeout 42, cluster.heal-timeout 600, ...": the options
/// in force that decide how a failure goes.
[[nodiscard]] std::string describe_in_force(const sandbox_target_volume& v);

/// What the run's sandbox volumes were, which options were set and which
/// were in force, for the summary; empty without a sandbox.
[[nodiscard]] std::string describe_sandbox_volumes(const std::vector<sandbox_target_volume>& v);

/// Thrown between set-up steps once SIGINT/SIGTERM arrived.
struct run_interrupted {};

/// Throws run_interrupted once a stop was requested.
void check_interrupt();

}  // namespace gfbench::app
