// Bad input through the gfbench binary, as a user types it: every mistake
// gets a clear message naming the bad value, exit status 2 for a bad command
// line and 1 for what only fails at run time, within 10 s, without a crash
// and without leaving anything on the volume.

#include <unistd.h>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "support/test_cluster.hpp"
#include "support/tool_runner.hpp"

using Catch::Matchers::Contains;
using gfbench::testing::cluster;
using gfbench::testing::list_volume;
using gfbench::testing::run_tool;
using gfbench::testing::silent_listener;
using gfbench::testing::single_volume;
using gfbench::testing::test_volume;
using gfbench::testing::tool_result;
using gfbench::testing::volume_args;

namespace {

constexpr int usage = 2;
constexpr int runtime = 1;

// Runs gfbench and checks what every bad input must give: the exit status,
// well inside 10 s, a message naming `names`, no crash, nothing written to
// the test volume.
tool_result expect_rejected(const std::vector<std::string>& args, int status,
                            const std::string& names) {
  auto vol = test_volume();
  const auto before = list_volume(vol);
  const tool_result r = run_tool(args, std::chrono::seconds(30));
  std::string line = "gfbench";
  for (const auto& a : args) line += " " + a;
  INFO(line << "\n  exit " << r.exit_code << " after " << r.seconds << " s\n  stderr: " << r.err);
  WARN(line << "  ->  exit " << r.exit_code << " in " << r.seconds << " s: " << r.err);
  CHECK_FALSE(r.timed_out);
  CHECK(r.exit_code == status);
  CHECK(r.seconds < 10.0);
  CHECK_THAT(r.err, Contains("gfbench: "));
  CHECK_THAT(r.err, Contains(names));
  CHECK_THAT(r.err, !Contains("AddressSanitizer") && !Contains("runtime error"));
  CHECK(list_volume(vol) == before);
  return r;
}

std::vector<std::string> with_volume(std::vector<std::string> extra) {
  auto args = volume_args(single_volume);
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

}  // namespace

TEST_CASE("bad command lines are refused with status 2, naming the bad value", "[badinput]") {
  cluster();  // every case points at a real volume: a slip would touch it
  SECTION("unknown flag") { expect_rejected(with_volume({"--frobnicate"}), usage, "--frobnicate"); }
  SECTION("missing flag value") {
    expect_rejected(with_volume({"--sizes"}), usage, "--sizes needs a value");
  }
  SECTION("missing value before another flag") {
    expect_rejected(with_volume({"--block-sizes", "--verify"}), usage,
                    "--block-sizes needs a value");
  }
  SECTION("size 0") { expect_rejected(with_volume({"--sizes", "0"}), usage, "\"0\""); }
  SECTION("negative size") { expect_rejected(with_volume({"--sizes=-1MiB"}), usage, "\"-1MiB\""); }
  SECTION("size not a number") {
    expect_rejected(with_volume({"--sizes", "lots"}), usage, "\"lots\"");
  }
  SECTION("unknown size suffix") {
    expect_rejected(with_volume({"--sizes", "10XB"}), usage, "\"10XB\"");
  }
  SECTION("size beyond 64 bits") {
    expect_rejected(with_volume({"--sizes", "18446744073709551616"}), usage,
                    "\"18446744073709551616\"");
    expect_rejected(with_volume({"--sizes", "20000000TiB"}), usage, "\"20000000TiB\"");
  }
  SECTION("block size larger than the file") {
    expect_rejected(with_volume({"--sizes", "4KiB", "--block-sizes", "8KiB"}), usage, "\"8KiB\"");
  }
  SECTION("block size not dividing the file size") {
    expect_rejected(with_volume({"--sizes", "10KiB", "--block-sizes", "4KiB"}), usage,
                    "does not divide file size \"10KiB\"");
  }
  SECTION("O_DIRECT with an unaligned block size") {
    expect_rejected(with_volume({"--direct", "--sizes", "1MiB", "--block-sizes", "512"}), usage,
                    "\"512\"");
  }
  SECTION("port out of range") {
    expect_rejected({"--volume", std::string(single_volume), "--server", "127.1.1.1:70000"}, usage,
                    "\"70000\"");
    expect_rejected({"--volume", std::string(single_volume), "--server", "127.1.1.1:0"}, usage,
                    "\"0\"");
  }
  SECTION("unknown transport") {
    expect_rejected(with_volume({"--transport", "sctp"}), usage, "\"sctp\"");
  }
  SECTION("relative scratch directory") {
    expect_rejected(with_volume({"--scratch-dir", "gfbench-here"}), usage, "\"gfbench-here\"");
  }
  SECTION("scratch directory escaping with ..") {
    expect_rejected(with_volume({"--scratch-dir", "/.gfbench/../etc"}), usage,
                    "\"/.gfbench/../etc\"");
  }
  SECTION("bad values of Google Benchmark's flags") {
    expect_rejected(with_volume({"--benchmark_repetitions=-3"}), usage,
                    "--benchmark_repetitions \"-3\"");
    expect_rejected(with_volume({"--benchmark_repetitions=0"}), usage, "at least 1");
    expect_rejected(with_volume({"--benchmark_format=xml"}), usage, "--benchmark_format \"xml\"");
    expect_rejected(with_volume({"--benchmark_out_format=xml"}), usage, "--benchmark_out_format");
    expect_rejected(with_volume({"--benchmark_time_unit=h"}), usage, "--benchmark_time_unit");
    expect_rejected(with_volume({"--benchmark_report_aggregates_only=maybe"}), usage,
                    "--benchmark_report_aggregates_only \"maybe\"");
    expect_rejected(with_volume({"--benchmark_min_time=-1"}), usage, "--benchmark_min_time");
    expect_rejected(with_volume({"--benchmark_repetitions=abc"}), usage,
                    "--benchmark_repetitions: Google Benchmark did not take this flag");
    expect_rejected(with_volume({"--benchmark_out=/no/such/dir/runs.json"}), usage,
                    "--benchmark_out /no/such/dir/runs.json");
  }
  SECTION("operation timeout of zero") {
    expect_rejected(with_volume({"--op-timeout", "0"}), usage, "--op-timeout \"0\"");
  }
  SECTION("bad faults, sandbox layouts and volume options") {
    const std::vector<std::string> timed{"--workload", "oltp-4k"};
    const auto zero_config = [&](std::vector<std::string> extra) {
      std::vector<std::string> args = timed;
      args.insert(args.end(), extra.begin(), extra.end());
      return args;
    };
    expect_rejected(zero_config({"--fault", "hang-node"}), usage, "--fault \"hang-node\"");
    expect_rejected(zero_config({"--fault", "melt-brick:1@1s+1s"}), usage, "\"melt-brick\"");
    expect_rejected(zero_config({"--fault", "hang-brick:0@1s+1s"}), usage, "\"0\"");
    expect_rejected(zero_config({"--fault", "hang-brick:1@soon+1s"}), usage, "START");
    expect_rejected(zero_config({"--fault", "hang-brick:1@1s+0s"}), usage, "DURATION");
    expect_rejected(zero_config({"--fault", "slow-brick:1@1s+5s"}), usage, ":20ms");
    expect_rejected(zero_config({"--fault", "kill-brick:1@1s+5s:20ms"}), usage,
                    "only slow-brick takes an argument");
    expect_rejected(zero_config({"--fault", "hang-node:2@1s+5s"}), usage, "--sandbox replica2");
    expect_rejected(zero_config({"--sandbox", "replica2", "--fault", "hang-brick:1@1s+5s",
                                 "--fault", "kill-brick:1@3s+5s"}),
                    usage, "the same host at the same time");
    expect_rejected({"--fault", "hang-brick:1@1s+5s"}, usage, "time-based passes");
    expect_rejected(
        with_volume({"--runtime", "5", "--threads", "1", "--fault", "hang-brick:1@1s+5s"}), usage,
        "--fault is for the volume gfbench's own sandbox makes");
    expect_rejected(zero_config({"--until-healed"}), usage, "--until-healed");
    expect_rejected(zero_config({"--heal-timeout", "5"}), usage, "--heal-timeout");
    expect_rejected(zero_config({"--sandbox", "raid5"}), usage, "--sandbox \"raid5\"");
    expect_rejected(with_volume({"--sandbox", "replica2"}), usage, "--sandbox is for the volume");
    expect_rejected(zero_config({"--volume-set", "ping-timeout=10"}), usage, "SECTION.NAME");
    expect_rejected(zero_config({"--volume-set", "network.ping-timeout"}), usage, "no '='");
    expect_rejected(zero_config({"--volume-set", "network.ping-timeout=10,,42"}), usage,
                    "a value is empty");
    expect_rejected(zero_config({"--volume-set", "network.ping-timeout=10,10"}), usage,
                    "listed twice");
    expect_rejected(zero_config({"--volume-set", "network.ping-timeout=10", "--volume-set",
                                 "network.ping-timeout=42"}),
                    usage, "given twice");
    expect_rejected(zero_config({"--volume-set", "a.b=1,2,3", "--volume-set", "c.d=1,2,3"}), usage,
                    "9 combinations");
    expect_rejected(
        zero_config({"--volume-set", "network.ping-timeout=soon", "--fault", "hang-brick:1@1s+5s"}),
        usage, "whole seconds");
  }
  SECTION("read-only without files, files without read-only, read-only writing") {
    expect_rejected(with_volume({"--read-only"}), usage, "--read-only needs --files");
    expect_rejected(with_volume({"--files", "/x"}), usage, "add --read-only");
    expect_rejected(with_volume({"--read-only", "--files", "/x", "--ops", "read,rewrite"}), usage,
                    "\"rewrite\"");
    expect_rejected(with_volume({"--read-only", "--files", "x"}), usage, "\"x\"");
    expect_rejected(with_volume({"--read-only", "--files", "/x", "--keep"}), usage, "--keep");
  }
}

TEST_CASE("volumes and servers that do not work fail with status 1 within 10 s", "[badinput]") {
  auto& sb = cluster();
  SECTION("no such volume") {
    expect_rejected({"--volume", "no-such-volume", "--server", "127.1.1.1", "--sizes", "1MiB"},
                    runtime, "no-such-volume");
  }
  SECTION("a stopped volume") {
    const std::string name = "gfbench-badinput-stopped-" + std::to_string(::getpid());
    sb.create_volume(name, 1);
    sb.stop_volume(name);
    const auto r = expect_rejected({"--volume", name, "--server", "127.1.1.1", "--sizes", "1MiB"},
                                   runtime, name);
    CHECK_THAT(r.err, Contains("started"));
    sb.delete_volume(name);
  }
  SECTION("a server name that does not resolve") {
    expect_rejected({"--volume", std::string(single_volume), "--server", "no-such-host.invalid",
                     "--sizes", "1MiB"},
                    runtime, "no-such-host.invalid");
  }
  SECTION("a first server that does not resolve, and a backup that works") {
    // As Proxmox falls back to its second server: a warning, then the run.
    const auto r = gfbench::testing::run_tool(
        {"--volume", std::string(single_volume), "--server", "down.invalid", "--server",
         "127.1.1.1", "--sizes", "64KiB", "--ops", "write", "--benchmark_repetitions=1", "--rows"});
    INFO(describe(r));
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.err, Contains("'down.invalid'") && Contains("trying the next"));
    CHECK_THAT(r.out, Contains("gfapi/write/size:64KiB"));
  }
  SECTION("a closed port") {
    expect_rejected(
        {"--volume", std::string(single_volume), "--server", "127.1.1.1:1", "--sizes", "1MiB"},
        runtime, "127.1.1.1:1");
  }
  SECTION("a server that accepts and never answers") {
    const auto port = std::to_string(silent_listener("127.1.1.1"));
    const auto r =
        expect_rejected({"--volume", std::string(single_volume), "--server", "127.1.1.1:" + port,
                         "--connect-timeout", "3", "--sizes", "1MiB"},
                        runtime, "127.1.1.1:" + port);
    CHECK_THAT(r.err, Contains("3000 ms"));
    CHECK(r.seconds >= 2.5);
  }
}
