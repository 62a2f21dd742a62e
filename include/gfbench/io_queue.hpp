#pragma once
/// \file
/// Many I/Os in flight on one open file: a queue of a fixed depth that
/// takes requests and hands back their completions, each with its result as
/// the file system gave it. One interface over three engines:
///
///  - libgfapi's asynchronous calls (glfs_preadv_async, glfs_pwritev_async,
///    glfs_fsync_async) on a gfapi target's file;
///  - io_uring (liburing) on a POSIX target's file: a FUSE mount, a local disk;
///  - at depth 1, the synchronous calls themselves (glfs_pread, pread, ...),
///    one at a time, on any target.
///
/// Nothing is retried and nothing is hidden: a completion carries the byte
/// count the call returned (possibly short) or the errno it failed with.
/// A queue is used by one thread at a time; completions may be produced on
/// other threads (libgfapi's), and even inside submit() itself (write-behind
/// acknowledges writes before they leave the client): they are handed over
/// without a lock the submitter holds, and counted as `completed_inline`.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "gfbench/export.hpp"

namespace gfbench {

/// What a request does.
enum class io_kind {
  read,   ///< fill `buffer` from `offset`
  write,  ///< write `buffer` at `offset`
  flush,  ///< fsync the file (buffer and offset unused)
};

/// One request. The buffer must stay valid, and (for writes) unchanged,
/// until the request's completion has been reaped.
struct io_request {
  io_kind kind = io_kind::read;
  std::uint64_t offset = 0;
  std::span<std::byte> buffer{};
  std::uint64_t tag = 0;  ///< the caller's; handed back with the completion
};

/// What became of one request.
struct io_completion {
  using clock = std::chrono::steady_clock;
  std::uint64_t tag = 0;
  io_kind kind = io_kind::read;
  /// Bytes transferred (for a flush: 0), or a negative errno (-EIO, ...).
  std::int64_t result = 0;
  std::uint64_t requested = 0;  ///< bytes asked for
  clock::time_point submitted{};
  clock::time_point completed{};
  /// The completion ran inside the submit call (libgfapi write-behind).
  bool completed_inline = false;

  [[nodiscard]] bool failed() const noexcept { return result < 0; }
  /// A read or write that moved fewer bytes than asked, without an error.
  [[nodiscard]] bool short_transfer() const noexcept {
    return result >= 0 && static_cast<std::uint64_t>(result) != requested;
  }
};

/// A queue of requests on one open file.
///
/// Destroying a queue waits for what is still in flight (a closed file's
/// completions are dropped by libgfapi, and a buffer must not be freed
/// under an I/O), at most the watchdog's operation timeout; a queue whose
/// requests never come back logs it and leaves its memory to the process
/// rather than free what a late completion would write.
class GFBENCH_API io_queue {
 public:
  virtual ~io_queue() = default;
  io_queue() = default;
  io_queue(const io_queue&) = delete;
  io_queue& operator=(const io_queue&) = delete;

  /// The most requests in flight at once.
  [[nodiscard]] virtual unsigned depth() const noexcept = 0;
  /// Requests submitted whose completions have not been reaped.
  [[nodiscard]] virtual unsigned in_flight() const noexcept = 0;
  /// What runs the requests: "glfs_p*_async", "io_uring", "glfs_pread/glfs_pwrite", ...
  [[nodiscard]] virtual const char* engine() const noexcept = 0;

  /// Hands `request` to the file. Needs in_flight() < depth(). A request the
  /// engine refuses at once (libgfapi returned -1, io_uring_submit failed)
  /// still completes, with its errno, so every request has exactly one
  /// completion. Throws std::logic_error when the queue is full.
  virtual void submit(const io_request& request) = 0;

  /// Appends the completions that have arrived to `out`. When none has,
  /// waits for one, at most `timeout` (zero: do not wait). Returns how many
  /// were appended. Never throws for an I/O's failure: that is in its
  /// completion.
  virtual std::size_t reap(std::vector<io_completion>& out, std::chrono::nanoseconds timeout) = 0;

  /// Reaps until nothing is in flight or `timeout` passed; returns true when
  /// the queue is empty. The completions go to `out`.
  bool drain(std::vector<io_completion>& out, std::chrono::nanoseconds timeout);
};

}  // namespace gfbench
