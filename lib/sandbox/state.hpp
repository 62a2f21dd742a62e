#pragma once
// The insides of gfbench::sandbox, shared by the files that implement it:
// sandbox.cpp (the public calls), start.cpp (checks, namespace, glusterd
// nodes, peers), volumes.cpp (volumes and their bricks), heal_and_mounts.cpp
// (self-heal, FUSE) and teardown.cpp.
//
// Layout of base_dir:
//   node<k>/glusterd/          glusterd's working directory (gd.sock in it)
//   node<k>/run/               its run directory: vols/VOL/*.pid, shd/VOL/*.pid
//   node<k>/log/               its logs; seen as /var/log/glusterfs by its processes
//   node<k>/var-lib-glusterd/  seen as /var/lib/glusterd by its processes
//   node<k>/var-run-gluster/   seen as /var/run/gluster (brick sockets)
//   node<k>/bricks/VOL/        a brick, or node<k>/tmpfs-VOL/brick on a tmpfs
//   mnt/VOL                    FUSE mount points
//   gsyncd-stub                seen as glusterfs's gsyncd by the nodes
// glusterd hard-codes some paths under /var/lib/glusterd, /var/run/gluster
// and /var/log/glusterfs whatever its options say; each node's processes run
// in a mount namespace of their own where the node's directories are bound
// over those, so the host's stay untouched. In that namespace gsyncd (the
// Python geo-replication helper) is a stub that only says its name: glusterd
// runs it a dozen times while starting, which costs 2.5 s of the 2.7 s a
// start takes, for geo-replication, which a sandbox has no use for.

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "gfbench/sandbox.hpp"
#include "sandbox/command.hpp"
#include "sandbox/gluster_output.hpp"

namespace gfbench::detail {

struct sandbox_node {
  int index = 0;
  std::string host;           // 127.1.1.(index + 1)
  std::filesystem::path dir;  // <base>/node<index>

  [[nodiscard]] std::filesystem::path work_dir() const { return dir / "glusterd"; }
  [[nodiscard]] std::filesystem::path run_dir() const { return dir / "run"; }
  [[nodiscard]] std::filesystem::path log_dir() const { return dir / "log"; }
  [[nodiscard]] std::filesystem::path var_lib() const { return dir / "var-lib-glusterd"; }
  [[nodiscard]] std::filesystem::path var_run() const { return dir / "var-run-gluster"; }
  [[nodiscard]] std::filesystem::path bricks_dir() const { return dir / "bricks"; }
  [[nodiscard]] std::filesystem::path socket() const { return work_dir() / "gd.sock"; }
  [[nodiscard]] std::filesystem::path pid_file() const { return dir / "glusterd.pid"; }
};

struct sandbox_volume_record {
  sandbox_volume info;
  std::vector<std::filesystem::path> tmpfs;  // brick tmpfs mount points
};

struct sandbox_state {
  sandbox_options options;
  std::filesystem::path base;
  // base + "/": every process we start names a path under base, so a pid
  // whose command line lacks it is not ours (the pid was reused).
  std::string marker;
  bool own_base = false;                    // we made base: remove all of it
  std::vector<std::filesystem::path> made;  // else: what we made in it
  std::string netns;
  std::filesystem::path netns_file;  // /var/run/netns/<netns>
  ino_t netns_inode = 0;
  bool netns_created = false;
  bool base_bind_mounted = false;
  std::filesystem::path glusterd_program;
  std::filesystem::path gluster_program;
  std::filesystem::path ip_program;
  std::optional<std::filesystem::path> gsyncd_program;  // the real one, hidden
  // The host directories each node's processes see their own copies of.
  std::vector<std::filesystem::path> host_gluster_dirs;
  std::vector<sandbox_node> nodes;
  std::map<std::string, sandbox_volume_record, std::less<>> volumes;
  std::vector<std::filesystem::path> fuse_mounts;
  std::set<pid_t> paused;
  bool torn_down = false;
  bool registered = false;  // in the registry of running sandboxes (abandoned.cpp)

  [[nodiscard]] std::chrono::steady_clock::time_point deadline() const;
  [[nodiscard]] std::chrono::milliseconds command_timeout() const;
  [[nodiscard]] const sandbox_node& node(int index) const;

  // Commands. A node command runs in the network namespace and in a mount
  // namespace of its own with the node's directories bound over the host's
  // gluster directories; a host command only enters the network namespace.
  [[nodiscard]] command node_command(const sandbox_node& n, std::vector<std::string> argv) const;
  [[nodiscard]] command host_command(std::vector<std::string> argv) const;
  [[nodiscard]] command gluster_command(const sandbox_node& n,
                                        const std::vector<std::string>& args) const;
  command_result gluster(const std::vector<std::string>& args,
                         std::optional<std::chrono::milliseconds> timeout = {}) const;
  std::string gluster_checked(const std::vector<std::string>& args) const;

  // start.cpp
  void prepare();
  void start_nodes();
  void join_peers();
  [[nodiscard]] command glusterd_command(const sandbox_node& n) const;
  void wait_glusterd_up(const sandbox_node& n) const;

  // nodes.cpp: a node as a whole, for faults
  // The processes of node `index`: its glusterd, bricks, self-heal daemon
  // (every process whose command line names the node's directory).
  [[nodiscard]] std::vector<pid_t> node_processes(int index) const;
  void signal_node(int index, int sig);
  void start_node(int index);

  // volumes.cpp
  sandbox_volume create_volume(const sandbox_volume_spec& spec);
  void start_volume(std::string_view name, bool force);
  void delete_volume(std::string_view name);
  void wait_bricks_online(std::string_view name);
  [[nodiscard]] std::vector<std::size_t> brick_clients(std::string_view name) const;
  [[nodiscard]] const sandbox_volume_record& record(std::string_view name) const;
  [[nodiscard]] std::filesystem::path brick_pid_file(std::string_view volume,
                                                     std::size_t index) const;
  // The brick's pid, if its process runs and is ours.
  [[nodiscard]] std::optional<pid_t> brick_pid(std::string_view volume, std::size_t index) const;
  void signal_brick(std::string_view volume, std::size_t index, int sig);
  void forget_volume(std::string_view name) noexcept;

  // heal_and_mounts.cpp
  heal_counts heal_info(std::string_view volume) const;
  [[nodiscard]] std::size_t heal_index_entries(std::string_view volume) const;
  [[nodiscard]] std::vector<std::size_t> heal_needed_per_brick(std::string_view volume) const;
  void wait_healed(std::string_view volume);
  std::filesystem::path fuse_mount(std::string_view volume);
  void unmount(const std::filesystem::path& mountpoint);

  // teardown.cpp
  void teardown() noexcept;

  // abandoned.cpp: this sandbox in the registry, for as long as it runs.
  void register_self();
  void unregister_self() noexcept;
};

/// Tears down every sandbox in the registry whose maker is gone; returns
/// their base directories.
std::vector<std::string> clean_up_abandoned_sandboxes();

}  // namespace gfbench::detail
