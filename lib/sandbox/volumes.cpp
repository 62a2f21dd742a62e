// Volumes of a sandbox and their brick processes.

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <thread>

#include "sandbox/os.hpp"
#include "sandbox/state.hpp"
#include "util/child_process.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace gfbench::detail {
namespace {

namespace fs = std::filesystem;
using std::chrono::steady_clock;

void check_volume_name(std::string_view name) {
  const bool good = !name.empty() && name.size() <= 64 && name.front() != '-' &&
                    std::all_of(name.begin(), name.end(), [](char c) {
                      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                             (c >= '0' && c <= '9') || c == '-' || c == '_';
                    });
  if (!good)
    throw sandbox_error("bad volume name \"" + std::string(name) +
                        "\": use 1 to 64 letters, digits, '-' and '_', not starting with '-'");
}

std::string brick_text(const sandbox_brick& b) { return b.host + ":" + b.path.string(); }

std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

// The words of `volume create` that lay the bricks out, after checking
// that `spec` can be made of its bricks.
std::vector<std::string> layout_words(const sandbox_volume_spec& spec) {
  const int bricks = spec.bricks;
  const int set = spec.replica == 0 ? bricks : spec.replica;
  const auto fail = [&](const std::string& why) -> std::vector<std::string> {
    throw sandbox_error("volume " + spec.name + ": " + why);
  };
  switch (spec.layout) {
    case volume_layout::distribute:
      return {};
    case volume_layout::replicate:
      if (set < 2 || bricks % set != 0) {
        return fail(
            "a replicated volume needs sets of 2 or more bricks and a brick count that "
            "is a multiple of them, not " +
            std::to_string(bricks) + " bricks in sets of " + std::to_string(set));
      }
      return {"replica", std::to_string(set)};
    case volume_layout::arbiter:
      if (set != 3 || bricks % 3 != 0) {
        return fail(
            "an arbiter volume is made of sets of 3 bricks (2 data copies and the "
            "arbiter), not " +
            std::to_string(bricks) + " bricks in sets of " + std::to_string(set));
      }
      return {"replica", "3", "arbiter", "1"};
    case volume_layout::disperse:
      if (bricks < 3 || spec.redundancy < 1 || 2 * spec.redundancy >= bricks) {
        return fail(
            "a disperse volume needs 3 or more bricks and a redundancy from 1 to less "
            "than half of them, not " +
            std::to_string(bricks) + " bricks with redundancy " + std::to_string(spec.redundancy));
      }
      return {"disperse", std::to_string(bricks), "redundancy", std::to_string(spec.redundancy)};
  }
  return fail("unknown layout");
}

int replica_of(const sandbox_volume_spec& spec) {
  switch (spec.layout) {
    case volume_layout::replicate:
      return spec.replica == 0 ? spec.bricks : spec.replica;
    case volume_layout::arbiter:
      return 3;
    case volume_layout::distribute:
    case volume_layout::disperse:
      break;
  }
  return 1;
}

}  // namespace

const sandbox_volume_record& sandbox_state::record(std::string_view name) const {
  const auto it = volumes.find(name);
  if (it == volumes.end())
    throw sandbox_error("no volume \"" + std::string(name) + "\" was created in this sandbox");
  return it->second;
}

