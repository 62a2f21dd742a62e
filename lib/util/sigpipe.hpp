#pragma once
// SIGPIPE's default action ends the process. libgfapi writes to its sockets
// with plain writev, from its own threads and from the caller's, and unlike
// the gluster daemons it does not ignore SIGPIPE: a brick or glusterd that
// closes a connection at the wrong moment would end a client without an
// error to report and without cleaning up. So would a reader of gfbench's
// output that goes away (`gfbench | head`). Ignored, both are write errors.

namespace gfbench::detail {

/// Sets SIGPIPE to ignored when it still has its default action; a process
/// that installed a handler or chose SIG_IGN itself keeps its choice.
void ignore_sigpipe_unless_chosen() noexcept;

}  // namespace gfbench::detail
