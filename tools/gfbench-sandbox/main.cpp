// gfbench-sandbox: runs one command next to a private Gluster cluster (see
// usage below), then tears the cluster down, also after Ctrl-C or SIGTERM.

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "gfbench/sandbox.hpp"

namespace {

constexpr const char* usage_text = R"(Usage: gfbench-sandbox [OPTIONS] [--] COMMAND [ARGS...]

Starts a private Gluster cluster on this machine (its own glusterd processes in
their own network namespace, state under a temporary directory), creates and
starts one volume, optionally FUSE-mounts it, runs COMMAND inside the cluster's
network namespace, tears everything down and exits with COMMAND's status.
Needs root and the glusterfs-server and iproute2 packages.

Options:
  --nodes N          glusterd nodes, on 127.1.1.1 ... 127.1.1.N (1 to 8; default 1)
  --replica          a replica-N volume over all nodes (needs N >= 2); without
                     it the volume distributes over all nodes (1 node: 1 brick)
  --replica-count R  a distributed-replicated volume: replica sets of R nodes
                     (--nodes 4 --replica-count 2: a 2 x 2 volume)
  --arbiter          replica 3 arbiter 1 over sets of 3 nodes (--nodes 3, 6...):
                     two data copies and a brick of names and metadata
  --disperse         an erasure-coded volume over all nodes (--nodes 3 or more),
                     redundancy 1: any one brick may be lost
  --volume-set KEY=VALUE  a volume option, set before the volume starts
                     (repeatable), e.g. network.ping-timeout=10
  --volume NAME      volume name (default gfs-volume-proxmox)
  --brick-size SIZE  put each brick on a tmpfs of SIZE bytes (K, M, G suffixes:
                     powers of 1024), for out-of-space tests
  --fuse             FUSE-mount the volume; its path is in GFBENCH_FUSE
  --fuse-mounts K    K FUSE mounts of the volume, each its own client (for
                     many clients on one machine); paths in GFBENCH_FUSE_MOUNTS
  --keep             keep the base directory (logs, bricks) after tear-down
  --base-dir DIR     where the nodes keep their state (default: a new
                     directory under $TMPDIR or /tmp)
  --timeout SECONDS  upper bound of every wait while setting up (default 60)
  --quiet            print no progress and timings
  --clean-up         run no COMMAND: tear down what sandboxes left whose
                     maker was killed (processes, stopped ones too, mounts,
                     namespaces, directories), print their directories, exit
  -h, --help         print this help

COMMAND sees:
  GFBENCH_VOLUME     the volume name
  GFBENCH_SERVER     node 0's address (a volfile server, port 24007)
  GFBENCH_SERVERS    all nodes' addresses, comma-separated
  GFBENCH_NETNS      the network namespace's name (ip netns)
  GFBENCH_FUSE       the FUSE mount point, empty without --fuse
  GFBENCH_FUSE_MOUNTS  every FUSE mount point, comma-separated
  GFBENCH_BRICKS     the brick directories, comma-separated
  GFBENCH_BASE_DIR   the sandbox's base directory

Exit status: COMMAND's status (128+N if killed by signal N), 125 if the
sandbox could not be set up, 2 for bad usage.

Example:
  gfbench-sandbox --nodes 2 --replica --fuse -- sh -c 'echo hi > $GFBENCH_FUSE/x'
)";

constexpr int exit_usage = 2;
constexpr int exit_setup_failed = 125;

struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct cli_options {
  int nodes = 1;
  bool replica = false;
  int replica_count = 0;  // --replica-count; 0: none
  bool arbiter = false;
  bool disperse = false;
  bool clean_up = false;
  std::vector<std::pair<std::string, std::string>> volume_options;
  int fuse_mounts = 0;
  std::string volume = "gfs-volume-proxmox";
  std::optional<std::uint64_t> brick_size;
  bool fuse = false;
  bool keep = false;
  std::string base_dir;
  std::chrono::seconds timeout{60};
  bool quiet = false;
  bool help = false;
  std::vector<std::string> command;
};

