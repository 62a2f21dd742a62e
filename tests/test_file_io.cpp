// gfbench::file on a real single-brick volume: data comes back byte for
// byte, sizes and flags behave as documented, and misuse fails loudly.

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "client/gfapi_seam.hpp"
#include "gfbench/error.hpp"
#include "gfbench/file.hpp"
#include "gfbench/volume.hpp"
#include "support/test_cluster.hpp"

using Catch::Matchers::Contains;
using gfbench::access_mode;
using gfbench::file;
using gfbench::io_error;
using gfbench::volume;
using gfbench::testing::as_bytes;
using gfbench::testing::byte_difference;
using gfbench::testing::expect_io_error;
using gfbench::testing::fill_random;
using gfbench::testing::fnv1a;
using gfbench::testing::random_bytes;
using gfbench::testing::scoped_remove;
using gfbench::testing::test_volume;
using gfbench::testing::unique_path;

namespace fs = std::filesystem;

namespace {

constexpr std::size_t KiB = 1024;
constexpr std::size_t MiB = 1024 * KiB;

constexpr gfbench::open_options read_only{.access = access_mode::read_only};

// Bytes a brick's file system really allocated for a file.
std::uint64_t backend_allocated(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return static_cast<std::uint64_t>(st.st_blocks) * 512u;
}

}  // namespace

TEST_CASE("odd sizes written in chunks read back byte for byte", "[file]") {
  volume vol = test_volume();
  const std::size_t size = GENERATE(as<std::size_t>{}, 0, 1, 4095, 4097, 3 * MiB + 17);
  const std::string path = unique_path("roundtrip");
  const scoped_remove cleanup(vol, path);
  const auto data = random_bytes(size, size + 1);

  {
    auto f = vol.create(path);
    // Chunks of an awkward size, written last first: every byte lands only
    // if each pwrite_all honours its offset.
    constexpr std::size_t chunk = 65'537;
    std::size_t start = size - size % chunk;
    if (start == size && size > 0) start -= chunk;
    for (;;) {
      const std::size_t length = std::min(chunk, size - start);
      if (length > 0) f.pwrite_all(std::span(data).subspan(start, length), start);
      if (start == 0) break;
      start -= chunk;
    }
    f.close();
  }
  CAPTURE(size);
  CHECK(vol.stat(path).size == size);
  auto f = vol.open(path, read_only);
  CHECK(f.stat().size == size);
  const auto back = f.read_all();
  REQUIRE(back.size() == data.size());
  CHECK(byte_difference(back, data) == "");
  // Reading across the end of file stops there.
  std::vector<std::byte> tail(8192);
  const std::uint64_t from = size > 4096 ? size - 4096 : 0;
  const std::size_t got = f.pread_some(tail, from);
  CHECK(got == size - from);
  CHECK(std::equal(tail.begin(), tail.begin() + static_cast<std::ptrdiff_t>(got),
                   data.begin() + static_cast<std::ptrdiff_t>(from)));
}

TEST_CASE("a 100 MiB file written in 1 MiB blocks, fsynced, reads back intact", "[file]") {
  volume vol = test_volume();
  const std::string path = unique_path("big");
  const scoped_remove cleanup(vol, path);
  constexpr std::size_t blocks = 100;
  std::vector<std::byte> block(MiB);
  std::vector<std::uint64_t> written_hashes;  // per block, to name a bad one
  std::uint64_t written = gfbench::testing::fnv1a_init;
  {
    auto f = vol.create(path);
    for (std::size_t i = 0; i < blocks; ++i) {
      fill_random(block, 1000 + i);
      f.pwrite_all(block, i * MiB);
      written_hashes.push_back(fnv1a(block));
      written = fnv1a(block, written);
    }
    f.fsync();
    f.close();
  }
  CHECK(vol.stat(path).size == blocks * MiB);

  std::uint64_t read_back = gfbench::testing::fnv1a_init;
  auto f = vol.open(path, read_only);
  for (std::size_t i = 0; i < blocks; ++i) {
    f.pread_all(block, i * MiB);
    INFO("block " << i);
    CHECK(fnv1a(block) == written_hashes[i]);
    read_back = fnv1a(block, read_back);
  }
  CHECK(read_back == written);
  // Nothing after the last block.
  std::vector<std::byte> beyond(1);
  CHECK(f.pread_some(beyond, blocks * MiB) == 0u);
  f.close();
}

