#include "gluster/gluster_cli.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "gfbench/sandbox.hpp"
#include "gluster/brick_counters.hpp"
#include "util/child_process.hpp"
#include "util/glusterd_lock.hpp"

namespace gfbench::app {
namespace {

// Runs `argv` with posix_spawn (util/child_process.hpp: a fork between two
// timed passes would slow the next one down), again while glusterd says
// another transaction holds the lock (util/glusterd_lock.hpp).
std::string run_gluster(const std::vector<std::string>& argv) {
  detail::spawn_result result;
  try {
    result = detail::retry_while_glusterd_busy(
        [&] { return detail::spawn_capture(argv, std::chrono::seconds(60)); });
  } catch (const std::exception& e) {
    throw profile_error(e.what());
  }
  if (!result.ok()) throw profile_error(detail::describe_spawn_failure(argv, result));
  return result.out;
}

// The sandbox's CLI: node 0's glusterd over its unix socket, run in that
// glusterd's mount namespace (nsenter --mount), where the sandbox puts a
// stub in place of gsyncd: the gluster CLI runs `gsyncd --version`, a
// Python start, on every call, which costs it 0.13-0.2 s instead of 0.02 s.
// lib/sandbox/state.hpp has the layout. If the socket or glusterd's pid file is
// not where expected, sandbox::gluster (which forks) does it.
class sandbox_cli final : public gluster_cli {
 public:
  explicit sandbox_cli(sandbox& box)
      : box_(box),
        base_(box.base_dir()),
        socket_(base_ / "node0" / "glusterd" / "gd.sock"),
        log_(base_ / "node0" / "log" / "cli.log") {}
  std::string run(const std::vector<std::string>& args) override {
    const std::optional<std::string> pid = glusterd_pid();
    if (!pid) {
      try {
        return box_.gluster(args);
      } catch (const std::exception& e) {
        throw profile_error(e.what());
      }
    }
    std::vector<std::string> argv{"nsenter",
                                  "--target",
                                  *pid,
                                  "--mount",
                                  "gluster",
                                  "--mode=script",
                                  "--wignore",
                                  "--glusterd-sock=" + socket_.string(),
                                  "--log-file=" + log_.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_gluster(argv);
  }
  std::string describe() const override { return "the sandbox's gluster CLI"; }

 private:
  // Node 0's glusterd, if it runs and is the sandbox's (its command line
  // names the base directory: a reused pid would not).
  std::optional<std::string> glusterd_pid() const {
    std::error_code ec;
    if (!std::filesystem::exists(socket_, ec)) return std::nullopt;
    std::ifstream pid_file(base_ / "node0" / "glusterd.pid");
    std::string pid;
    if (!(pid_file >> pid) || pid.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
    }
    std::ifstream cmdline("/proc/" + pid + "/cmdline");
    std::string text((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
    if (text.find(base_.string() + "/") == std::string::npos) return std::nullopt;
    return pid;
  }

  sandbox& box_;
  std::filesystem::path base_;
  std::filesystem::path socket_;
  std::filesystem::path log_;
};

class command_cli final : public gluster_cli {
 public:
  explicit command_cli(std::vector<std::string> prefix) : prefix_(std::move(prefix)) {
    if (prefix_.empty()) throw std::invalid_argument("gluster CLI command is empty");
  }
  std::string run(const std::vector<std::string>& args) override {
    std::vector<std::string> argv = prefix_;
    argv.emplace_back("--mode=script");
    argv.insert(argv.end(), args.begin(), args.end());
    return run_gluster(argv);
  }
  std::string describe() const override { return "`" + detail::quote_command_line(prefix_) + "`"; }

 private:
  std::vector<std::string> prefix_;
};

}  // namespace

std::unique_ptr<gluster_cli> make_sandbox_cli(sandbox& box) {
  return std::make_unique<sandbox_cli>(box);
}

std::unique_ptr<gluster_cli> make_command_cli(std::vector<std::string> prefix) {
  return std::make_unique<command_cli>(std::move(prefix));
}

}  // namespace gfbench::app
