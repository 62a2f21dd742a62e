#pragma once
/// \file
/// A private Gluster cluster on this machine, for tests, demos and vendors'
/// suites: its own glusterd processes, in their own network namespace, with
/// their own working, run and log directories. It never touches a system
/// glusterd, /var/lib/glusterd or volumes it did not create. Needs root and
/// the glusterfs-server and iproute2 packages.

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gfbench/export.hpp"
#include "gfbench/volume.hpp"

namespace gfbench {

/// The sandbox could not do what was asked; `what()` says why and, where a
/// person can fix it (not root, a package missing), what to do.
class GFBENCH_API sandbox_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  /// With the errno of the system call that failed.
  sandbox_error(const std::string& what, int errno_value)
      : std::runtime_error(what), errno_(errno_value) {}
  /// The errno of the failed system call; 0 when the error is not one
  /// (a command that ran and failed, a wait that timed out).
  [[nodiscard]] int errno_value() const noexcept { return errno_; }

 private:
  int errno_ = 0;
};

/// Gluster refused an option of a sandbox_volume_spec (an unknown key, a
/// value it does not take); `what()` has gluster's own words.
class GFBENCH_API sandbox_option_error : public sandbox_error {
 public:
  sandbox_option_error(const std::string& what, std::string key, std::string value)
      : sandbox_error(what), key_(std::move(key)), value_(std::move(value)) {}
  [[nodiscard]] const std::string& key() const noexcept { return key_; }
  [[nodiscard]] const std::string& value() const noexcept { return value_; }

 private:
  std::string key_;
  std::string value_;
};

struct sandbox_options {
  /// Where the nodes keep their state, bricks and logs. Empty: a new
  /// directory under the system's temporary directory.
  std::filesystem::path base_dir{};
  /// How many glusterd nodes, on 127.1.1.1, 127.1.1.2, ... (1 to 8).
  int nodes = 1;
  /// Upper bound for every wait (glusterd up, brick online, heal, mount).
  std::chrono::seconds timeout{60};
  /// Keep base_dir (logs, bricks) after tear-down, for a post-mortem.
  bool keep_files = false;
};

/// One brick of a sandbox volume.
struct sandbox_brick {
  int node = 0;                  ///< 0-based node index
  std::string host{};            ///< the node's address, e.g. "127.1.1.1"
  std::filesystem::path path{};  ///< the brick directory (the backend files)
};

/// How the bricks of a sandbox volume hold the data.
enum class volume_layout {
  distribute,  ///< each file on one brick
  /// Sets of `replica` bricks, each holding a full copy (with more bricks
  /// than one set: distributed-replicated).
  replicate,
  /// Sets of `replica` bricks whose last one, the arbiter, holds names and
  /// metadata only: two data copies and a tie-breaker (replica 3 arbiter 1).
  arbiter,
  /// One set of all bricks, erasure-coded: any `redundancy` of them may be
  /// lost.
  disperse,
};

/// What a new sandbox volume is: its layout, its bricks (one per node, on
/// the first `bricks` nodes) and the options it starts with.
struct sandbox_volume_spec {
  std::string name{};
  int bricks = 1;
  volume_layout layout = volume_layout::distribute;
  /// replicate and arbiter: bricks per set (0: all of them in one set).
  int replica = 0;
  /// disperse: bricks that may be lost (at least 1, less than half).
  int redundancy = 1;
  /// Each brick on its own tmpfs of this size (for ENOSPC tests).
  std::optional<std::uint64_t> brick_size_bytes{};
  /// `volume set` KEY VALUE pairs applied between create and start: some
  /// options, the brick-side delay-gen translator (debug.delay-gen posix)
  /// among them, only take effect in a brick graph built at start.
  std::vector<std::pair<std::string, std::string>> options{};
};

struct sandbox_volume {
  std::string name{};
  std::vector<sandbox_brick> bricks{};
  int replica = 1;  ///< bricks per replica set (1: no replication)
  volume_layout layout = volume_layout::distribute;
  int redundancy = 0;  ///< disperse: bricks that may be lost
};

/// A running private cluster. Move-only; destroying it tears everything it
/// started down (mounts, volumes, processes by their own pid, the network
/// namespace, its brick sockets, its directories), also during stack
/// unwinding after a failed test.
///
/// Clients must reach the nodes from inside the sandbox's network namespace:
/// call `enter_network()` on the main thread before connecting (threads
/// created afterwards, libgfapi's included, inherit it).
class GFBENCH_API sandbox {
 public:
  /// Starts `options.nodes` glusterd and joins them into one cluster.
  /// Throws sandbox_error (not root, glusterfs-server or iproute2 missing,
  /// glusterd did not come up in time, ...).
  static sandbox start(const sandbox_options& options = {});
  /// Tears down what sandboxes left whose maker died without doing it
  /// (killed with SIGKILL, crashed): their processes (stopped ones too),
  /// mounts, network namespaces and directories; start() does it first.
  /// Returns the base directories it cleaned.
  static std::vector<std::string> clean_up_abandoned();

  sandbox(sandbox&&) noexcept;
  sandbox& operator=(sandbox&&) noexcept;
  sandbox(const sandbox&) = delete;
  sandbox& operator=(const sandbox&) = delete;
  ~sandbox();

