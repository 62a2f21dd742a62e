#pragma once
/// \file
/// Plain value types shared by volumes, files and benchmark targets.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace gfbench {

/// How a file is opened. Designated initializers read well at the call site:
/// `vol.open(path, {.access = access_mode::read_only, .direct = true})`.
enum class access_mode { read_only, write_only, read_write };

struct open_options {
  access_mode access = access_mode::read_write;
  bool direct = false;    ///< O_DIRECT: bypass caches; buffers, offsets and
                          ///< lengths must then be aligned (4096 is safe)
  bool sync = false;      ///< O_SYNC: each write returns once it is stable
  bool truncate = false;  ///< O_TRUNC, on open of an existing file
  /// On create only: fail with EEXIST instead of reusing a file that is
  /// already there. On by default so that a benchmark can never overwrite
  /// data it did not create.
  bool exclusive = true;
  unsigned permissions = 0644;  ///< on create only
};

enum class file_type { regular, directory, symlink, other };

/// What stat says of a file, in units of bytes and nanoseconds.
struct file_status {
  file_type type = file_type::other;
  std::uint64_t size = 0;       ///< bytes
  std::uint64_t allocated = 0;  ///< bytes actually allocated (st_blocks * 512)
  std::uint64_t inode = 0;      ///< on Gluster: derived from the file's gfid
  unsigned permissions = 0;
  std::uint64_t links = 0;
  std::chrono::system_clock::time_point modified{};
};

struct dir_entry {
  std::string name{};  ///< a name in the directory, never "." or ".."
  file_type type = file_type::other;
};

/// A directory entry with its status, as one readdirplus (or readdir and
/// a stat of each entry) returns it.
struct dir_entry_status {
  std::string name{};  ///< never "." or ".."
  file_status status{};
};

/// Free and total space of a file system, in bytes (statvfs scaled by
/// f_frsize) and inodes.
struct space_info {
  std::uint64_t total_bytes = 0;
  std::uint64_t free_bytes = 0;       ///< including what only root may use
  std::uint64_t available_bytes = 0;  ///< what an unprivileged writer may use
  std::uint64_t total_files = 0;
  std::uint64_t free_files = 0;
};

/// Which bricks of a volume a client reaches right now (volume::bricks()).
/// `expected` counts the bricks in the client's volfile, `reachable` those
/// that answered a pathinfo query on "/"; fewer reachable than expected
/// means the volume runs degraded (a replica serves without its peer) or,
/// without replication, that part of it is unavailable.
struct brick_status {
  std::size_t expected = 0;
  std::size_t reachable = 0;
  /// "host:/brick/path" of the bricks that did not answer, where the answer
  /// tells which (brick paths repeated across hosts make it ambiguous).
  std::vector<std::string> unreachable{};
  [[nodiscard]] bool degraded() const noexcept { return reachable < expected; }
};

}  // namespace gfbench
