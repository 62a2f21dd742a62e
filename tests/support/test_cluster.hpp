#pragma once
// Shared fixtures of the test suite: one private Gluster cluster per test
// process, started on first use, connections to its volumes, scratch names
// and reproducible test data.

#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gfbench/error.hpp"
#include "gfbench/sandbox.hpp"
#include "gfbench/volume.hpp"

namespace gfbench::testing {

/// A single-brick volume on node 0, named as on the Proxmox hosts gfbench
/// was written for.
inline constexpr std::string_view single_volume = "gfs-volume-proxmox";
/// A replica-2 volume, one brick on each node.
inline constexpr std::string_view replica_volume = "gfbench-replica";

/// The process-wide sandbox (2 nodes), started by the first call; the main
/// thread has entered its network namespace when this returns. Call it from
/// the main thread (every Catch2 test case runs there). Throws the start
/// failure, again on every call, if the sandbox could not be started.
/// It is torn down at exit, after every connection made by test_volume().
gfbench::sandbox& cluster();

/// Creates `single_volume` or `replica_volume` on first use (other names must
/// exist already) and returns the options a test client uses for it:
/// the sandbox's client options with skip_fini, so that the process does not
/// pay libgfapi's ~10 s glfs_fini at exit.
volume_options test_options(std::string_view name = single_volume);

/// A connection to a sandbox volume, shared by the whole process and kept
/// until exit (see test_options).
volume test_volume(std::string_view name = single_volume);

/// A name no other test (or test process) uses: "/<prefix>-<pid>-<n>",
/// directly under the volume's root.
std::string unique_path(std::string_view prefix);

/// `n` pseudo-random bytes, the same for the same seed.
std::vector<std::byte> random_bytes(std::size_t n, std::uint64_t seed);
void fill_random(std::span<std::byte> out, std::uint64_t seed);

/// 64-bit FNV-1a, continued from `state` so that data can be hashed in pieces.
inline constexpr std::uint64_t fnv1a_init = 0xcbf29ce484222325ULL;
std::uint64_t fnv1a(std::span<const std::byte> data, std::uint64_t state = fnv1a_init) noexcept;

std::span<const std::byte> as_bytes(std::string_view text) noexcept;
std::string to_string(std::span<const std::byte> data);

/// "" when `actual` equals `expected`; otherwise both sizes and the first
/// offset where they differ. Compare buffers with
/// `CHECK(byte_difference(a, b) == "")`, not `CHECK(a == b)`: Catch2 prints
/// both operands of a failed check, which for megabytes takes minutes.
std::string byte_difference(std::span<const std::byte> actual, std::span<const std::byte> expected);

/// Runs `f` and returns the io_error it threw. Anything else it throws
/// propagates, and throwing nothing is an error: either way the test fails.
template <typename F>
io_error expect_io_error(F&& f) {
  try {
    std::forward<F>(f)();
  } catch (const io_error& e) {
    return e;
  }
  throw std::runtime_error("expected a gfbench::io_error, but nothing was thrown");
}

/// Removes a file or a directory tree on a volume; best effort, never throws
/// (a missing path is fine). Returns false if something could not be removed.
bool remove_tree(volume& vol, const std::string& path) noexcept;

/// Removes a path (file or directory tree) on a volume when it goes out of
/// scope, also when the test failed.
class scoped_remove {
 public:
  scoped_remove(volume vol, std::string path) : vol_(std::move(vol)), path_(std::move(path)) {}
  scoped_remove(const scoped_remove&) = delete;
  scoped_remove& operator=(const scoped_remove&) = delete;
  ~scoped_remove() { remove_tree(vol_, path_); }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  volume vol_;
  std::string path_;
};

/// A TCP server on `address` (an IPv4 address) that completes the
/// handshake (the kernel does, from the backlog) and then never says a
/// word: glfs_init waits on it for ever. Its socket stays open until the
/// process exits, so that an abandoned glfs_init thread keeps waiting
/// instead of waking up during exit. Returns its port; throws
/// std::system_error when it cannot listen.
std::uint16_t silent_listener(const char* address);

/// A FUSE mount of a sandbox volume, unmounted whatever happens in the test.
class scoped_fuse_mount {
 public:
  explicit scoped_fuse_mount(std::string_view volume) : path_(cluster().fuse_mount(volume)) {}
  ~scoped_fuse_mount() {
    try {
      cluster().unmount(path_);
    } catch (const std::exception&) {
      // the sandbox unmounts what is left at tear-down
    }
  }
  scoped_fuse_mount(const scoped_fuse_mount&) = delete;
  scoped_fuse_mount& operator=(const scoped_fuse_mount&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace gfbench::testing
