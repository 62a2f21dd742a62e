#pragma once
/// \file
/// Where a benchmark's files live. The same kernels run on a Gluster volume
/// through libgfapi and on a POSIX directory (a FUSE mount of the same
/// volume, or a local directory), so the two can be compared in one run.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gfbench/export.hpp"
#include "gfbench/fs_types.hpp"
#include "gfbench/io_queue.hpp"
#include "gfbench/volume.hpp"

namespace gfbench {

/// An open file of a target. Every failure throws io_error.
class GFBENCH_API target_file {
 public:
  virtual ~target_file() = default;
  virtual void pwrite_all(std::span<const std::byte> data, std::uint64_t offset) = 0;
  virtual void pread_all(std::span<std::byte> buffer, std::uint64_t offset) = 0;
  virtual void fsync() = 0;
  virtual file_status stat() = 0;
  /// Closes and reports the close's error; the destructor closes silently.
  virtual void close() = 0;
  /// A queue of up to `depth` requests in flight on this file (io_queue.hpp),
  /// which must stay open until the queue is gone; the queue's destructor
  /// waits for what is in flight at most `drain_timeout`. Depth 1 runs each
  /// request as one synchronous call. A gfapi target's file runs deeper
  /// queues on libgfapi's asynchronous calls, a POSIX target's on io_uring.
  /// This default runs depth 1 through pwrite_all, pread_all and fsync
  /// (their io_error becomes the completion's errno) and throws io_error
  /// ENOTSUP for more.
  [[nodiscard]] virtual std::unique_ptr<io_queue> open_queue(
      unsigned depth, std::chrono::milliseconds drain_timeout);
};

/// A place to create, read and remove files. Paths are absolute inside the
/// target ("/a/b"): for a volume, paths on the volume; for a directory,
/// paths below it.
class GFBENCH_API target {
 public:
  virtual ~target() = default;
  /// The short name used in case names and reports, e.g. "gfapi", "fuse".
  [[nodiscard]] virtual const std::string& label() const noexcept = 0;
  /// Where it is, for messages: "volume NAME" or the directory.
  [[nodiscard]] virtual std::string describe() const = 0;

  [[nodiscard]] virtual std::unique_ptr<target_file> create(std::string_view path,
                                                            const open_options& options) = 0;
  [[nodiscard]] virtual std::unique_ptr<target_file> open(std::string_view path,
                                                          const open_options& options) = 0;
  virtual void mkdir(std::string_view path) = 0;
  virtual void unlink(std::string_view path) = 0;
  virtual void rmdir(std::string_view path) = 0;
  [[nodiscard]] virtual bool exists(std::string_view path) = 0;
  [[nodiscard]] virtual file_status stat(std::string_view path) = 0;
  [[nodiscard]] virtual std::vector<dir_entry> list(std::string_view path) = 0;
  [[nodiscard]] virtual space_info statvfs() = 0;
  /// Opens a file for a cold read: caches between this process and the
  /// storage hold nothing of it, and the client is as configured (its
  /// read-ahead works as always). A POSIX target writes the file's dirty
  /// pages back and drops its pages from the kernel's page cache (checked
  /// with mincore; kernel read-ahead stays, and so do a FUSE client's own
  /// caches if its volume turns them on: brick bytes tell). A gfapi target
  /// reads through its connection when the client graph keeps no data of
  /// the file (io-cache, read-ahead, quick-read for files it keeps whole are
  /// off), else through a new connection with the same graph, made for this
  /// open. Throws io_error as `open` does.
  [[nodiscard]] virtual std::unique_ptr<target_file> open_cold(std::string_view path,
                                                               const open_options& options) = 0;
  /// Opens a file for an uncached read: the client's caches bypassed. The
  /// default opens with O_DIRECT (no page cache, no kernel read-ahead; a FUSE
  /// client's read-ahead and io-cache pass O_DIRECT files by too); a gfapi
  /// target reads through a connection whose performance translators all
  /// pass every call through. Throws io_error as `open` does.
  [[nodiscard]] virtual std::unique_ptr<target_file> open_uncached(std::string_view path,
                                                                   const open_options& options) {
    open_options direct = options;
    direct.direct = true;
    return open(path, direct);
  }
  // Metadata calls, for the small-file phases (metadata.hpp). Each default
  // throws io_error ENOTSUP, so a target of a vendor's own that has no such
  // call still builds; list_with_status defaults to list and a stat each.

  /// Renames `from` to `to` (rename(2): replaces `to` if it exists).
  virtual void rename(std::string_view from, std::string_view to);
  /// Sets the permission bits of `path`.
  virtual void chmod(std::string_view path, unsigned permissions);
  /// Sets the extended attribute `name` of `path` (not following a symlink).
  virtual void set_xattr(std::string_view path, std::string_view name,
                         std::span<const std::byte> value);
  /// The value of the extended attribute `name` of `path`; io_error ENODATA
  /// when it has none.
  [[nodiscard]] virtual std::vector<std::byte> get_xattr(std::string_view path,
                                                         std::string_view name);
  /// The entries of a directory with each one's status, without "." and
  /// "..", in no set order (ls -l; a gfapi target uses readdirplus).
  [[nodiscard]] virtual std::vector<dir_entry_status> list_with_status(std::string_view path);
  /// A target on the same files whose client holds nothing of them in any
  /// cache, for a cold metadata phase: a gfapi target returns one on a new
  /// connection with the same graph (its glfs_fini runs in the background
  /// once the returned target is gone); a POSIX target writes dirty data
  /// back (syncfs) and has the kernel drop its dentry, inode and page caches,
  /// the whole machine's, then returns a view of itself; a FUSE client
  /// forgets those inodes and its caches of them. Needs root there (EPERM
  /// otherwise). The returned target must not outlive this one. The
  /// default throws io_error ENOTSUP.
  [[nodiscard]] virtual std::unique_ptr<target> cold_view();

  /// Which bricks answer right now, where the target can tell: a gfapi
  /// target asks its volume (volume::bricks()); others return nullopt.
  /// Kernels call it before and after each case, outside the timed region,
  /// and mark the case `degraded` when a brick was missing. Throws io_error.
  [[nodiscard]] virtual std::optional<brick_status> health() { return std::nullopt; }
};

/// The client-side translator options that turn off every cache of a
/// libgfapi client graph (io-cache, read-ahead, readdir-ahead, open-behind,
/// md-cache, nl-cache, quick-read, write-behind); a gfapi target's uncached
/// reads use a connection made with these.
GFBENCH_API std::vector<xlator_option> uncached_xlator_options();

/// `base` with uncached_xlator_options() added: the options of the
/// connection a gfapi target's uncached reads go through. Connections are
/// shared by options (volume.hpp), so whoever connects with these reaches
/// that same connection (the client counters dump its io-stats too).
[[nodiscard]] GFBENCH_API volume_options uncached_volume_options(const volume_options& base);

/// A target on a Gluster volume, through libgfapi. Its uncached reads use a
/// second connection with `uncached_xlator_options()`, made on first use;
/// its cold reads, a new connection per open when the client graph keeps
/// file data (open_cold).
GFBENCH_API std::unique_ptr<target> make_gfapi_target(volume vol, std::string label = "gfapi");

/// A target on a directory of the local file system (a FUSE mount, a local
/// disk). The directory must exist.
GFBENCH_API std::unique_ptr<target> make_posix_target(std::filesystem::path directory,
                                                      std::string label = "posix");

}  // namespace gfbench
