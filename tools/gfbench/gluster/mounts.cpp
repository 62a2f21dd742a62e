#include "gluster/mounts.hpp"

#include <sys/vfs.h>

#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>
#include <vector>

namespace gfbench::app {
namespace {

constexpr long fuse_super_magic = 0x65735546;

// mountinfo escapes space, tab, newline and backslash as \ooo.
std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size()) {
      const std::string_view oct = s.substr(i + 1, 3);
      if (oct.find_first_not_of("01234567") == std::string_view::npos) {
        out += static_cast<char>((oct[0] - '0') * 64 + (oct[1] - '0') * 8 + (oct[2] - '0'));
        i += 3;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

// `dir` is `mount` or below it, component by component.
bool is_under(const std::string& dir, const std::string& mount) {
  if (mount == "/") return true;
  return dir == mount || (dir.starts_with(mount) && dir[mount.size()] == '/');
}

}  // namespace

bool on_fuse_filesystem(const std::filesystem::path& directory) noexcept {
  struct statfs info {};
  if (::statfs(directory.c_str(), &info) != 0) return false;
  return static_cast<long>(info.f_type) == fuse_super_magic;
}

std::optional<gluster_fuse_mount> find_gluster_fuse_mount_in(
    std::string_view mountinfo, const std::filesystem::path& directory) {
  const std::string dir = directory.lexically_normal().string();
  std::string best_mount;
  std::string best_type;
  std::string best_source;
  std::istringstream lines{std::string(mountinfo)};
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::vector<std::string> fields;
    for (std::string w; words >> w;) fields.push_back(w);
    if (fields.size() < 7) continue;
    std::size_t dash = 6;
    while (dash < fields.size() && fields[dash] != "-") ++dash;
    if (dash + 2 >= fields.size()) continue;
    const std::string mount = unescape(fields[4]);
    if (!is_under(dir, mount) || mount.size() < best_mount.size()) continue;
    best_mount = mount;  // later lines stack over earlier ones on the same point
    best_type = fields[dash + 1];
    best_source = unescape(fields[dash + 2]);
  }
  if (best_type != "fuse.glusterfs") return std::nullopt;
  const std::size_t colon = best_source.find(':');
  if (colon == std::string::npos) return std::nullopt;
  std::string volume = best_source.substr(colon + 1);
  while (!volume.empty() && volume.front() == '/') volume.erase(0, 1);
  volume = volume.substr(0, volume.find('/'));  // HOST:/VOLUME/subdir
  if (volume.empty()) return std::nullopt;
  // HOST:/VOLUME; "HOST1,HOST2:/VOLUME" (backup volfile servers) gives HOST1.
  std::string host = best_source.substr(0, colon);
  host = host.substr(0, host.find(','));
  return gluster_fuse_mount{.mount_point = best_mount, .volume = volume, .server = host};
}

std::optional<gluster_fuse_mount> find_gluster_fuse_mount(const std::filesystem::path& directory) {
  std::error_code ec;
  const auto canonical = std::filesystem::canonical(directory, ec);
  std::ifstream in("/proc/self/mountinfo");
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return find_gluster_fuse_mount_in(text.str(), ec ? directory : canonical);
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