std::uint64_t parse_number(std::string_view option, std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty())
    throw usage_error(std::string(option) + " wants a number, not \"" + std::string(text) + "\"");
  return value;
}

std::uint64_t parse_size(std::string_view text) {
  std::uint64_t scale = 1;
  if (!text.empty()) {
    switch (text.back()) {
      case 'K':
      case 'k':
        scale = 1ull << 10;
        break;
      case 'M':
      case 'm':
        scale = 1ull << 20;
        break;
      case 'G':
      case 'g':
        scale = 1ull << 30;
        break;
      default:
        break;
    }
    if (scale != 1) text.remove_suffix(1);
  }
  const auto value = parse_number("--brick-size", text) * scale;
  if (value == 0) throw usage_error("--brick-size must be positive");
  return value;
}

// --volume-set KEY=VALUE
std::pair<std::string, std::string> parse_volume_option(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size()) {
    throw usage_error("--volume-set wants KEY=VALUE, not \"" + std::string(text) + "\"");
  }
  return {std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
}

// The volume layout flags exclude each other and each needs its nodes.
void check_layout_flags(const cli_options& o) {
  if (static_cast<int>(o.replica) + static_cast<int>(o.replica_count > 0) +
          static_cast<int>(o.arbiter) + static_cast<int>(o.disperse) >
      1) {
    throw usage_error("give one of --replica, --replica-count, --arbiter and --disperse");
  }
  if (o.arbiter && o.nodes % 3 != 0) throw usage_error("--arbiter needs --nodes 3, 6 or 9");
  if (o.disperse && o.nodes < 3) throw usage_error("--disperse needs --nodes 3 or more");
  if (o.replica && o.nodes < 2) throw usage_error("--replica needs --nodes 2 or more");
  if (o.replica_count > 0) {
    if (o.replica) throw usage_error("--replica-count replaces --replica; give one of them");
    if (o.brick_size) throw usage_error("--replica-count does not go with --brick-size");
    if (o.nodes % o.replica_count != 0 || o.nodes == o.replica_count) {
      throw usage_error("--replica-count " + std::to_string(o.replica_count) +
                        " needs --nodes a multiple of it with two sets or more, e.g. --nodes " +
                        std::to_string(2 * o.replica_count));
    }
  }
}

