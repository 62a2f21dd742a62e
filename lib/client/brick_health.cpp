#include <glusterfs/api/glfs.h>

#include "client/brick_health.hpp"

#include <algorithm>
#include <cerrno>
#include <string>
#include <vector>

#include "client/client_volfile.hpp"
#include "client/connection.hpp"
#include "gfbench/volume.hpp"
#include "util/text.hpp"

namespace gfbench {
namespace detail {
std::vector<volfile_brick> parse_volfile_bricks(std::string_view volfile) {
  std::vector<volfile_brick> bricks;
  bool in_volume = false;
  bool is_client = false;
  std::string name;
  volfile_brick current;
  std::size_t start = 0;
  while (start < volfile.size()) {
    const std::size_t end = std::min(volfile.find('\n', start), volfile.size());
    const std::string_view line = trim(volfile.substr(start, end - start));
    start = end + 1;
    if (line.starts_with("volume ")) {
      in_volume = true;
      is_client = false;
      name = std::string(trim(line.substr(7)));
      current = {};
    } else if (line == "end-volume") {
      // snapd serves .snaps (features.uss); it is a protocol/client too.
      const bool snapd = name.ends_with("-snapd-client") || current.path.starts_with("snapd-");
      if (in_volume && is_client && !snapd) bricks.push_back(current);
      in_volume = false;
    } else if (in_volume && line.starts_with("type ")) {
      is_client = trim(line.substr(5)) == "protocol/client";
    } else if (in_volume && line.starts_with("option remote-host ")) {
      current.host = std::string(trim(line.substr(19)));
    } else if (in_volume && line.starts_with("option remote-subvolume ")) {
      current.path = std::string(trim(line.substr(24)));
    }
  }
  return bricks;
}

std::vector<std::string> parse_pathinfo_bricks(std::string_view pathinfo) {
  std::vector<std::string> paths;
  constexpr std::string_view marker = "<POSIX(";
  std::size_t at = 0;
  while ((at = pathinfo.find(marker, at)) != std::string_view::npos) {
    at += marker.size();
    const std::size_t close = pathinfo.find("):", at);
    if (close == std::string_view::npos) break;
    paths.emplace_back(pathinfo.substr(at, close - at));
    at = close;
  }
  return paths;
}

brick_status compare_bricks(const std::vector<volfile_brick>& expected,
                            const std::vector<std::string>& answered) {
  brick_status status;
  status.expected = expected.size();
  status.reachable = std::min(answered.size(), expected.size());
  if (!status.degraded()) return status;
  // A path missing from the answers names its brick, if only one host has
  // a brick there.
  for (const auto& b : expected) {
    const auto wanted = std::count_if(expected.begin(), expected.end(),
                                      [&](const volfile_brick& o) { return o.path == b.path; });
    const auto got = std::count(answered.begin(), answered.end(), b.path);
    if (got == 0 && wanted == 1) status.unreachable.push_back(b.host + ":" + b.path);
  }
  return status;
}

}  // namespace detail

brick_status volume::bricks() {
  glfs_t* fs = connection_->fs;
  const std::string volfile = detail::fetch_client_volfile(*connection_);
  const auto expected = detail::parse_volfile_bricks(volfile);
  if (expected.empty()) {
    detail::throw_volume_error(ENODATA, *connection_, "glfs_get_volfile", "/",
                               "no protocol/client translator in the client volfile");
  }

  // "glusterfs.pathinfo" is the name unprivileged clients may ask for;
  // the POSIX translator answers it like "trusted.glusterfs.pathinfo".
  std::string answer(4096 + 512 * expected.size(), '\0');
  ssize_t n = -1;
  for (int attempt = 0; attempt < 3; ++attempt) {
    n = glfs_getxattr(fs, "/", "glusterfs.pathinfo", answer.data(), answer.size());
    if (n >= 0 || errno != ERANGE) break;
    answer.assign(answer.size() * 4, '\0');
  }
  if (n < 0) {
    const int e = errno;
    detail::throw_volume_error(e, *connection_, "glfs_getxattr", "/",
                               "cannot ask the bricks for glusterfs.pathinfo");
  }
  answer.resize(static_cast<std::size_t>(n));
  return detail::compare_bricks(expected, detail::parse_pathinfo_bricks(answer));
}

}  // namespace gfbench
