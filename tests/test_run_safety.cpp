// The program's free-space rule (run_safety.hpp): what a run needs on each
// target, and a refusal that names the target, the need and what is free.

#include <catch2/catch.hpp>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "gfbench/error.hpp"
#include "gfbench/suite.hpp"
#include "gfbench/target.hpp"
#include "gfbench/target_wrapper.hpp"
#include "run/run_safety.hpp"
#include "support/temp_dir.hpp"

using Catch::Matchers::Contains;
using namespace std::chrono_literals;

namespace {

constexpr std::uint64_t MiB = 1024 * 1024;

// A real directory under another name, with a statvfs answer of the
// test's choosing; everything else goes to the directory.
gfbench::target& some_directory() {
  static const gfbench::testing::temp_dir dir("gfbench-fake-target");
  static const auto posix = gfbench::make_posix_target(dir.path());
  return *posix;
}

class fake_target final : public gfbench::target_wrapper {
 public:
  explicit fake_target(std::string name, gfbench::space_info space = {})
      : target_wrapper(some_directory()), name_(std::move(name)), space_(space) {}
  const std::string& label() const noexcept override { return name_; }
  std::string describe() const override { return "fake " + name_; }
  gfbench::space_info statvfs() override { return space_; }

 private:
  std::string name_;
  gfbench::space_info space_;
};

gfbench::benchmark_matrix matrix(std::vector<std::uint64_t> sizes,
                                 std::vector<gfbench::operation> ops) {
  gfbench::benchmark_matrix m;
  m.file_sizes = std::move(sizes);
  m.operations = std::move(ops);
  m.block_sizes = {4096};
  m.read_cache_modes = {gfbench::cache_mode::warm, gfbench::cache_mode::cold};
  return m;
}

}  // namespace

TEST_CASE("a run needs its largest file, or every case's file with --keep", "[unit]") {
  using gfbench::operation;
  const auto m = matrix({1 * MiB, 10 * MiB, 100 * MiB},
                        {operation::write, operation::rewrite, operation::read});
  CHECK(gfbench::bytes_needed(m, false) == 100 * MiB);
  // write, rewrite, read:warm, read:cold: four cases per size.
  CHECK(gfbench::bytes_needed(m, true) == 4 * 111 * MiB);
  CHECK(gfbench::bytes_needed(matrix({}, {operation::write}), true) == 0);
  // The margin: 16 MiB, or 5% when that is more; never an overflow.
  CHECK(gfbench::free_space_required(0) == 16 * MiB);
  CHECK(gfbench::free_space_required(100 * MiB) == 116 * MiB);
  CHECK(gfbench::free_space_required(1000 * MiB) == 1050 * MiB);
  CHECK(gfbench::free_space_required(UINT64_MAX - 1) == UINT64_MAX);
}

TEST_CASE("the free-space check refuses, naming target, need and what is free", "[unit]") {
  using gfbench::operation;
  fake_target small("small",
                    {.total_bytes = 64 * MiB, .available_bytes = 60 * MiB, .total_files = 1000});
  const auto m = matrix({32 * MiB, 64 * MiB}, {operation::write});
  std::vector<gfbench::target*> targets{&small};
  try {
    gfbench::app::check_free_space(targets, m, false);
    FAIL("a 64 MiB file on 60 MiB was accepted");
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    CHECK_THAT(what, Contains("fake small"));
    CHECK_THAT(what, Contains("needs 64.0 MiB (67108864 bytes)"));
    CHECK_THAT(what, Contains("80.0 MiB (83886080 bytes) with the margin"));
    CHECK_THAT(what, Contains("60.0 MiB (62914560 bytes) is available"));
  }
  CHECK_NOTHROW(
      gfbench::app::check_free_space(targets, matrix({32 * MiB}, {operation::write}), false));

  // gfapi and the FUSE mount of one volume report the same totals: with
  // --keep their files add up.
  fake_target gfapi("gfapi",
                    {.total_bytes = 1024 * MiB, .available_bytes = 500 * MiB, .total_files = 7});
  fake_target fuse("fuse",
                   {.total_bytes = 1024 * MiB, .available_bytes = 500 * MiB, .total_files = 7});
  targets = {&gfapi, &fuse};
  const auto keep = matrix({100 * MiB}, {operation::write, operation::read});  // 3 cases
  const auto verdicts = gfbench::app::assess_free_space(targets, keep, true);
  REQUIRE(verdicts.size() == 1);
  CHECK(verdicts[0].need == 600 * MiB);
  CHECK_FALSE(verdicts[0].enough());
  CHECK_THAT(verdicts[0].targets, Contains("fake gfapi") && Contains("fake fuse"));
  CHECK(gfbench::app::assess_free_space(targets, keep, false).size() == 2);
}