cli_options parse_arguments(int argc, char** argv) {
  cli_options o;
  std::vector<std::string_view> args(argv + 1, argv + argc);
  std::size_t i = 0;
  // "--name VALUE" or "--name=VALUE".
  const auto value_of = [&](std::string_view arg,
                            std::string_view name) -> std::optional<std::string_view> {
    if (arg == name) {
      if (i + 1 >= args.size()) throw usage_error(std::string(name) + " needs a value");
      return args[++i];
    }
    if (arg.size() > name.size() && arg.substr(0, name.size()) == name && arg[name.size()] == '=')
      return arg.substr(name.size() + 1);
    return std::nullopt;
  };
  for (; i < args.size(); ++i) {
    const auto arg = args[i];
    if (arg == "--") {
      ++i;
      break;
    }
    if (arg.empty() || arg.front() != '-') break;  // COMMAND starts here
    if (arg == "-h" || arg == "--help") {
      o.help = true;
    } else if (arg == "--replica") {
      o.replica = true;
    } else if (arg == "--fuse") {
      o.fuse = true;
    } else if (arg == "--keep") {
      o.keep = true;
    } else if (arg == "--quiet") {
      o.quiet = true;
    } else if (arg == "--arbiter") {
      o.arbiter = true;
    } else if (arg == "--disperse") {
      o.disperse = true;
    } else if (arg == "--clean-up") {
      o.clean_up = true;
    } else if (const auto v8 = value_of(arg, "--volume-set")) {
      o.volume_options.push_back(parse_volume_option(*v8));
    } else if (const auto v = value_of(arg, "--nodes")) {
      const auto n = parse_number("--nodes", *v);
      if (n < 1 || n > 8) throw usage_error("--nodes must be 1 to 8");
      o.nodes = static_cast<int>(n);
    } else if (const auto v2 = value_of(arg, "--volume")) {
      if (v2->empty()) throw usage_error("--volume needs a name");
      o.volume = std::string(*v2);
    } else if (const auto v3 = value_of(arg, "--brick-size")) {
      o.brick_size = parse_size(*v3);
    } else if (const auto v4 = value_of(arg, "--base-dir")) {
      o.base_dir = std::string(*v4);
    } else if (const auto v6 = value_of(arg, "--replica-count")) {
      const auto n = parse_number("--replica-count", *v6);
      if (n < 2 || n > 8) throw usage_error("--replica-count must be 2 to 8");
      o.replica_count = static_cast<int>(n);
    } else if (const auto v7 = value_of(arg, "--fuse-mounts")) {
      const auto n = parse_number("--fuse-mounts", *v7);
      if (n < 1 || n > 16) throw usage_error("--fuse-mounts must be 1 to 16");
      o.fuse_mounts = static_cast<int>(n);
      o.fuse = true;
    } else if (const auto v5 = value_of(arg, "--timeout")) {
      const auto t = parse_number("--timeout", *v5);
      if (t == 0) throw usage_error("--timeout must be positive");
      o.timeout = std::chrono::seconds(t);
    } else {
      throw usage_error("unknown option " + std::string(arg));
    }
  }
  o.command.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
  if (o.help) return o;
  if (o.clean_up) {
    if (!o.command.empty()) throw usage_error("--clean-up runs no COMMAND");
    return o;
  }
  if (o.command.empty()) throw usage_error("no COMMAND given");
  check_layout_flags(o);
  return o;
}

// Set by the signal handler; read by the main loop.
volatile std::sig_atomic_t pending_signal = 0;
std::atomic<pid_t> child_pid{0};
static_assert(std::atomic<pid_t>::is_always_lock_free);

void on_signal(int sig, siginfo_t* info, void*) {
  pending_signal = sig;
  // A signal from the terminal (si_code > 0, sent by the kernel) reached the
  // command already: it runs in our process group. One sent to us alone with
  // kill(2) is passed on.
  const pid_t child = child_pid.load();
  if (child > 0 && info != nullptr && info->si_code <= 0) ::kill(child, sig);
}

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_sigaction = on_signal;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(sig, &sa, nullptr);
}

class reporter {
 public:
  explicit reporter(bool quiet) : quiet_(quiet) {}
  void info(const std::string& message) const {
    if (!quiet_) std::cerr << "[gfbench-sandbox] [info] " << message << std::endl;
  }
  static void error(const std::string& message) {
    std::cerr << "[gfbench-sandbox] [error] " << message << std::endl;
  }

 private:
  bool quiet_;
};

std::string seconds_since(std::chrono::steady_clock::time_point start) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f s",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return text;
}

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ",") + item;
  return text;
}

// In the child: enter the network namespace, set the environment, exec.
// It never returns or unwinds: the sandbox object it shares with the parent
// must not be torn down from here.
[[noreturn]] void exec_command(const gfbench::sandbox& sb, const cli_options& o,
                               const std::vector<std::pair<std::string, std::string>>& env) {
  try {
    sb.enter_network();
    for (const auto& [key, value] : env) ::setenv(key.c_str(), value.c_str(), 1);
    std::vector<char*> argv;
    for (const auto& a : o.command) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    const int e = errno;
    std::fprintf(stderr, "gfbench-sandbox: cannot run %s: %s\n", argv[0], std::strerror(e));
    std::fflush(stderr);
    ::_exit(e == ENOENT ? 127 : 126);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gfbench-sandbox: %s\n", e.what());
  }
  std::fflush(stderr);
  ::_exit(127);
}

