// gfbench when the cluster misbehaves, through the real binary: a brick
// killed in the middle of a write case (replicated: the run completes,
// verifies and reports the volume degraded; single brick: the case fails
// with ENOTCONN and the run ends), a brick that hangs (ended by
// network.ping-timeout, or marked by the watchdog, or given up on), a full
// brick (ENOSPC, and clean-up still works), and glusterd gone. Each test
// has a sandbox volume of its own and a bound on every wait.

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "gfbench/sandbox.hpp"
#include "support/test_cluster.hpp"
#include "support/tool_runner.hpp"

using Catch::Matchers::Contains;
using gfbench::testing::cluster;
using gfbench::testing::concat;
using gfbench::testing::describe;
using gfbench::testing::own_volume;
using gfbench::testing::remove_tree;
using gfbench::testing::run_tool;
using gfbench::testing::tool_process;
using gfbench::testing::tool_result;
using gfbench::testing::wait_for_case_file;
using gfbench::testing::what_it_said;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {

constexpr std::uint64_t MiB = 1024 * 1024;

double seconds_since(steady::time_point t) {
  return std::chrono::duration<double>(steady::now() - t).count();
}

std::vector<char> read_backend(const fs::path& p) {
  std::error_code ec;
  std::vector<char> bytes(static_cast<std::size_t>(fs::file_size(p, ec)));
  std::ifstream in(p, std::ios::binary);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!in) bytes.clear();
  return bytes;
}

// What gfbench made, with the brick back: the test's own clean-up, tried
// until the test's own connection has reconnected to the brick (bounded).
void remove_leftovers(own_volume& v) {
  const auto deadline = steady::now() + 60s;
  while (!remove_tree(v.vol(), "/.gfbench") && steady::now() < deadline) {
    std::this_thread::sleep_for(200ms);
  }
}

// A volume on which a write case is still under way well after it was
// seen to start: without write-behind every 4 KiB record waits for the
// brick's answer, so the 100 MiB or more after the point where a test
// strikes take a second or more on any machine, where the test needs
// milliseconds to strike. With write-behind a fast machine could finish
// the case in between.
gfbench::sandbox_volume_spec slow_writes(int bricks = 1, bool replicated = false) {
  return {
      .bricks = bricks,
      .layout = replicated ? gfbench::volume_layout::replicate : gfbench::volume_layout::distribute,
      .options = {{"performance.write-behind", "off"}}};
}

}  // namespace

TEST_CASE("replica 2, one brick killed mid-write: the run completes, verifies, says degraded",
          "[faults]") {
  auto& sb = cluster();
  own_volume v("gfbench-fault-replica", slow_writes(2, true));
  const std::string file = "write-96MiB-4KiB";
  tool_process p(concat(v.args(), {"--sizes", "96MiB", "--ops", "write", "--verify", "--keep",
                                   "--benchmark_repetitions=1", "--rows"}));
  const auto at = wait_for_case_file(v.bricks()[1], file, 8 * MiB, p);
  REQUIRE(at);
  sb.kill_brick(v.name(), 1);
  std::error_code ec;
  const auto size_at_kill = fs::file_size(*at, ec);
  INFO("brick 1 killed with " << size_at_kill << " bytes of the file on it");
  REQUIRE(size_at_kill < 96 * MiB);  // really in the middle of the case

  const auto r = p.wait(300s);
  INFO(describe(r));
  WARN("replica 2, brick killed mid-write: exit " << r.exit_code << " after " << r.seconds << " s"
                                                  << what_it_said(r));
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.exit_code == 0);  // it completed, and --verify read every byte back
  CHECK_THAT(r.out, Contains("degraded=1"));
  CHECK_THAT(r.out, Contains("degraded cases") && Contains("gfapi/write/size:96MiB/bs:4KiB"));
  CHECK_THAT(r.err, Contains("1 of 2 bricks answer"));

  // The brick returns, self-heal copies what it missed: both copies match.
  const auto healing = steady::now();
  sb.restart_bricks(v.name());
  sb.wait_healed(v.name());
  WARN("brick restarted and healed in " << seconds_since(healing) << " s");
  const fs::path rel = fs::relative(*at, v.bricks()[1]);
  const auto copy0 = read_backend(v.bricks()[0] / rel);
  const auto copy1 = read_backend(v.bricks()[1] / rel);
  CHECK(copy0.size() == 96 * MiB);
  CHECK(copy1.size() == 96 * MiB);
  CHECK(std::memcmp(copy0.data(), copy1.data(), std::min(copy0.size(), copy1.size())) == 0);
  remove_leftovers(v);
}

