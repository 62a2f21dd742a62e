#pragma once
// The command line of the gfbench tool: its own flags, after
// benchmark::Initialize has taken out the --benchmark_* ones. Parsing does no
// I/O; what needs the file system (is a --posix directory a FUSE mount?) is
// a separate step, assign_target_labels, with the probe passed in.

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/cli_options.hpp"
#include "common/usage_error.hpp"
#include "gfbench/volume_options.hpp"

namespace gfbench::app {

/// Parses gfbench's flags. `args` excludes the program name. Throws usage_error.
cli_options parse_cli(const std::vector<std::string>& args);
/// The same for main's argv (argv[0] is skipped).
cli_options parse_cli(int argc, const char* const* argv);

/// Reads --server's value: HOST, HOST:PORT, [IPv6] or [IPv6]:PORT for tcp;
/// an absolute socket path for unix. Throws usage_error.
volfile_server parse_server(std::string_view text, transport_kind transport);

/// Gives each --posix target without a label "fuse" when `is_fuse(dir)`,
/// else "posix", and checks that all target labels (with "gfapi" when a
/// volume is given) are distinct. Throws usage_error.
void assign_target_labels(cli_options& options,
                          const std::function<bool(const std::filesystem::path&)>& is_fuse);

/// Sizes that were not typed (the library's defaults, a workload's), as if
/// typed in IEC units.
std::vector<size_option> as_size_options(const std::vector<std::uint64_t>& sizes);

/// "1MiB = 1048576 B, 10MB = 10000000 B; read as IEC (1 KiB = 1024 B) and SI
/// (1 kB = 1000 B)": what a size list means, for the log.
std::string describe_sizes(const std::vector<size_option>& sizes);

/// gfbench's own --help text (Google Benchmark's flags are printed after it);
/// help_text.cpp.
std::string help_text();

}  // namespace gfbench::app
