// Self-heal status through glfsheal, and FUSE mounts of sandbox volumes.

#include <algorithm>
#include <cstring>
#include <set>
#include <thread>

#include "sandbox/os.hpp"
#include "sandbox/state.hpp"
#include "util/child_process.hpp"
#include "util/log.hpp"

namespace gfbench::detail {
namespace {

namespace fs = std::filesystem;
using std::chrono::steady_clock;

fs::path find_glfsheal() {
  if (auto p = find_glusterfs_program("glfsheal")) return *p;
  throw sandbox_error(
      "glfsheal (the heal-info tool) was not found: apt-get install glusterfs-server");
}

// The glusterfs client process serving `mountpoint` (its last argument).
std::vector<pid_t> fuse_clients_of(const fs::path& mountpoint, std::string_view marker,
                                   ino_t netns_inode) {
  std::vector<pid_t> clients;
  if (netns_inode == 0) return clients;
  const std::string tail = " " + mountpoint.string() + " ";
  for (const pid_t pid : find_processes(marker, netns_inode)) {
    if (process_cmdline(pid).ends_with(tail)) clients.push_back(pid);
  }
  return clients;
}

}  // namespace

heal_counts sandbox_state::heal_info(std::string_view volume) const {
  // `gluster volume heal VOL info` would ask the system glusterd (it ignores
  // --glusterd-sock), so glfsheal is called the way that command calls it.
  static const fs::path glfsheal = find_glfsheal();
  const auto& n0 = node(0);
  const auto cmd = node_command(
      n0, {glfsheal.string(), std::string(volume), "glusterd-sock", n0.socket().string()});
  const auto result = run_command(cmd);
  const auto counts = parse_heal_info(result.out);
  if (counts.bricks == 0)
    throw sandbox_error("cannot read the heal status of " + std::string(volume) + ": " +
                        describe_failure(cmd, result));
  logger().debug("heal info {}: {} entries pending on {} brick(s), {} not answering", volume,
                 counts.pending, counts.bricks, counts.unknown);
  return counts;
}

std::size_t sandbox_state::heal_index_entries(std::string_view volume) const {
  // What glfsheal crawls, read from the bricks themselves: a replicated
  // write that missed a brick links the file's gfid into the surviving
  // bricks' xattrop index until self-heal has copied it (dirty: an
  // operation in flight or cut short; entry-changes: a directory's entries).
  // glfsheal leaves out an entry it cannot inspect at that moment (while a
  // brick reconnects) and then prints "Number of entries: 0"; the index
  // itself does not.
  std::size_t entries = 0;
  for (const auto& brick : record(volume).info.bricks) {
    for (const char* index : {"xattrop", "dirty", "entry-changes"}) {
      std::error_code ec;
      for (fs::directory_iterator it(brick.path / ".glusterfs" / "indices" / index, ec), end;
           !ec && it != end; it.increment(ec)) {
        if (is_gfid_name(it->path().filename().string())) ++entries;
      }
    }
  }
  return entries;
}

std::vector<std::size_t> sandbox_state::heal_needed_per_brick(std::string_view volume) const {
  std::vector<std::size_t> per_brick;
  for (const auto& brick : record(volume).info.bricks) {
    // A directory whose names changed is in both indices (its own pending
    // xattrs, and its entry-changes directory): counted once, as heal info
    // lists it.
    std::set<std::string> gfids;
    for (const char* index : {"xattrop", "entry-changes"}) {
      std::error_code ec;
      for (fs::directory_iterator it(brick.path / ".glusterfs" / "indices" / index, ec), end;
           !ec && it != end; it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (is_gfid_name(name)) gfids.insert(std::move(name));
      }
    }
    per_brick.push_back(gfids.size());
  }
  return per_brick;
}

void sandbox_state::wait_healed(std::string_view volume) {
  const std::string name(volume);
  const auto& info = record(volume).info;
  if (info.replica < 2 && info.layout != volume_layout::disperse)
    throw sandbox_error("volume " + name + " keeps one copy of each file: it has nothing to heal");
  const auto trigger = [&] {
    // Fails harmlessly when the self-heal daemon has not reconnected yet or
    // nothing needs healing; the polling below is what counts.
    const auto r = gluster({"volume", "heal", name});
    if (!r.ok()) logger().debug("volume heal {}: {}", name, tail_lines(r.out + r.err, 3));
  };
  // Healed: every brick runs, the bricks' heal indices are empty, and
  // glfsheal reaches every brick and agrees. The indices are the proof
  // (glfsheal alone can print 0 while entries are still pending); glfsheal
  // adds that every brick answers clients.
  const auto healed = [&]() -> std::string {
    for (std::size_t k = 0; k < info.bricks.size(); ++k) {
      if (!brick_pid(volume, k))
        return "brick " + info.bricks[k].host + ":" + info.bricks[k].path.string() +
               " is not running";
    }
    if (const auto entries = heal_index_entries(volume); entries > 0)
      return std::to_string(entries) + " entries are still in the bricks' heal indices";
    const auto counts = heal_info(volume);
    if (counts.unknown > 0 || counts.pending > 0)
      return std::to_string(counts.pending) + " entries still need healing and " +
             std::to_string(counts.unknown) + " brick(s) did not answer glfsheal";
    return {};
  };
  const auto until = deadline();
  trigger();
  auto next_trigger = steady_clock::now() + std::chrono::seconds(2);
  std::string last;
  for (;;) {
    try {
      last = healed();
      if (last.empty()) return;
    } catch (const sandbox_error& e) {
      last = e.what();
    }
    const auto now = steady_clock::now();
    if (now >= until)
      throw sandbox_error("volume " + name + " did not heal within " +
                          std::to_string(options.timeout.count()) + " s: " + last);
    if (now >= next_trigger) {
      trigger();
      next_trigger = now + std::chrono::seconds(2);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

fs::path sandbox_state::fuse_mount(std::string_view volume) {
  if (!find_program("mount.glusterfs"))
    throw sandbox_error("FUSE mounts need mount.glusterfs: apt-get install glusterfs-client");
  const auto mount_program = find_program("mount");
  if (!mount_program) throw sandbox_error("FUSE mounts need mount: apt-get install mount");

  const auto mnt = base / "mnt";
  fs::path dir = mnt / std::string(volume);
  for (int i = 2; fs::exists(dir); ++i) dir = mnt / (std::string(volume) + "-" + std::to_string(i));
  fs::create_directories(dir);
  if (std::find(made.begin(), made.end(), mnt) == made.end()) made.push_back(mnt);
  // Registered before mounting: if mount times out half way, tear-down
  // still unmounts it.
  fuse_mounts.push_back(dir);

  const auto& n0 = node(0);
  std::string mount_options =
      "log-file=" + (n0.log_dir() / ("fuse-" + dir.filename().string() + ".log")).string();
  if (nodes.size() > 1) {
    mount_options += ",backup-volfile-servers=";
    for (std::size_t k = 1; k < nodes.size(); ++k)
      mount_options += (k > 1 ? ":" : "") + nodes[k].host;
  }
  try {
    logger().debug("FUSE-mounting {} on {}", volume, dir.string());
    // Only the network namespace is entered: the mount must be made in our
    // mount namespace to be seen by us and every other process of it.
    run_checked(host_command({mount_program->string(), "-t", "glusterfs", "-o", mount_options,
                              n0.host + ":/" + std::string(volume), dir.string()}));
    const auto until = deadline();
    for (;;) {
      const auto mounts = mounts_under(dir);
      if (std::find(mounts.begin(), mounts.end(), dir) != mounts.end() && is_fuse_mount(dir))
        return dir;
      if (steady_clock::now() >= until)
        throw sandbox_error("FUSE mount of " + std::string(volume) + " on " + dir.string() +
                            " does not answer after " + std::to_string(options.timeout.count()) +
                            " s; see " + mount_options);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  } catch (...) {
    if (unmount_path(dir) == 0) {
      fuse_mounts.erase(std::find(fuse_mounts.begin(), fuse_mounts.end(), dir));
      std::error_code ec;
      fs::remove(dir, ec);
    }
    throw;
  }
}

void sandbox_state::unmount(const fs::path& mountpoint) {
  const auto it = std::find(fuse_mounts.begin(), fuse_mounts.end(), mountpoint);
  if (it == fuse_mounts.end())
    throw sandbox_error(mountpoint.string() + " is not a FUSE mount of this sandbox");
  const auto clients = fuse_clients_of(mountpoint, marker, netns_inode);
  logger().debug("unmounting {}, served by {} client process(es)", mountpoint.string(),
                 clients.size());
  if (const int e = unmount_path(mountpoint); e != 0)
    throw sandbox_error("cannot unmount " + mountpoint.string() + ": " + std::strerror(e));
  fuse_mounts.erase(it);
  // umount returns before the client process is done: what it still sends
  // (a disperse volume's size and version, written when its lock is let
  // go) would race with whatever comes next, a brick killed among them.
  if (!wait_until_gone(clients,
                       std::min(deadline(), steady_clock::now() + std::chrono::seconds(30))))
    logger().warn("the FUSE client of {} still runs 30 s after its unmount", mountpoint.string());
  std::error_code ec;
  fs::remove(mountpoint, ec);
}

}  // namespace gfbench::detail
