// Whole-cluster behaviour: the same bytes through libgfapi and through a
// FUSE mount of the same volume, and a replica-2 volume that keeps taking
// writes with one brick dead and heals that brick afterwards.

#include "support/test_cluster.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "gfbench/volume.hpp"

using gfbench::volume;
using gfbench::testing::byte_difference;
using gfbench::testing::cluster;
using gfbench::testing::random_bytes;
using gfbench::testing::replica_volume;
using gfbench::testing::scoped_remove;
using gfbench::testing::single_volume;
using gfbench::testing::test_volume;
using gfbench::testing::unique_path;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t MiB = 1024 * 1024;

std::vector<std::byte> read_posix_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  INFO(p.string());
  REQUIRE(in.good());
  const std::vector<char> chars((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
  std::vector<std::byte> bytes(chars.size());
  std::memcpy(bytes.data(), chars.data(), chars.size());
  return bytes;
}

void write_posix_file(const fs::path& p, const std::vector<std::byte>& data) {
  INFO(p.string());
  const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  REQUIRE(fd >= 0);
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    REQUIRE(n > 0);
    done += static_cast<std::size_t>(n);
  }
  CHECK(::fsync(fd) == 0);
  REQUIRE(::close(fd) == 0);
}

// Unmounts a FUSE mount of the sandbox, whatever happened in the test.
struct fuse_mount_guard {
  fs::path mountpoint;
  ~fuse_mount_guard() {
    try {
      cluster().unmount(mountpoint);
    } catch (const std::exception&) {
      // the sandbox unmounts what is left at tear-down
    }
  }
};

// Brings dead bricks back if the test ends early, so that the volume stays
// usable and the scratch file can be removed from both bricks.
struct brick_restorer {
  std::string volume;
  bool needed = true;
  ~brick_restorer() {
    if (!needed) return;
    try {
      cluster().restart_bricks(volume);
    } catch (const std::exception&) {
    }
  }
};

}  // namespace

TEST_CASE("bytes written through gfapi and through FUSE read back the same both ways", "[fuse]") {
  auto& sb = cluster();
  volume vol = test_volume(single_volume);
  const fuse_mount_guard mount{sb.fuse_mount(single_volume)};
  REQUIRE(fs::is_directory(mount.mountpoint));

  SECTION("gfapi to FUSE") {
    const std::string path = unique_path("gfapi-to-fuse");
    const scoped_remove cleanup(vol, path);
    const auto data = random_bytes(3 * MiB + 17, 51);
    {
      auto f = vol.create(path);
      f.pwrite_all(std::span(data).first(MiB), 0);
      f.pwrite_all(std::span(data).subspan(MiB), MiB);
      f.fsync();
      f.close();
    }
    const fs::path through_fuse = mount.mountpoint / path.substr(1);
    CHECK(fs::file_size(through_fuse) == data.size());
    CHECK(byte_difference(read_posix_file(through_fuse), data) == "");
  }

  SECTION("FUSE to gfapi") {
    const std::string path = unique_path("fuse-to-gfapi");
    const scoped_remove cleanup(vol, path);
    const auto data = random_bytes(2 * MiB + 3, 52);
    write_posix_file(mount.mountpoint / path.substr(1), data);
    CHECK(vol.stat(path).size == data.size());
    CHECK(byte_difference(vol.open(path, {.access = gfbench::access_mode::read_only}).read_all(),
                          data) == "");
  }

  SECTION("a directory made through gfapi lists the same through FUSE") {
    const std::string dir = unique_path("fuse-dir");
    const scoped_remove cleanup(vol, dir);
    vol.mkdirs(dir + "/sub");
    {
      auto f = vol.create(dir + "/file");
      f.close();
    }
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(mount.mountpoint / dir.substr(1)))
      names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{"file", "sub"});
    CHECK(fs::is_directory(mount.mountpoint / dir.substr(1) / "sub"));
  }
}

TEST_CASE("replica 2 keeps taking writes with a brick down, then heals it", "[replica]") {
  auto& sb = cluster();
  volume vol = test_volume(replica_volume);
  const auto info = sb.volume_info(replica_volume);
  REQUIRE(info.replica == 2);
  REQUIRE(info.bricks.size() == 2);
  REQUIRE(info.bricks[0].node != info.bricks[1].node);

  const std::string path = unique_path("heal");
  const scoped_remove cleanup(vol, path);
  const fs::path on_brick0 = info.bricks[0].path / path.substr(1);
  const fs::path on_brick1 = info.bricks[1].path / path.substr(1);
  const auto data = random_bytes(8 * MiB + 5, 61);
  const std::size_t half = 4 * MiB;

  auto f = vol.create(path);
  f.pwrite_all(std::span(data).first(half), 0);
  f.fsync();
  REQUIRE(fs::file_size(on_brick1) == half);  // both bricks up: both have it

  brick_restorer restorer{std::string(replica_volume)};
  sb.kill_brick(replica_volume, 1);
  REQUIRE_FALSE(sb.brick_online(replica_volume, 1));
  REQUIRE(sb.brick_online(replica_volume, 0));

  // The rest goes to the surviving brick only, without an error.
  for (std::size_t off = half; off < data.size(); off += MiB) {
    const std::size_t n = std::min(MiB, data.size() - off);
    CHECK_NOTHROW(f.pwrite_all(std::span(data).subspan(off, n), off));
  }
  CHECK_NOTHROW(f.fsync());
  CHECK_NOTHROW(f.close());
  CHECK(byte_difference(read_posix_file(on_brick0), data) == "");
  CHECK(fs::file_size(on_brick1) == half);  // the dead brick missed the rest
  CHECK(sb.heal_pending(replica_volume) > 0u);

  sb.restart_bricks(replica_volume);
  restorer.needed = false;
  CHECK(sb.brick_online(replica_volume, 1));
  sb.wait_healed(replica_volume);
  CHECK(sb.heal_pending(replica_volume) == 0u);

  CHECK(byte_difference(read_posix_file(on_brick0), data) == "");
  CHECK(byte_difference(read_posix_file(on_brick1), data) == "");
  CHECK(byte_difference(vol.open(path, {.access = gfbench::access_mode::read_only}).read_all(),
                        data) == "");
}
