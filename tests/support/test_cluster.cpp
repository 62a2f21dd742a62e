#include "support/test_cluster.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <exception>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <system_error>

#if defined(GFBENCH_TESTS_SANITIZED)
#include <sanitizer/common_interface_defs.h>
#endif

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "gfbench/error.hpp"

namespace gfbench::testing {
namespace {

// The running sandbox, for the fatal-signal handler below.
std::atomic<gfbench::sandbox*> running_sandbox{nullptr};

// A crash (or Ctrl-C) skips the static destructors, and the sandbox's
// glusterd and brick processes would outlive the test process. Catch2 reports
// a fatal signal, restores the handler that was there before its own (this
// one, installed before main) and raises the signal again: so this runs after
// Catch2's report. Not async-signal-safe, but the process is dying anyway; an
// alarm bounds a tear-down that hangs.
extern "C" void tear_down_on_fatal_signal(int sig) {
  if (gfbench::sandbox* sb = running_sandbox.exchange(nullptr)) {
    static constexpr char message[] = "gfbench_tests: fatal signal, tearing the sandbox down\n";
    [[maybe_unused]] const auto ignored = ::write(STDERR_FILENO, message, sizeof message - 1);
    ::alarm(60);
    sb->stop();
  }
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

#if defined(__SANITIZE_ADDRESS__)
// AddressSanitizer reports SIGSEGV and SIGBUS itself; a handler here would
// hide where the fault happened.
constexpr int fatal_signals[] = {SIGABRT, SIGFPE, SIGILL, SIGINT, SIGTERM, SIGHUP};
#else
constexpr int fatal_signals[] = {SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGSEGV, SIGINT, SIGTERM, SIGHUP};
#endif

#if defined(GFBENCH_TESTS_SANITIZED)
// A sanitizer error ends the process through its own exit path, without a
// signal and without static destructors: tear the sandbox down from there.
extern "C" void tear_down_on_sanitizer_death() {
  if (gfbench::sandbox* sb = running_sandbox.exchange(nullptr)) {
    static constexpr char message[] = "gfbench_tests: sanitizer error, tearing the sandbox down\n";
    [[maybe_unused]] const auto ignored = ::write(STDERR_FILENO, message, sizeof message - 1);
    sb->stop();
  }
}
#endif

// Installed during static initialisation, before Catch2 installs its own
// handlers (per test case) on top.
[[maybe_unused]] const bool fatal_handlers_installed = [] {
  for (const int sig : fatal_signals) std::signal(sig, tear_down_on_fatal_signal);
#if defined(GFBENCH_TESTS_SANITIZED)
  __sanitizer_set_death_callback(&tear_down_on_sanitizer_death);
#endif
  return true;
}();

// The "gfbench" logger, registered during static initialisation as a host
// application may: warnings only, everything with GFBENCH_TEST_DEBUG=1. It
// (and spdlog's registry) outlives the environment below, whose
// connections and sandbox still log as they go at exit.
const std::shared_ptr<spdlog::logger> gfbench_logger = [] {
  auto log = spdlog::get("gfbench");
  if (!log) {
    log = spdlog::stderr_color_mt("gfbench");
    log->set_level(std::getenv("GFBENCH_TEST_DEBUG") ? spdlog::level::debug : spdlog::level::warn);
  }
  return log;
}();

struct environment {
  std::optional<gfbench::sandbox> sandbox;
  std::exception_ptr start_failure;
  std::set<std::string, std::less<>> created_volumes;
  std::map<std::string, volume, std::less<>> connections;

  environment() = default;
  environment(const environment&) = delete;
  environment& operator=(const environment&) = delete;
  // At exit: connections first, while their servers still run, then the
  // sandbox. Runs on normal exit, also after failed tests (Catch2 catches
  // their exceptions and returns from main).
  ~environment() {
    connections.clear();
    running_sandbox = nullptr;  // from here on the sandbox is being torn down
    sandbox.reset();
  }
};

environment& env() {
  static environment e;
  return e;
}

bool on_main_thread() { return ::syscall(SYS_gettid) == ::getpid(); }

void ensure_volume(gfbench::sandbox& sb, std::string_view name) {
  auto& e = env();
  if (e.created_volumes.contains(name)) return;
  if (name == single_volume) {
    sb.create_volume(name, 1);
  } else if (name == replica_volume) {
    sb.create_volume(name, 2, /*replicated=*/true);
  } else {
    return;  // made by the test itself
  }
  e.created_volumes.emplace(name);
}

}  // namespace

gfbench::sandbox& cluster() {
  auto& e = env();
  if (e.sandbox) return *e.sandbox;
  if (e.start_failure) std::rethrow_exception(e.start_failure);
  if (!on_main_thread()) {
    // enter_network() moves only the calling thread; libgfapi's threads
    // inherit the namespace of the thread that creates them.
    throw std::logic_error("gfbench::testing::cluster() must first be called on the main thread");
  }
  try {
    sandbox_options options;
    options.nodes = 2;
    // Every wait of the sandbox (bricks online, a heal of a thousand files,
    // a mount) is a condition polled until it holds; the bound only says
    // when to give up. Other test groups share the two cores, under ASan
    // too, so it is generous: a heal that once took 60 s under load was
    // still a heal.
    options.timeout = std::chrono::seconds(300);
    if (const char* keep = std::getenv("GFBENCH_TEST_KEEP_FILES"); keep && *keep == '1') {
      options.keep_files = true;  // logs and bricks for a post-mortem
    }
    e.sandbox.emplace(gfbench::sandbox::start(options));
    running_sandbox = &*e.sandbox;
    e.sandbox->enter_network();
  } catch (...) {
    running_sandbox = nullptr;
    e.sandbox.reset();
    e.start_failure = std::current_exception();
    throw;
  }
  return *e.sandbox;
}

volume_options test_options(std::string_view name) {
  auto& sb = cluster();
  ensure_volume(sb, name);
  volume_options options = sb.client_options(name);
  options.skip_fini = true;
  return options;
}

volume test_volume(std::string_view name) {
  auto& e = env();
  if (auto found = e.connections.find(name); found != e.connections.end()) return found->second;
  volume vol = volume::connect(test_options(name));
  e.connections.emplace(std::string(name), vol);
  return vol;
}

std::string unique_path(std::string_view prefix) {
  static std::atomic<unsigned> counter{0};
  return "/" + std::string(prefix) + "-" + std::to_string(::getpid()) + "-" +
         std::to_string(counter.fetch_add(1));
}

void fill_random(std::span<std::byte> out, std::uint64_t seed) {
  // splitmix64: fast, and every seed gives a different stream.
  std::uint64_t x = seed;
  std::size_t i = 0;
  while (i < out.size()) {
    x += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = x;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    for (int b = 0; b < 8 && i < out.size(); ++b, ++i) {
      out[i] = static_cast<std::byte>(z >> (8 * b));
    }
  }
}

std::vector<std::byte> random_bytes(std::size_t n, std::uint64_t seed) {
  std::vector<std::byte> data(n);
  fill_random(data, seed);
  return data;
}

std::uint64_t fnv1a(std::span<const std::byte> data, std::uint64_t state) noexcept {
  for (const std::byte b : data) {
    state ^= static_cast<std::uint64_t>(b);
    state *= 0x100000001b3ULL;
  }
  return state;
}

std::span<const std::byte> as_bytes(std::string_view text) noexcept {
  return std::as_bytes(std::span(text.data(), text.size()));
}

std::string to_string(std::span<const std::byte> data) {
  std::string s(data.size(), '\0');
  for (std::size_t i = 0; i < data.size(); ++i) s[i] = static_cast<char>(data[i]);
  return s;
}

std::string byte_difference(std::span<const std::byte> actual,
                            std::span<const std::byte> expected) {
  const auto [a, e] = std::mismatch(actual.begin(), actual.end(), expected.begin(), expected.end());
  if (a == actual.end() && e == expected.end()) return {};
  const auto at = static_cast<std::size_t>(a - actual.begin());
  std::string what =
      std::to_string(actual.size()) + " bytes, expected " + std::to_string(expected.size()) + "; ";
  if (a == actual.end() || e == expected.end())
    return what + "the first " + std::to_string(at) + " bytes match";
  return what + "first difference at byte " + std::to_string(at) + " (" +
         std::to_string(std::to_integer<unsigned>(*a)) + " instead of " +
         std::to_string(std::to_integer<unsigned>(*e)) + ")";
}

bool remove_tree(volume& vol, const std::string& path) noexcept {
  try {
    if (!vol.exists(path)) return true;
    if (vol.stat(path).type == file_type::directory) {
      bool all = true;
      for (const auto& entry : vol.list(path))
        all = remove_tree(vol, path + "/" + entry.name) && all;
      vol.rmdir(path);
      return all;
    }
    vol.unlink(path);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

std::uint16_t silent_listener(const char* address) {
  const auto fail = [](const char* call) {
    throw std::system_error(errno, std::generic_category(),
                            std::string("silent_listener: ") + call);
  };
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) fail("socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;  // any free port
  if (::inet_pton(AF_INET, address, &addr.sin_addr) != 1) {
    errno = EINVAL;
    fail("inet_pton");
  }
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) fail("bind");
  if (::listen(fd, 16) != 0) fail("listen");
  socklen_t len = sizeof addr;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) fail("getsockname");
  return ntohs(addr.sin_port);
}

}  // namespace gfbench::testing
