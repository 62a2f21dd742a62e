// The pieces of gfbench's safety that need no volume: the free-space rule,
// telling degraded volumes from the volfile and a pathinfo answer, the
// watchdog, the safety flags of the command line and the degraded summary.

#include <catch2/catch.hpp>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench/watched_scope.hpp"
#include "cli.hpp"
#include "client/brick_health.hpp"
#include "gfbench/error.hpp"
#include "gfbench/suite.hpp"
#include "gfbench/target.hpp"
#include "gfbench/target_wrapper.hpp"
#include "gfbench/watchdog.hpp"
#include "results.hpp"
#include "results_collector.hpp"
#include "run_safety.hpp"
#include "statistics.hpp"
#include "summary_table.hpp"
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

TEST_CASE("bricks are counted from the client volfile and a pathinfo answer", "[unit]") {
  const std::string volfile = R"(volume v-client-0
    type protocol/client
    option remote-subvolume /data/brick1
    option remote-host 10.0.0.1
end-volume

volume v-client-1
    type protocol/client
    option remote-host 10.0.0.2
    option remote-subvolume /data/brick1
end-volume

volume v-client-2
    type protocol/client
    option remote-host 10.0.0.3
    option remote-subvolume /data/arbiter
end-volume

volume v-snapd-client
    type protocol/client
    option remote-subvolume snapd-v
    option remote-host 10.0.0.1
end-volume

volume v-replicate-0
    type cluster/replicate
    subvolumes v-client-0 v-client-1 v-client-2
end-volume
)";
  const auto bricks = gfbench::detail::parse_volfile_bricks(volfile);
  REQUIRE(bricks.size() == 3);  // snapd is no brick
  CHECK(bricks[2].host == "10.0.0.3");
  CHECK(bricks[2].path == "/data/arbiter");

  const std::string all =
      "(<REPLICATE:v-replicate-0> <POSIX(/data/brick1):n1:/data/brick1/> "
      "<POSIX(/data/brick1):n2:/data/brick1/> <POSIX(/data/arbiter):n3:/data/arbiter/>)";
  const auto healthy =
      gfbench::detail::compare_bricks(bricks, gfbench::detail::parse_pathinfo_bricks(all));
  CHECK(healthy.expected == 3);
  CHECK(healthy.reachable == 3);
  CHECK_FALSE(healthy.degraded());

  // The arbiter is down: its path is unique, so it is named.
  const auto no_arbiter = gfbench::detail::compare_bricks(
      bricks, gfbench::detail::parse_pathinfo_bricks(
                  "(<REPLICATE:v-replicate-0> <POSIX(/data/brick1):n1:/data/brick1/> "
                  "<POSIX(/data/brick1):n2:/data/brick1/>)"));
  CHECK(no_arbiter.degraded());
  CHECK(no_arbiter.reachable == 2);
  CHECK(no_arbiter.unreachable == std::vector<std::string>{"10.0.0.3:/data/arbiter"});

  // One of two bricks sharing a path is down: counted, but not named.
  const auto one_data = gfbench::detail::compare_bricks(
      bricks,
      gfbench::detail::parse_pathinfo_bricks(
          "(<POSIX(/data/brick1):n1:/data/brick1/> <POSIX(/data/arbiter):n3:/data/arbiter/>)"));
  CHECK(one_data.reachable == 2);
  CHECK(one_data.degraded());
  CHECK(one_data.unreachable.empty());
}

