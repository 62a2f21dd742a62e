#include "run/environment.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <exception>
#include <thread>

#include "common/app_log.hpp"
#include "gluster/gluster_cli.hpp"
#include "gluster/volume_info.hpp"
#include "util/child_process.hpp"

#ifndef GFBENCH_VERSION
#define GFBENCH_VERSION "unknown"
#endif

namespace gfbench::app {
namespace {

std::string glusterfs_version() {
  try {
    const auto r = detail::spawn_capture({"glusterfs", "--version"}, std::chrono::seconds(10));
    if (!r.ok()) return {};
    return r.out.substr(0, r.out.find('\n'));
  } catch (const std::exception& e) {
    logger().debug("glusterfs --version: {}", e.what());
    return {};
  }
}

run_environment::volume described(gluster_cli& cli, const std::string& name) {
  const volume_description d = parse_volume_info(cli.run({"volume", "info", name, "--xml"}));
  return {.name = d.name, .type = d.type, .bricks = d.bricks, .options = d.options};
}

// The command line without --report's directory, which names only the run.
std::string configuration_of(const std::string& command_line) {
  std::string out;
  bool skip = false;
  std::size_t start = 0;
  while (start < command_line.size()) {
    const std::size_t end = std::min(command_line.find(' ', start), command_line.size());
    const std::string word = command_line.substr(start, end - start);
    start = end + 1;
    if (skip) {
      skip = false;
      continue;
    }
    if (word == "--report") {
      skip = true;
      continue;
    }
    if (word.starts_with("--report=")) continue;
    out += (out.empty() ? "" : " ") + word;
  }
  return out;
}

}  // namespace

run_environment gather_environment(run_state& state, const cli_options& opts,
                                   const std::string& command_line) {
  run_environment e;
  e.gfbench_version = GFBENCH_VERSION;
  e.glusterfs_version = glusterfs_version();
  utsname u{};
  if (::uname(&u) == 0) {
    e.kernel = u.release;
    e.host = u.nodename;
  }
  e.cpus = std::thread::hardware_concurrency();
  try {
    if (state.box) {
      auto cli = make_sandbox_cli(*state.box);
      for (const sandbox_target_volume& v : state.volumes)
        e.volumes.push_back(described(*cli, v.name));
    } else if (!opts.gluster_cli.empty() && !state.observers.profiled_volume().empty()) {
      auto cli = make_command_cli(opts.gluster_cli);
      e.volumes.push_back(described(*cli, state.observers.profiled_volume()));
    }
  } catch (const std::exception& e2) {
    logger().info("the volume's description is not in the report: {}", e2.what());
  }
  for (const target_client& c : state.clients) {
    e.clients.push_back(
        c.target + ": " +
        (c.tuning ? c.tuning->describe() : std::string(client_kind_name(c.kind)) + " client"));
  }
  e.configuration = configuration_of(command_line);
  return e;
}

}  // namespace gfbench::app
