#pragma once
// io_queue engines on a libgfapi file: depth 1 runs glfs_pread, glfs_pwrite
// and glfs_fsync synchronously; a larger depth runs glfs_preadv_async,
// glfs_pwritev_async and glfs_fsync_async with that many requests in flight.

#include <glusterfs/api/glfs.h>

#include <chrono>
#include <memory>
#include <string>

#include "gfbench/io_queue.hpp"

namespace gfbench::detail {

struct connection;

/// A queue on `fd` (owned by the caller, who must keep it open until the
/// queue is gone), keeping `connection` alive. Its destructor waits for
/// requests in flight at most `drain_timeout`.
[[nodiscard]] std::unique_ptr<io_queue> make_gfapi_queue(std::shared_ptr<connection> connection,
                                                         glfs_fd_t* fd, unsigned depth,
                                                         std::chrono::milliseconds drain_timeout);

}  // namespace gfbench::detail
