#include <glusterfs/api/glfs.h>

#include "gfbench/volume.hpp"

#include <fcntl.h>

#include <cerrno>
#include <string>

#include "client/connection.hpp"
#include "client/directory_handle.hpp"
#include "client/file_access.hpp"
#include "client/gfapi_seam.hpp"
#include "gfbench/error.hpp"
#include "util/log.hpp"
#include "util/stat_conversion.hpp"

namespace gfbench {
namespace {

int open_flags(const open_options& o) {
  int flags = 0;
  switch (o.access) {
    case access_mode::read_only:
      flags = O_RDONLY;
      break;
    case access_mode::write_only:
      flags = O_WRONLY;
      break;
    case access_mode::read_write:
      flags = O_RDWR;
      break;
  }
  if (o.direct) flags |= O_DIRECT;
  if (o.sync) flags |= O_SYNC;
  if (o.truncate) flags |= O_TRUNC;
  return flags;
}

std::string hint_for_path(int errno_value) {
  switch (errno_value) {
    case ENOENT:
      return "no such file or directory on the volume";
    case EEXIST:
      return "it exists already; gfbench never overwrites what it did not create";
    case ENOSPC:
      return "the volume is full";
    case ENOTCONN:
      return "a brick is unreachable: check `gluster volume status`";
    default:
      return {};
  }
}

}  // namespace

volume::volume(std::shared_ptr<detail::connection> connection) noexcept
    : connection_(std::move(connection)) {}

volume volume::connect(const volume_options& options) {
  return volume(detail::acquire_connection(options));
}

const std::string& volume::name() const noexcept { return connection_->options.volume; }
const volume_options& volume::options() const noexcept { return connection_->options; }
glfs* volume::native_handle() const noexcept { return connection_->fs; }

std::chrono::nanoseconds volume::connect_duration() const noexcept {
  return connection_->connect_duration;
}

bool volume::shares_connection_with(const volume& other) const noexcept {
  return connection_ == other.connection_;
}

std::string volume::id() const {
  char raw[16];
  if (glfs_get_volumeid(connection_->fs, raw, sizeof raw) != static_cast<int>(sizeof raw)) {
    detail::throw_volume_error(errno ? errno : EIO, *connection_, "glfs_get_volumeid");
  }
  // The canonical 8-4-4-4-12 UUID text, as `gluster volume info` prints it.
  static constexpr char hex[] = "0123456789abcdef";
  std::string text;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    const auto byte = static_cast<unsigned char>(raw[i]);
    text += hex[byte >> 4];
    text += hex[byte & 0xf];
  }
  return text;
}

file volume::create(std::string_view path, open_options options) {
  const std::string p(path);
  int flags = open_flags(options) | O_CREAT;
  if (options.exclusive) flags |= O_EXCL;
  glfs_fd_t* fd = detail::seam().creat(connection_->fs, p.c_str(), flags, options.permissions);
  if (fd == nullptr) {
    const int e = errno;
    detail::throw_volume_error(e, *connection_, "glfs_creat", p, hint_for_path(e));
  }
  return detail::file_access::make(connection_, fd, p, options.access);
}

file volume::open(std::string_view path, open_options options) {
  const std::string p(path);
  glfs_fd_t* fd = detail::seam().open(connection_->fs, p.c_str(), open_flags(options));
  if (fd == nullptr) {
    const int e = errno;
    detail::throw_volume_error(e, *connection_, "glfs_open", p, hint_for_path(e));
  }
  return detail::file_access::make(connection_, fd, p, options.access);
}

void volume::mkdir(std::string_view path, unsigned permissions) {
  const std::string p(path);
  if (glfs_mkdir(connection_->fs, p.c_str(), permissions) != 0) {
    const int e = errno;
    detail::throw_volume_error(e, *connection_, "glfs_mkdir", p, hint_for_path(e));
  }
}

void volume::mkdirs(std::string_view path, unsigned permissions) {
  std::string prefix;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string_view::npos ? path.size() : slash;
    const auto part = path.substr(start, end - start);
    if (!part.empty()) {
      prefix += '/';
      prefix += part;
      if (glfs_mkdir(connection_->fs, prefix.c_str(), permissions) != 0) {
        const int e = errno;
        if (e != EEXIST) detail::throw_volume_error(e, *connection_, "glfs_mkdir", prefix);
        if (stat(prefix).type != file_type::directory) {
          detail::throw_volume_error(ENOTDIR, *connection_, "mkdirs", prefix,
                                     "exists and is not a directory");
        }
      }
    }
    start = end + 1;
  }
}

