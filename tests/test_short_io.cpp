// gfbench::file's I/O loops, driven through the private seam with a fake
// glfs_fd: what a real volume rarely produces on demand (short transfers,
// EINTR, a write that moves nothing, a close that fails) must be handled the
// way file.hpp promises. No volume is needed.

#include <glusterfs/api/glfs.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "client/connection.hpp"
#include "client/file_access.hpp"
#include "client/gfapi_seam.hpp"
#include "gfbench/error.hpp"
#include "gfbench/file.hpp"
#include "support/test_cluster.hpp"

using Catch::Matchers::Contains;
using gfbench::io_error;
using gfbench::testing::byte_difference;
using gfbench::testing::expect_io_error;
using gfbench::testing::random_bytes;

namespace {

// A file that lives in memory, behind the fake fd. The seam's entries are
// plain function pointers, so the fakes reach it through a global.
struct fake_file {
  std::vector<std::byte> data;
  // Successive transfers move at most these many bytes, cycling; empty: all.
  std::vector<std::size_t> transfer_limits;
  std::size_t transfers = 0;
  int eintr_before_success = 0;              // fail with EINTR this many times first
  std::size_t zero_writes_after = SIZE_MAX;  // bytes written before writes return 0
  std::size_t fail_writes_after = SIZE_MAX;  // bytes written before writes fail
  int write_errno = EIO;
  int fsync_errno = 0;
  int close_errno = 0;
  std::size_t written = 0;

  struct call {
    off_t offset;
    std::size_t count;
    ssize_t result;
  };
  std::vector<call> writes;
  std::vector<call> reads;
  int fsyncs = 0;
  int fdatasyncs = 0;
  int closes = 0;
  bool foreign_fd = false;  // a call came with another fd than the fake one
};

fake_file* current = nullptr;

glfs_fd_t* fake_fd() {
  static char token;
  return reinterpret_cast<glfs_fd_t*>(&token);
}

// A retry loop that never ends must fail the test, not hang it.
constexpr std::size_t max_calls = 100'000;

std::size_t next_limit(fake_file& f, std::size_t count) {
  if (f.transfer_limits.empty()) return count;
  const std::size_t limit = f.transfer_limits[f.transfers++ % f.transfer_limits.size()];
  return std::min(count, limit);
}

ssize_t fake_pwrite(glfs_fd_t* fd, const void* buf, size_t count, off_t offset, int,
                    struct glfs_stat*, struct glfs_stat*) noexcept {
  fake_file& f = *current;
  if (fd != fake_fd()) f.foreign_fd = true;
  auto record = [&](ssize_t result) {
    f.writes.push_back({offset, count, result});
    return result;
  };
  if (f.writes.size() >= max_calls) {
    errno = ELOOP;
    return record(-1);
  }
  if (f.eintr_before_success > 0) {
    --f.eintr_before_success;
    errno = EINTR;
    return record(-1);
  }
  if (f.written >= f.fail_writes_after) {
    errno = f.write_errno;
    return record(-1);
  }
  if (f.written >= f.zero_writes_after) return record(0);
  const std::size_t n = next_limit(f, count);
  const auto at = static_cast<std::size_t>(offset);
  if (f.data.size() < at + n) f.data.resize(at + n);
  std::memcpy(f.data.data() + at, buf, n);
  f.written += n;
  return record(static_cast<ssize_t>(n));
}

ssize_t fake_pread(glfs_fd_t* fd, void* buf, size_t count, off_t offset, int,
                   struct glfs_stat*) noexcept {
  fake_file& f = *current;
  if (fd != fake_fd()) f.foreign_fd = true;
  auto record = [&](ssize_t result) {
    f.reads.push_back({offset, count, result});
    return result;
  };
  if (f.reads.size() >= max_calls) {
    errno = ELOOP;
    return record(-1);
  }
  if (f.eintr_before_success > 0) {
    --f.eintr_before_success;
    errno = EINTR;
    return record(-1);
  }
  const auto at = static_cast<std::size_t>(offset);
  if (at >= f.data.size()) return record(0);
  const std::size_t n = next_limit(f, std::min(count, f.data.size() - at));
  std::memcpy(buf, f.data.data() + at, n);
  return record(static_cast<ssize_t>(n));
}

int fake_fsync(glfs_fd_t* fd, struct glfs_stat*, struct glfs_stat*) noexcept {
  fake_file& f = *current;
  if (fd != fake_fd()) f.foreign_fd = true;
  ++f.fsyncs;
  if (f.fsync_errno != 0) {
    errno = f.fsync_errno;
    return -1;
  }
  return 0;
}

int fake_fdatasync(glfs_fd_t* fd, struct glfs_stat*, struct glfs_stat*) noexcept {
  fake_file& f = *current;
  if (fd != fake_fd()) f.foreign_fd = true;
  ++f.fdatasyncs;
  if (f.fsync_errno != 0) {
    errno = f.fsync_errno;
    return -1;
  }
  return 0;
}

int fake_close(glfs_fd_t* fd) noexcept {
  fake_file& f = *current;
  if (fd != fake_fd()) f.foreign_fd = true;
  ++f.closes;
  if (f.close_errno != 0) {
    errno = f.close_errno;
    return -1;
  }
  return 0;
}

// Swaps the fakes into the seam for one test case and puts the real
// functions back afterwards. Handles declared in the test body are destroyed
// before it, so their destructors still meet the fake close.
struct fake_io {
  gfbench::detail::gfapi_seam saved = gfbench::detail::seam();
  fake_file disk;

