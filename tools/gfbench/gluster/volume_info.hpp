#pragma once
// A volume as `gluster volume info VOL --xml` describes it: its type and
// the options set on it, for the record a run keeps of what it ran on.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gfbench::app {

struct volume_description {
  std::string name;
  std::string type;  ///< "Replicate", "Distribute", "Disperse", ...
  int bricks = 0;
  /// The options set on it (`volume set`), as gluster lists them.
  std::vector<std::pair<std::string, std::string>> options;
};

/// Reads `volume info --xml` output; throws profile_error when it is not
/// that or names no volume.
[[nodiscard]] volume_description parse_volume_info(std::string_view xml);

}  // namespace gfbench::app
