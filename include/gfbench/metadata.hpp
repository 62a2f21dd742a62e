#pragma once
/// \file
/// Small files and metadata: phases over a tree of files per thread, as
/// smallfile, mdtest and fio's filecreate/filestat/filedelete engines run
/// them, on any target (through libgfapi and through a mount, by the same
/// code).
///
/// A group of phases shares one tree: `threads` directories, each holding
/// `files_per_thread` files spread over subdirectories of at most
/// `files_per_dir` entries. The phases run in the order of
/// `meta_operation` (create before stat before read before unlink), each a
/// case of its own named `<target>/meta:<phase>/files:<N>/size:<S>/
/// threads:<T>/cache:<mode>`, e.g. `gfapi/meta:create/files:10000/size:4KiB/
/// threads:1/cache:warm`. A phase finds the tree in whatever state the
/// phases before it left (create leaves the files, unlink removes them)
/// and brings it to what it needs first, outside the timed region: a stat
/// phase run on its own creates the files before it is timed. So every
/// repetition of every phase times the same work, whichever cases a filter
/// selects.
///
/// Timed: from the release of the threads to the last thread's last call;
/// each call (or, for create, read and append, the open, data and close of
/// one file) is one record, with its latency. The rate is files per second
/// (counter `files_per_second`; `files` counts the items of one pass).
/// Every result is checked, outside the timed region or after each call
/// without stopping its clock: sizes, contents, names, modes, attribute
/// values, listings. A failed call is counted by errno and fails the case.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "gfbench/case.hpp"
#include "gfbench/export.hpp"

namespace gfbench {

/// The phases, in the order they run.
enum class meta_operation {
  create,        ///< create exclusively, write `file_size` bytes, fsync if asked, close
  stat,          ///< stat each file (checks type and size)
  read,          ///< open, read the whole file, close (checks its content)
  append,        ///< open, write `append_bytes` at the end, close
  chmod,         ///< change each file's mode (0644 and 0600 in turn)
  setxattr,      ///< set the attribute `user.gfbench` on each file
  getxattr,      ///< read it back (checks its value)
  readdir,       ///< list each directory (checks the names)
  readdir_stat,  ///< list each directory with each entry's status (ls -l; readdirplus on gfapi)
  rename,        ///< rename each file within its directory (checks old gone, new there)
  unlink,        ///< remove each file
  mkdir,         ///< make `files_per_thread` directories per thread
  rmdir,         ///< remove them
};

/// "create", "stat", "read", "append", "chmod", "setxattr", "getxattr",
/// "readdir", "readdir_stat", "rename", "unlink", "mkdir", "rmdir".
[[nodiscard]] GFBENCH_API std::string_view to_string(meta_operation op) noexcept;
/// The names above, and smallfile's and the shell's for some of them:
/// "ls-l" (readdir_stat), "delete" (unlink); nullopt for anything else.
[[nodiscard]] GFBENCH_API std::optional<meta_operation> parse_meta_operation(
    std::string_view name) noexcept;
/// Every phase, in the order they run.
[[nodiscard]] GFBENCH_API std::vector<meta_operation> all_meta_operations();

/// The shape of one group of phases.
struct meta_shape {
  std::uint64_t files_per_thread = 1000;
  std::uint64_t file_size = 0;  ///< bytes written at create (0: empty files, as fio's filecreate)
  unsigned threads = 1;         ///< each with a directory of its own
  std::uint64_t files_per_dir = 1000;  ///< entries per leaf directory
  bool fsync = false;                  ///< create and append fsync each file before closing it
  /// warm: the phase meets the client as the phase before left it. cold:
  /// before each timed pass the client's caches of the tree are emptied
  /// (target::cold_view): a gfapi target goes through a new connection, a
  /// POSIX target has the kernel drop its dentry, inode and page caches
  /// (the whole machine's, as `echo 3 > /proc/sys/vm/drop_caches`), and a
  /// FUSE client's caches of those inodes go with them.
  cache_mode cache = cache_mode::warm;
  std::uint64_t seed = 0x6766'6265'6e63'6800;  ///< content and attribute values derive from it
};

/// Bytes an append phase adds to each file: the file size, or 4 KiB for
/// empty files.
[[nodiscard]] GFBENCH_API std::uint64_t append_bytes(const meta_shape& shape) noexcept;

/// Throws std::invalid_argument naming the field: no files, no threads,
/// no files per directory, a cache mode other than warm or cold.
GFBENCH_API void validate_meta_shape(const meta_shape& shape);

/// What to run on every target: each phase listed, for each file count,
/// file size, thread count and cache mode.
struct metadata_matrix {
  std::vector<meta_operation> operations{meta_operation::create, meta_operation::stat,
                                         meta_operation::read, meta_operation::unlink};
  std::vector<std::uint64_t> files_per_thread{1000};
  std::vector<std::uint64_t> file_sizes{0};
  std::vector<unsigned> thread_counts{1};
  std::vector<cache_mode> cache_modes{cache_mode::warm};
  meta_shape options{};  ///< files_per_dir, fsync, seed
  int repetitions = 0;   ///< 0: Google Benchmark's own (--benchmark_repetitions)
};

/// The bytes the matrix's trees hold at most on one target: every tree at
/// once (a group's tree stays from its create phase to its unlink phase),
/// each file at its size plus what append phases add (one append per
/// repetition, `repetitions` or 5 when 0).
[[nodiscard]] GFBENCH_API std::uint64_t bytes_needed(const metadata_matrix& matrix);
/// The inodes they need: files and directories of every tree.
[[nodiscard]] GFBENCH_API std::uint64_t inodes_needed(const metadata_matrix& matrix);

/// Counters of every metadata case besides the recorder's (whose IOPS is
/// then calls per second and lat_*_us the latency of one item).
inline constexpr const char* files_counter = "files";
inline constexpr const char* files_per_second_counter = "files_per_second";

}  // namespace gfbench
