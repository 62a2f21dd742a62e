// Bringing a sandbox up: the checks a person can act on, base_dir, the
// network namespace, one glusterd per node, and the peers joined.

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <thread>

#include "sandbox/os.hpp"
#include "sandbox/state.hpp"
#include "util/child_process.hpp"
#include "util/glusterd_lock.hpp"
#include "util/log.hpp"

namespace gfbench::detail {
namespace {

namespace fs = std::filesystem;
using std::chrono::steady_clock;

constexpr int max_nodes = 8;
// sizeof(sockaddr_un::sun_path), terminating NUL included.
constexpr std::size_t max_socket_path = 108;

fs::path require_program(std::string_view name, std::string_view package) {
  if (auto p = find_program(name)) return *p;
  throw sandbox_error("the sandbox needs " + std::string(name) +
                      ", which is not installed: apt-get install " + std::string(package));
}

std::string random_suffix() {
  std::random_device rd;
  char text[16];
  std::snprintf(text, sizeof text, "%06x", rd() & 0xffffffu);
  return text;
}

std::string file_tail(const fs::path& file, std::size_t lines) {
  std::ifstream in(file);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  return text.empty() ? "(empty or missing)" : tail_lines(text, lines);
}

// `volume set VOL group NAME` reads the group's options from
// /var/lib/glusterd/groups, where glusterfs-server installs them; each
// node's glusterd sees its own /var/lib/glusterd (var_lib()), so each gets
// a copy, or no group could be set.
void copy_option_groups(const sandbox_node& n) {
  const fs::path installed = "/var/lib/glusterd/groups";
  std::error_code ec;
  if (!fs::is_directory(installed, ec)) return;
  fs::copy(installed, n.var_lib() / "groups", fs::copy_options::recursive, ec);
  if (ec)
    logger().warn("cannot copy {} for the option groups: {}", installed.string(), ec.message());
}

}  // namespace

steady_clock::time_point sandbox_state::deadline() const {
  return steady_clock::now() + options.timeout;
}

std::chrono::milliseconds sandbox_state::command_timeout() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(options.timeout);
}

const sandbox_node& sandbox_state::node(int index) const {
  if (index < 0 || static_cast<std::size_t>(index) >= nodes.size())
    throw sandbox_error("no node " + std::to_string(index) + " in this sandbox (it has " +
                        std::to_string(nodes.size()) + ")");
  return nodes[static_cast<std::size_t>(index)];
}

command sandbox_state::node_command(const sandbox_node& n, std::vector<std::string> argv) const {
  command cmd = host_command(std::move(argv));
  cmd.private_mounts = std::vector<bind_mount>{{n.var_lib(), host_gluster_dirs.at(0)},
                                               {n.var_run(), host_gluster_dirs.at(1)},
                                               {n.log_dir(), host_gluster_dirs.at(2)}};
  if (gsyncd_program) cmd.private_mounts->push_back({base / "gsyncd-stub", *gsyncd_program});
  return cmd;
}

command sandbox_state::host_command(std::vector<std::string> argv) const {
  command cmd;
  cmd.argv = std::move(argv);
  cmd.timeout = command_timeout();
  cmd.network_namespace = netns_file;
  return cmd;
}