// Waits for the command. After a signal it has a grace period to exit,
// then it is killed: tear-down must not wait on a command that ignores it.
int wait_command(pid_t pid) {
  using clock = std::chrono::steady_clock;
  std::optional<clock::time_point> give_up;
  bool killed = false;
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, give_up ? WNOHANG : 0);
    if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (r < 0 && errno != EINTR) return 128 + SIGKILL;
    if (pending_signal != 0 && !give_up) give_up = clock::now() + std::chrono::seconds(10);
    if (give_up && !killed && clock::now() >= *give_up) {
      ::kill(pid, SIGKILL);
      killed = true;
    }
    if (give_up) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool running(pid_t pid) {
  // "PID (comm) S ...": a zombie is as good as gone.
  const auto stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  const auto paren = stat.rfind(')');
  return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] != 'Z';
}

// What the command left running in the sandbox's network namespace: its
// background jobs, the children of a shell that was killed. The sandbox's
// own processes name its base directory; they are the sandbox's to stop.
std::vector<pid_t> command_leftovers(const gfbench::sandbox& sb) {
  struct stat ns {};
  if (::stat(("/var/run/netns/" + sb.network_namespace()).c_str(), &ns) != 0) return {};
  const auto marker = sb.base_dir().string() + "/";
  std::vector<pid_t> found;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const auto name = entry.path().filename().string();
    pid_t pid = 0;
    const auto [end, err] = std::from_chars(name.data(), name.data() + name.size(), pid);
    if (err != std::errc{} || end != name.data() + name.size() || pid == ::getpid()) continue;
    struct stat st {};
    if (::stat((entry.path() / "ns" / "net").c_str(), &st) != 0 || st.st_ino != ns.st_ino ||
        st.st_dev != ns.st_dev)
      continue;
    auto cmdline = read_file(entry.path() / "cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.find(marker) == std::string::npos && running(pid)) found.push_back(pid);
  }
  return found;
}

