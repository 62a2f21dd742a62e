// Directory operations of gfbench::volume on a real single-brick volume,
// and, through the libgfapi seam, the failures a real volume rarely gives.

#include <glusterfs/api/glfs.h>

#include <dirent.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cerrno>
#include <string>
#include <utility>
#include <vector>

#include "client/gfapi_seam.hpp"
#include "gfbench/error.hpp"
#include "gfbench/volume.hpp"
#include "support/test_cluster.hpp"

using Catch::Matchers::Contains;
using gfbench::file_type;
using gfbench::io_error;
using gfbench::volume;
using gfbench::testing::as_bytes;
using gfbench::testing::expect_io_error;
using gfbench::testing::scoped_remove;
using gfbench::testing::test_volume;
using gfbench::testing::unique_path;

namespace {

void make_file(volume& vol, const std::string& path, std::string_view content = "x") {
  auto f = vol.create(path);
  f.pwrite_all(as_bytes(content), 0);
  f.close();
}

std::vector<std::pair<std::string, file_type>> sorted_listing(volume& vol,
                                                              const std::string& path) {
  std::vector<std::pair<std::string, file_type>> entries;
  for (const auto& e : vol.list(path)) entries.emplace_back(e.name, e.type);
  std::sort(entries.begin(), entries.end());
  return entries;
}

}  // namespace

TEST_CASE("mkdir creates a directory once; a second mkdir is EEXIST", "[dir]") {
  volume vol = test_volume();
  const std::string dir = unique_path("mkdir");
  const scoped_remove cleanup(vol, dir);
  CHECK_FALSE(vol.exists(dir));
  vol.mkdir(dir, 0750);
  REQUIRE(vol.exists(dir));
  const auto st = vol.stat(dir);
  CHECK(st.type == file_type::directory);
  CHECK(st.permissions == 0750u);
  CHECK(vol.list(dir).empty());

  const io_error e = expect_io_error([&] { vol.mkdir(dir); });
  CHECK(e.errno_value() == EEXIST);
  CHECK(e.path() == dir);

  const io_error orphan = expect_io_error([&] { vol.mkdir(dir + "/no/parent"); });
  CHECK(orphan.errno_value() == ENOENT);
}

TEST_CASE("list returns exactly the names and types in a directory", "[dir]") {
  volume vol = test_volume();
  const std::string dir = unique_path("list");
  const scoped_remove cleanup(vol, dir);
  vol.mkdir(dir);
  make_file(vol, dir + "/b-file");
  make_file(vol, dir + "/a-file");
  vol.mkdir(dir + "/c-dir");
  make_file(vol, dir + "/c-dir/nested");  // not listed: one level only

  const std::vector<std::pair<std::string, file_type>> expected{{"a-file", file_type::regular},
                                                                {"b-file", file_type::regular},
                                                                {"c-dir", file_type::directory}};
  CHECK(sorted_listing(vol, dir) == expected);
  CHECK(sorted_listing(vol, dir + "/c-dir") ==
        std::vector<std::pair<std::string, file_type>>{{"nested", file_type::regular}});

  const io_error e = expect_io_error([&] { (void)vol.list(dir + "/none"); });
  CHECK(e.errno_value() == ENOENT);
  CHECK(e.path() == dir + "/none");
}

TEST_CASE("mkdirs makes nested directories, is idempotent, refuses a file in the way", "[dir]") {
  volume vol = test_volume();
  const std::string top = unique_path("mkdirs");
  const scoped_remove cleanup(vol, top);
  const std::string deep = top + "/a/b/c";
  vol.mkdirs(deep);
  for (const auto& p : {top, top + "/a", top + "/a/b", deep}) {
    INFO(p);
    CHECK(vol.stat(p).type == file_type::directory);
  }
  CHECK_NOTHROW(vol.mkdirs(deep));              // all there already
  CHECK_NOTHROW(vol.mkdirs(deep + "/"));        // trailing slash
  CHECK_NOTHROW(vol.mkdirs(top + "//a//b/d"));  // doubled slashes
  CHECK(vol.stat(top + "/a/b/d").type == file_type::directory);

  make_file(vol, top + "/a/file");
  const io_error through = expect_io_error([&] { vol.mkdirs(top + "/a/file/x/y"); });
  CHECK(through.errno_value() == ENOTDIR);
  CHECK_THAT(std::string(through.what()), Contains(top + "/a/file"));
  const io_error onto = expect_io_error([&] { vol.mkdirs(top + "/a/file"); });
  CHECK(onto.errno_value() == ENOTDIR);
  CHECK(vol.stat(top + "/a/file").type == file_type::regular);
}

TEST_CASE("unlink removes a file; unlinking a missing one is ENOENT", "[dir]") {
  volume vol = test_volume();
  const std::string path = unique_path("unlink");
  const scoped_remove cleanup(vol, path);
  make_file(vol, path, "some bytes");
  REQUIRE(vol.exists(path));
  vol.unlink(path);
  CHECK_FALSE(vol.exists(path));
  CHECK(expect_io_error([&] { (void)vol.stat(path); }).errno_value() == ENOENT);
  const io_error e = expect_io_error([&] { vol.unlink(path); });
  CHECK(e.errno_value() == ENOENT);
  CHECK(e.path() == path);
}

