#include <glusterfs/api/glfs.h>

#include "client/connection.hpp"

#include <netdb.h>
#include <sys/socket.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "gfbench/error.hpp"
#include "util/log.hpp"
#include "util/sigpipe.hpp"

namespace gfbench::detail {
namespace {

using clock = std::chrono::steady_clock;

std::string server_list(const volume_options& o) {
  std::string s;
  for (const auto& server : o.servers) {
    if (!s.empty()) s += ", ";
    if (server.transport == transport_kind::unix_socket) {
      s += "unix:" + server.host;
    } else {
      s += server.host + ":" + std::to_string(server.port);
    }
  }
  return s;
}

// Everything that makes two connections differ; the deadline does not.
std::string pool_key(const volume_options& o) {
  std::string key = o.volume + '\n' + server_list(o) + '\n' + o.log_file + '\n' +
                    std::to_string(o.log_level) + (o.skip_fini ? "\nskip-fini" : "") +
                    (o.fini_in_background ? "\nfini-in-background" : "");
  for (const auto& x : o.xlator_options) key += '\n' + x.xlator + '\t' + x.key + '\t' + x.value;
  return key;
}

[[noreturn]] void fail_connect(int errno_value, const volume_options& o, const char* operation,
                               std::string hint) {
  throw io_error(errno_value,
                 {.operation = operation, .volume = o.volume, .hint = std::move(hint)});
}

bool resolves(const std::string& host) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &found);
  if (found != nullptr) freeaddrinfo(found);
  return rc == 0;
}

void validate(const volume_options& o) {
  if (o.volume.empty()) fail_connect(EINVAL, o, "connect", "no volume name given");
  if (o.volume.find_first_of("/ \t\n") != std::string::npos) {
    fail_connect(EINVAL, o, "connect", "a volume name has no '/' or white space");
  }
  if (o.servers.empty()) {
    fail_connect(EINVAL, o, "connect", "no volfile server given: name at least one host");
  }
  for (const auto& s : o.servers) {
    if (s.host.empty()) fail_connect(EINVAL, o, "connect", "a volfile server has an empty host");
    if (s.transport == transport_kind::tcp && s.port == 0) {
      fail_connect(EINVAL, o, "connect", "port 0 for server " + s.host + ": use 1-65535 (24007)");
    }
  }
  if (o.log_level < 0 || o.log_level > 9) {
    fail_connect(EINVAL, o, "connect", "log level must be 0 (none) to 9 (trace)");
  }
  if (o.connect_timeout <= std::chrono::milliseconds::zero()) {
    fail_connect(EINVAL, o, "connect", "the connect timeout must be positive");
  }
}

std::string init_hint(int errno_value, const volume_options& o) {
  const std::string servers = server_list(o);
  switch (errno_value) {
    case ENOENT:
      return "no volume '" + o.volume + "' on " + servers + ": check `gluster volume list`";
    case EIO:
      return "volume '" + o.volume +
             "' exists but could not be mounted; is it started? "
             "(`gluster volume start " +
             o.volume + "`, `gluster volume status`)";
    case ENOTCONN:
    case ECONNREFUSED:
    case EHOSTUNREACH:
      return "no volfile server answered at " + servers +
             ": is glusterd running there and reachable from this host?";
    default:
      return "volfile servers " + servers;
  }
}

// glfs_init can block with no limit, so it runs on a thread of its own and
// the caller waits at most connect_timeout. A timed-out init is abandoned:
// its glfs_t cannot be finalised while glfs_init still runs on it, so it is
// left to the thread, which finalises it if glfs_init ever returns.
struct init_attempt {
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  bool abandoned = false;
  int result = 0;
  int error = 0;
};

// glfs_fini blocks for about 10 s even after a failed glfs_init; a failed
// connect should not make the caller wait for that, so it happens off-thread.
void finalise_in_background(glfs_t* fs) {
  std::thread([fs] { glfs_fini(fs); }).detach();
}

// The servers whose names resolve, in order. Like Proxmox's "server2", a
// backup server is tried when the first one's name does not resolve; only
// when none is left is it an error, naming them all.
std::vector<volfile_server> resolvable_servers(const volume_options& o) {
  std::vector<volfile_server> usable;
  std::string unresolved;
  for (const auto& s : o.servers) {
    if (s.transport == transport_kind::unix_socket || resolves(s.host)) {
      usable.push_back(s);
      continue;
    }
    unresolved += (unresolved.empty() ? "'" : ", '") + s.host + "'";
    if (&s != &o.servers.back()) {
      logger().warn(
          "volfile server '{}' of volume {} does not resolve: skipping it, trying the next", s.host,
          o.volume);
    }
  }
  if (usable.empty()) {
    fail_connect(EHOSTUNREACH, o, "connect",
                 (o.servers.size() == 1 ? "server name " : "no server name resolves: ") +
                     unresolved + (o.servers.size() == 1 ? " does not resolve" : "") +
                     ": check the spelling or DNS");
  }
  return usable;
}

