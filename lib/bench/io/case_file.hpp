#pragma once
// The file of one built-in case in its scratch area, and what the kernels
// do to it outside their timed passes: create it exclusively, open it for a
// warm, cold or uncached read, lay it out, check what it holds, remove it.
// Every call runs under the watchdog.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "bench/io/pattern.hpp"
#include "bench/watch/watched_scope.hpp"
#include "gfbench/case.hpp"
#include "gfbench/fs_types.hpp"
#include "gfbench/scratch.hpp"
#include "gfbench/target.hpp"

namespace gfbench::detail {

/// Which bytes of a file a check reads back.
enum class check_extent {
  ends,   ///< the first and the last record
  every,  ///< every byte
};

class case_file {
 public:
  /// The file `name` of `scratch`, read and written `direct` (O_DIRECT) or not.
  case_file(scratch_area& scratch, std::string name, bool direct);

  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] target& where() const noexcept { return scratch_.where(); }
  [[nodiscard]] watched_scope& watch() noexcept { return watch_; }

  /// Creates the file (exclusively; recorded by the scratch area).
  [[nodiscard]] std::unique_ptr<target_file> create(access_mode access);
  /// Opens it; for reads, through the path `cache` says (cold: caches
  /// emptied first, target::open_cold; uncached: bypassed,
  /// target::open_uncached).
  [[nodiscard]] std::unique_ptr<target_file> open(access_mode access,
                                                  cache_mode cache = cache_mode::warm);
  /// Opens another file of the same target the same way, under the same
  /// watch: another client's file of the same case (case_context::read_from).
  [[nodiscard]] std::unique_ptr<target_file> open_other(const std::string& path, access_mode access,
                                                        cache_mode cache);
  /// Removes it if this area created it and it is still there.
  void remove();

  /// Writes the whole file with `content`, in records of at least 1 MiB,
  /// then fsync and close: on the bricks before any timed pass starts.
  /// A new file each time, unless `in_place` and the file is there: then it
  /// is written over where it is, keeping its inode (other clients that
  /// looked it up before may keep what they know of it).
  void lay_out(file_content& content, std::uint64_t size, bool in_place = false);

  /// Reads the file back (untimed) and compares it with `content`: its size
  /// must be `size`, and the bytes `extent` says of its first `written`
  /// bytes (all of them by default; less after a pass a stonewall cut)
  /// must match. Throws io_error (EIO) naming the first wrong byte's offset.
  void check(const file_content& content, std::uint64_t size, std::uint64_t block_size,
             check_extent extent, std::optional<std::uint64_t> written = {});

 private:
  [[nodiscard]] open_options options(access_mode access) const;

  scratch_area& scratch_;
  std::string name_;
  std::string path_;
  bool direct_;
  watched_scope watch_;
};

/// Records of a timed read pass whose first stamp was not the file's: noted
/// as they arrive (no clock is stopped), reported after the pass, once the
/// file itself has been checked.
class misread_records {
 public:
  void note(bool stamp_matches, std::uint64_t offset) noexcept {
    if (!stamp_matches && count_++ == 0) first_ = offset;
  }
  /// Throws (verify) when a record was misread: the read returned other
  /// data than the file holds.
  void throw_if_any() const;

 private:
  std::uint64_t count_ = 0;
  std::uint64_t first_ = 0;
};

/// Compares the `got` bytes at `offset` of the file `path` on `where` with
/// `content`; throws io_error (EIO, operation "verify", the first wrong
/// byte's offset) when one differs.
void require_content(const file_content& content, std::span<const std::byte> got,
                     std::uint64_t offset, const target& where, const std::string& path,
                     const char* hint);

/// Reads `size` bytes of `f` in large records into a bounded buffer and
/// checks each against `content` (require_content). `block_size` is the
/// granule of the reads (O_DIRECT needs aligned ones).
void check_whole_file(target_file& f, const file_content& content, std::uint64_t size,
                      std::uint64_t block_size, const target& where, const std::string& path,
                      const char* hint);

}  // namespace gfbench::detail
