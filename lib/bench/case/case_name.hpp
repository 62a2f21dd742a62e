#pragma once
// What names a case: one list of fields, written two ways, as the case's
// name (what a user filters and reads) and as its file's name in the
// scratch area, so that the two never say different things.

#include <cstdint>
#include <string>
#include <string_view>

namespace gfbench::detail {

struct case_key {
  std::string op;  ///< the operation's or the workload's name
  std::uint64_t file_size = 0;
  std::uint64_t block_size = 0;
  std::string cache{};  ///< reads' cache mode; empty for the others
  bool queued = false;  ///< with queue_depth and threads
  unsigned queue_depth = 0;
  unsigned threads = 0;
  double rate_iops = 0;  ///< paced: requests a second; 0: not paced
  bool poisson = false;  ///< paced with Poisson arrivals
  /// A queued random case's access distribution other than the sweep
  /// (distribution.hpp's name); empty for the others.
  std::string distribution{};
};

/// "<label>/<op>/size:1MiB/bs:4KiB[/cache:warm][/qd:32/threads:1]
/// [/rate:2000[/poisson]][/dist:zipf:1.2]".
[[nodiscard]] std::string case_name(std::string_view label, const case_key& key);
/// "<op>-1MiB-4KiB[-warm][-qd32-t1][-r2000[-poisson]][-dzipf_1.2]": one file per case, so cases
/// never share data and a failed case cannot spoil the next.

[[nodiscard]] std::string case_file_name(const case_key& key);

}  // namespace gfbench::detail
