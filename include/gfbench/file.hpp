#pragma once
/// \file
/// An open file on a Gluster volume, as a move-only handle.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "gfbench/export.hpp"
#include "gfbench/fs_types.hpp"
#include "gfbench/io_queue.hpp"

struct glfs_fd;

namespace gfbench {

namespace detail {
struct connection;
struct file_access;
}  // namespace detail

/// An open file. Obtained from `volume::create` or `volume::open`; it keeps
/// the volume's connection alive for as long as it is open.
///
/// Data counts as written only once `fsync()` (or `fdatasync()`) returned:
/// libgfapi's write-behind acknowledges writes before a brick has them, and
/// `close()` can succeed while acknowledged data was lost (seen when a brick
/// died mid-write). `close()` still reports every error it sees.
class GFBENCH_API file {
 public:
  /// An empty handle, as left behind by a move.
  file() noexcept = default;
  file(file&& other) noexcept;
  file& operator=(file&& other) noexcept;
  file(const file&) = delete;
  file& operator=(const file&) = delete;
  /// Closes the file if still open. Never throws: a close error here is only
  /// logged, so call `close()` where the outcome matters.
  ~file();

  /// Writes all of `data` at `offset`, retrying short writes and EINTR.
  void pwrite_all(std::span<const std::byte> data, std::uint64_t offset);
  /// Fills all of `buffer` from `offset`. Reaching the end of the file
  /// first is an error (EIO, "unexpected end of file").
  void pread_all(std::span<std::byte> buffer, std::uint64_t offset);
  /// Reads up to `buffer.size()` bytes from `offset`, stopping early only at
  /// the end of the file; returns how many bytes were read.
  std::size_t pread_some(std::span<std::byte> buffer, std::uint64_t offset);
  /// The whole file, from offset 0 to its current size.
  [[nodiscard]] std::vector<std::byte> read_all();

  /// A queue of up to `depth` requests in flight on this file
  /// (io_queue.hpp): at depth 1 each request is one glfs_pread, glfs_pwrite
  /// or glfs_fsync; deeper, libgfapi's glfs_preadv_async,
  /// glfs_pwritev_async and glfs_fsync_async. The file must stay open until
  /// the queue is gone; the queue's destructor waits for requests in flight
  /// at most `drain_timeout`. Requests bypass this handle's access check:
  /// write-behind acknowledges a write on a read-only fd. Throws io_error
  /// when the file is not open, std::invalid_argument for depth 0.
  [[nodiscard]] std::unique_ptr<io_queue> open_queue(
      unsigned depth, std::chrono::milliseconds drain_timeout = std::chrono::seconds(60)) const;

  void fsync();
  void fdatasync();
  void truncate(std::uint64_t size);
  /// Reserves space; with `keep_size` the file size does not grow.
  void allocate(std::uint64_t offset, std::uint64_t length, bool keep_size = false);
  [[nodiscard]] file_status stat();

  /// Closes the file and throws io_error if the close failed. The handle is
  /// empty afterwards, whatever the outcome.
  void close();

  [[nodiscard]] bool is_open() const noexcept { return fd_ != nullptr; }
  /// The path the file was opened by, inside the volume.
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] glfs_fd* native_handle() const noexcept { return fd_; }

 private:
  // Files are made by volume (and, in tests, around a fake connection)
  // through detail::file_access.
  friend struct detail::file_access;
  file(std::shared_ptr<detail::connection> connection, glfs_fd* fd, std::string path,
       access_mode access) noexcept;

  [[noreturn]] void fail(int errno_value, const char* operation, std::uint64_t offset) const;
  [[noreturn]] void fail(int errno_value, const char* operation) const;
  void require_open(const char* operation) const;
  [[nodiscard]] std::string volume_name() const;
  void require_access(access_mode refused, const char* operation, std::uint64_t offset) const;

  std::shared_ptr<detail::connection> connection_;
  glfs_fd* fd_ = nullptr;
  std::string path_;
  // libgfapi's write-behind acknowledges a write on a read-only fd and
  // reports EBADF only at the next fsync or close, so the handle enforces
  // its access mode itself.
  access_mode access_ = access_mode::read_write;
};

}  // namespace gfbench
