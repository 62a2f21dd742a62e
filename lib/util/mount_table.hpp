#pragma once
// The kernel's mount table, as this process sees it: which directory is
// which mount. Read with libmount (util-linux), which knows mountinfo's
// escapes and optional fields; the sandbox (what to unmount) and the
// program (which Gluster volume a FUSE mount serves) both ask it here.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gfbench::detail {

/// One mount.
struct mount_entry {
  std::filesystem::path target{};  ///< the mount point
  std::string type{};              ///< e.g. "fuse.glusterfs", "tmpfs"
  std::string source{};            ///< e.g. "127.1.1.1:/gfs-volume-proxmox"
};

/// The mounts of /proc/self/mountinfo, in its order: a later mount on the
/// same point stacks over an earlier one. Throws std::system_error when the
/// table cannot be read.
[[nodiscard]] std::vector<mount_entry> read_mount_table();
/// The same, from the text of a mountinfo file (tests, stored copies).
[[nodiscard]] std::vector<mount_entry> parse_mount_table(std::string_view mountinfo);

/// The mount `directory` (absolute) lies on: the one with the longest
/// mount point at or above it, the last of those stacked on one point;
/// nullopt when none is.
[[nodiscard]] std::optional<mount_entry> mount_of(const std::vector<mount_entry>& table,
                                                  const std::filesystem::path& directory);

/// The mount points at or below `directory`, deepest first (the order to
/// unmount them in).
[[nodiscard]] std::vector<std::filesystem::path> mounts_at_or_below(
    const std::vector<mount_entry>& table, const std::filesystem::path& directory);

}  // namespace gfbench::detail
