#pragma once
// How a gfapi target makes the connection its cold reads go through, shared
// with whoever must find that same connection again (the client FOP
// statistics dump their io-stats too). volume::connect hands out one glfs_t
// per distinct set of options, so equal options mean the same connection.

#include "gfbench/volume.hpp"

namespace gfbench::detail {

/// `base` with uncached_xlator_options() appended.
[[nodiscard]] volume_options cold_volume_options(const volume_options& base);

}  // namespace gfbench::detail