void stop_leftovers(const gfbench::sandbox& sb, const reporter& say) {
  auto pids = command_leftovers(sb);
  if (pids.empty()) return;
  say.info("stopping " + std::to_string(pids.size()) + " process(es) the command left behind");
  for (const pid_t pid : pids) ::kill(pid, SIGTERM);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (std::any_of(pids.begin(), pids.end(), running) &&
         std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  for (const pid_t pid : command_leftovers(sb)) ::kill(pid, SIGKILL);
}

// The volume the flags ask for, created and started, and said so.
gfbench::sandbox_volume create_volume(gfbench::sandbox& sb, const cli_options& o,
                                      const reporter& say) {
  const auto t = std::chrono::steady_clock::now();
  using gfbench::volume_layout;
  auto volume =
      sb.create_volume({.name = o.volume,
                        .bricks = o.nodes,
                        .layout = o.disperse                           ? volume_layout::disperse
                                  : o.arbiter                          ? volume_layout::arbiter
                                  : (o.replica || o.replica_count > 0) ? volume_layout::replicate
                                                                       : volume_layout::distribute,
                        .replica = o.arbiter ? 3 : o.replica_count,
                        .brick_size_bytes = o.brick_size,
                        .options = o.volume_options});
  const std::string layout = o.replica_count > 0
                                 ? std::to_string(o.nodes / o.replica_count) + " x " +
                                       std::to_string(o.replica_count) + " distributed-replicated"
                             : o.replica  ? "replica " + std::to_string(volume.replica)
                             : o.arbiter  ? std::string("replica 3 arbiter 1")
                             : o.disperse ? std::string("disperse, redundancy 1")
                                          : std::string("distribute");
  say.info("volume " + o.volume + " (" + std::to_string(volume.bricks.size()) + " brick(s), " +
           layout + ") created and started in " + seconds_since(t));
  return volume;
}

int run(const cli_options& o) {
  const reporter say(o.quiet);
  using clock = std::chrono::steady_clock;
  gfbench::sandbox_options options;
  options.nodes = o.nodes;
  options.timeout = o.timeout;
  options.keep_files = o.keep;
  if (!o.base_dir.empty()) options.base_dir = o.base_dir;

  std::optional<gfbench::sandbox> sb;
  std::optional<int> command_status;
  try {
    auto t = clock::now();
    sb.emplace(gfbench::sandbox::start(options));
    say.info("started " + std::to_string(o.nodes) + " node(s) in network namespace " +
             sb->network_namespace() + " (base dir " + sb->base_dir().string() + ") in " +
             seconds_since(t));

    std::optional<gfbench::sandbox_volume> volume;
    if (pending_signal == 0) {
      volume = create_volume(*sb, o, say);
    }
    std::string mountpoint;
    std::vector<std::string> mountpoints;
    for (int k = 0; pending_signal == 0 && o.fuse && k < std::max(1, o.fuse_mounts); ++k) {
      t = clock::now();
      mountpoints.push_back(sb->fuse_mount(o.volume).string());
      say.info("FUSE-mounted on " + mountpoints.back() + " in " + seconds_since(t));
    }
    if (!mountpoints.empty()) mountpoint = mountpoints.front();
    if (pending_signal == 0 && volume) {
      std::vector<std::string> hosts, bricks;
      for (int k = 0; k < o.nodes; ++k) hosts.push_back(sb->node_address(k));
      for (const auto& b : volume->bricks) bricks.push_back(b.path.string());
      const std::vector<std::pair<std::string, std::string>> env{
          {"GFBENCH_VOLUME", o.volume},     {"GFBENCH_SERVER", hosts.front()},
          {"GFBENCH_SERVERS", join(hosts)}, {"GFBENCH_NETNS", sb->network_namespace()},
          {"GFBENCH_FUSE", mountpoint},     {"GFBENCH_FUSE_MOUNTS", join(mountpoints)},
          {"GFBENCH_BRICKS", join(bricks)}, {"GFBENCH_BASE_DIR", sb->base_dir().string()}};
      std::cout.flush();
      std::cerr.flush();
      t = clock::now();
      const pid_t pid = ::fork();
      if (pid < 0) throw gfbench::sandbox_error(std::string("fork: ") + std::strerror(errno));
      if (pid == 0) exec_command(*sb, o, env);
      child_pid = pid;
      // A signal that came between the check above and here is passed on now.
      if (pending_signal != 0) ::kill(pid, static_cast<int>(pending_signal));
      command_status = wait_command(pid);
      child_pid = 0;
      say.info("command exited with status " + std::to_string(*command_status) + " after " +
               seconds_since(t));
      stop_leftovers(*sb, say);
    }
  } catch (const std::exception& e) {
    reporter::error(e.what());
  }
  if (sb) {
    const auto t = clock::now();
    const auto base = sb->base_dir();
    sb->stop();
    say.info("torn down in " + seconds_since(t) +
             (o.keep ? "; files kept in " + base.string() : ""));
  }
  if (command_status) return *command_status;
  return pending_signal != 0 ? 128 + pending_signal : exit_setup_failed;
}

}  // namespace

int main(int argc, char** argv) {
  cli_options options;
  try {
    options = parse_arguments(argc, argv);
  } catch (const usage_error& e) {
    std::cerr << "gfbench-sandbox: " << e.what() << "\nTry 'gfbench-sandbox --help'.\n";
    return exit_usage;
  }
  if (options.help) {
    std::cout << usage_text;
    return 0;
  }
  install_signal_handlers();
  if (options.clean_up) {
    try {
      const auto cleaned = gfbench::sandbox::clean_up_abandoned();
      for (const auto& base : cleaned) std::cout << "cleaned up " << base << "\n";
      if (cleaned.empty()) std::cout << "no abandoned sandbox\n";
      return 0;
    } catch (const std::exception& e) {
      std::cerr << "gfbench-sandbox: " << e.what() << "\n";
      return 1;
    }
  }
  return run(options);
}
