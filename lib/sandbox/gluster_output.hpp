#pragma once
// Reading what the gluster CLI and glfsheal print. Pure functions over text,
// kept apart from the code that runs the tools so that they can be tested
// on captured output.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace gfbench::detail {

/// One brick line of `gluster volume status VOL --xml`.
struct volume_status_brick {
  std::string host;
  std::string path;
  bool online = false;
  long pid = -1;
  /// With `volume status VOL clients`: the clients connected to it.
  std::size_t clients = 0;
};

/// The bricks of `volume status --xml` output (self-heal daemons and other
/// services, whose "path" is a host name, are left out).
std::vector<volume_status_brick> parse_volume_status_xml(std::string_view xml);

/// One peer of `gluster peer status --xml`.
struct peer_status {
  std::string hostname;
  bool connected = false;
  std::string state;  ///< e.g. "Peer in Cluster"
};

std::vector<peer_status> parse_peer_status_xml(std::string_view xml);

/// What glfsheal's "Number of entries:" lines add up to.
struct heal_counts {
  std::size_t pending = 0;  ///< summed over the bricks that answered
  std::size_t bricks = 0;   ///< bricks listed
  std::size_t unknown = 0;  ///< bricks that did not answer ("Number of entries: -")
};

heal_counts parse_heal_info(std::string_view glfsheal_output);

/// True for a name like "8f5c1a2e-0b7d-4c1e-9a3f-2d6b8e0c4f17": how a brick's
/// heal index (<brick>/.glusterfs/indices/...) names the files it lists.
bool is_gfid_name(std::string_view name) noexcept;

/// The names `gluster volume list` prints, one a line.
std::vector<std::string> parse_volume_list(std::string_view output);

/// The name glusterd gives a brick's pid file under <run dir>/vols/VOL/:
/// "<host>-<brick path without its leading '/', each '/' made '-'>.pid".
std::string brick_pid_file_name(std::string_view host, std::string_view brick_path);

}  // namespace gfbench::detail
