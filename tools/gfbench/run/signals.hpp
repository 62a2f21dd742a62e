#pragma once
// Ctrl-C and SIGTERM during a gfbench run. The first signal asks the run to
// stop (gfbench/stop.hpp): the case running ends before its next record,
// the cases left skip themselves, and everything is torn down as usual, so
// that a sandbox's glusterd processes, mounts and network namespace are not
// left behind. A second signal ends the process at once, for when
// tear-down itself hangs.

namespace gfbench::app {

/// Installs the SIGINT and SIGTERM handlers described above and ignores
/// SIGPIPE (a closed output pipe is then a write error, not the end of the
/// run before its clean-up). Call it on the main thread before starting any
/// thread, so that every thread shares them. Throws std::system_error.
void install_signal_handlers();

}  // namespace gfbench::app
