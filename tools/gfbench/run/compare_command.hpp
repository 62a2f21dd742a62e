#pragma once
// `gfbench compare`: two runs' summary.json side by side (results/
// compare_runs.hpp), from the command line, with an exit status for CI.
//
//   gfbench compare BEFORE.json AFTER.json [--threshold PERCENT]
//   gfbench compare --baseline BASE.json AFTER.json [--threshold PERCENT]
//   gfbench compare RUN.json --targets gfapi,fuse
//
// Exit status: 0 compared (and nothing slower by more than --threshold);
// 1 a case slower by more than --threshold; 2 a bad command line or a file
// that is not a gfbench report.

#include <string>
#include <vector>

namespace gfbench::app {

/// `args` are what follows "compare". Prints to stdout and stderr.
int compare_command(const std::vector<std::string>& args);

}  // namespace gfbench::app