sandbox_volume sandbox_state::create_volume(const sandbox_volume_spec& spec) {
  const std::string_view name = spec.name;
  const int bricks = spec.bricks;
  check_volume_name(name);
  if (volumes.find(name) != volumes.end())
    throw sandbox_error("volume \"" + std::string(name) + "\" already exists in this sandbox");
  if (bricks < 1 || static_cast<std::size_t>(bricks) > nodes.size())
    throw sandbox_error("a volume of this sandbox has 1 to " + std::to_string(nodes.size()) +
                        " bricks (one per node), not " + std::to_string(bricks));
  const std::vector<std::string> layout = layout_words(spec);
  if (spec.brick_size_bytes && *spec.brick_size_bytes == 0)
    throw sandbox_error("brick_size_bytes must be positive");

  const std::string key(name);
  auto& rec = volumes[key];
  rec.info.name = key;
  rec.info.replica = replica_of(spec);
  rec.info.layout = spec.layout;
  rec.info.redundancy = spec.layout == volume_layout::disperse ? spec.redundancy : 0;
  try {
    for (int k = 0; k < bricks; ++k) {
      const auto& n = nodes[static_cast<std::size_t>(k)];
      fs::path path = n.bricks_dir() / key;
      if (spec.brick_size_bytes) {
        const auto mountpoint = n.dir / ("tmpfs-" + key);
        fs::create_directories(mountpoint);
        mount_tmpfs(mountpoint, *spec.brick_size_bytes);
        rec.tmpfs.push_back(mountpoint);
        // A brick one level below the mount point: glusterd wants a brick
        // directory it can own, not the root of a file system.
        path = mountpoint / "brick";
      }
      fs::create_directories(path);
      rec.info.bricks.push_back(sandbox_brick{k, n.host, path});
    }
    std::vector<std::string> args{"volume", "create", key};
    args.insert(args.end(), layout.begin(), layout.end());
    for (const auto& b : rec.info.bricks) args.push_back(brick_text(b));
    // force: the bricks lie on the root file system (or a tmpfs).
    args.emplace_back("force");
    logger().debug("creating volume {}: {} brick(s), {}", key, bricks,
                   layout.empty() ? std::string("distribute") : join_words(layout));
    gluster_checked(args);
    for (const auto& [option, value] : spec.options) {
      const auto result = gluster({"volume", "set", key, option, value});
      if (!result.ok()) {
        throw sandbox_option_error("gluster refused volume option " + option + "=" + value + ": " +
                                       std::string(trim(result.err + result.out)),
                                   option, value);
      }
    }
    gluster_checked({"volume", "start", key});
    wait_bricks_online(key);
    return rec.info;
  } catch (...) {
    // Leave nothing half made behind, so the name can be used again.
    try {
      const auto quick = std::min(command_timeout(), std::chrono::milliseconds(20'000));
      static_cast<void>(gluster({"volume", "stop", key, "force"}, quick));
      static_cast<void>(gluster({"volume", "delete", key}, quick));
    } catch (const std::exception& e) {
      logger().warn("cleaning up after the failed creation of volume {}: {}", key, e.what());
    }
    forget_volume(key);
    throw;
  }
}

void sandbox_state::start_volume(std::string_view name, bool force) {
  std::vector<std::string> args{"volume", "start", std::string(name)};
  if (force) args.emplace_back("force");
  gluster_checked(args);
  wait_bricks_online(name);
}

void sandbox_state::delete_volume(std::string_view name) {
  gluster_checked({"volume", "delete", std::string(name)});
  forget_volume(name);
}

void sandbox_state::forget_volume(std::string_view name) noexcept {
  const auto it = volumes.find(name);
  if (it == volumes.end()) return;
  // Brick directories go too: a new volume of the same name could not use
  // them (they carry the old volume's id in an extended attribute).
  std::error_code ec;
  for (const auto& b : it->second.info.bricks) fs::remove_all(b.path, ec);
  for (const auto& mountpoint : it->second.tmpfs) {
    if (const int e = unmount_path(mountpoint); e == 0)
      fs::remove_all(mountpoint, ec);
    else
      logger().warn("cannot unmount the brick tmpfs {}: {}", mountpoint.string(), std::strerror(e));
  }
  volumes.erase(it);
}

void sandbox_state::wait_bricks_online(std::string_view name) {
  const auto until = deadline();
  const auto known = volumes.find(name);
  const std::string volume(name);
  std::string last;
  for (;;) {
    const auto result = gluster({"volume", "status", volume, "--xml"});
    if (result.ok()) {
      const auto bricks = parse_volume_status_xml(result.out);
      bool ready = !bricks.empty() && std::all_of(bricks.begin(), bricks.end(), [](const auto& b) {
        return b.online && b.pid > 0;
      });
      if (ready && known != volumes.end()) {
        const auto count = known->second.info.bricks.size();
        ready = bricks.size() >= count;
        for (std::size_t i = 0; ready && i < count; ++i) ready = brick_pid(volume, i).has_value();
      }
      if (ready) {
        logger().debug("all {} brick(s) of {} are online", bricks.size(), volume);
        return;
      }
    }
    last = result.out + result.err;
    if (steady_clock::now() >= until)
      throw sandbox_error("the bricks of volume " + volume + " are not all online after " +
                          std::to_string(options.timeout.count()) +
                          " s (brick logs: <node dir>/log/bricks/ under " + base.string() +
                          "); volume status says:\n" + tail_lines(last, 40));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

std::vector<std::size_t> sandbox_state::brick_clients(std::string_view name) const {
  const std::string volume(name);
  const auto result = gluster({"volume", "status", volume, "clients", "--xml"});
  if (!result.ok())
    throw sandbox_error("cannot read the clients of volume " + volume + ": " +
                        tail_lines(result.out + result.err, 10));
  const auto status = parse_volume_status_xml(result.out);
  std::vector<std::size_t> clients;
  for (const auto& brick : record(name).info.bricks) {
    const auto it = std::find_if(status.begin(), status.end(), [&](const volume_status_brick& b) {
      return b.host == brick.host && b.path == brick.path.string();
    });
    clients.push_back(it == status.end() ? 0 : it->clients);
  }
  return clients;
}

fs::path sandbox_state::brick_pid_file(std::string_view volume, std::size_t index) const {
  const auto& rec = record(volume);
  if (index >= rec.info.bricks.size())
    throw sandbox_error("volume " + std::string(volume) + " has " +
                        std::to_string(rec.info.bricks.size()) + " brick(s), no brick " +
                        std::to_string(index));
  const auto& b = rec.info.bricks[index];
  return node(b.node).run_dir() / "vols" / std::string(volume) /
         brick_pid_file_name(b.host, b.path.string());
}

std::optional<pid_t> sandbox_state::brick_pid(std::string_view volume, std::size_t index) const {
  const auto pid = read_pid_file(brick_pid_file(volume, index));
  if (pid && process_is_ours(*pid, marker)) return pid;
  return std::nullopt;
}

void sandbox_state::signal_brick(std::string_view volume, std::size_t index, int sig) {
  const auto pid = brick_pid(volume, index);
  const auto& b = record(volume).info.bricks[index];
  if (!pid)
    throw sandbox_error("brick " + std::to_string(index) + " of " + std::string(volume) + " (" +
                        brick_text(b) + ") is not running");
  logger().debug("sending signal {} to brick {} of {} (pid {})", sig, index, volume, *pid);
  if (::kill(*pid, sig) != 0)
    throw sandbox_error("kill(" + std::to_string(*pid) + ", " + std::to_string(sig) +
                        "): " + std::strerror(errno));
  if (sig == SIGSTOP) {
    paused.insert(*pid);
    return;
  }
  paused.erase(*pid);
  if (sig != SIGKILL) return;
  if (!wait_until_gone({*pid},
                       std::min(deadline(), steady_clock::now() + std::chrono::seconds(10))))
    throw sandbox_error("brick " + std::to_string(index) + " of " + std::string(volume) + " (pid " +
                        std::to_string(*pid) + ") still runs after SIGKILL");
  // The dead brick is a zombie until init reaps it (seconds, in some
  // containers), and glusterd takes a pid whose /proc entry exists for a
  // running brick: `volume start force` would not restart it. Without its
  // pid file glusterd knows better (glusterfs's own tests do the same).
  std::error_code ec;
  fs::remove(brick_pid_file(volume, index), ec);
}

}  // namespace gfbench::detail