command sandbox_state::gluster_command(const sandbox_node& n,
                                       const std::vector<std::string>& args) const {
  std::vector<std::string> argv{gluster_program.string(), "--mode=script", "--wignore",
                                "--glusterd-sock=" + n.socket().string(),
                                "--log-file=" + (n.log_dir() / "cli.log").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return node_command(n, std::move(argv));
}

command_result sandbox_state::gluster(const std::vector<std::string>& args,
                                      std::optional<std::chrono::milliseconds> timeout) const {
  auto cmd = gluster_command(node(0), args);
  if (timeout) cmd.timeout = *timeout;
  return retry_while_glusterd_busy([&] { return run_command(cmd); });
}

std::string sandbox_state::gluster_checked(const std::vector<std::string>& args) const {
  auto result = gluster(args);
  if (!result.ok()) throw sandbox_error(describe_failure(gluster_command(node(0), args), result));
  return std::move(result.out);
}

void sandbox_state::prepare() {
  if (::geteuid() != 0)
    throw sandbox_error(
        "the sandbox needs root: it creates a network namespace, mounts and its own glusterd "
        "processes; run as root (e.g. with sudo)");
  if (options.nodes < 1 || options.nodes > max_nodes)
    throw sandbox_error("sandbox_options::nodes must be 1 to " + std::to_string(max_nodes) +
                        ", not " + std::to_string(options.nodes));
  if (options.timeout.count() <= 0)
    throw sandbox_error("sandbox_options::timeout must be positive");
  glusterd_program = require_program("glusterd", "glusterfs-server");
  gluster_program = require_program("gluster", "glusterfs-server");
  ip_program = require_program("ip", "iproute2");

  if (options.base_dir.empty()) {
    auto pattern = (fs::temp_directory_path() / "gfbench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw sandbox_error("cannot create a directory " + pattern + ": " + std::strerror(errno));
    own_base = true;
    base = pattern;
  } else {
    own_base = !fs::exists(options.base_dir);
    fs::create_directories(options.base_dir);
    base = options.base_dir;
  }
  base = fs::canonical(base);
  marker = base.string() + "/";
  logger().debug("sandbox base directory {}", base.string());
  if (!own_base && fs::exists(base / "node0"))
    throw sandbox_error(base.string() +
                        " already holds a sandbox (node0 exists); use another "
                        "base_dir or remove it");
  const auto longest_socket =
      base / ("node" + std::to_string(options.nodes - 1)) / "glusterd" / "gd.sock";
  if (longest_socket.native().size() >= max_socket_path)
    throw sandbox_error("base_dir " + base.string() + " is too long: glusterd's socket " +
                        longest_socket.string() + " would exceed the " +
                        std::to_string(max_socket_path - 1) + " bytes of a unix socket path");

  // The host directories glusterd writes to whatever its options say.
  for (const char* dir : {"/var/lib/glusterd", "/var/run/gluster", "/var/log/glusterfs"}) {
    if (!fs::exists(dir)) {
      logger().debug("creating {} (missing; an empty mount point for the nodes' copies)", dir);
      fs::create_directories(dir);
    }
    host_gluster_dirs.push_back(fs::canonical(dir));
  }

  // glusterd only asks "gsyncd --version" for the word gsyncd, then runs
  // it with configuration commands and checks that they ran.
  gsyncd_program = find_glusterfs_program("gsyncd");
  if (gsyncd_program) {
    const auto stub = base / "gsyncd-stub";
    std::ofstream(stub) << "#!/bin/sh\n"
                           "# gfbench sandbox: no geo-replication here.\n"
                           "echo 'gsyncd (stub of the gfbench sandbox)'\n";
    fs::permissions(stub, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
    if (!own_base) made.push_back(stub);
  }

  netns = "gfbench-" + std::to_string(::getpid()) + "-" + random_suffix();
  logger().debug("creating network namespace {}", netns);
  command add;
  add.argv = {ip_program.string(), "netns", "add", netns};
  add.timeout = command_timeout();
  run_checked(add);
  netns_created = true;
  netns_file = fs::path("/var/run/netns") / netns;
  netns_inode = inode_of(netns_file);
  run_checked(host_command({ip_program.string(), "link", "set", "lo", "up"}));

  bind_mount_shared(base);
  base_bind_mounted = true;
  register_self();
}

void sandbox_state::start_nodes() {
  for (int k = 0; k < options.nodes; ++k) {
    sandbox_node n;
    n.index = k;
    n.host = "127.1.1." + std::to_string(k + 1);
    n.dir = base / ("node" + std::to_string(k));
    made.push_back(n.dir);
    for (const auto& d :
         {n.work_dir(), n.run_dir(), n.log_dir(), n.var_lib(), n.var_run(), n.bricks_dir()})
      fs::create_directories(d);
    copy_option_groups(n);
    nodes.push_back(std::move(n));
  }

  // The nodes start side by side: each launcher returns only once its
  // daemon has initialised.
  std::vector<std::unique_ptr<running_command>> launches;
  std::vector<command> commands;
  for (const auto& n : nodes) {
    logger().debug("starting glusterd for node {} on {}", n.index, n.host);
    commands.push_back(glusterd_command(n));
    launches.push_back(std::make_unique<running_command>(commands.back()));
  }
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    const auto result = launches[k]->wait();
    if (!result.ok())
      throw sandbox_error("glusterd of node " + std::to_string(k) + " (" + nodes[k].host +
                          ") did not start: " + describe_failure(commands[k], result) +
                          "\nits log " + (nodes[k].log_dir() / "glusterd.log").string() +
                          " ends with:\n" + file_tail(nodes[k].log_dir() / "glusterd.log", 20));
  }
  for (const auto& n : nodes) wait_glusterd_up(n);
}

command sandbox_state::glusterd_command(const sandbox_node& n) const {
  return node_command(n, {glusterd_program.string(), "--xlator-option",
                          "management.working-directory=" + n.work_dir().string(),
                          "--xlator-option", "management.transport.socket.bind-address=" + n.host,
                          "--xlator-option", "management.run-directory=" + n.run_dir().string(),
                          "--xlator-option", "management.glusterd-sockfile=" + n.socket().string(),
                          "--xlator-option", "management.logging-directory=" + n.log_dir().string(),
                          "--log-file=" + (n.log_dir() / "glusterd.log").string(),
                          "--pid-file=" + n.pid_file().string()});
}

// The launcher exits once the daemon has initialised; its pid file and
// socket are the proof.
void sandbox_state::wait_glusterd_up(const sandbox_node& n) const {
  const auto until = deadline();
  for (;;) {
    const auto pid = read_pid_file(n.pid_file());
    if (pid && process_is_ours(*pid, marker) && fs::exists(n.socket())) {
      logger().debug("glusterd of node {} runs as pid {}", n.index, *pid);
      return;
    }
    if (steady_clock::now() >= until)
      throw sandbox_error("glusterd of node " + std::to_string(n.index) + " (" + n.host +
                          ") is not up after " + std::to_string(options.timeout.count()) +
                          " s; its log ends with:\n" + file_tail(n.log_dir() / "glusterd.log", 20));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void sandbox_state::join_peers() {
  if (nodes.size() < 2) return;
  for (std::size_t k = 1; k < nodes.size(); ++k) {
    logger().debug("peer probe {}", nodes[k].host);
    gluster_checked({"peer", "probe", nodes[k].host});
  }
  // Every node must see every other one connected, not only node 0: a
  // volume create with a brick on a node that is still joining fails.
  const auto until = deadline();
  std::string last;
  for (;;) {
    bool all = true;
    for (const auto& n : nodes) {
      const auto result = run_command(gluster_command(n, {"peer", "status", "--xml"}));
      const auto peers = parse_peer_status_xml(result.out);
      const auto good = std::count_if(peers.begin(), peers.end(), [](const peer_status& p) {
        return p.connected && p.state == "Peer in Cluster";
      });
      if (!result.ok() || static_cast<std::size_t>(good) != nodes.size() - 1) {
        all = false;
        last = "node " + std::to_string(n.index) + ": " + result.out + result.err;
        break;
      }
    }
    if (all) {
      logger().debug("all {} nodes are connected peers", nodes.size());
      return;
    }
    if (steady_clock::now() >= until)
      throw sandbox_error("the nodes did not become connected peers within " +
                          std::to_string(options.timeout.count()) + " s; last peer status of " +
                          tail_lines(last, 30));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace gfbench::detail
