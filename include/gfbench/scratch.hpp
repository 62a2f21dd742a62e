#pragma once
/// \file
/// A benchmark's own directory on a target. gfbench touches nothing else:
/// the directory is created exclusively with a unique name, files in it are
/// created exclusively, and removal unlinks only what this area recorded
/// creating (never a tree by path).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gfbench/export.hpp"
#include "gfbench/fs_types.hpp"
#include "gfbench/target.hpp"

namespace gfbench {

/// Where gfbench makes its run directories unless told otherwise: one
/// hidden directory at the top of the volume, easy to find and to leave out.
inline constexpr std::string_view default_scratch_root = "/.gfbench";

class GFBENCH_API scratch_area {
 public:
  /// Creates `<root>/run-<host>-<pid>-<time>-<random>` on `where`; `root`
  /// (absolute, no "..") is created if missing. Throws io_error, or
  /// std::invalid_argument for a bad root.
  explicit scratch_area(target& where, std::string_view root = default_scratch_root);
  scratch_area(const scratch_area&) = delete;
  scratch_area& operator=(const scratch_area&) = delete;
  /// Removes what it created, unless `keep(true)`. Never throws.
  ~scratch_area();

  [[nodiscard]] target& where() const noexcept { return *where_; }
  /// The directory, absolute inside the target.
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  /// The path of a file of this area (not created).
  [[nodiscard]] std::string file_path(std::string_view name) const;

  /// Creates a file exclusively and records it, so removal can find it.
  [[nodiscard]] std::unique_ptr<target_file> create_file(std::string_view name,
                                                         open_options options);
  /// Unlinks a file this area created and forgets it. A name it did not
  /// create is refused (std::invalid_argument).
  void remove_file(std::string_view name);
  [[nodiscard]] bool has_file(std::string_view name) const;

  /// Keeps the directory and its files at destruction (for --keep).
  void keep(bool yes) noexcept { keep_ = yes; }
  [[nodiscard]] bool kept() const noexcept { return keep_; }
  /// Removes every file it created, then its directory, then the root
  /// directories it created when they are empty. Throws io_error on the
  /// first failure, after trying everything.
  void remove();

 private:
  // Makes the missing directories of `root`, recording those it made;
  // returns `root` as a path ("" for "/").
  std::string make_roots(target& where, std::string_view root);

  target* where_;
  std::string path_;
  std::vector<std::string> created_roots_;  // deepest last
  std::vector<std::string> files_;          // names inside path_
  bool removed_ = false;
  bool keep_ = false;
};

/// Checks that `root` is absolute, normalised and has no "..".
/// Throws std::invalid_argument naming the problem.
GFBENCH_API void validate_scratch_root(std::string_view root);

}  // namespace gfbench
