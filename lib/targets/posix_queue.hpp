#pragma once
// io_queue engines on a POSIX file descriptor: depth 1 runs pread, pwrite
// and fsync one at a time; a larger depth runs them through io_uring
// (liburing). On a FUSE mount io_uring hands buffered I/O to its kernel
// workers, and O_DIRECT I/O goes asynchronously to the FUSE daemon when the
// daemon negotiated FUSE_ASYNC_DIO (glusterfs does), except writes that
// extend the file, which the kernel runs inside the submit.

#include <chrono>
#include <memory>

#include "gfbench/io_queue.hpp"

namespace gfbench::detail {

/// A queue on `fd`, which the caller keeps open until the queue is gone.
/// Throws io_error when io_uring cannot be set up (e.g. disabled by
/// /proc/sys/kernel/io_uring_disabled).
[[nodiscard]] std::unique_ptr<io_queue> make_posix_queue(int fd, unsigned depth,
                                                         std::chrono::milliseconds drain_timeout);

}  // namespace gfbench::detail
