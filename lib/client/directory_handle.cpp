#include <glusterfs/api/glfs.h>

#include "client/directory_handle.hpp"

#include <dirent.h>

#include <cerrno>
#include <string_view>

#include "client/connection.hpp"
#include "client/gfapi_seam.hpp"
#include "util/log.hpp"
#include "util/stat_conversion.hpp"

namespace gfbench::detail {
namespace {

file_type type_of(unsigned char d_type) noexcept {
  switch (d_type) {
    case DT_REG:
      return file_type::regular;
    case DT_DIR:
      return file_type::directory;
    case DT_LNK:
      return file_type::symlink;
    default:
      return file_type::other;
  }
}

}  // namespace

directory_handle::directory_handle(const connection& c, std::string path)
    : connection_(c), path_(std::move(path)) {
  dir_ = seam().opendir(c.fs, path_.c_str());
  if (dir_ == nullptr) {
    const int e = errno;
    throw_volume_error(e, c, "glfs_opendir", path_,
                       e == ENOENT ? "no such file or directory on the volume" : std::string());
  }
}

directory_handle::~directory_handle() {
  if (seam().closedir(dir_) != 0) {
    logger().debug("glfs_closedir volume={} path={}: {}", connection_.options.volume, path_,
                   std::strerror(errno));
  }
}

std::optional<dir_entry> directory_handle::next() {
  for (;;) {
    struct dirent entry {};
    struct dirent* next = nullptr;
    // glfs_readdir_r is the re-entrant form; glfs_readdir shares a buffer.
    if (seam().readdir_r(dir_, &entry, &next) != 0) {
      throw_volume_error(errno ? errno : EIO, connection_, "glfs_readdir_r", path_);
    }
    if (next == nullptr) return std::nullopt;
    const std::string_view name(entry.d_name);
    if (name == "." || name == "..") continue;
    return dir_entry{std::string(name), type_of(entry.d_type)};
  }
}

std::optional<dir_entry_status> directory_handle::next_with_status() {
  for (;;) {
    struct dirent entry {};
    struct dirent* next = nullptr;
    struct stat st {};
    if (glfs_readdirplus_r(dir_, &st, &entry, &next) != 0) {
      throw_volume_error(errno ? errno : EIO, connection_, "glfs_readdirplus_r", path_);
    }
    if (next == nullptr) return std::nullopt;
    const std::string_view name(entry.d_name);
    if (name == "." || name == "..") continue;
    return dir_entry_status{std::string(name), to_file_status(st)};
  }
}

}  // namespace gfbench::detail