TEST_CASE("single brick killed mid-write: the case fails with ENOTCONN, the run ends", "[faults]") {
  auto& sb = cluster();
  own_volume v("gfbench-fault-single", slow_writes());
  tool_process p(
      concat(v.args(), {"--sizes", "128MiB", "--ops", "write,read", "--benchmark_repetitions=1"}));
  REQUIRE(wait_for_case_file(v.bricks()[0], "write-128MiB-4KiB", 16 * MiB, p));
  sb.kill_brick(v.name(), 0);
  const auto killed = steady::now();

  const auto r = p.wait(120s);
  const double took = seconds_since(killed);
  INFO(describe(r));
  WARN("single brick killed mid-write: exit " << r.exit_code << " " << took << " s after the kill"
                                              << what_it_said(r));
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.exit_code == 1);
  CHECK(took < 30);
  CHECK_THAT(r.out, Contains("failed cases:"));
  CHECK_THAT(r.out, Contains("gfapi/write/size:128MiB") &&
                        Contains("Transport endpoint is not connected"));
  // Clean-up went as far as the volume allowed, and says what it left.
  CHECK_THAT(r.err, Contains("scratch clean-up failed"));
  sb.restart_bricks(v.name());
  remove_leftovers(v);
}

TEST_CASE("a hung brick: network.ping-timeout ends the call, the case fails", "[faults]") {
  auto& sb = cluster();
  own_volume v("gfbench-fault-ping", slow_writes());
  sb.set_volume_option(v.name(), "network.ping-timeout", "5");
  tool_process p(
      concat(v.args(), {"--sizes", "128MiB", "--ops", "write", "--benchmark_repetitions=1"}));
  REQUIRE(wait_for_case_file(v.bricks()[0], "write-128MiB-4KiB", 16 * MiB, p));
  sb.pause_brick(v.name(), 0);
  const auto paused = steady::now();
  const auto r = p.wait(120s);
  const double took = seconds_since(paused);
  sb.resume_brick(v.name(), 0);
  INFO(describe(r));
  WARN("brick paused, ping-timeout 5: exit " << r.exit_code << " " << took << " s after the pause"
                                             << what_it_said(r));
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.exit_code == 1);
  CHECK(took < 40);  // measured 9.8 s; ping-timeout is 5 s, detection up to twice that
  CHECK_THAT(r.out, Contains("Transport endpoint is not connected"));
  remove_leftovers(v);
}

TEST_CASE("a hung brick: the watchdog fails the case when the call returns too late", "[faults]") {
  auto& sb = cluster();
  own_volume v("gfbench-fault-late", slow_writes());
  tool_process p(concat(v.args(), {"--sizes", "128MiB", "--ops", "write,read", "--op-timeout", "4",
                                   "--benchmark_repetitions=1"}));
  REQUIRE(wait_for_case_file(v.bricks()[0], "write-128MiB-4KiB", 16 * MiB, p));
  sb.pause_brick(v.name(), 0);
  // Between the bound (4 s) and the point of giving up (8 s): resumed as
  // soon as the watchdog has said it marks the case hung.
  const bool marked = p.wait_for_stderr("marking the case hung", 60s);
  sb.resume_brick(v.name(), 0);
  INFO("stderr so far:\n" << p.stderr_so_far());
  REQUIRE(marked);
  const auto r = p.wait(120s);
  INFO(describe(r));
  WARN("brick paused 6 s with --op-timeout 4: exit " << r.exit_code << " after " << r.seconds
                                                     << " s" << what_it_said(r));
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Contains("hung: did not return within"));
  CHECK_THAT(r.out, Contains("gfapi/read") && Contains("hung in an earlier case"));
  CHECK_THAT(r.err, Contains("is left behind: a call on it hung"));
  remove_leftovers(v);
}