  fake_io() {
    current = &disk;
    auto& s = gfbench::detail::seam();
    s.pwrite = &fake_pwrite;
    s.pread = &fake_pread;
    s.fsync = &fake_fsync;
    s.fdatasync = &fake_fdatasync;
    s.close = &fake_close;
  }
  fake_io(const fake_io&) = delete;
  fake_io& operator=(const fake_io&) = delete;
  ~fake_io() {
    gfbench::detail::seam() = saved;
    current = nullptr;
  }

  // A connection object only to name the volume in messages: no glfs_t, and
  // skip_fini so that its destruction does not call glfs_fini(nullptr).
  static std::shared_ptr<gfbench::detail::connection> fake_connection() {
    gfbench::volume_options options;
    options.volume = "fake-volume";
    options.skip_fini = true;
    return std::make_shared<gfbench::detail::connection>(options, nullptr,
                                                         std::chrono::nanoseconds{0});
  }

  static gfbench::file open_fake(std::string path = "/fake/file",
                                 gfbench::access_mode access = gfbench::access_mode::read_write) {
    return gfbench::detail::file_access::make(fake_connection(), fake_fd(), std::move(path),
                                              access);
  }
};

}  // namespace

TEST_CASE_METHOD(fake_io, "pwrite_all continues short writes at the right offsets", "[unit]") {
  disk.transfer_limits = {1, 7, 4096, 1000, 3};
  const auto data = random_bytes(10'000, 1);
  constexpr std::uint64_t base = 5000;
  {
    auto f = open_fake();
    f.pwrite_all(data, base);
    f.close();
  }
  REQUIRE(disk.data.size() == base + data.size());
  CHECK(std::equal(data.begin(), data.end(), disk.data.begin() + base));
  CHECK(std::all_of(disk.data.begin(), disk.data.begin() + base,
                    [](std::byte b) { return b == std::byte{0}; }));

  // Each call continues exactly where the previous one stopped, asking for
  // all that is left.
  REQUIRE(disk.writes.size() > 5);
  std::uint64_t expected_offset = base;
  for (const auto& w : disk.writes) {
    CHECK(static_cast<std::uint64_t>(w.offset) == expected_offset);
    CHECK(w.count == base + data.size() - expected_offset);
    REQUIRE(w.result > 0);
    expected_offset += static_cast<std::uint64_t>(w.result);
  }
  CHECK(expected_offset == base + data.size());
  CHECK_FALSE(disk.foreign_fd);
}

TEST_CASE_METHOD(fake_io, "pwrite_all and pread_all retry EINTR", "[unit]") {
  const auto data = random_bytes(4097, 2);
  auto f = open_fake();

  disk.eintr_before_success = 3;
  f.pwrite_all(data, 0);
  REQUIRE(disk.writes.size() == 4);
  for (const auto& w : disk.writes) {
    CHECK(w.offset == 0);
    CHECK(w.count == data.size());
  }
  CHECK(byte_difference(disk.data, data) == "");

  disk.eintr_before_success = 2;
  std::vector<std::byte> back(data.size());
  f.pread_all(back, 0);
  CHECK(disk.reads.size() == 3);
  CHECK(byte_difference(back, data) == "");
}

TEST_CASE_METHOD(fake_io, "a write that moves nothing fails with EIO instead of looping",
                 "[unit]") {
  disk.transfer_limits = {100};
  disk.zero_writes_after = 100;
  const auto data = random_bytes(1000, 3);
  auto f = open_fake("/fake/zero");
  const io_error e = expect_io_error([&] { f.pwrite_all(data, 7); });
  CHECK(e.errno_value() == EIO);
  CHECK(e.operation() == "glfs_pwrite");
  CHECK(e.volume() == "fake-volume");
  CHECK(e.path() == "/fake/zero");
  // The 100 bytes that went through are done; the failure is after them.
  REQUIRE(e.offset().has_value());
  CHECK(*e.offset() == 107u);
  CHECK(disk.writes.size() == 2);
}

TEST_CASE_METHOD(fake_io, "a write error names the offset of the chunk that failed", "[unit]") {
  disk.transfer_limits = {4096};
  disk.fail_writes_after = 8192;
  disk.write_errno = ENOSPC;
  const auto data = random_bytes(3 * 4096, 4);
  auto f = open_fake("/fake/full");
  const io_error e = expect_io_error([&] { f.pwrite_all(data, 1'000'000); });
  CHECK(e.errno_value() == ENOSPC);
  REQUIRE(e.offset().has_value());
  CHECK(*e.offset() == 1'000'000u + 8192u);
  CHECK_THAT(std::string(e.what()), Contains("offset=1008192"));
  CHECK_THAT(std::string(e.what()), Contains(std::strerror(ENOSPC)));
  CHECK(disk.writes.size() == 3);  // no retry of a real error
}

TEST_CASE_METHOD(fake_io, "pread_all continues short reads and fails at end of file", "[unit]") {
  disk.data = random_bytes(5000, 5);
  disk.transfer_limits = {1000, 1, 333};
  auto f = open_fake("/fake/short");

  SECTION("short reads are continued to the full buffer") {
    std::vector<std::byte> back(5000);
    f.pread_all(back, 0);
    CHECK(back == disk.data);
    CHECK(disk.reads.size() > 3);
  }
  SECTION("reaching the end first is EIO 'unexpected end of file' at the end offset") {
    std::vector<std::byte> back(2000);
    const io_error e = expect_io_error([&] { f.pread_all(back, 4000); });
    CHECK(e.errno_value() == EIO);
    CHECK(e.operation() == "glfs_pread");
    CHECK(e.path() == "/fake/short");
    REQUIRE(e.offset().has_value());
    CHECK(*e.offset() == 5000u);
    CHECK_THAT(std::string(e.what()), Contains("unexpected end of file"));
    // What could be read was read.
    CHECK(std::equal(back.begin(), back.begin() + 1000, disk.data.begin() + 4000));
  }
  SECTION("pread_some stops at the end of file and reports how much it read") {
    std::vector<std::byte> back(8192);
    CHECK(f.pread_some(back, 0) == 5000u);
    CHECK(std::equal(disk.data.begin(), disk.data.end(), back.begin()));
    CHECK(f.pread_some(back, 6000) == 0u);
  }
}

TEST_CASE_METHOD(fake_io, "a close error surfaces from close() and leaves the handle empty",
                 "[unit]") {
  disk.close_errno = EIO;
  {
    auto f = open_fake("/fake/close");
    const io_error e = expect_io_error([&] { f.close(); });
    CHECK(e.errno_value() == EIO);
    CHECK(e.operation() == "glfs_close");
    CHECK(e.volume() == "fake-volume");
    CHECK(e.path() == "/fake/close");
    CHECK_FALSE(f.is_open());
    CHECK(f.native_handle() == nullptr);
    CHECK(disk.closes == 1);

    // Closed is closed: no second glfs_close, neither now nor in the destructor.
    const io_error again = expect_io_error([&] { f.close(); });
    CHECK(again.errno_value() == EBADF);
    const io_error use = expect_io_error([&] { f.pwrite_all(random_bytes(1, 6), 0); });
    CHECK(use.errno_value() == EBADF);
    CHECK_THAT(std::string(use.what()), Contains("closed"));
  }
  CHECK(disk.closes == 1);
  CHECK(disk.writes.empty());
}

TEST_CASE_METHOD(fake_io, "the destructor closes once and swallows a close error", "[unit]") {
  disk.close_errno = EIO;
  // ~file is noexcept: were it to throw, std::terminate would end the run.
  CHECK_NOTHROW([&] { auto f = open_fake("/fake/dtor"); }());
  CHECK(disk.closes == 1);
  CHECK_FALSE(disk.foreign_fd);
}

TEST_CASE_METHOD(fake_io, "fsync and fdatasync errors surface with the path", "[unit]") {
  auto f = open_fake("/fake/sync");
  f.fsync();
  f.fdatasync();
  CHECK(disk.fsyncs == 1);
  CHECK(disk.fdatasyncs == 1);

  disk.fsync_errno = EIO;
  const io_error e = expect_io_error([&] { f.fsync(); });
  CHECK(e.errno_value() == EIO);
  CHECK(e.operation() == "glfs_fsync");
  CHECK(e.path() == "/fake/sync");
  const io_error d = expect_io_error([&] { f.fdatasync(); });
  CHECK(d.operation() == "glfs_fdatasync");
  CHECK(d.errno_value() == EIO);
}

TEST_CASE_METHOD(fake_io, "a moved-from handle refuses I/O without reaching libgfapi", "[unit]") {
  auto f = open_fake("/fake/moved");
  gfbench::file g(std::move(f));
  CHECK_FALSE(f.is_open());  // NOLINT(bugprone-use-after-move): the point of the test
  CHECK(g.is_open());
  CHECK(g.native_handle() == fake_fd());
  CHECK(g.path() == "/fake/moved");

  std::vector<std::byte> buffer(16);
  const io_error e = expect_io_error([&] { f.pread_all(buffer, 0); });
  CHECK(e.errno_value() == EBADF);
  CHECK_THAT(std::string(e.what()), Contains("moved"));
  CHECK(disk.reads.empty());

  g.close();
  CHECK(disk.closes == 1);
}

TEST_CASE_METHOD(fake_io, "a handle refuses I/O its access mode forbids, before libgfapi",
                 "[unit]") {
  // libgfapi's write-behind would acknowledge a write on a read-only fd.
  std::vector<std::byte> buffer(64);
  {
    auto ro = open_fake("/fake/ro", gfbench::access_mode::read_only);
    const io_error e = expect_io_error([&] { ro.pwrite_all(buffer, 4096); });
    CHECK(e.errno_value() == EBADF);
    CHECK(e.operation() == "glfs_pwrite");
    CHECK(e.path() == "/fake/ro");
    REQUIRE(e.offset().has_value());
    CHECK(*e.offset() == 4096u);
    CHECK_THAT(e.hint(), Contains("read-only"));
    disk.data = random_bytes(64, 7);
    ro.pread_all(buffer, 0);  // reading is what it is for
    CHECK(buffer == disk.data);
  }
  {
    auto wo = open_fake("/fake/wo", gfbench::access_mode::write_only);
    const io_error e = expect_io_error([&] { wo.pread_all(buffer, 0); });
    CHECK(e.errno_value() == EBADF);
    CHECK_THAT(e.hint(), Contains("write-only"));
    wo.pwrite_all(buffer, 0);
  }
  CHECK(disk.writes.size() == 1);  // only the write-only handle's write
  CHECK(disk.reads.size() == 1);   // only the read-only handle's read
  CHECK(disk.closes == 2);
}
