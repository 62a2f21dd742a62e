#pragma once
// Ctrl-C and SIGTERM during a run. Google Benchmark cannot stop a case from
// outside, and killing the process outright would leave a sandbox (glusterd
// processes, a network namespace, a FUSE mount) behind. So the first signal
// only sets a flag: cases not yet started see it and skip themselves, the
// run ends early, and everything is torn down as usual. A second signal
// ends the process at once, for when tear-down itself hangs.

#include "gfbench/export.hpp"

namespace gfbench::detail {

/// Installs the SIGINT and SIGTERM handlers described above and ignores
/// SIGPIPE (a closed output pipe is then a write error). Call it on the
/// main thread before starting any thread, so every thread shares them.
GFBENCH_API void install_interrupt_handlers();

/// True once SIGINT or SIGTERM arrived (or request_stop was called).
/// Async-signal-safe and cheap: kernels may poll it.
[[nodiscard]] GFBENCH_API bool stop_requested() noexcept;

/// The signal that asked to stop, or 0 (none, or request_stop(0)).
[[nodiscard]] GFBENCH_API int stop_signal() noexcept;

/// Sets the flag as a signal would, without the signal (for tests and for
/// code that decides to stop on its own).
GFBENCH_API void request_stop(int signal_number = 0) noexcept;

/// Clears the flag (for tests).
GFBENCH_API void reset_stop() noexcept;

}  // namespace gfbench::detail
