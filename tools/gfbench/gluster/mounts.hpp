#pragma once
// What a directory given with --posix is: on a FUSE file system (then its
// target is labelled "fuse"), on which Gluster volume's FUSE mount, and the
// client graph that mount runs.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace gfbench::app {

/// True when `directory` is on a FUSE file system (statfs f_type 0x65735546),
/// as a GlusterFS FUSE mount is. False when it cannot be told.
bool on_fuse_filesystem(const std::filesystem::path& directory) noexcept;

/// A Gluster FUSE mount at or above a directory.
struct gluster_fuse_mount {
  std::filesystem::path mount_point{};
  std::string volume{};
  /// The volfile server the mount was made from (HOST of HOST:/VOLUME).
  std::string server{};
};

/// The Gluster FUSE mount at or above `directory`, read from
/// /proc/self/mountinfo; nullopt for anything else.
[[nodiscard]] std::optional<gluster_fuse_mount> find_gluster_fuse_mount(
    const std::filesystem::path& directory);
/// The same, from the text of a mountinfo file (for tests).
[[nodiscard]] std::optional<gluster_fuse_mount> find_gluster_fuse_mount_in(
    std::string_view mountinfo, const std::filesystem::path& directory);

/// The Gluster volume a FUSE mount at or above `directory` serves, read
/// from /proc/self/mountinfo (file system type fuse.glusterfs, source
/// HOST:/VOLUME or HOST:VOLUME); nullopt for anything else.
[[nodiscard]] std::optional<std::string> gluster_fuse_volume(
    const std::filesystem::path& directory);
/// The same, from the text of a mountinfo file (for tests).
[[nodiscard]] std::optional<std::string> gluster_fuse_volume_in(
    std::string_view mountinfo, const std::filesystem::path& directory);

/// The volfile the glusterfs FUSE client of a mount runs, as its meta
/// translator shows it (MOUNT/.meta/graphs/active/volfile): the graph that
/// serves the mount now, with the mount's own options. Empty when the mount
/// has no readable meta directory.
[[nodiscard]] std::string fuse_client_volfile(const gluster_fuse_mount& mount);

}  // namespace gfbench::app
