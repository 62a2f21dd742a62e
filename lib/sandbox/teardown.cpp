// Tearing a sandbox down: everything it started or mounted, found by pid
// and mount point, never by program name. Runs from destructors and after
// failed starts, so it never throws and carries on past every failure.

#include <algorithm>
#include <csignal>
#include <cstring>
#include <exception>
#include <set>

#include "sandbox/os.hpp"
#include "sandbox/state.hpp"
#include "util/child_process.hpp"
#include "util/log.hpp"

namespace gfbench::detail {
namespace {

namespace fs = std::filesystem;
using std::chrono::steady_clock;

template <typename F>
void step(const char* what, F&& f) noexcept {
  try {
    f();
  } catch (const std::exception& e) {
    logger().warn("sandbox tear-down, {}: {}", what, e.what());
  } catch (...) {
    logger().warn("sandbox tear-down, {}: unknown exception", what);
  }
}

// The processes of a sandbox: those its pid files name (glusterd, bricks,
// self-heal daemons) and any other in its network namespace that names its
// base directory (FUSE clients, a hung glfsheal), each checked to be ours.
std::vector<pid_t> our_processes(const sandbox_state& s) {
  std::set<pid_t> pids;
  for (const auto& n : s.nodes) {
    if (const auto pid = read_pid_file(n.pid_file())) pids.insert(*pid);
    std::error_code ec;
    for (fs::recursive_directory_iterator it(n.run_dir(), ec), end; !ec && it != end;
         it.increment(ec)) {
      if (it->path().extension() == ".pid")
        if (const auto pid = read_pid_file(it->path())) pids.insert(*pid);
    }
  }
  if (s.netns_inode != 0)
    for (const pid_t pid : find_processes(s.marker, s.netns_inode)) pids.insert(pid);
  std::vector<pid_t> ours;
  std::copy_if(pids.begin(), pids.end(), std::back_inserter(ours),
               [&](pid_t pid) { return process_is_ours(pid, s.marker); });
  return ours;
}

void signal_all(const std::vector<pid_t>& pids, int sig, const std::string& marker) {
  for (const pid_t pid : pids) signal_if_ours(pid, sig, marker);
}

void stop_processes(const sandbox_state& s) {
  auto pids = our_processes(s);
  if (pids.empty()) return;
  logger().debug("stopping {} process(es) of the sandbox", pids.size());
  signal_all(pids, SIGTERM, s.marker);
  if (wait_until_gone(pids, steady_clock::now() + std::chrono::seconds(5))) return;
  // Stragglers, and anything started while the others were stopping.
  for (int round = 0; round < 2; ++round) {
    pids = our_processes(s);
    if (pids.empty()) return;
    logger().debug("SIGKILL to {} process(es) that outlived SIGTERM", pids.size());
    signal_all(pids, SIGKILL, s.marker);
    if (wait_until_gone(pids, steady_clock::now() + std::chrono::seconds(2))) continue;
  }
  for (const pid_t pid : our_processes(s))
    logger().warn("sandbox process {} survived SIGKILL: {}", pid, process_cmdline(pid));
}

// Bricks go first, by signal: `volume stop` would SIGTERM them one after
// the other and wait a second on each; with them gone it takes milliseconds.
void stop_bricks(const sandbox_state& s) {
  std::vector<std::pair<fs::path, pid_t>> bricks;
  for (const auto& n : s.nodes) {
    std::error_code ec;
    for (fs::recursive_directory_iterator it(n.run_dir() / "vols", ec), end; !ec && it != end;
         it.increment(ec)) {
      if (it->path().extension() != ".pid") continue;
      if (const auto pid = read_pid_file(it->path()); pid && process_is_ours(*pid, s.marker))
        bricks.emplace_back(it->path(), *pid);
    }
  }
  std::vector<pid_t> pids;
  pids.reserve(bricks.size());
  for (const auto& [file, pid] : bricks) pids.push_back(pid);
  if (pids.empty()) return;
  logger().debug("stopping {} brick process(es)", pids.size());
  signal_all(pids, SIGTERM, s.marker);
  if (!wait_until_gone(pids, steady_clock::now() + std::chrono::seconds(5))) {
    signal_all(pids, SIGKILL, s.marker);
    wait_until_gone(pids, steady_clock::now() + std::chrono::seconds(2));
  }
  // A brick removes its pid file when it exits on SIGTERM; one that had to
  // be killed leaves it, and glusterd would wait on its zombie.
  for (const auto& [file, pid] : bricks) {
    std::error_code ec;
    if (!process_running(pid)) fs::remove(file, ec);
  }
}

void unmount_logged(const fs::path& dir) {
  if (const int e = unmount_path(dir); e != 0)
    logger().warn("cannot unmount {}: {}", dir.string(), std::strerror(e));
}

// Every volume of the cluster, also those made through gluster() directly:
// the cluster is ours. Nothing to do when glusterd is gone or not ours.
void stop_and_delete_volumes(sandbox_state& s, std::chrono::milliseconds quick) {
  if (s.nodes.empty()) return;
  const auto pid = read_pid_file(s.nodes.front().pid_file());
  if (!pid || !process_is_ours(*pid, s.marker)) return;
  std::set<std::string> names;
  for (const auto& [name, rec] : s.volumes) names.insert(name);
  const auto listed = s.gluster({"volume", "list"}, quick);
  for (auto& name : parse_volume_list(listed.out)) names.insert(std::move(name));
  for (const auto& name : names) {
    logger().debug("stopping and deleting volume {}", name);
    const auto stopped = s.gluster({"volume", "stop", name, "force"}, quick);
    if (!stopped.ok())
      logger().debug("volume stop {}: {}", name, tail_lines(stopped.out + stopped.err, 3));
    const auto deleted = s.gluster({"volume", "delete", name}, quick);
    if (!deleted.ok())
      logger().debug("volume delete {}: {}", name, tail_lines(deleted.out + deleted.err, 3));
  }
}

}  // namespace

void sandbox_state::teardown() noexcept {
  if (torn_down) return;
  torn_down = true;
  logger().debug("tearing down sandbox {} in {}", netns, base.string());
  const auto quick = std::min(command_timeout(), std::chrono::milliseconds(20'000));

  // A SIGSTOPped brick could neither serve an unmount nor stop.
  step("resuming paused processes", [&] {
    signal_all(our_processes(*this), SIGCONT, marker);
    paused.clear();
  });

  step("unmounting FUSE mounts", [&] {
    for (auto it = fuse_mounts.rbegin(); it != fuse_mounts.rend(); ++it) unmount_logged(*it);
    fuse_mounts.clear();
  });

  step("stopping bricks", [&] { stop_bricks(*this); });

  step("stopping and deleting volumes", [&] { stop_and_delete_volumes(*this, quick); });

  step("stopping processes", [&] { stop_processes(*this); });

  step("unmounting brick file systems", [&] {
    for (const auto& [name, rec] : volumes)
      for (const auto& mountpoint : rec.tmpfs) unmount_logged(mountpoint);
    // Whatever else is left under base_dir, deepest first; base_dir's bind
    // mount on itself comes last.
    if (!base.empty())
      for (const auto& mountpoint : mounts_under(base)) unmount_logged(mountpoint);
    base_bind_mounted = false;
  });

  step("deleting the network namespace", [&] {
    if (!netns_created) return;
    command del;
    del.argv = {ip_program.string(), "netns", "del", netns};
    del.timeout = quick;
    const auto result = run_command(del);
    if (!result.ok()) logger().warn("{}", describe_failure(del, result));
    netns_created = false;
  });

  step("removing files", [&] {
    if (base.empty()) return;
    if (options.keep_files) {
      logger().debug("keeping {} (keep_files)", base.string());
      return;
    }
    // Never delete through a mount that is still there: a FUSE mount would
    // pass the deletion on to the volume, a detached one is gone already.
    if (const auto left = mounts_under(base); !left.empty()) {
      logger().warn("not removing {}: {} is still mounted", base.string(), left.front().string());
      return;
    }
    if (own_base) {
      fs::remove_all(base);
    } else {
      for (const auto& p : made) fs::remove_all(p);
    }
  });
  volumes.clear();
  unregister_self();
}

}  // namespace gfbench::detail