file_status volume::stat(std::string_view path) {
  const std::string p(path);
  struct stat st {};
  if (detail::seam().stat(connection_->fs, p.c_str(), &st) != 0) {
    const int e = errno;
    detail::throw_volume_error(e, *connection_, "glfs_stat", p, hint_for_path(e));
  }
  return detail::to_file_status(st);
}

bool volume::exists(std::string_view path) {
  const std::string p(path);
  struct stat st {};
  if (detail::seam().stat(connection_->fs, p.c_str(), &st) == 0) return true;
  const int e = errno;
  if (e == ENOENT) return false;
  detail::throw_volume_error(e, *connection_, "glfs_stat", p, hint_for_path(e));
}

std::vector<dir_entry> volume::list(std::string_view path) {
  detail::directory_handle dir(*connection_, std::string(path));
  std::vector<dir_entry> entries;
  while (auto entry = dir.next()) entries.push_back(std::move(*entry));
  return entries;
}

void volume::unlink(std::string_view path) {
  const std::string p(path);
  if (glfs_unlink(connection_->fs, p.c_str()) != 0) {
    const int e = errno;
    detail::throw_volume_error(e, *connection_, "glfs_unlink", p, hint_for_path(e));
  }
}

void volume::rmdir(std::string_view path) {
  const std::string p(path);
  if (glfs_rmdir(connection_->fs, p.c_str()) != 0) {
    const int e = errno;
    detail::throw_volume_error(e, *connection_, "glfs_rmdir", p, hint_for_path(e));
  }
}

space_info volume::statvfs(std::string_view path) {
  const std::string p(path);
  struct statvfs sv {};
  if (glfs_statvfs(connection_->fs, p.c_str(), &sv) != 0) {
    const int e = errno;
    detail::throw_volume_error(e, *connection_, "glfs_statvfs", p, hint_for_path(e));
  }
  return detail::to_space_info(sv);
}

void volume::set_xattr(std::string_view path, std::string_view name, std::string_view value) {
  const std::string p(path);
  const std::string n(name);
  if (glfs_setxattr(connection_->fs, p.c_str(), n.c_str(), value.data(), value.size(), 0) != 0) {
    const int e = errno;
    detail::throw_volume_error(e, *connection_, "glfs_setxattr", p, "attribute " + n);
  }
}

void volume::rename(std::string_view from, std::string_view to) {
  const std::string f(from);
  const std::string t(to);
  if (glfs_rename(connection_->fs, f.c_str(), t.c_str()) != 0) {
    const int e = errno;
    detail::throw_volume_error(e, *connection_, "glfs_rename", f, "to " + t);
  }
}

void volume::chmod(std::string_view path, unsigned permissions) {
  const std::string p(path);
  if (glfs_chmod(connection_->fs, p.c_str(), static_cast<mode_t>(permissions)) != 0) {
    const int e = errno;
    detail::throw_volume_error(e, *connection_, "glfs_chmod", p, hint_for_path(e));
  }
}

std::vector<std::byte> volume::get_xattr(std::string_view path, std::string_view name) {
  const std::string p(path);
  const std::string n(name);
  // One call for the values gfbench sets (a few dozen bytes); a larger
  // value costs a second call that asks for its size first.
  std::vector<std::byte> value(256);
  ssize_t got = glfs_getxattr(connection_->fs, p.c_str(), n.c_str(), value.data(), value.size());
  if (got < 0 && errno == ERANGE) {
    got = glfs_getxattr(connection_->fs, p.c_str(), n.c_str(), nullptr, 0);
    if (got >= 0) {
      value.resize(static_cast<std::size_t>(got));
      got = glfs_getxattr(connection_->fs, p.c_str(), n.c_str(), value.data(), value.size());
    }
  }
  if (got < 0) {
    const int e = errno;
    detail::throw_volume_error(e, *connection_, "glfs_getxattr", p, "attribute " + n);
  }
  value.resize(static_cast<std::size_t>(got));
  return value;
}

std::vector<dir_entry_status> volume::list_with_status(std::string_view path) {
  detail::directory_handle dir(*connection_, std::string(path));
  std::vector<dir_entry_status> entries;
  while (auto entry = dir.next_with_status()) entries.push_back(std::move(*entry));
  return entries;
}

}  // namespace gfbench