TEST_CASE("create is exclusive by default and keeps what is there", "[file]") {
  volume vol = test_volume();
  const std::string path = unique_path("exclusive");
  const scoped_remove cleanup(vol, path);
  {
    auto f = vol.create(path);
    f.pwrite_all(as_bytes("original"), 0);
    f.close();
  }
  const auto inode = vol.stat(path).inode;

  const io_error e = expect_io_error([&] { (void)vol.create(path); });
  CHECK(e.errno_value() == EEXIST);
  CHECK(e.path() == path);
  CHECK_THAT(std::string(e.what()), Contains(path));
  CHECK(gfbench::testing::to_string(vol.open(path, read_only).read_all()) == "original");

  // exclusive = false opens the same file, without truncating it.
  auto f = vol.create(path, {.exclusive = false});
  CHECK(f.stat().inode == inode);
  CHECK(gfbench::testing::to_string(f.read_all()) == "original");
  f.pwrite_all(as_bytes("OR"), 0);
  f.close();
  CHECK(gfbench::testing::to_string(vol.open(path, read_only).read_all()) == "ORiginal");
}

TEST_CASE("opening a missing file is ENOENT naming the path", "[file]") {
  volume vol = test_volume();
  const std::string path = unique_path("missing");
  const io_error e = expect_io_error([&] { (void)vol.open(path); });
  CHECK(e.errno_value() == ENOENT);
  CHECK(e.path() == path);
  CHECK(e.volume() == vol.name());
  CHECK_THAT(std::string(e.what()), Contains(path));
  CHECK_FALSE(vol.exists(path));
}

