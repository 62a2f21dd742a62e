#pragma once
// Running the gluster CLI of the cluster that serves a volume: the
// sandbox's, or a command (`gluster` on a node, `ssh pve1 gluster`).

#include <memory>
#include <string>
#include <vector>

namespace gfbench {
class sandbox;
}

namespace gfbench::app {

/// Runs the gluster CLI against the cluster that serves the volume.
class gluster_cli {
 public:
  virtual ~gluster_cli() = default;
  /// Runs `gluster --mode=script ARGS...`; returns stdout. Throws
  /// profile_error when it cannot be run or exits with an error.
  virtual std::string run(const std::vector<std::string>& args) = 0;
  /// For messages: "the sandbox's glusterd", "`ssh pve1 gluster`".
  [[nodiscard]] virtual std::string describe() const = 0;
};

/// The gluster CLI of a gfbench sandbox: run with posix_spawn (never fork,
/// see util/child_process.hpp) through `nsenter --mount` into node 0's glusterd
/// mount namespace, where gsyncd is a stub (about 0.02 s a call instead of
/// 0.15 s); sandbox::gluster if that glusterd cannot be found.
[[nodiscard]] std::unique_ptr<gluster_cli> make_sandbox_cli(sandbox& box);
/// A gluster CLI run as a command (posix_spawn): `prefix` is its argv up to
/// and including the program, e.g. {"gluster"} on a node of the cluster, or
/// {"ssh", "root@192.168.1.1", "gluster"}. `--mode=script` and the
/// arguments follow.
/// (`gluster --remote-host=H` does not do: glusterd 10.3 answers `volume
/// info` to a remote CLI but refuses `volume profile`.)
[[nodiscard]] std::unique_ptr<gluster_cli> make_command_cli(std::vector<std::string> prefix);

}  // namespace gfbench::app
