#pragma once
/// \file
/// Where a benchmark's files live. The same kernels run on a Gluster volume
/// through libgfapi and on a POSIX directory (a FUSE mount of the same
/// volume, or a local directory), so the two can be compared in one run.

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
  /// Opens a file for a cold read: one that must come from the storage, not
  /// from caches between this process and the storage. A POSIX target writes
  /// the file's dirty pages back and drops its pages from the kernel's page
  /// cache first; a gfapi target reads through a second connection whose
  /// client-side caches are off. Throws io_error as `open` does.
  [[nodiscard]] virtual std::unique_ptr<target_file> open_cold(std::string_view path,
                                                               const open_options& options) = 0;
  /// Which bricks answer right now, where the target can tell: a gfapi
  /// target asks its volume (volume::bricks()); others return nullopt.
  /// Kernels call it before and after each case, outside the timed region,
  /// and mark the case `degraded` when a brick was missing. Throws io_error.
  [[nodiscard]] virtual std::optional<brick_status> health() { return std::nullopt; }
};

/// The client-side translator options that turn off every cache of a
/// libgfapi client graph (io-cache, read-ahead, readdir-ahead, open-behind,
/// md-cache, nl-cache, quick-read, write-behind); a gfapi target's cold
/// reads use a connection made with these.
GFBENCH_API std::vector<xlator_option> uncached_xlator_options();

/// `base` with uncached_xlator_options() added: the options of the
/// connection a gfapi target's cold reads go through. Connections are
/// shared by options (volume.hpp), so whoever connects with these reaches
/// that same connection (the client counters dump its io-stats too).
[[nodiscard]] GFBENCH_API volume_options cold_volume_options(const volume_options& base);

/// A target on a Gluster volume, through libgfapi. Its cold reads use a
/// second connection with `uncached_xlator_options()`, made on first use.
GFBENCH_API std::unique_ptr<target> make_gfapi_target(volume vol, std::string label = "gfapi");

/// A target on a directory of the local file system (a FUSE mount, a local
/// disk). The directory must exist.
GFBENCH_API std::unique_ptr<target> make_posix_target(std::filesystem::path directory,
                                                      std::string label = "posix");

}  // namespace gfbench