TEST_CASE("a hung brick: the watchdog gives up and gfbench exits 1", "[faults]") {
  auto& sb = cluster();
  own_volume v("gfbench-fault-giveup", slow_writes());  // default ping-timeout: 42 s
  tool_process p(concat(v.args(), {"--sizes", "128MiB", "--ops", "write", "--op-timeout", "2",
                                   "--benchmark_repetitions=1"}));
  REQUIRE(wait_for_case_file(v.bricks()[0], "write-128MiB-4KiB", 16 * MiB, p));
  sb.pause_brick(v.name(), 0);
  const auto paused = steady::now();
  const auto r = p.wait(120s);
  const double took = seconds_since(paused);
  sb.resume_brick(v.name(), 0);
  INFO(describe(r));
  WARN("brick paused, --op-timeout 2: exit " << r.exit_code << " " << took << " s after the pause"
                                             << what_it_said(r));
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.exit_code == 1);
  CHECK(took < 20);  // gives up at twice --op-timeout
  CHECK_THAT(r.err, Contains("giving up: pwrite on volume " + v.name()));
  CHECK_THAT(r.err, Contains("left behind on volume " + v.name()) && Contains("/.gfbench/run-"));
  remove_leftovers(v);
}

TEST_CASE("a full brick: the case fails with ENOSPC naming the volume, clean-up still works",
          "[faults]") {
  // Two 64 MiB bricks: statvfs adds them up (the free-space check passes),
  // distribute puts the 96 MiB file on one of them, which fills.
  own_volume v("gfbench-fault-full", 2, false, 64 * MiB);
  const auto r = run_tool(concat(v.args(), {"--sizes", "96MiB", "--block-sizes", "1MiB", "--ops",
                                            "write", "--fsync", "--benchmark_repetitions=1"}),
                          180s);
  INFO(describe(r));
  WARN("96 MiB onto a 64 MiB brick: exit " << r.exit_code << " after " << r.seconds << " s"
                                           << what_it_said(r));
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Contains("No space left on device") && Contains(v.name()));
  // glfs_unlink works on a full volume: nothing of the run is left.
  CHECK_FALSE(v.vol().exists("/.gfbench"));
  for (const auto& brick : v.bricks()) CHECK_FALSE(fs::exists(brick / ".gfbench"));
}

TEST_CASE("glusterd gone: connecting fails at once with a clear error", "[faults]") {
  // A cluster of its own, whose only glusterd is then killed: the bricks
  // still run, but no volfile server answers.
  gfbench::sandbox_options o;
  o.nodes = 1;
  auto sb = gfbench::sandbox::start(o);
  sb.create_volume("orphan", 1);
  const fs::path pid_file = sb.base_dir() / "node0" / "glusterd.pid";
  pid_t pid = 0;
  {
    std::ifstream in(pid_file);
    in >> pid;
  }
  REQUIRE(pid > 0);
  REQUIRE(::kill(pid, SIGKILL) == 0);
  for (int i = 0; i < 200 && ::kill(pid, 0) == 0; ++i) std::this_thread::sleep_for(10ms);

  const auto r = run_tool({"--volume", "orphan", "--server", sb.node_address(0), "--sizes", "1MiB",
                           "--connect-timeout", "5"},
                          60s, "/var/run/netns/" + sb.network_namespace());
  INFO(describe(r));
  WARN("glusterd gone: exit " << r.exit_code << " after " << r.seconds << " s: " << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.seconds < 10);
  CHECK_THAT(r.err, Contains("orphan") && Contains(sb.node_address(0) + ":24007"));
  CHECK_THAT(r.err, Contains("is glusterd running there"));
  sb.stop();
}
