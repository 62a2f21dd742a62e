#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <thread>

#include "gfbench/error.hpp"
#include "gfbench/target.hpp"
#include "gfbench/target_wrapper.hpp"
#include "targets/posix_queue.hpp"
#include "util/log.hpp"
#include "util/stat_conversion.hpp"

namespace gfbench {
namespace {

int open_flags(const open_options& o) {
  int flags = O_CLOEXEC;
  switch (o.access) {
    case access_mode::read_only:
      flags |= O_RDONLY;
      break;
    case access_mode::write_only:
      flags |= O_WRONLY;
      break;
    case access_mode::read_write:
      flags |= O_RDWR;
      break;
  }
  if (o.direct) flags |= O_DIRECT;
  if (o.sync) flags |= O_SYNC;
  if (o.truncate) flags |= O_TRUNC;
  return flags;
}

[[noreturn]] void fail(int errno_value, const char* operation, const std::string& directory,
                       std::string_view path, std::optional<std::uint64_t> offset = {}) {
  throw io_error(
      errno_value,
      {.operation = operation, .volume = directory, .path = std::string(path), .offset = offset});
}

class posix_file final : public target_file {
 public:
  posix_file(int fd, std::string directory, std::string path)
      : fd_(fd), directory_(std::move(directory)), path_(std::move(path)) {}
  posix_file(const posix_file&) = delete;
  posix_file& operator=(const posix_file&) = delete;
  ~posix_file() override {
    if (fd_ >= 0 && ::close(fd_) != 0) {
      detail::logger().error("close {}{}: {} (in a destructor; call close() to see it)", directory_,
                             path_, std::strerror(errno));
    }
  }

  void pwrite_all(std::span<const std::byte> data, std::uint64_t offset) override {
    require_open("pwrite");
    std::size_t done = 0;
    while (done < data.size()) {
      const ssize_t n =
          ::pwrite(fd_, data.data() + done, data.size() - done, static_cast<off_t>(offset + done));
      if (n < 0) {
        if (errno == EINTR) continue;
        fail(errno, "pwrite", directory_, path_, offset + done);
      }
      if (n == 0) fail(EIO, "pwrite", directory_, path_, offset + done);
      done += static_cast<std::size_t>(n);
    }
  }

  void pread_all(std::span<std::byte> buffer, std::uint64_t offset) override {
    require_open("pread");
    std::size_t done = 0;
    while (done < buffer.size()) {
      const ssize_t n = ::pread(fd_, buffer.data() + done, buffer.size() - done,
                                static_cast<off_t>(offset + done));
      if (n < 0) {
        if (errno == EINTR) continue;
        fail(errno, "pread", directory_, path_, offset + done);
      }
      if (n == 0) {
        throw io_error(EIO, {.operation = "pread",
                             .volume = directory_,
                             .path = path_,
                             .offset = offset + done,
                             .hint = "unexpected end of file"});
      }
      done += static_cast<std::size_t>(n);
    }
  }

  void fsync() override {
    require_open("fsync");
    if (::fsync(fd_) != 0) fail(errno, "fsync", directory_, path_);
  }

  file_status stat() override {
    require_open("fstat");
    struct stat st {};
    if (::fstat(fd_, &st) != 0) fail(errno, "fstat", directory_, path_);
    return detail::to_file_status(st);
  }

  std::unique_ptr<io_queue> open_queue(unsigned depth,
                                       std::chrono::milliseconds drain_timeout) override {
    require_open("open_queue");
    return detail::make_posix_queue(fd_, depth, drain_timeout);
  }

  void close() override {
    require_open("close");
    // close(2) must not be retried after EINTR on Linux: the fd is gone.
    const int fd = std::exchange(fd_, -1);
    if (::close(fd) != 0) fail(errno, "close", directory_, path_);
  }

 private:
  void require_open(const char* operation) const {
    if (fd_ < 0) fail(EBADF, operation, directory_, path_);
  }

  int fd_;
  std::string directory_;
  std::string path_;
};

// How many of a file's pages are in the page cache.
std::uint64_t resident_pages(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_size == 0) return 0;
  const auto size = static_cast<std::size_t>(st.st_size);
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  if (map == MAP_FAILED) return 0;  // not mappable (some FUSE modes): nothing to check with
  const long page = ::sysconf(_SC_PAGESIZE);
  std::vector<unsigned char> in_core((size + static_cast<std::size_t>(page) - 1) /
                                     static_cast<std::size_t>(page));
  std::uint64_t resident = 0;
  if (::mincore(map, size, in_core.data()) == 0) {
    for (const unsigned char c : in_core) resident += c & 1u;
  }
  ::munmap(map, size);
  return resident;
}

class posix_target final : public target {
 public:
  posix_target(std::filesystem::path directory, std::string label)
      : directory_(std::move(directory)), root_(directory_.string()), label_(std::move(label)) {
    struct stat st {};
    if (::stat(root_.c_str(), &st) != 0) fail(errno, "stat", root_, "");
    if (!S_ISDIR(st.st_mode)) fail(ENOTDIR, "stat", root_, "");
  }

