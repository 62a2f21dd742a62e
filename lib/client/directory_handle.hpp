#pragma once
// An open directory of a volume (glfs_opendir), closed when it goes, so
// that no path through a listing, an error included, leaks the handle.

#include <glusterfs/api/glfs.h>

#include <optional>
#include <string>

#include "gfbench/fs_types.hpp"

namespace gfbench::detail {

struct connection;

class directory_handle {
 public:
  /// Opens `path`; throws io_error naming the volume and the path.
  directory_handle(const connection& c, std::string path);
  ~directory_handle();
  directory_handle(const directory_handle&) = delete;
  directory_handle& operator=(const directory_handle&) = delete;

  /// The next entry other than "." and "..", or nullopt at the end.
  /// Throws io_error when the directory cannot be read further.
  [[nodiscard]] std::optional<dir_entry> next();
  /// The same with the entry's status, from glfs_readdirplus_r: the first
  /// call decides, a directory is read either with status or without.
  [[nodiscard]] std::optional<dir_entry_status> next_with_status();

 private:
  const connection& connection_;
  std::string path_;
  glfs_fd_t* dir_ = nullptr;
};

}  // namespace gfbench::detail
