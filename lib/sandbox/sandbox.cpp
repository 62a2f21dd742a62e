// gfbench::sandbox: the public calls, each a thin layer over
// detail::sandbox_state (sandbox/state.hpp says where each part lives).

#include "gfbench/sandbox.hpp"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <system_error>

#include "sandbox/state.hpp"
#include "util/log.hpp"

namespace gfbench {
namespace {

// Errors from std::filesystem and the like reach callers as sandbox_error,
// the one type the header promises.
template <typename F>
decltype(auto) translating(const char* what, F&& f) {
  try {
    return f();
  } catch (const sandbox_error&) {
    throw;
  } catch (const std::system_error& e) {
    throw sandbox_error(std::string(what) + ": " + e.what());
  }
}

// The state of a sandbox that can still be used.
detail::sandbox_state& live(detail::sandbox_state* s) {
  if (s == nullptr) throw sandbox_error("this sandbox was moved from");
  if (s->torn_down) throw sandbox_error("this sandbox was stopped");
  return *s;
}

}  // namespace

struct sandbox::state : detail::sandbox_state {};

sandbox::sandbox(std::unique_ptr<state> s) noexcept : state_(std::move(s)) {}
sandbox::sandbox(sandbox&&) noexcept = default;

sandbox& sandbox::operator=(sandbox&& other) noexcept {
  if (this != &other) {
    stop();
    state_ = std::move(other.state_);
  }
  return *this;
}

sandbox::~sandbox() { stop(); }

std::vector<std::string> sandbox::clean_up_abandoned() {
  return translating("cleaning up abandoned sandboxes",
                     [] { return detail::clean_up_abandoned_sandboxes(); });
}

sandbox sandbox::start(const sandbox_options& options) {
  // What a killed gfbench left would hold addresses, mounts and brick
  // sockets of its own: gone before this one starts.
  static_cast<void>(clean_up_abandoned());
  auto s = std::make_unique<state>();
  s->options = options;
  try {
    translating("starting the sandbox", [&] {
      s->prepare();
      s->start_nodes();
      s->join_peers();
    });
  } catch (...) {
    s->teardown();
    throw;
  }
  detail::logger().debug("sandbox {} is up with {} node(s)", s->netns, s->nodes.size());
  return sandbox(std::move(s));
}

sandbox_volume sandbox::create_volume(std::string_view name, int bricks, bool replicated,
                                      std::optional<std::uint64_t> brick_size_bytes) {
  return create_volume({.name = std::string(name),
                        .bricks = bricks,
                        .layout = replicated ? volume_layout::replicate : volume_layout::distribute,
                        .brick_size_bytes = brick_size_bytes});
}

sandbox_volume sandbox::create_volume(const sandbox_volume_spec& spec) {
  return translating("creating a volume", [&] { return live(state_.get()).create_volume(spec); });
}

sandbox_volume sandbox::create_distributed_replicated(std::string_view name, int bricks,
                                                      int replica) {
  if (replica < 2) {
    throw sandbox_error(
        "a distributed-replicated volume needs replica sets of 2 or more bricks, "
        "not " +
        std::to_string(replica));
  }
  return create_volume({.name = std::string(name),
                        .bricks = bricks,
                        .layout = volume_layout::replicate,
                        .replica = replica});
}

void sandbox::stop_volume(std::string_view name) {
  live(state_.get()).gluster_checked({"volume", "stop", std::string(name)});
}

void sandbox::start_volume(std::string_view name, bool force) {
  live(state_.get()).start_volume(name, force);
}

void sandbox::delete_volume(std::string_view name) {
  translating("deleting a volume", [&] { live(state_.get()).delete_volume(name); });
}

void sandbox::set_volume_option(std::string_view name, std::string_view key,
                                std::string_view value) {
  live(state_.get())
      .gluster_checked({"volume", "set", std::string(name), std::string(key), std::string(value)});
}

void sandbox::kill_brick(std::string_view volume, std::size_t index) {
  live(state_.get()).signal_brick(volume, index, SIGKILL);
}

void sandbox::pause_brick(std::string_view volume, std::size_t index) {
  live(state_.get()).signal_brick(volume, index, SIGSTOP);
}

void sandbox::resume_brick(std::string_view volume, std::size_t index) {
  live(state_.get()).signal_brick(volume, index, SIGCONT);
}

void sandbox::restart_bricks(std::string_view volume) {
  live(state_.get()).start_volume(volume, true);
}

void sandbox::pause_node(int node) { live(state_.get()).signal_node(node, SIGSTOP); }

void sandbox::resume_node(int node) { live(state_.get()).signal_node(node, SIGCONT); }

void sandbox::kill_node(int node) { live(state_.get()).signal_node(node, SIGKILL); }

void sandbox::start_node(int node) {
  translating("starting a node", [&] { live(state_.get()).start_node(node); });
}

bool sandbox::brick_online(std::string_view volume, std::size_t index) {
  return live(state_.get()).brick_pid(volume, index).has_value();
}

std::vector<std::size_t> sandbox::brick_clients(std::string_view volume) {
  return live(state_.get()).brick_clients(volume);
}

std::size_t sandbox::heal_pending(std::string_view volume) {
  return live(state_.get()).heal_index_entries(volume);
}

std::vector<std::size_t> sandbox::heal_pending_per_brick(std::string_view volume) {
  return live(state_.get()).heal_needed_per_brick(volume);
}

void sandbox::wait_healed(std::string_view volume) { live(state_.get()).wait_healed(volume); }

std::filesystem::path sandbox::fuse_mount(std::string_view volume) {
  return translating("FUSE-mounting a volume",
                     [&] { return live(state_.get()).fuse_mount(volume); });
}

void sandbox::unmount(const std::filesystem::path& mountpoint) {
  live(state_.get()).unmount(mountpoint);
}

void sandbox::enter_network() const {
  const auto& s = live(state_.get());
  const int fd = ::open(s.netns_file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw sandbox_error("cannot open network namespace " + s.netns_file.string() + ": " +
                        std::strerror(errno));
  const int rc = ::setns(fd, CLONE_NEWNET);
  const int e = errno;
  ::close(fd);
  if (rc != 0)
    throw sandbox_error("cannot enter network namespace " + s.netns + ": " + std::strerror(e));
  detail::logger().debug("thread entered network namespace {}", s.netns);
}

volume_options sandbox::client_options(std::string_view volume) const {
  volume_options options;
  options.volume = std::string(volume);
  for (const auto& n : live(state_.get()).nodes)
    options.servers.push_back(volfile_server{transport_kind::tcp, n.host, 24007});
  return options;
}

std::string sandbox::gluster(const std::vector<std::string>& args) {
  return live(state_.get()).gluster_checked(args);
}

const std::filesystem::path& sandbox::base_dir() const noexcept {
  static const std::filesystem::path none;
  return state_ ? state_->base : none;
}

std::string sandbox::node_address(int node) const { return live(state_.get()).node(node).host; }

const std::string& sandbox::network_namespace() const noexcept {
  static const std::string none;
  return state_ ? state_->netns : none;
}

const sandbox_volume& sandbox::volume_info(std::string_view name) const {
  return live(state_.get()).record(name).info;
}

void sandbox::stop() noexcept {
  if (state_) state_->teardown();
}

}  // namespace gfbench
