// Sandboxes whose maker died without tearing them down (SIGKILL, a crash):
// every sandbox says where it lives in a registry file for as long as it
// runs; a later start, or `gfbench-sandbox --clean-up`, tears down what a
// dead maker left (its processes, stopped ones included, its mounts, its
// network namespace, its directory), as the maker itself would have.

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "gfbench/sandbox.hpp"
#include "sandbox/os.hpp"
#include "sandbox/state.hpp"
#include "util/child_process.hpp"
#include "util/log.hpp"

namespace gfbench::detail {
namespace {

namespace fs = std::filesystem;

const fs::path registry_dir = "/run/gfbench/sandboxes";

struct registry_entry {
  pid_t pid = 0;
  unsigned long long started = 0;
  std::string netns;
  fs::path base;
  bool own_base = false;
};

std::optional<registry_entry> read_entry(const fs::path& file) {
  std::ifstream in(file);
  registry_entry e;
  for (std::string line; std::getline(in, line);) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    try {
      if (key == "pid") e.pid = static_cast<pid_t>(std::stol(value));
      if (key == "started") e.started = std::stoull(value);
    } catch (const std::exception&) {
      return std::nullopt;
    }
    if (key == "netns") e.netns = value;
    if (key == "base") e.base = value;
    if (key == "own_base") e.own_base = value == "1";
  }
  if (e.pid <= 1 || e.netns.empty() || e.base.empty()) return std::nullopt;
  return e;
}

bool maker_alive(const registry_entry& e) {
  const auto started = process_start_time(e.pid);
  return started && *started == e.started;
}

// The state of a sandbox rebuilt from what it left, for teardown().
std::unique_ptr<sandbox_state> rebuild(const registry_entry& e) {
  auto s = std::make_unique<sandbox_state>();
  s->base = e.base;
  s->marker = e.base.string() + "/";
  s->own_base = e.own_base;
  s->netns = e.netns;
  s->netns_file = fs::path("/var/run/netns") / e.netns;
  std::error_code ec;
  s->netns_created = fs::exists(s->netns_file, ec);
  if (s->netns_created) s->netns_inode = inode_of(s->netns_file);
  s->base_bind_mounted = true;
  if (const auto ip = find_program("ip")) s->ip_program = *ip;
  if (const auto gluster = find_program("gluster")) s->gluster_program = *gluster;
  if (const auto glusterd = find_program("glusterd")) s->glusterd_program = *glusterd;
  s->gsyncd_program = find_glusterfs_program("gsyncd");
  for (const char* dir : {"/var/lib/glusterd", "/var/run/gluster", "/var/log/glusterfs"}) {
    s->host_gluster_dirs.push_back(fs::weakly_canonical(dir, ec));
  }
  for (int k = 0; fs::exists(e.base / ("node" + std::to_string(k)), ec); ++k) {
    sandbox_node n;
    n.index = k;
    n.host = "127.1.1." + std::to_string(k + 1);
    n.dir = e.base / ("node" + std::to_string(k));
    s->nodes.push_back(std::move(n));
  }
  s->options.nodes = static_cast<int>(s->nodes.size());
  s->options.timeout = std::chrono::seconds(20);
  return s;
}

}  // namespace

void sandbox_state::register_self() {
  std::error_code ec;
  fs::create_directories(registry_dir, ec);
  if (ec) {
    logger().debug("cannot make {}: {}; a crash would leave this sandbox behind",
                   registry_dir.string(), ec.message());
    return;
  }
  std::ofstream out(registry_dir / netns);
  out << "pid=" << ::getpid() << "\nstarted=" << process_start_time(::getpid()).value_or(0)
      << "\nnetns=" << netns << "\nbase=" << base.string() << "\nown_base=" << (own_base ? 1 : 0)
      << "\n";
  registered = true;
}

void sandbox_state::unregister_self() noexcept {
  if (!registered) return;
  std::error_code ec;
  fs::remove(registry_dir / netns, ec);
  registered = false;
}

std::vector<std::string> clean_up_abandoned_sandboxes() {
  std::vector<std::string> cleaned;
  std::error_code ec;
  for (fs::directory_iterator it(registry_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto entry = read_entry(it->path());
    if (!entry) continue;
    if (maker_alive(*entry)) continue;
    logger().info("tearing down sandbox {} in {}, left by process {}, which is gone", entry->netns,
                  entry->base.string(), entry->pid);
    auto state = rebuild(*entry);
    state->teardown();
    std::error_code remove_ec;
    fs::remove(it->path(), remove_ec);
    cleaned.push_back(entry->base.string());
  }
  return cleaned;
}

}  // namespace gfbench::detail
