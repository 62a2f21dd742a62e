#pragma once
// What a run ran on (report.hpp's run_environment), gathered once its
// targets are up: versions, kernel, CPUs, each volume as gluster describes
// it, each client graph.

#include <string>

#include "cli/cli.hpp"
#include "results/report.hpp"
#include "run/run_state.hpp"

namespace gfbench::app {

/// Never throws: what cannot be found out is left empty (and logged).
[[nodiscard]] run_environment gather_environment(run_state& state, const cli_options& opts,
                                                 const std::string& command_line);

}  // namespace gfbench::app