TEST_CASE("rmdir refuses a non-empty directory and removes an empty one", "[dir]") {
  volume vol = test_volume();
  const std::string dir = unique_path("rmdir");
  const scoped_remove cleanup(vol, dir);
  vol.mkdir(dir);
  make_file(vol, dir + "/f");

  const io_error e = expect_io_error([&] { vol.rmdir(dir); });
  CHECK(e.errno_value() == ENOTEMPTY);
  CHECK(e.path() == dir);
  CHECK(vol.exists(dir + "/f"));

  CHECK(expect_io_error([&] { vol.rmdir(dir + "/f"); }).errno_value() == ENOTDIR);
  CHECK(expect_io_error([&] { vol.unlink(dir); }).errno_value() == EISDIR);

  vol.unlink(dir + "/f");
  vol.rmdir(dir);
  CHECK_FALSE(vol.exists(dir));
}

TEST_CASE("stat and exists describe files and directories", "[dir]") {
  volume vol = test_volume();
  const std::string dir = unique_path("stat");
  const scoped_remove cleanup(vol, dir);
  vol.mkdir(dir);
  make_file(vol, dir + "/five", "12345");

  const auto d = vol.stat(dir);
  const auto f = vol.stat(dir + "/five");
  CHECK(d.type == file_type::directory);
  CHECK(f.type == file_type::regular);
  CHECK(f.size == 5u);
  CHECK(f.links == 1u);
  CHECK(f.inode != 0u);
  CHECK(f.inode != d.inode);
  const auto age = std::chrono::system_clock::now() - f.modified;
  CHECK(age < std::chrono::minutes(5));
  CHECK(age > -std::chrono::minutes(5));
  CHECK(vol.exists(dir + "/five"));
  CHECK_FALSE(vol.exists(dir + "/six"));
  CHECK(vol.stat("/").type == file_type::directory);
  // exists() is false only for ENOENT: a path through a file is an error.
  CHECK(expect_io_error([&] { (void)vol.exists(dir + "/five/x"); }).errno_value() == ENOTDIR);
}

TEST_CASE("statvfs reports sane space figures", "[dir]") {
  volume vol = test_volume();
  const auto s = vol.statvfs();
  CHECK(s.total_bytes > 0u);
  CHECK(s.free_bytes > 0u);
  CHECK(s.total_bytes >= s.free_bytes);
  CHECK(s.free_bytes >= s.available_bytes);
  CHECK(s.total_files >= s.free_files);
  CHECK(s.total_files > 0u);
}

namespace {

// Counts the directory handles closed, and breaks a listing off after a
// number of entries with an errno of the test's choosing, through the seam.
struct faulty_listing {
  static inline int entries_before_failure = 0;
  static inline int failure_errno = 0;
  static inline int read = 0;
  static inline int closed = 0;
  gfbench::detail::gfapi_seam saved = gfbench::detail::seam();

  faulty_listing(int entries, int errno_value) {
    entries_before_failure = entries;
    failure_errno = errno_value;
    read = 0;
    closed = 0;
    auto& s = gfbench::detail::seam();
    s.readdir_r = [](glfs_fd_t* dir, struct dirent* entry, struct dirent** next) noexcept -> int {
      if (read++ >= entries_before_failure) {
        errno = failure_errno;
        return -1;
      }
      return ::glfs_readdir_r(dir, entry, next);
    };
    s.closedir = [](glfs_fd_t* dir) noexcept -> int {
      ++closed;
      return ::glfs_closedir(dir);
    };
  }
  ~faulty_listing() { gfbench::detail::seam() = saved; }
  faulty_listing(const faulty_listing&) = delete;
  faulty_listing& operator=(const faulty_listing&) = delete;
};

}  // namespace

TEST_CASE("a listing that breaks off fails naming the directory, and closes it", "[dir]") {
  volume vol = test_volume();
  const std::string dir = unique_path("broken-listing");
  const scoped_remove cleanup(vol, dir);
  vol.mkdir(dir);
  for (const char* name : {"a", "b", "c"}) make_file(vol, dir + "/" + name);
  {
    const faulty_listing fault(2, EIO);
    const io_error e = expect_io_error([&] { static_cast<void>(vol.list(dir)); });
    CHECK(e.errno_value() == EIO);
    CHECK(e.operation() == "glfs_readdir_r");
    CHECK(e.path() == dir);
    CHECK(faulty_listing::closed == 1);
  }
  // And a whole listing closes its handle exactly once too.
  {
    const faulty_listing counted(1000, EIO);
    CHECK(sorted_listing(vol, dir).size() == 3);
    CHECK(faulty_listing::closed == 1);
  }
}

TEST_CASE("a create that the volume refuses names the path, with what to do", "[dir]") {
  volume vol = test_volume();
  const gfbench::detail::gfapi_seam saved = gfbench::detail::seam();
  gfbench::detail::seam().creat = [](glfs_t*, const char*, int, mode_t) noexcept -> glfs_fd_t* {
    errno = ENOSPC;
    return nullptr;
  };
  const std::string path = unique_path("full");
  const io_error e = expect_io_error([&] { static_cast<void>(vol.create(path)); });
  gfbench::detail::seam() = saved;
  CHECK(e.errno_value() == ENOSPC);
  CHECK(e.operation() == "glfs_creat");
  CHECK(e.path() == path);
  CHECK_THAT(e.what(), Contains("the volume is full"));
  CHECK_FALSE(vol.exists(path));
}
