#include <glusterfs/api/glfs.h>

#include "gfbench/file.hpp"

#include <cerrno>
#include <string>

#include "client/connection.hpp"
#include "client/gfapi_queue.hpp"
#include "client/gfapi_seam.hpp"
#include "gfbench/error.hpp"
#include "util/log.hpp"
#include "util/stat_conversion.hpp"

namespace gfbench {

// A handle may be built without a connection (tests do); messages then
// name no volume.
std::string file::volume_name() const {
  return connection_ ? connection_->options.volume : std::string();
}

file::file(std::shared_ptr<detail::connection> connection, glfs_fd* fd, std::string path,
           access_mode access) noexcept
    : connection_(std::move(connection)), fd_(fd), path_(std::move(path)), access_(access) {}

file::file(file&& other) noexcept
    : connection_(std::move(other.connection_)),
      fd_(std::exchange(other.fd_, nullptr)),
      path_(std::move(other.path_)),
      access_(other.access_) {}

file& file::operator=(file&& other) noexcept {
  if (this != &other) {
    file old(std::move(*this));  // closes what this handle held, never throws
    connection_ = std::move(other.connection_);
    fd_ = std::exchange(other.fd_, nullptr);
    path_ = std::move(other.path_);
    access_ = other.access_;
  }
  return *this;
}

file::~file() {
  if (fd_ == nullptr) return;
  if (detail::seam().close(fd_) != 0) {
    const int e = errno;
    detail::logger().error(
        "glfs_close volume={} path={}: {} (in a destructor; call close() to see it)", volume_name(),
        path_, std::strerror(e));
  }
}

void file::fail(int errno_value, const char* operation, std::uint64_t offset) const {
  throw io_error(
      errno_value,
      {.operation = operation, .volume = volume_name(), .path = path_, .offset = offset});
}

void file::fail(int errno_value, const char* operation) const {
  std::string hint;
  if (errno_value == EBADF && fd_ == nullptr) hint = "the file handle is closed or was moved from";
  throw io_error(
      errno_value,
      {.operation = operation, .volume = volume_name(), .path = path_, .hint = std::move(hint)});
}

void file::require_open(const char* operation) const {
  if (fd_ == nullptr) fail(EBADF, operation);
}

void file::require_access(access_mode refused, const char* operation, std::uint64_t offset) const {
  if (access_ != refused) return;
  throw io_error(EBADF,
                 {.operation = operation,
                  .volume = volume_name(),
                  .path = path_,
                  .offset = offset,
                  .hint = refused == access_mode::read_only ? "the file was opened read-only"
                                                            : "the file was opened write-only"});
}

void file::pwrite_all(std::span<const std::byte> data, std::uint64_t offset) {
  require_open("glfs_pwrite");
  require_access(access_mode::read_only, "glfs_pwrite", offset);
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = detail::seam().pwrite(fd_, data.data() + done, data.size() - done,
                                            static_cast<off_t>(offset + done), 0, nullptr, nullptr);
    if (n < 0) {
      const int e = errno;
      if (e == EINTR) continue;
      fail(e, "glfs_pwrite", offset + done);
    }
    // A write that moves nothing would loop for ever; no errno explains it.
    if (n == 0) fail(EIO, "glfs_pwrite", offset + done);
    done += static_cast<std::size_t>(n);
  }
}

std::size_t file::pread_some(std::span<std::byte> buffer, std::uint64_t offset) {
  require_open("glfs_pread");
  require_access(access_mode::write_only, "glfs_pread", offset);
  std::size_t done = 0;
  while (done < buffer.size()) {
    const ssize_t n = detail::seam().pread(fd_, buffer.data() + done, buffer.size() - done,
                                           static_cast<off_t>(offset + done), 0, nullptr);
    if (n < 0) {
      const int e = errno;
      if (e == EINTR) continue;
      fail(e, "glfs_pread", offset + done);
    }
    if (n == 0) break;  // end of file
    done += static_cast<std::size_t>(n);
  }
  return done;
}

void file::pread_all(std::span<std::byte> buffer, std::uint64_t offset) {
  const std::size_t got = pread_some(buffer, offset);
  if (got != buffer.size()) {
    throw io_error(EIO, {.operation = "glfs_pread",
                         .volume = volume_name(),
                         .path = path_,
                         .offset = offset + got,
                         .hint = "unexpected end of file: wanted " + std::to_string(buffer.size()) +
                                 " bytes, the file ended after " + std::to_string(got)});
  }
}

std::vector<std::byte> file::read_all() {
  const auto size = stat().size;
  std::vector<std::byte> data(size);
  pread_all(data, 0);
  return data;
}

void file::fsync() {
  require_open("glfs_fsync");
  if (detail::seam().fsync(fd_, nullptr, nullptr) != 0) fail(errno, "glfs_fsync");
}

void file::fdatasync() {
  require_open("glfs_fdatasync");
  if (detail::seam().fdatasync(fd_, nullptr, nullptr) != 0) fail(errno, "glfs_fdatasync");
}

void file::truncate(std::uint64_t size) {
  require_open("glfs_ftruncate");
  if (detail::seam().ftruncate(fd_, static_cast<off_t>(size), nullptr, nullptr) != 0) {
    fail(errno, "glfs_ftruncate", size);
  }
}

void file::allocate(std::uint64_t offset, std::uint64_t length, bool keep_size) {
  require_open("glfs_fallocate");
  if (detail::seam().fallocate(fd_, keep_size ? 1 : 0, static_cast<off_t>(offset),
                               static_cast<size_t>(length)) != 0) {
    fail(errno, "glfs_fallocate", offset);
  }
}

file_status file::stat() {
  require_open("glfs_fstat");
  struct stat st {};
  if (detail::seam().fstat(fd_, &st) != 0) fail(errno, "glfs_fstat");
  return detail::to_file_status(st);
}

void file::close() {
  require_open("glfs_close");
  glfs_fd_t* fd = std::exchange(fd_, nullptr);
  const int result = detail::seam().close(fd);
  const int e = errno;
  // The error message still names the volume; the connection itself is let
  // go so that a closed handle does not keep a volume mounted.
  const std::string volume = volume_name();
  connection_.reset();
  if (result != 0) {
    throw io_error(e, {.operation = "glfs_close", .volume = volume, .path = path_});
  }
}

std::unique_ptr<io_queue> file::open_queue(unsigned depth,
                                           std::chrono::milliseconds drain_timeout) const {
  require_open("open_queue");
  return detail::make_gfapi_queue(connection_, fd_, depth, drain_timeout);
}

}  // namespace gfbench
