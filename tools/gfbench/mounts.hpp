#pragma once
// What a directory given with --posix is: on a FUSE file system (then its
// target is labelled "fuse"), and on which Gluster volume's FUSE mount.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace gfbench::app {

/// True when `directory` is on a FUSE file system (statfs f_type 0x65735546),
/// as a GlusterFS FUSE mount is. False when it cannot be told.
bool on_fuse_filesystem(const std::filesystem::path& directory) noexcept;

/// The Gluster volume a FUSE mount at or above `directory` serves, read
/// from /proc/self/mountinfo (file system type fuse.glusterfs, source
/// HOST:/VOLUME or HOST:VOLUME); nullopt for anything else.
[[nodiscard]] std::optional<std::string> gluster_fuse_volume(
    const std::filesystem::path& directory);
/// The same, from the text of a mountinfo file (for tests).
[[nodiscard]] std::optional<std::string> gluster_fuse_volume_in(
    std::string_view mountinfo, const std::filesystem::path& directory);

}  // namespace gfbench::app