  const std::string& label() const noexcept override { return label_; }
  std::string describe() const override { return "directory " + root_; }

  std::unique_ptr<target_file> create(std::string_view path, const open_options& options) override {
    int flags = open_flags(options) | O_CREAT;
    if (options.exclusive) flags |= O_EXCL;
    const int fd = ::open(full(path).c_str(), flags, options.permissions);
    if (fd < 0) fail(errno, "open(O_CREAT)", root_, path);
    return std::make_unique<posix_file>(fd, root_, std::string(path));
  }
  std::unique_ptr<target_file> open(std::string_view path, const open_options& options) override {
    const int fd = ::open(full(path).c_str(), open_flags(options));
    if (fd < 0) fail(errno, "open", root_, path);
    return std::make_unique<posix_file>(fd, root_, std::string(path));
  }
  void mkdir(std::string_view path) override {
    // A FUSE client that is switching graphs (a volume option just set)
    // can answer ESTALE for a parent it knew a moment ago; the kernel looks
    // the parent up again on the next call.
    int rc = 0;
    for (int attempt = 0; attempt < 3; ++attempt) {
      rc = ::mkdir(full(path).c_str(), 0755);
      if (rc == 0 || errno != ESTALE) break;
    }
    if (rc != 0) fail(errno, "mkdir", root_, path);
  }
  void unlink(std::string_view path) override {
    if (::unlink(full(path).c_str()) != 0) fail(errno, "unlink", root_, path);
  }
  void rmdir(std::string_view path) override {
    if (::rmdir(full(path).c_str()) != 0) fail(errno, "rmdir", root_, path);
  }
  bool exists(std::string_view path) override {
    struct stat st {};
    if (::lstat(full(path).c_str(), &st) == 0) return true;
    if (errno == ENOENT) return false;
    fail(errno, "lstat", root_, path);
  }
  file_status stat(std::string_view path) override {
    struct stat st {};
    if (::lstat(full(path).c_str(), &st) != 0) fail(errno, "lstat", root_, path);
    return detail::to_file_status(st);
  }
  std::vector<dir_entry> list(std::string_view path) override {
    DIR* dir = ::opendir(full(path).c_str());
    if (dir == nullptr) fail(errno, "opendir", root_, path);
    std::vector<dir_entry> entries;
    errno = 0;
    while (const dirent* e = ::readdir(dir)) {
      const std::string_view name(e->d_name);
      if (name != "." && name != "..") {
        file_type type = file_type::other;
        if (e->d_type == DT_REG)
          type = file_type::regular;
        else if (e->d_type == DT_DIR)
          type = file_type::directory;
        else if (e->d_type == DT_LNK)
          type = file_type::symlink;
        entries.push_back({std::string(name), type});
      }
      errno = 0;
    }
    const int e = errno;
    ::closedir(dir);
    if (e != 0) fail(e, "readdir", root_, path);
    return entries;
  }
  space_info statvfs() override {
    struct statvfs sv {};
    if (::statvfs(root_.c_str(), &sv) != 0) fail(errno, "statvfs", root_, "");
    return detail::to_space_info(sv);
  }
  // Writes the file's dirty pages back, then asks the kernel to drop its
  // cached pages, so the reads go to the file system below (through FUSE to
  // the bricks, for a Gluster mount). mincore() then tells whether the pages
  // really left the page cache: a cold read served from memory would be a lie.
  std::unique_ptr<target_file> open_cold(std::string_view path,
                                         const open_options& options) override {
    auto f = open(path, options);
    const int fd = ::open(full(path).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail(errno, "open", root_, path);
    int synced = 0, sync_error = 0, advised = 0;
    std::uint64_t resident = 0;
    // A page still under writeback, or read ahead by a request in flight,
    // may outlive one DONTNEED by a moment: a few tries, a few ms apart.
    for (int attempt = 0; attempt < 5; ++attempt) {
      if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      synced = ::fdatasync(fd);
      sync_error = errno;
      advised = ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
      resident = resident_pages(fd);
      if (synced != 0 || advised != 0 || resident == 0) break;
    }
    ::close(fd);
    if (synced != 0) fail(sync_error, "fdatasync", root_, path);
    if (advised != 0) fail(advised, "posix_fadvise(DONTNEED)", root_, path);
    if (resident > 0) {
      throw io_error(EBUSY, {.operation = "posix_fadvise(DONTNEED)",
                             .volume = root_,
                             .path = std::string(path),
                             .hint = std::to_string(resident) +
                                     " pages stayed in the page cache; a cold read is impossible "
                                     "here (is the file mapped or locked by another process?)"});
    }
    return f;
  }

  void rename(std::string_view from, std::string_view to) override {
    if (::rename(full(from).c_str(), full(to).c_str()) != 0) fail(errno, "rename", root_, from);
  }
  void chmod(std::string_view path, unsigned permissions) override {
    if (::chmod(full(path).c_str(), static_cast<mode_t>(permissions)) != 0) {
      fail(errno, "chmod", root_, path);
    }
  }
  void set_xattr(std::string_view path, std::string_view name,
                 std::span<const std::byte> value) override {
    const std::string n(name);
    if (::lsetxattr(full(path).c_str(), n.c_str(), value.data(), value.size(), 0) != 0) {
      fail(errno, "lsetxattr", root_, path);
    }
  }
  std::vector<std::byte> get_xattr(std::string_view path, std::string_view name) override {
    const std::string p = full(path);
    const std::string n(name);
    // One call for the values gfbench sets; a larger one asks its size first.
    std::vector<std::byte> value(256);
    ssize_t got = ::lgetxattr(p.c_str(), n.c_str(), value.data(), value.size());
    if (got < 0 && errno == ERANGE) {
      got = ::lgetxattr(p.c_str(), n.c_str(), nullptr, 0);
      if (got >= 0) {
        value.resize(static_cast<std::size_t>(got));
        got = ::lgetxattr(p.c_str(), n.c_str(), value.data(), value.size());
      }
    }
    if (got < 0) fail(errno, "lgetxattr", root_, path);
    value.resize(static_cast<std::size_t>(got));
    return value;
  }
  // ls -l: readdir, and an fstatat of each entry relative to the open
  // directory, so no path is resolved again from the root.
  std::vector<dir_entry_status> list_with_status(std::string_view path) override {
    DIR* dir = ::opendir(full(path).c_str());
    if (dir == nullptr) fail(errno, "opendir", root_, path);
    std::vector<dir_entry_status> entries;
    int failed_errno = 0;
    const char* failed_call = "readdir";
    errno = 0;
    while (const dirent* e = ::readdir(dir)) {
      const std::string_view name(e->d_name);
      if (name != "." && name != "..") {
        struct stat st {};
        if (::fstatat(::dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
          failed_errno = errno;
          failed_call = "fstatat";
          break;
        }
        entries.push_back({std::string(name), detail::to_file_status(st)});
      }
      errno = 0;
    }
    if (failed_errno == 0) failed_errno = errno;
    ::closedir(dir);
    if (failed_errno != 0) fail(failed_errno, failed_call, root_, path);
    return entries;
  }
  // The kernel has no call that drops the caches of one directory tree, so
  // this drops them all, as the Gluster project's own small-file tests do
  // before each operation (sync; echo 3 > /proc/sys/vm/drop_caches): dirty
  // data written back first, then page cache, dentries and inodes. A FUSE
  // client is told to forget each inode the kernel drops, and its caches of
  // them (md-cache, for one) go with it.
  std::unique_ptr<target> cold_view() override {
    const int fd = ::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) fail(errno, "open", root_, "");
    const int synced = ::syncfs(fd);
    const int sync_error = errno;
    ::close(fd);
    if (synced != 0) fail(sync_error, "syncfs", root_, "");
    const int drop = ::open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);
    const bool dropped = drop >= 0 && ::write(drop, "3\n", 2) == 2;
    const int drop_error = errno;
    if (drop >= 0) ::close(drop);
    if (!dropped) {
      const int e = drop_error != 0 ? drop_error : EIO;
      throw io_error(e, {.operation = "write /proc/sys/vm/drop_caches",
                         .volume = root_,
                         .hint = "a cold metadata phase on a directory drops the kernel's caches, "
                                 "which needs root; run as root or use --meta-cache warm"});
    }
    return std::make_unique<view>(*this);
  }

 private:
  // The cold view of a directory: the same target, met after the drop.
  class view final : public target_wrapper {
   public:
    using target_wrapper::target_wrapper;
  };

  std::string full(std::string_view path) const { return root_ + std::string(path); }

  std::filesystem::path directory_;
  std::string root_;
  std::string label_;
};

}  // namespace

std::unique_ptr<target> make_posix_target(std::filesystem::path directory, std::string label) {
  return std::make_unique<posix_target>(std::move(directory), std::move(label));
}

}  // namespace gfbench
