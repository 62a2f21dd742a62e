#pragma once
// After a fault and its heal: is every copy of a case's file the same? On
// a replicated volume the copies on the bricks of the file's replica set
// are compared byte for byte (an arbiter brick holds none; a sharded file's
// shards under .shard are compared too). On a disperse volume, whose
// bricks hold fragments, the file is read through a client once with every
// brick up and once with each brick down in turn, and the reads must agree.

#include <cstdint>
#include <string>

#include "gfbench/sandbox.hpp"

namespace gfbench::app {

/// Compares the copies of `file` (absolute inside the volume) on `volume`
/// of `box`; returns what was compared, in a sentence. Throws
/// std::runtime_error naming the brick, the offset and the record (of
/// `block_size` bytes) of the first difference, or the copy that is missing.
std::string compare_copies(sandbox& box, const std::string& volume, const std::string& file,
                           std::uint64_t block_size);

}  // namespace gfbench::app
