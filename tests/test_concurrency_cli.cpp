// The command line and the summary of queued cases: --queue-depth,
// --threads, --runtime, --ramp-up, --read-percent, --flush-interval,
// --continue-on-error and --workload, what they put in the matrix, what
// they refuse and why; and the scaling table with its knee.

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "gfbench/case.hpp"
#include "gfbench/suite.hpp"
#include "gfbench/workloads.hpp"
#include "results/results.hpp"
#include "results/scaling_table.hpp"
#include "support/cli_rejection.hpp"

using Catch::Matchers::Contains;
using gfbench::operation;
using gfbench::app::case_summary;
using gfbench::app::find_knee;
using gfbench::app::format_scaling;
using gfbench::app::parse_cli;
using gfbench::app::scaling_point;
using gfbench::app::usage_error;
using gfbench::testing::rejection;
using namespace std::chrono_literals;

namespace {

constexpr std::uint64_t MiB = 1024 * 1024;

// A queued case's results, as the collector would hold them.
case_summary queued(std::string target, unsigned qd, unsigned threads, double iops,
                    double p99_us = 1000) {
  case_summary c;
  c.name = target + "/random_read/size:64MiB/bs:4KiB/cache:cold/qd:" + std::to_string(qd) +
           "/threads:" + std::to_string(threads);
  c.target = std::move(target);
  c.operation = "random_read";
  c.cache = "cold";
  c.file_size = 64 * MiB;
  c.block_size = 4096;
  c.queue_depth = qd;
  c.threads = threads;
  c.bytes_per_second = {iops * 4096};
  c.counters["IOPS"] = {iops};
  c.latencies = {{.p50_us = p99_us / 3, .p99_us = p99_us, .max_us = p99_us * 2}};
  return c;
}

}  // namespace

TEST_CASE("--queue-depth and --threads make every case queued, one per pair", "[unit]") {
  const auto o =
      parse_cli({"--volume", "v", "--ops", "randread,randrw", "--sizes", "64MiB", "--queue-depth",
                 "1,8,32", "--threads", "1,4", "--runtime", "10", "--ramp-up", "2",
                 "--read-percent", "50", "--flush-interval", "1.5", "--continue-on-error"});
  const auto m = o.matrix();
  CHECK(m.options.queued);
  CHECK(m.queue_depths == std::vector<unsigned>{1, 8, 32});
  CHECK(m.thread_counts == std::vector<unsigned>{1, 4});
  CHECK(m.options.runtime == 10s);
  CHECK(m.options.ramp_up == 2s);
  CHECK(m.options.read_percent == 50);
  CHECK(m.options.flush_interval == 1500ms);
  CHECK(m.options.continue_on_error);
  CHECK(m.operations == std::vector<operation>{operation::random_read, operation::random_rw});
  // --iodepth is fio's name for it; --threads alone queues at depth 1.
  CHECK(parse_cli({"--volume", "v", "--iodepth", "4"}).matrix().queue_depths ==
        std::vector<unsigned>{4});
  const auto threads_only = parse_cli({"--volume", "v", "--threads", "2"}).matrix();
  CHECK(threads_only.options.queued);
  CHECK(threads_only.queue_depths == std::vector<unsigned>{1});
  // --mix alone asks for random_rw, as fio's rwmixread goes with randrw.
  const auto mixed = parse_cli({"--volume", "v", "--mix", "30", "--qd", "8"}).matrix();
  CHECK(mixed.operations == std::vector<operation>{operation::random_rw});
  CHECK(mixed.options.read_percent == 30);
  // Without them, nothing is queued: IOzone's loop.
  CHECK_FALSE(parse_cli({"--volume", "v"}).matrix().options.queued);
}

TEST_CASE("--workload sets its operation, block, depth, threads and image, and may be swept",
          "[unit]") {
  const auto* w = gfbench::find_vm_workload("sql-oltp-8k");
  REQUIRE(w != nullptr);
  const auto m = parse_cli({"--volume", "v", "--workload", "sql-oltp-8k"}).matrix();
  CHECK(m.workload == "sql-oltp-8k");
  CHECK(m.operations == std::vector<operation>{w->op});
  CHECK(m.block_sizes == std::vector<std::uint64_t>{w->block_size});
  CHECK(m.queue_depths == std::vector<unsigned>{w->queue_depth});
  CHECK(m.thread_counts == std::vector<unsigned>{w->threads});
  CHECK(m.file_sizes == std::vector<std::uint64_t>{gfbench::vm_image_default_size});
  CHECK(m.options.direct);  // QEMU's cache=none
  CHECK(m.options.read_percent == w->read_percent);
  CHECK(m.options.runtime == gfbench::vm_default_runtime);
  CHECK(m.options.ramp_up == gfbench::vm_default_ramp_up);
  CHECK(m.options.flush_interval == gfbench::vm_flush_interval);

  const auto swept = parse_cli({"--volume", "v", "--workload", "oltp-4k", "--queue-depth", "1,32",
                                "--sizes", "256MiB", "--runtime", "5"})
                         .matrix();
  CHECK(swept.queue_depths == std::vector<unsigned>{1, 32});
  CHECK(swept.file_sizes == std::vector<std::uint64_t>{256 * MiB});
  CHECK(swept.options.runtime == 5s);
  // Every named workload has a source and runs as registered.
  for (const auto& each : gfbench::vm_workloads()) {
    INFO(each.name);
    CHECK_FALSE(each.source.empty());
    CHECK_NOTHROW(parse_cli({"--volume", "v", "--workload", std::string(each.name)}));
  }
}

