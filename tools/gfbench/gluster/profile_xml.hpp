#pragma once
// Reading the gluster CLI's --xml output of `volume profile` and
// `volume info` (pugixml), for the brick counters.

#include <string_view>

#include "gluster/brick_counters.hpp"

namespace gfbench::app {

/// Parses the XML of `volume profile VOL info cumulative --xml` (also
/// `info` or `info incremental`: then the first stats block of each brick).
/// Throws profile_error for a failed command (opRet != 0: its opErrstr) or
/// text that is not such output.
[[nodiscard]] profile_snapshot parse_profile_xml(std::string_view xml);

/// Parses `gluster volume info VOL --xml`; throws profile_error if it failed
/// or does not describe `volume`.
[[nodiscard]] volume_layout parse_volume_info_xml(std::string_view xml, std::string_view volume);

}  // namespace gfbench::app
