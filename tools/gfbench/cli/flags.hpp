#pragma once
// gfbench's flags, each declared once: its names (the canonical --name
// first, then its aliases, as CLI11 takes them), its value, its line of
// --help and what it does with its value. parse_cli.cpp hands the rows to
// CLI11; help_text.cpp prints them. A new flag is a row here, the code that
// uses its value, and a test.

#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/cli_options.hpp"

namespace gfbench::app {

/// One parse: the options being filled, and what was seen on the way.
struct parse_state {
  cli_options o;
  std::vector<std::string> server_texts;
  bool transport_given = false;
  std::set<std::string> given;  ///< canonical names of the flags used
  /// --ops and --sizes mean other things with --file-count: read once all
  /// flags are in.
  std::string ops_text;
  std::string sizes_text;
};

/// The part of --help a flag is listed in (help_text.cpp's sections).
enum class help_section {
  targets,
  what_to_run,
  concurrency,
  pacing,
  metadata,
  many_clients,
  comparing,
  failures,
  safety,
  output,
};

struct flag_row {
  const char* names;    ///< CLI11's: "--queue-depth,--qd,--iodepth"
  const char* value;    ///< the value in --help ("LIST"); null: it takes none
  const char* expects;  ///< what its value is, for "needs a value"
  help_section section;
  /// Its --help text, lines split with '\n'; `{name}` stands for the
  /// default `name` of help_defaults(), printed from the code's constants.
  std::string_view help;
  void (*apply)(parse_state& p, std::string_view value);
};

/// Every flag of gfbench, in the order --help lists them.
[[nodiscard]] std::span<const flag_row> flag_rows() noexcept;

/// The --name of a row ("--help" for "-h,--help").
[[nodiscard]] std::string canonical_name(const flag_row& row);

/// What `{name}` in a help text stands for: each default from the constant
/// the code uses.
[[nodiscard]] std::string help_default(std::string_view name);

}  // namespace gfbench::app