TEST_CASE("the watchdog marks a call that runs too long, then gives up on it", "[unit]") {
  fake_target slow("slow");
  std::atomic<int> hangs{0};
  std::atomic<int> give_ups{0};
  gfbench::watchdog_options o;
  o.op_timeout = 150ms;
  o.give_up_after = 400ms;
  std::atomic<bool> first_report_right{false};
  o.on_hang = [&](const gfbench::hang_report& r) {
    if (hangs++ == 0) {
      first_report_right = r.operation == "pread" && r.path == "/scratch/f" &&
                           r.leftover == "/scratch" && r.offset == std::uint64_t{4096} &&
                           r.target == "fake slow" && r.waited >= 150ms;
    }
  };
  o.on_give_up = [&](const gfbench::hang_report&) { ++give_ups; };
  gfbench::configure_watchdog(o);
  CHECK(gfbench::operation_timeout() == 150ms);
  {
    gfbench::detail::watched_scope scope(slow, "/scratch/f", "/scratch");
    // Quick calls never trip it, however many.
    for (int i = 0; i < 1000; ++i) scope.call("pwrite", i, [] {});
    CHECK_FALSE(gfbench::target_hung(slow));

    try {
      scope.call("pread", 4096, [] { std::this_thread::sleep_for(700ms); });
      FAIL("a call of 700 ms passed a bound of 150 ms");
    } catch (const gfbench::io_error& e) {
      CHECK(e.errno_value() == ETIMEDOUT);
      CHECK(e.offset() == std::uint64_t{4096});
      CHECK_THAT(e.hint(), Contains("hung: did not return within"));
      CHECK_THAT(e.hint(), Contains("too late to count"));
    }
    CHECK(hangs == 1);
    CHECK(first_report_right);
    CHECK(give_ups == 1);
    CHECK(gfbench::target_hung(slow));

    // The call's own error is kept in the message.
    try {
      scope.call("fsync", {}, [] {
        std::this_thread::sleep_for(400ms);
        throw std::runtime_error("Transport endpoint is not connected");
      });
      FAIL("no error");
    } catch (const gfbench::io_error& e) {
      CHECK(e.errno_value() == ETIMEDOUT);
      CHECK_THAT(e.hint(), Contains("it then failed: Transport endpoint is not connected"));
    }
    CHECK(hangs == 2);
    // A call after the hung one is judged on its own.
    CHECK_NOTHROW(scope.call("close", {}, [] {}));
  }
  gfbench::detail::reset_hung_targets();
  CHECK_FALSE(gfbench::target_hung(slow));
  gfbench::configure_watchdog({});
  CHECK(gfbench::operation_timeout() == 60s);
}

TEST_CASE("--read-only, --files and --op-timeout", "[unit]") {
  using gfbench::app::parse_cli;
  const auto o =
      parse_cli(std::vector<std::string>{"--volume", "v", "--read-only", "--files", "/a,/b/c",
                                         "--files", "/d", "--op-timeout", "2.5"});
  CHECK(o.read_only);
  CHECK(o.files == std::vector<std::string>{"/a", "/b/c", "/d"});
  CHECK(o.operations == std::vector<gfbench::operation>{gfbench::operation::read});
  CHECK(o.op_timeout == 2500ms);
  CHECK(parse_cli(std::vector<std::string>{"--volume", "v"}).op_timeout == 60s);

  auto rejected = [](std::vector<std::string> args) {
    try {
      parse_cli(args);
    } catch (const gfbench::app::usage_error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK_THAT(rejected({"--volume", "v", "--read-only", "--files", "/a", "--ops", "randwrite"}),
             Contains("\"random_write\""));
  CHECK_THAT(rejected({"--volume", "v", "--read-only", "--files", "/a", "--sizes", "1MiB"}),
             Contains("--sizes does not go with --read-only"));
  CHECK_THAT(rejected({"--volume", "v", "--read-only", "--files", "/a", "--fsync"}),
             Contains("--fsync"));
  CHECK_THAT(rejected({"--read-only", "--files", "/a"}), Contains("--volume or --posix"));
  CHECK_THAT(rejected({"--volume", "v", "--read-only", "--files", "/a/../b"}), Contains("'..'"));
  CHECK_THAT(rejected({"--volume", "v", "--op-timeout", "-1"}), Contains("--op-timeout"));
  CHECK_THAT(rejected({"--volume", "v", "--read-only", "--files", "/a", "--direct", "--block-sizes",
                       "1000"}),
             Contains("\"1000\""));
}

TEST_CASE("the summary lists the cases that ran degraded", "[unit]") {
  std::vector<gfbench::app::case_summary> cases(2);
  cases[0].name = "gfapi/write/size:1MiB/bs:4KiB";
  cases[1].name = "gfapi/read/size:1MiB/bs:4KiB/cache:warm";
  CHECK(gfbench::app::format_degraded(cases).empty());
  cases[0].degraded = 2;
  const std::string text = gfbench::app::format_degraded(cases);
  CHECK_THAT(text, Contains("degraded cases"));
  CHECK_THAT(text, Contains("gfapi/write/size:1MiB/bs:4KiB: 2 repetitions degraded"));
  CHECK_THAT(text, !Contains("gfapi/read"));
}
