#pragma once
// One gfbench run, from a command line that parsed (run.cpp).

#include <string>

#include "cli/benchmark_flags.hpp"
#include "cli/cli.hpp"
#include "group/client_group.hpp"

namespace gfbench::app {

struct run_request {
  cli_options options;
  benchmark_settings benchmark;
  std::string command_line;  ///< as typed, for the report
  /// The ranks this run is one of (under mpirun; not owned); null: alone.
  client_group* group = nullptr;
};

/// Runs the cases and tears everything down. Returns the exit status: 0
/// every case ran, 1 a case or the set-up failed, 2 a usage error found
/// late (no case matches the filter), 128+N stopped by signal N.
int run(const run_request& request);

}  // namespace gfbench::app
