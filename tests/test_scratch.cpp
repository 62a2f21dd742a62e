// A run's own directory on a target (gfbench/scratch.hpp): a unique name
// made exclusively, files created exclusively and recorded, and removal
// that unlinks only what it recorded, leaving anything else where it is.

#include <benchmark/benchmark.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "gfbench/error.hpp"
#include "gfbench/scratch.hpp"
#include "gfbench/suite.hpp"
#include "gfbench/target.hpp"
#include "support/temp_dir.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using gfbench::scratch_area;
namespace fs = std::filesystem;

TEST_CASE("a scratch root must be absolute, normalised and without '..'", "[unit]") {
  CHECK_NOTHROW(gfbench::validate_scratch_root("/.gfbench"));
  CHECK_NOTHROW(gfbench::validate_scratch_root("/a/b/c"));
  CHECK_THROWS_WITH(gfbench::validate_scratch_root("rel"), Contains("absolute"));
  CHECK_THROWS_WITH(gfbench::validate_scratch_root(""), Contains("absolute"));
  CHECK_THROWS_WITH(gfbench::validate_scratch_root("/a/../b"), Contains("'..'"));
  CHECK_THROWS_WITH(gfbench::validate_scratch_root("/a//b"), Contains("normalised"));
  CHECK_THROWS_WITH(gfbench::validate_scratch_root("/a/./b"), Contains("normalised"));
}

TEST_CASE("scratch areas get unique names under the root, made on demand", "[unit]") {
  const gfbench::testing::temp_dir dir("gfbench-scratch");
  auto where = gfbench::make_posix_target(dir.path(), "local");
  scratch_area a(*where, "/runs/gfbench");
  scratch_area b(*where, "/runs/gfbench");
  CHECK_THAT(a.path(), StartsWith("/runs/gfbench/run-"));
  CHECK(a.path() != b.path());
  CHECK(fs::is_directory(dir.path() / a.path().substr(1)));
  CHECK(a.file_path("f") == a.path() + "/f");
}

TEST_CASE("a scratch area creates exclusively and removes only what it created", "[unit]") {
  const gfbench::testing::temp_dir dir("gfbench-scratch");
  auto where = gfbench::make_posix_target(dir.path(), "local");
  std::string area_path;
  {
    scratch_area area(*where, "/.gfbench");
    area_path = area.path();
    auto f = area.create_file("mine", {.access = gfbench::access_mode::write_only});
    f->close();
    CHECK(area.has_file("mine"));
    // Exclusive: a second create of the same name fails and keeps the file.
    CHECK_THROWS_AS(area.create_file("mine", {.exclusive = false}), gfbench::io_error);
    // Plain names only, and only names it created may be removed.
    CHECK_THROWS_WITH(area.create_file("a/b", {}), Contains("plain name"));
    CHECK_THROWS_WITH(area.remove_file("theirs"), Contains("was not created"));
    // Someone else's file inside the area: removal must leave it, and so
    // the directory too.
    std::ofstream(dir.path() / area_path.substr(1) / "theirs") << "not gfbench's";
    CHECK_THROWS_AS(area.remove(), gfbench::io_error);  // rmdir: not empty
  }
  CHECK_FALSE(fs::exists(dir.path() / area_path.substr(1) / "mine"));
  CHECK(fs::exists(dir.path() / area_path.substr(1) / "theirs"));
  // The root it made stays, since it is not empty.
  CHECK(fs::is_directory(dir.path() / ".gfbench"));
}

TEST_CASE("removal takes the root directories it made, when empty, and keep keeps all", "[unit]") {
  const gfbench::testing::temp_dir dir("gfbench-scratch");
  auto where = gfbench::make_posix_target(dir.path(), "local");
  {
    scratch_area area(*where, "/deep/root");
    area.create_file("f", {})->close();
  }
  CHECK_FALSE(fs::exists(dir.path() / "deep"));
  std::string kept;
  {
    scratch_area area(*where, "/deep/root");
    area.create_file("f", {})->close();
    area.keep(true);
    kept = area.path();
  }
  CHECK(fs::exists(dir.path() / kept.substr(1) / "f"));
  // A root that was there before is left, even empty.
  fs::create_directories(dir.path() / "theirs");
  { scratch_area area(*where, "/theirs"); }
  CHECK(fs::is_directory(dir.path() / "theirs"));
  CHECK(fs::is_empty(dir.path() / "theirs"));
}

TEST_CASE("a target whose scratch area cannot be made fails registration; clean-up still works",
          "[unit]") {
  gfbench::testing::temp_dir good_dir;
  gfbench::testing::temp_dir bad_dir;
  // A file where the scratch root would go: its directory cannot be made.
  std::ofstream(bad_dir.path() / ".gfbench") << "not a directory";
  auto good = gfbench::make_posix_target(good_dir.path(), "good");
  auto bad = gfbench::make_posix_target(bad_dir.path(), "bad");
  gfbench::benchmark_matrix m;
  m.operations = {gfbench::operation::write};
  m.file_sizes = {64 * 1024};
  m.block_sizes = {4096};
  {
    gfbench::suite s;
    CHECK_THROWS(s.register_matrix({good.get(), bad.get()}, m));
    CHECK(std::filesystem::exists(good_dir.path() / ".gfbench"));
    CHECK_NOTHROW(s.cleanup());  // took a null area for one before
    CHECK_NOTHROW(s.keep_files(false));
  }
  benchmark::ClearRegisteredBenchmarks();
  CHECK_FALSE(std::filesystem::exists(good_dir.path() / ".gfbench"));
  CHECK(std::filesystem::is_regular_file(bad_dir.path() / ".gfbench"));
}
