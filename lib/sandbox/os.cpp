#include "sandbox/os.hpp"

#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include "gfbench/sandbox.hpp"
#include "util/log.hpp"
#include "util/mount_table.hpp"

namespace gfbench::detail {
namespace {

namespace fs = std::filesystem;

constexpr long fuse_super_magic = 0x65735546;

std::string read_small_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

fs::path proc_path(pid_t pid, const char* entry) {
  return fs::path("/proc") / std::to_string(pid) / entry;
}

}  // namespace

std::optional<pid_t> read_pid_file(const fs::path& file) {
  std::string text = read_small_file(file);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  pid_t pid = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
  if (ec != std::errc{} || end != text.data() + text.size() || pid <= 1) return std::nullopt;
  return pid;
}

std::string process_cmdline(pid_t pid) {
  auto text = read_small_file(proc_path(pid, "cmdline"));
  std::replace(text.begin(), text.end(), '\0', ' ');
  return text;
}

bool process_running(pid_t pid) {
  // "PID (comm) S ...": the state follows the last ')', as comm may hold one.
  const auto stat = read_small_file(proc_path(pid, "stat"));
  const auto paren = stat.rfind(')');
  if (paren == std::string::npos || paren + 2 >= stat.size()) return false;
  const char state = stat[paren + 2];
  return state != 'Z' && state != 'X';
}

std::optional<unsigned long long> process_start_time(pid_t pid) {
  const auto stat = read_small_file(proc_path(pid, "stat"));
  const auto paren = stat.rfind(')');
  if (paren == std::string::npos) return std::nullopt;
  // After "PID (comm)": state is field 3, starttime field 22.
  std::istringstream fields(stat.substr(paren + 2));
  std::string field;
  for (int k = 3; k <= 22; ++k) {
    if (!(fields >> field)) return std::nullopt;
  }
  unsigned long long ticks = 0;
  const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), ticks);
  if (ec != std::errc{}) return std::nullopt;
  return ticks;
}

bool process_is_ours(pid_t pid, std::string_view marker) {
  return pid > 1 && pid != ::getpid() && process_running(pid) &&
         process_cmdline(pid).find(marker) != std::string::npos;
}

bool signal_if_ours(pid_t pid, int sig, std::string_view marker) {
  if (!process_is_ours(pid, marker)) return false;
  if (::kill(pid, sig) != 0) {
    logger().debug("kill({}, {}): {}", pid, sig, std::strerror(errno));
    return false;
  }
  return true;
}

std::vector<pid_t> find_processes(std::string_view marker, ino_t netns_inode) {
  std::vector<pid_t> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const auto name = entry.path().filename().string();
    pid_t pid = 0;
    const auto [end, err] = std::from_chars(name.data(), name.data() + name.size(), pid);
    if (err != std::errc{} || end != name.data() + name.size()) continue;
    if (inode_of(proc_path(pid, "ns/net")) != netns_inode) continue;
    if (process_is_ours(pid, marker)) found.push_back(pid);
  }
  return found;
}

bool wait_until_gone(const std::vector<pid_t>& pids,
                     std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    const bool any = std::any_of(pids.begin(), pids.end(), process_running);
    if (!any) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::optional<fs::path> find_glusterfs_program(std::string_view name) {
  std::vector<fs::path> dirs{"/usr/lib/x86_64-linux-gnu/glusterfs", "/usr/libexec/glusterfs",
                             "/usr/lib/glusterfs", "/usr/lib64/glusterfs"};
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib", ec))
    dirs.push_back(entry.path() / "glusterfs");
  for (const auto& dir : dirs)
    if (fs::is_regular_file(dir / name, ec)) return dir / name;
  return std::nullopt;
}

ino_t inode_of(const fs::path& file) {
  struct stat st {};
  return ::stat(file.c_str(), &st) == 0 ? st.st_ino : 0;
}

void bind_mount_shared(const fs::path& dir) {
  // Private first: if the parent mount is shared, the bind would otherwise
  // join its peer group and our later mounts would spread to its peers.
  if (::mount(dir.c_str(), dir.c_str(), nullptr, MS_BIND, nullptr) != 0)
    throw sandbox_error("bind-mounting " + dir.string() + " on itself: " + std::strerror(errno));
  if (::mount(nullptr, dir.c_str(), nullptr, MS_PRIVATE, nullptr) != 0 ||
      ::mount(nullptr, dir.c_str(), nullptr, MS_SHARED, nullptr) != 0) {
    const int e = errno;
    ::umount2(dir.c_str(), MNT_DETACH);
    throw sandbox_error("making " + dir.string() + " a shared mount: " + std::strerror(e));
  }
  logger().debug("bind-mounted {} on itself, shared", dir.string());
}

void mount_tmpfs(const fs::path& dir, std::uint64_t size_bytes) {
  const auto options = "size=" + std::to_string(size_bytes) + ",mode=0755";
  if (::mount("tmpfs", dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) != 0)
    throw sandbox_error("mounting a tmpfs of " + std::to_string(size_bytes) + " bytes on " +
                        dir.string() + ": " + std::strerror(errno));
  logger().debug("mounted a tmpfs ({}) on {}", options, dir.string());
}

int unmount_path(const fs::path& dir) noexcept {
  if (::umount2(dir.c_str(), UMOUNT_NOFOLLOW) == 0) {
    logger().debug("unmounted {}", dir.string());
    return 0;
  }
  const int e = errno;
  if (e == EINVAL || e == ENOENT) return 0;  // nothing mounted there
  if (e != EBUSY) return e;
  if (::umount2(dir.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW) != 0) return errno;
  logger().debug("{} was busy: detached it (lazy unmount)", dir.string());
  return 0;
}

std::vector<fs::path> mounts_under(const fs::path& dir) {
  return mounts_at_or_below(read_mount_table(), dir);
}

bool is_fuse_mount(const fs::path& dir) {
  struct statfs st {};
  return ::statfs(dir.c_str(), &st) == 0 && st.f_type == fuse_super_magic;
}

}  // namespace gfbench::detail
