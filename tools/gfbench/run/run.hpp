#pragma once
// One gfbench run, from a command line that parsed (run.cpp).

#include <string>

#include "cli/benchmark_flags.hpp"
#include "cli/cli.hpp"
#include "run/client_mode.hpp"

namespace gfbench::app {

struct run_request {
  cli_options options;
  benchmark_settings benchmark;
  std::string command_line;  ///< as typed, for the report
  /// Alone, or one rank of many (not owned; never null).
  client_mode* mode = nullptr;
};

/// Runs the cases and tears everything down. Returns the exit status: 0
/// every case ran, 1 a case or the set-up failed, 2 a usage error found
/// late (no case matches the filter), 128+N stopped by signal N.
int run(const run_request& request);

}  // namespace gfbench::app
