#pragma once
// The flags of the zero-config sandbox and what is done to it: --sandbox,
// --volume-set, --fault, --until-healed and --heal-timeout. They need the
// sandbox; faults need time-based passes to strike in, and bring their own
// defaults (--verify, a longer --op-timeout).

#include "cli/flags.hpp"

namespace gfbench::app {

/// Checks them once every flag is read, and fills in what faults imply;
/// throws usage_error.
void check_sandbox_flags(parse_state& state);

}  // namespace gfbench::app
