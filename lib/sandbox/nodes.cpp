// A node of a sandbox as a whole: every process of it stopped or killed at
// once (a silent or crashed host, to its peers and clients), and started
// again.

#include <csignal>
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

}  // namespace

std::vector<pid_t> sandbox_state::node_processes(int index) const {
  // A node's own processes are the ones its pid files name: glusterd, its
  // bricks (run/vols), its self-heal daemon (run/shd). Not the FUSE
  // clients, which log into node 0's directory but are clients.
  const auto& n = node(index);
  std::set<pid_t> pids;
  if (const auto pid = read_pid_file(n.pid_file())) pids.insert(*pid);
  std::error_code ec;
  for (fs::recursive_directory_iterator it(n.run_dir(), ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->path().extension() == ".pid")
      if (const auto pid = read_pid_file(it->path())) pids.insert(*pid);
  }
  std::vector<pid_t> ours;
  for (const pid_t pid : pids) {
    if (process_is_ours(pid, marker)) ours.push_back(pid);
  }
  return ours;
}

void sandbox_state::signal_node(int index, int sig) {
  const auto pids = node_processes(index);
  if (pids.empty() && sig != SIGCONT)
    throw sandbox_error("node " + std::to_string(index) + " (" + node(index).host +
                        ") has no process running");
  logger().debug("sending signal {} to the {} process(es) of node {}", sig, pids.size(), index);
  for (const pid_t pid : pids) {
    if (!signal_if_ours(pid, sig, marker)) continue;
    if (sig == SIGSTOP) {
      paused.insert(pid);
    } else {
      paused.erase(pid);
    }
  }
  if (sig != SIGKILL) return;
  if (!wait_until_gone(pids, std::min(deadline(), steady_clock::now() + std::chrono::seconds(10))))
    throw sandbox_error("processes of node " + std::to_string(index) + " still run after SIGKILL");
  // As after a brick's kill: without their pid files glusterd starts the
  // bricks again instead of waiting on what it takes for a running one.
  std::error_code ec;
  const auto& n = node(index);
  fs::remove(n.pid_file(), ec);
  for (fs::recursive_directory_iterator it(n.run_dir(), ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->path().extension() == ".pid") fs::remove(it->path(), ec);
  }
}

void sandbox_state::start_node(int index) {
  const auto& n = node(index);
  if (!node_processes(index).empty())
    throw sandbox_error("node " + std::to_string(index) + " (" + n.host +
                        ") still has processes: kill it first");
  logger().debug("starting glusterd of node {} again", index);
  const command cmd = glusterd_command(n);
  const auto result = run_command(cmd);
  if (!result.ok())
    throw sandbox_error("glusterd of node " + std::to_string(index) + " (" + n.host +
                        ") did not start again: " + describe_failure(cmd, result));
  wait_glusterd_up(n);
  // glusterd starts the node's bricks of every started volume itself.
  for (const auto& [name, rec] : volumes) {
    for (const auto& b : rec.info.bricks) {
      if (b.node == index) {
        wait_bricks_online(name);
        break;
      }
    }
  }
}

}  // namespace gfbench::detail