glfs_t* configured_handle(const volume_options& o) {
  glfs_t* fs = glfs_new(o.volume.c_str());
  if (fs == nullptr) fail_connect(errno ? errno : ENOMEM, o, "glfs_new", {});
  auto give_up = [&](const char* operation, std::string hint) {
    const int e = errno;
    finalise_in_background(fs);
    fail_connect(e, o, operation, std::move(hint));
  };
  for (const auto& s : resolvable_servers(o)) {
    const bool unix_socket = s.transport == transport_kind::unix_socket;
    if (glfs_set_volfile_server(fs, unix_socket ? "unix" : "tcp", s.host.c_str(),
                                unix_socket ? 0 : s.port) != 0) {
      give_up("glfs_set_volfile_server", "server " + s.host);
    }
  }
  if (glfs_set_logging(fs, o.log_file.c_str(), o.log_level) != 0) {
    give_up("glfs_set_logging", "log file " + o.log_file + " must be writable");
  }
  for (const auto& x : o.xlator_options) {
    if (glfs_set_xlator_option(fs, x.xlator.c_str(), x.key.c_str(), x.value.c_str()) != 0) {
      give_up("glfs_set_xlator_option", x.xlator + " " + x.key + "=" + x.value);
    }
  }
  return fs;
}

std::shared_ptr<connection> connect_now(const volume_options& o) {
  const auto started = clock::now();
  glfs_t* fs = configured_handle(o);
  auto attempt = std::make_shared<init_attempt>();
  std::thread([fs, attempt] {
    const int result = glfs_init(fs);
    const int error = result == 0 ? 0 : errno;
    std::lock_guard lock(attempt->mutex);
    attempt->done = true;
    attempt->result = result;
    attempt->error = error;
    if (attempt->abandoned) {
      glfs_fini(fs);
    } else {
      attempt->done_cv.notify_all();
    }
  }).detach();

  std::unique_lock lock(attempt->mutex);
  if (!attempt->done_cv.wait_for(lock, o.connect_timeout, [&] { return attempt->done; })) {
    attempt->abandoned = true;
    fail_connect(ETIMEDOUT, o, "glfs_init",
                 "no answer from " + server_list(o) + " within " +
                     std::to_string(o.connect_timeout.count()) +
                     " ms: the server accepts connections but does not answer, or the "
                     "volume's auth.allow/auth.reject refuses this client");
  }
  if (attempt->result != 0) {
    const int e = attempt->error ? attempt->error : EIO;
    finalise_in_background(fs);
    fail_connect(e, o, "glfs_init", init_hint(e, o));
  }
  const auto took = clock::now() - started;
  logger().debug("connected to volume {} via {} in {:.1f} ms", o.volume, server_list(o),
                 std::chrono::duration<double, std::milli>(took).count());
  return std::make_shared<connection>(o, fs, took);
}

}  // namespace

connection::connection(volume_options opts, glfs_t* handle, std::chrono::nanoseconds took) noexcept
    : options(std::move(opts)), fs(handle), connect_duration(took) {}

connection::~connection() {
  if (options.fini_in_background) {
    finalise_in_background(fs);
    return;
  }
  if (options.skip_fini) {
    logger().debug("volume {}: glfs_fini skipped, left to process exit", options.volume);
    return;
  }
  const auto started = clock::now();
  if (glfs_fini(fs) != 0) {
    logger().warn("glfs_fini volume={}: {}", options.volume, std::strerror(errno));
  }
  logger().debug("disconnected from volume {} in {:.1f} s", options.volume,
                 std::chrono::duration<double>(clock::now() - started).count());
}

std::shared_ptr<connection> acquire_connection(const volume_options& options) {
  validate(options);
  // Before libgfapi opens a socket (see sigpipe.hpp).
  ignore_sigpipe_unless_chosen();
  if (!options.shared) return connect_now(options);
  // One lock for the whole table: a second caller for the same volume waits
  // for the first connect instead of making a second glfs_t.
  static std::mutex table_mutex;
  static std::map<std::string, std::weak_ptr<connection>> table;
  std::lock_guard lock(table_mutex);
  auto& slot = table[pool_key(options)];
  if (auto live = slot.lock()) return live;
  auto fresh = connect_now(options);
  slot = fresh;
  return fresh;
}

void throw_volume_error(int errno_value, const connection& c, const char* operation,
                        std::string_view path, std::string hint) {
  throw io_error(errno_value, {.operation = operation,
                               .volume = c.options.volume,
                               .path = std::string(path),
                               .hint = std::move(hint)});
}

}  // namespace gfbench::detail
