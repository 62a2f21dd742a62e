#pragma once
// The operating-system side of the sandbox: processes found by pid and
// checked before they are signalled, and the mounts it makes.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gfbench::detail {

/// The pid a pid file holds, if it holds one.
std::optional<pid_t> read_pid_file(const std::filesystem::path& file);
/// /proc/PID/cmdline with its NULs as spaces; empty when the process is gone.
std::string process_cmdline(pid_t pid);
/// Exists and is not a zombie.
bool process_running(pid_t pid);
/// When `pid` started, in clock ticks since boot (/proc/PID/stat's
/// starttime): with the pid, what names one process, even after the pid
/// was reused. nullopt when there is no such process.
std::optional<unsigned long long> process_start_time(pid_t pid);
/// Running, and its command line mentions `marker`. Every process a sandbox
/// starts names a path under its base directory, so this keeps a reused pid
/// from being signalled.
bool process_is_ours(pid_t pid, std::string_view marker);
/// Sends `sig` if the process is ours; false if it was not (or is gone).
bool signal_if_ours(pid_t pid, int sig, std::string_view marker);
/// Running processes other than this one that live in the network namespace
/// with inode `netns_inode` and mention `marker`: what is left of a sandbox.
std::vector<pid_t> find_processes(std::string_view marker, ino_t netns_inode);
/// Waits until none of `pids` runs any more; false if some still run at
/// the deadline.
bool wait_until_gone(const std::vector<pid_t>& pids,
                     std::chrono::steady_clock::time_point deadline);
/// A program of glusterfs's private directory (glfsheal, gsyncd), whose
/// name depends on the distribution and architecture.
std::optional<std::filesystem::path> find_glusterfs_program(std::string_view name);
/// The inode of a file, 0 if it cannot be stat'ed.
ino_t inode_of(const std::filesystem::path& file);

/// Bind-mounts `dir` on itself and makes it a shared mount: mounts made
/// under it later (brick tmpfs, FUSE) then propagate into the mount
/// namespaces glusterd runs in, which are slaves of ours.
void bind_mount_shared(const std::filesystem::path& dir);
void mount_tmpfs(const std::filesystem::path& dir, std::uint64_t size_bytes);
/// Unmounts, lazily if the mount is busy. 0 when nothing is mounted there
/// any more (also when nothing was), else the errno of the failure.
int unmount_path(const std::filesystem::path& dir) noexcept;
/// Mount points at or under `dir` in our mount namespace, deepest first.
std::vector<std::filesystem::path> mounts_under(const std::filesystem::path& dir);
/// `dir` is the root of a FUSE file system (statfs f_type FUSE_SUPER_MAGIC).
bool is_fuse_mount(const std::filesystem::path& dir);

}  // namespace gfbench::detail
