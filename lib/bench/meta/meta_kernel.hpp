#pragma once
// The metadata phases (gfbench/metadata.hpp) as a case body: one phase of
// a tree's group, on T threads released together, each over its own
// directory of the tree.

#include <benchmark/benchmark.h>

#include "bench/meta/meta_tree.hpp"
#include "gfbench/kernels.hpp"
#include "gfbench/metadata.hpp"

namespace gfbench::detail {

/// Runs phase `op` of `tree` with `shape`'s cache mode (its other fields
/// are the tree's). `context` carries the case's observers. Reports every
/// failure with SkipWithError; never throws.
void run_meta_kernel(meta_operation op, const meta_shape& shape, meta_tree& tree,
                     benchmark::State& state, case_context& context);

}  // namespace gfbench::detail