TEST_CASE("concurrency flags that cannot work are refused, naming the flag", "[unit]") {
  CHECK_THAT(rejection({"--qd", "0"}), Contains("--queue-depth") && Contains("1 to 1024"));
  CHECK_THAT(rejection({"--threads", "1,1"}), Contains("--threads") && Contains("twice"));
  CHECK_THAT(rejection({"--threads", "300"}), Contains("1 to 256"));
  CHECK_THAT(rejection({"--runtime", "10"}), Contains("--runtime needs --queue-depth"));
  CHECK_THAT(rejection({"--qd", "4", "--ramp-up", "1"}), Contains("--ramp-up needs --runtime"));
  CHECK_THAT(rejection({"--qd", "4", "--ops", "randread", "--read-percent", "50"}),
             Contains("--read-percent") && Contains("random_rw"));
  CHECK_THAT(rejection({"--qd", "4", "--ops", "randrw", "--read-percent", "101"}),
             Contains("0 to 100"));
  CHECK_THAT(rejection({"--workload", "oltp"}),
             Contains("--workload") && Contains("oltp-4k") && Contains("seq-read-1m"));
  CHECK_THAT(rejection({"--workload", "oltp-4k", "--ops", "read"}),
             Contains("--ops does not go with --workload"));
  CHECK_THAT(rejection({"--qd", "64", "--sizes", "64KiB"}),
             Contains("64KiB") && Contains("fewer than") && Contains("queue depth 64"));
  CHECK_THAT(rejection({"--qd", "4", "--block-sizes", "1000", "--sizes", "1000000"}),
             Contains("multiples of 512"));
  CHECK_THAT(rejection({"--qd", "4", "--close"}), Contains("--close does not go with"));
  CHECK_THAT(rejection({"--volume", "v", "--read-only", "--files", "/f", "--qd", "4"}),
             Contains("do not go with --read-only"));
  CHECK_THAT(rejection({"--continue-on-error=yes"}), Contains("takes no value"));
}

TEST_CASE("the knee is the fewest requests in flight that reach 90 % of the best IOPS", "[unit]") {
  CHECK_FALSE(find_knee({}));
  CHECK_FALSE(find_knee({{1, 100}}));
  // Saturates at 8: 16 and 32 add less than the 10 % left.
  CHECK(find_knee({{1, 100}, {4, 300}, {8, 950}, {16, 1000}, {32, 990}}) == 2u);
  // A dip on the way (noise) does not stop the search early.
  CHECK(find_knee({{1, 100}, {2, 95}, {8, 400}, {32, 420}}) == 2u);
  // Only the deepest gets there: no knee, it may scale further.
  CHECK_FALSE(find_knee({{1, 100}, {2, 200}, {4, 400}}));
  // Flat from the start: one request in flight is as good as any.
  CHECK(find_knee({{1, 1000}, {8, 1000}, {32, 1005}}) == 0u);
}

TEST_CASE("the scaling table lists each step and names the knee", "[unit]") {
  const std::vector<case_summary> cases{
      queued("gfapi", 1, 1, 7000, 230), queued("gfapi", 8, 1, 11000, 2100),
      queued("gfapi", 32, 1, 11500, 9000), queued("gfapi", 32, 4, 11200, 40000)};
  const std::string out = format_scaling(cases);
  INFO(out);
  CHECK_THAT(out, Contains("gfapi  random_read:cold  64MiB file, 4KiB blocks"));
  CHECK_THAT(out, Contains("qd  threads  in flight    IOPS"));
  CHECK_THAT(out, Contains("  8        1          8  11,000   43.0"));
  CHECK_THAT(out, Contains("knee: 8 in flight (qd 8 x 1 thread)"));
  // 128 in flight on a Gluster client: nothing in Gluster limits them.
  CHECK_THAT(out, Contains("requests in flight above 64"));
  // A single concurrency has no scale to show; IOzone-loop cases none.
  CHECK(format_scaling({queued("gfapi", 8, 1, 11000)}).empty());
  case_summary loop = queued("gfapi", 0, 0, 100);
  CHECK(format_scaling({loop, loop}).empty());
}
