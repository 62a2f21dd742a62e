#pragma once
// A command line that cannot be run: every room of the program that reads
// one (the flags, --benchmark_out's file, a --pve-storage entry) reports it
// the same way.

#include <stdexcept>

namespace gfbench::app {

/// `what()` names the flag, the bad value and what is expected. The tool
/// prints it and exits with usage_exit_code.
class usage_error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

inline constexpr int usage_exit_code = 2;

}  // namespace gfbench::app