  /// Creates and starts a volume with one brick on each of the first
  /// `bricks` nodes (replica = bricks when `replicated`, else distribute).
  /// With `brick_size_bytes`, each brick lives on its own tmpfs of that
  /// size (for ENOSPC tests). Returns once every brick is online.
  sandbox_volume create_volume(std::string_view name, int bricks = 1, bool replicated = false,
                               std::optional<std::uint64_t> brick_size_bytes = {});
  /// Creates a volume as `spec` says, sets its options and starts it;
  /// returns once every brick is online. Throws sandbox_error for a layout
  /// the bricks cannot make (a disperse volume of fewer than 3 bricks, a
  /// brick count that is not a multiple of the replica sets, ...), and
  /// sandbox_option_error for an option gluster refused; either way nothing
  /// of the volume is left.
  sandbox_volume create_volume(const sandbox_volume_spec& spec);
  /// A distributed-replicated volume: one brick on each of the first
  /// `bricks` nodes, in replica sets of `replica` consecutive nodes (4
  /// bricks, replica 2: two sets of two, the layout of a 2 x 2 volume).
  /// `bricks` must be a multiple of `replica` (>= 2).
  sandbox_volume create_distributed_replicated(std::string_view name, int bricks, int replica);
  void stop_volume(std::string_view name);
  /// `gluster volume start` (with force: also restarts dead bricks).
  void start_volume(std::string_view name, bool force = false);
  void delete_volume(std::string_view name);
  /// Sets a volume option, e.g. ("performance.io-cache", "off").
  void set_volume_option(std::string_view name, std::string_view key, std::string_view value);

  /// Kills (SIGKILL) the brick process of brick `index` of a volume.
  void kill_brick(std::string_view volume, std::size_t index);
  /// Stops (SIGSTOP) or resumes (SIGCONT) a brick process: a hung brick.
  void pause_brick(std::string_view volume, std::size_t index);
  void resume_brick(std::string_view volume, std::size_t index);
  /// Restarts dead bricks (`volume start force`) and waits until all are online.
  void restart_bricks(std::string_view volume);
  /// Stops (SIGSTOP) every process of node `node` (0-based): its glusterd,
  /// bricks and self-heal daemon. To its peers and clients a silent host,
  /// as a frozen hypervisor or a pulled cable: no TCP reset, so they wait
  /// for network.ping-timeout.
  void pause_node(int node);
  /// Resumes (SIGCONT) them.
  void resume_node(int node);
  /// Kills (SIGKILL) every process of node `node`: a host that crashed or
  /// lost power.
  void kill_node(int node);
  /// Starts a killed node's glusterd again, which starts its bricks (a host
  /// that booted); returns once they are online.
  void start_node(int node);
  [[nodiscard]] bool brick_online(std::string_view volume, std::size_t index);
  /// Per brick, in the volume's order: the clients connected to it (`volume
  /// status VOL clients`: mounts, libgfapi clients, self-heal daemons). A
  /// brick that was down counts again as its clients reconnect, which they
  /// try every few seconds.
  [[nodiscard]] std::vector<std::size_t> brick_clients(std::string_view volume);
  /// Entries waiting for self-heal, summed over bricks: the gfids in the
  /// bricks' heal indices (.glusterfs/indices), which glfsheal crawls. Read
  /// from the bricks, so it also counts what glfsheal would skip while a
  /// brick reconnects.
  [[nodiscard]] std::size_t heal_pending(std::string_view volume);
  /// Per brick, in the volume's order: the entries that need self-heal,
  /// each file or directory once (the gfids of its xattrop and
  /// entry-changes indices, as `volume heal VOL info` lists them), read
  /// from the bricks' disks, so also while a brick's process is stopped.
  /// Unlike heal_pending, not the dirty index of operations in flight: it
  /// can be read while I/O goes on.
  [[nodiscard]] std::vector<std::size_t> heal_pending_per_brick(std::string_view volume);
  /// Triggers a heal and waits until every brick runs, the heal indices are
  /// empty and glfsheal reaches every brick and agrees; throws on timeout.
  /// Replicated (arbiter too) and disperse volumes.
  void wait_healed(std::string_view volume);

  /// FUSE-mounts a volume on a new directory under base_dir (visible to
  /// every process of the host's mount namespace) and returns it.
  std::filesystem::path fuse_mount(std::string_view volume);
  void unmount(const std::filesystem::path& mountpoint);

  /// Moves the calling thread into the sandbox's network namespace.
  void enter_network() const;
  /// Connection options for a volume of this sandbox (all nodes as
  /// volfile servers, node 0 first).
  [[nodiscard]] volume_options client_options(std::string_view volume) const;
  /// Runs the gluster CLI against this sandbox and returns its stdout.
  std::string gluster(const std::vector<std::string>& args);

  [[nodiscard]] const std::filesystem::path& base_dir() const noexcept;
  [[nodiscard]] std::string node_address(int node) const;
  [[nodiscard]] const std::string& network_namespace() const noexcept;
  [[nodiscard]] const sandbox_volume& volume_info(std::string_view name) const;

  /// Tears everything down now; the destructor does it otherwise. Safe to
  /// call twice. Throws nothing; problems are logged.
  void stop() noexcept;

 private:
  struct state;
  explicit sandbox(std::unique_ptr<state> s) noexcept;
  std::unique_ptr<state> state_;
};

}  // namespace gfbench
