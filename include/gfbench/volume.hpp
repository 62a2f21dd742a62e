#pragma once
/// \file
/// A connection to one Gluster volume through libgfapi.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gfbench/client_graph.hpp"
#include "gfbench/export.hpp"
#include "gfbench/file.hpp"
#include "gfbench/fs_types.hpp"
#include "gfbench/volume_options.hpp"

struct glfs;

namespace gfbench {

namespace detail {
struct connection;
}

/// A handle on a mounted volume (a libgfapi `glfs_t`).
///
/// Connections are shared: connecting again to the same volume with the same
/// servers, log and xlator options in one process returns a handle on the
/// same `glfs_t`, because tearing one down costs about 10 s (libgfapi's
/// glfs_fini waits on a fixed timer) while setting one up costs milliseconds.
/// The connection is torn down when the last volume handle and the last file
/// opened from it are gone; that destruction blocks for glfs_fini.
/// Handles are cheap to copy and safe to use from several threads as far as
/// libgfapi is: one file handle belongs to one thread at a time.
///
/// SIGPIPE: libgfapi writes to its sockets without guarding against SIGPIPE,
/// so a server that drops a connection at the wrong moment would end the
/// process. When SIGPIPE still has its default action, connect() sets it to
/// ignored (a broken connection is then an I/O error); a process that
/// installed a handler or chose SIG_IGN itself keeps its choice.
class GFBENCH_API volume {
 public:
  /// Connects, or reuses a live connection with the same options. Throws
  /// io_error: ENOENT (no such volume), EIO (volume not started),
  /// ENOTCONN (no server reachable), ETIMEDOUT (no answer within
  /// `connect_timeout`), EINVAL (bad options).
  static volume connect(const volume_options& options);

  /// The name of the volume.
  [[nodiscard]] const std::string& name() const noexcept;
  /// The options this connection was made with.
  [[nodiscard]] const volume_options& options() const noexcept;
  /// The volume's UUID, as `gluster volume info` prints it.
  [[nodiscard]] std::string id() const;
  /// How long connecting (glfs_new to the end of glfs_init) took.
  [[nodiscard]] std::chrono::nanoseconds connect_duration() const noexcept;
  /// True when both handles use the same libgfapi connection.
  [[nodiscard]] bool shares_connection_with(const volume& other) const noexcept;
  [[nodiscard]] glfs* native_handle() const noexcept;

  /// Creates a file; exclusive (O_EXCL) unless `options.exclusive` is false.
  [[nodiscard]] file create(std::string_view path, open_options options = {});
  /// Opens an existing file.
  [[nodiscard]] file open(std::string_view path, open_options options = {});

  void mkdir(std::string_view path, unsigned permissions = 0755);
  /// Creates `path` and any missing parents; an existing directory is fine.
  void mkdirs(std::string_view path, unsigned permissions = 0755);
  [[nodiscard]] file_status stat(std::string_view path);
  /// False only for ENOENT; every other failure throws.
  [[nodiscard]] bool exists(std::string_view path);
  /// The entries of a directory, without "." and "..", in no set order.
  [[nodiscard]] std::vector<dir_entry> list(std::string_view path);
  void unlink(std::string_view path);
  void rmdir(std::string_view path);
  [[nodiscard]] space_info statvfs(std::string_view path = "/");
  /// Sets an extended attribute (e.g. "trusted.io-stats-dump" on "/").
  void set_xattr(std::string_view path, std::string_view name, std::string_view value);
  /// Renames `from` to `to`, replacing `to` if it exists (rename(2)).
  void rename(std::string_view from, std::string_view to);
  void chmod(std::string_view path, unsigned permissions);
  /// The value of an extended attribute; io_error ENODATA when there is none.
  [[nodiscard]] std::vector<std::byte> get_xattr(std::string_view path, std::string_view name);
  /// The entries of a directory with each one's status, from one pass of
  /// glfs_readdirplus_r (what ls -l needs without a stat per entry).
  [[nodiscard]] std::vector<dir_entry_status> list_with_status(std::string_view path);
  /// The client graph this connection runs on: glusterd's volfile, with
  /// the xlator options this connection set itself applied (they are not
  /// in the volfile). Throws io_error.
  [[nodiscard]] client_graph graph() const;
  /// Which bricks answer right now: the protocol/client translators of the
  /// client volfile against the bricks a pathinfo query on "/" reaches.
  /// Cheap (one getxattr), but it waits like any call when a brick hangs.
  /// Throws io_error when the volume cannot tell (e.g. ENOTSUP).
  [[nodiscard]] brick_status bricks();

 private:
  explicit volume(std::shared_ptr<detail::connection> connection) noexcept;
  std::shared_ptr<detail::connection> connection_;
};

}  // namespace gfbench
