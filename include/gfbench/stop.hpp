#pragma once
/// \file
/// Stopping a run early, from a signal handler or any thread.
///
/// Google Benchmark has no way to stop a run from outside, and ending the
/// process would leave scratch files (and a sandbox's processes, mounts and
/// network namespace) behind. So a stop request is a flag the kernels look
/// at: a case that has not started skips itself (failing with "interrupted:
/// stop requested (signal) before this case"), a pass in progress ends
/// before its next record, and the run winds down and cleans up as usual.
/// Every call here is async-signal-safe.

#include "gfbench/export.hpp"

namespace gfbench {

/// Asks the running and the remaining cases to stop. `signal_number` is the
/// signal that asked (0: none). Async-signal-safe.
GFBENCH_API void request_stop(int signal_number = 0) noexcept;

/// True once request_stop was called (and not cleared). Cheap: the kernels
/// poll it before each record.
[[nodiscard]] GFBENCH_API bool stop_requested() noexcept;

/// The signal that asked to stop, or 0.
[[nodiscard]] GFBENCH_API int stop_signal() noexcept;

/// Forgets a stop request, so that cases run again (tests; a program that
/// runs several suites one after another).
GFBENCH_API void clear_stop() noexcept;

}  // namespace gfbench
