#include "gluster/mounts.hpp"

#include <sys/vfs.h>

#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "util/mount_table.hpp"

namespace gfbench::app {
namespace {

constexpr long fuse_super_magic = 0x65735546;

// The Gluster FUSE mount `directory` lies on, from a mount table.
std::optional<gluster_fuse_mount> gluster_mount_of(const std::vector<detail::mount_entry>& table,
                                                   const std::filesystem::path& directory) {
  const auto mount = detail::mount_of(table, directory);
  if (!mount || mount->type != "fuse.glusterfs") return std::nullopt;
  const std::string& source = mount->source;
  const std::size_t colon = source.find(':');
  if (colon == std::string::npos) return std::nullopt;
  std::string volume = source.substr(colon + 1);
  while (!volume.empty() && volume.front() == '/') volume.erase(0, 1);
  volume = volume.substr(0, volume.find('/'));  // HOST:/VOLUME/subdir
  if (volume.empty()) return std::nullopt;
  // HOST:/VOLUME; "HOST1,HOST2:/VOLUME" (backup volfile servers) gives HOST1.
  std::string host = source.substr(0, colon);
  host = host.substr(0, host.find(','));
  return gluster_fuse_mount{.mount_point = mount->target, .volume = volume, .server = host};
}

}  // namespace

bool on_fuse_filesystem(const std::filesystem::path& directory) noexcept {
  struct statfs info {};
  if (::statfs(directory.c_str(), &info) != 0) return false;
  return static_cast<long>(info.f_type) == fuse_super_magic;
}

std::optional<gluster_fuse_mount> find_gluster_fuse_mount_in(
    std::string_view mountinfo, const std::filesystem::path& directory) {
  return gluster_mount_of(detail::parse_mount_table(mountinfo), directory);
}

std::optional<gluster_fuse_mount> find_gluster_fuse_mount(const std::filesystem::path& directory) {
  std::error_code ec;
  const auto canonical = std::filesystem::canonical(directory, ec);
  try {
    return gluster_mount_of(detail::read_mount_table(), ec ? directory : canonical);
  } catch (const std::system_error&) {
    return std::nullopt;  // no mount table to read: nothing is known to be a mount
  }
}

std::optional<std::string> gluster_fuse_volume_in(std::string_view mountinfo,
                                                  const std::filesystem::path& directory) {
  auto mount = find_gluster_fuse_mount_in(mountinfo, directory);
  if (!mount) return std::nullopt;
  return std::move(mount->volume);
}

std::optional<std::string> gluster_fuse_volume(const std::filesystem::path& directory) {
  auto mount = find_gluster_fuse_mount(directory);
  if (!mount) return std::nullopt;
  return std::move(mount->volume);
}

std::string fuse_client_volfile(const gluster_fuse_mount& mount) {
  std::ifstream in(mount.mount_point / ".meta" / "graphs" / "active" / "volfile");
  if (!in) return {};
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace gfbench::app
