#pragma once
// What each metadata phase needs of its tree, does to it and checks after
// it, as plain functions of the phase: the one place that knows the
// phases' order of things, so that the kernel (meta_kernel.cpp) runs any
// phase the same way.

#include <string_view>
#include <vector>

#include "bench/meta/meta_tree.hpp"
#include "gfbench/metadata.hpp"

namespace gfbench::detail {

/// Modes a file of the tree has: created with the first, chmod toggles.
inline constexpr unsigned mode_a = 0644;
inline constexpr unsigned mode_b = 0600;

/// The phases to run first, untimed, so that the tree holds what `op`
/// works on: files to stat, none to create, directories to remove...
[[nodiscard]] std::vector<meta_operation> steps_before(meta_operation op,
                                                       const meta_tree::state& now);

/// What a pass of `op` that succeeded left in the tree.
void apply_pass(meta_operation op, meta_tree::state& now, const meta_shape& shape);

/// How a phase's work is checked after its pass (untimed).
enum class check_after {
  nothing,
  listing,    ///< every leaf listed: the names as the tree says
  end_stats,  ///< each thread's first and last file stat'ed
};
[[nodiscard]] check_after check_for(meta_operation op) noexcept;

/// Whether a phase's items are leaf directories (the listings) rather
/// than files.
[[nodiscard]] bool per_leaf(meta_operation op) noexcept;

/// The call one item of `op` makes, as the watchdog names it.
[[nodiscard]] const char* call_name(meta_operation op) noexcept;

/// Whether `op` writes file data (create, append): its timed region ends
/// with fsync when the shape asks for it.
[[nodiscard]] bool writes_data(meta_operation op) noexcept;

}  // namespace gfbench::detail