TEST_CASE("writing through a read-only handle fails and changes nothing", "[file]") {
  volume vol = test_volume();
  const std::string path = unique_path("readonly");
  const scoped_remove cleanup(vol, path);
  const auto data = random_bytes(10'000, 21);
  {
    auto f = vol.create(path);
    f.pwrite_all(data, 0);
    f.close();
  }
  auto f = vol.open(path, read_only);
  // libgfapi's write-behind acknowledges a write on an O_RDONLY fd and
  // reports EBADF only at the next fsync or close, so gfbench must refuse it
  // itself: pwrite_all promises that the data was written.
  bool refused = false;
  try {
    f.pwrite_all(random_bytes(100, 22), 50);
  } catch (const io_error& e) {
    refused = true;
    CHECK(e.errno_value() == EBADF);
    CHECK(e.operation() == "glfs_pwrite");
    CHECK(e.path() == path);
  }
  CHECK(refused);
  if (refused) {
    f.close();
  } else {
    // At the latest fsync must not let it pass as written (close may then
    // succeed: fsync consumed the write-behind error).
    CHECK(expect_io_error([&] { f.fsync(); }).errno_value() == EBADF);
    try {
      f.close();
    } catch (const io_error&) {
    }
  }
  CHECK(byte_difference(vol.open(path, read_only).read_all(), data) == "");

  // And the other way round: a write-only handle does not read.
  auto wo = vol.open(path, {.access = access_mode::write_only});
  std::vector<std::byte> buffer(16);
  CHECK(expect_io_error([&] { wo.pread_all(buffer, 0); }).errno_value() == EBADF);
  wo.close();
}

namespace {

// Counts glfs_close calls through the seam, passing them on to libgfapi.
struct close_counter {
  static inline int closes = 0;
  static inline glfs_fd_t* last_closed = nullptr;
  static inline decltype(&::glfs_close) real = nullptr;
  static int counting_close(glfs_fd_t* fd) noexcept {
    ++closes;
    last_closed = fd;
    return real(fd);
  }

  gfbench::detail::gfapi_seam saved = gfbench::detail::seam();
  close_counter() {
    closes = 0;
    last_closed = nullptr;
    real = saved.close;
    gfbench::detail::seam().close = &counting_close;
  }
  close_counter(const close_counter&) = delete;
  close_counter& operator=(const close_counter&) = delete;
  ~close_counter() { gfbench::detail::seam() = saved; }
};

}  // namespace

TEST_CASE("moving a file handle moves ownership; move-assignment closes the old file", "[file]") {
  const close_counter counter;
  volume vol = test_volume();
  const std::string path_a = unique_path("move-a");
  const std::string path_b = unique_path("move-b");
  const scoped_remove cleanup_a(vol, path_a);
  const scoped_remove cleanup_b(vol, path_b);

  file a = vol.create(path_a);
  a.pwrite_all(as_bytes("aaaa"), 0);

  file moved(std::move(a));
  CHECK_FALSE(a.is_open());  // NOLINT(bugprone-use-after-move): the point of the test
  CHECK(a.native_handle() == nullptr);
  REQUIRE(moved.is_open());
  CHECK(moved.path() == path_a);
  const io_error e = expect_io_error([&] { a.pwrite_all(as_bytes("x"), 0); });
  CHECK(e.errno_value() == EBADF);
  CHECK_THAT(std::string(e.what()), Contains("closed or was moved"));
  CHECK(counter.closes == 0);

  file b = vol.create(path_b);
  b.pwrite_all(as_bytes("bbbb"), 0);
  glfs_fd_t* const old_fd = moved.native_handle();
  glfs_fd_t* const b_fd = b.native_handle();
  moved = std::move(b);
  CHECK(counter.closes == 1);
  CHECK(counter.last_closed == old_fd);
  CHECK(moved.native_handle() == b_fd);
  CHECK(moved.path() == path_b);
  CHECK_FALSE(b.is_open());  // NOLINT(bugprone-use-after-move)

  moved.pwrite_all(as_bytes("BB"), 0);
  moved.close();
  CHECK(counter.closes == 2);
  CHECK(gfbench::testing::to_string(vol.open(path_a, read_only).read_all()) == "aaaa");
  CHECK(gfbench::testing::to_string(vol.open(path_b, read_only).read_all()) == "BBbb");

  // Self-move-assignment leaves the handle usable.
  file c = vol.open(path_a, read_only);
  file& alias = c;
  c = std::move(alias);
  CHECK(c.is_open());
  CHECK(gfbench::testing::to_string(c.read_all()) == "aaaa");
}

TEST_CASE("fsync, fdatasync, truncate, allocate and stat agree on sizes", "[file]") {
  volume vol = test_volume();
  const std::string path = unique_path("sizes");
  const scoped_remove cleanup(vol, path);
  const auto data = random_bytes(10'000, 31);
  auto f = vol.create(path);
  f.pwrite_all(data, 0);
  f.fsync();
  f.fdatasync();
  auto st = f.stat();
  CHECK(st.type == gfbench::file_type::regular);
  CHECK(st.size == 10'000u);
  CHECK(st.permissions == 0644u);
  CHECK(st.links == 1u);

  f.truncate(4096);
  CHECK(f.stat().size == 4096u);
  auto back = f.read_all();
  REQUIRE(back.size() == 4096u);
  CHECK(std::equal(back.begin(), back.end(), data.begin()));

  f.truncate(8192);  // grows with zeros
  back = f.read_all();
  REQUIRE(back.size() == 8192u);
  CHECK(std::equal(back.begin(), back.begin() + 4096, data.begin()));
  CHECK(
      std::all_of(back.begin() + 4096, back.end(), [](std::byte b) { return b == std::byte{0}; }));

  // Gluster's stat derives st_blocks from the size (8 KiB here, whatever
  // the brick holds), so the reservation is checked on the brick itself.
  const fs::path backend =
      gfbench::testing::cluster().volume_info(gfbench::testing::single_volume).bricks.at(0).path /
      path.substr(1);
  f.allocate(0, 4 * MiB, /*keep_size=*/true);
  CHECK(f.stat().size == 8192u);
  CHECK(fs::file_size(backend) == 8192u);
  CHECK(backend_allocated(backend) >= 4 * MiB);

  f.allocate(0, 2 * MiB);
  CHECK(f.stat().size == 2 * MiB);
  CHECK(vol.stat(path).size == 2 * MiB);
  CHECK(fs::file_size(backend) == 2 * MiB);
  back = f.read_all();
  CHECK(std::equal(back.begin(), back.begin() + 4096, data.begin()));
  CHECK(
      std::all_of(back.begin() + 4096, back.end(), [](std::byte b) { return b == std::byte{0}; }));
  f.close();
}

TEST_CASE("a closed handle refuses every operation with EBADF", "[file]") {
  volume vol = test_volume();
  const std::string path = unique_path("closed");
  const scoped_remove cleanup(vol, path);
  auto f = vol.create(path);
  f.close();
  CHECK_FALSE(f.is_open());
  std::vector<std::byte> buffer(10);
  CHECK(expect_io_error([&] { f.pwrite_all(buffer, 0); }).errno_value() == EBADF);
  CHECK(expect_io_error([&] { f.pread_all(buffer, 0); }).errno_value() == EBADF);
  CHECK(expect_io_error([&] { (void)f.pread_some(buffer, 0); }).errno_value() == EBADF);
  CHECK(expect_io_error([&] { (void)f.read_all(); }).errno_value() == EBADF);
  CHECK(expect_io_error([&] { f.fsync(); }).errno_value() == EBADF);
  CHECK(expect_io_error([&] { f.fdatasync(); }).errno_value() == EBADF);
  CHECK(expect_io_error([&] { f.truncate(0); }).errno_value() == EBADF);
  CHECK(expect_io_error([&] { f.allocate(0, 1); }).errno_value() == EBADF);
  CHECK(expect_io_error([&] { (void)f.stat(); }).errno_value() == EBADF);
  const io_error e = expect_io_error([&] { f.close(); });
  CHECK(e.errno_value() == EBADF);
  CHECK(e.path() == path);
}

TEST_CASE("O_DIRECT with aligned buffers reads back what it wrote", "[file]") {
  volume vol = test_volume();
  const std::string path = unique_path("direct");
  const scoped_remove cleanup(vol, path);
  constexpr std::size_t size = 1 * MiB;
  struct free_deleter {
    void operator()(void* p) const noexcept { std::free(p); }
  };
  const std::unique_ptr<void, free_deleter> out_mem(std::aligned_alloc(4096, size));
  const std::unique_ptr<void, free_deleter> in_mem(std::aligned_alloc(4096, size));
  REQUIRE(out_mem);
  REQUIRE(in_mem);
  const std::span out(static_cast<std::byte*>(out_mem.get()), size);
  const std::span in(static_cast<std::byte*>(in_mem.get()), size);
  fill_random(out, 41);

  {
    auto f = vol.create(path, {.direct = true});
    f.pwrite_all(out, 0);
    f.pwrite_all(out.first(4096), size);  // a second, aligned, offset
    f.fsync();
    f.close();
  }
  auto f = vol.open(path, {.access = access_mode::read_only, .direct = true});
  CHECK(f.stat().size == size + 4096);
  f.pread_all(in, 0);
  CHECK(std::memcmp(in.data(), out.data(), size) == 0);
  f.pread_all(in.first(4096), size);
  CHECK(std::memcmp(in.data(), out.data(), 4096) == 0);
  f.close();
}
