// Through a failure and back. First what needs no cluster: fault specs and
// volume options as read, what gluster's CLI prints as parsed, and a pass's
// phases (before, stall, degraded, heal, after) cut from a timeline whose
// every number is known. Then, on sandbox volumes of their own: the entries
// waiting for self-heal counted exactly, the copies on the bricks compared
// (and a copy changed behind gluster's back caught, named), and gfbench
// itself striking faults: the stall on the timeline, the table, Ctrl-C in
// a hang and a gfbench killed with a brick stopped, both leaving nothing.

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "bench/record/timeline_builder.hpp"
#include "cli/cli.hpp"
#include "gfbench/sandbox.hpp"
#include "gfbench/timeline.hpp"
#include "gluster/copies.hpp"
#include "gluster/fault_spec.hpp"
#include "gluster/sandbox_volumes.hpp"
#include "gluster/volume_watch.hpp"
#include "results/failure_table.hpp"
#include "support/cli_rejection.hpp"
#include "support/temp_dir.hpp"
#include "support/test_cluster.hpp"
#include "support/tool_runner.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;
using gfbench::app::fault_kind;
using gfbench::app::parse_fault;
using gfbench::app::usage_error;
using gfbench::testing::cluster;
using gfbench::testing::describe;
using gfbench::testing::own_volume;
using gfbench::testing::rejection;
using gfbench::testing::tool_process;
using gfbench::testing::tool_result;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {

// A pass of `seconds` 1-s intervals, `per_second` completions of 4 KiB
// each in every interval but those in [quiet_from, quiet_to).
gfbench::pass_timeline made_up_pass(int seconds, std::uint64_t per_second, int quiet_from,
                                    int quiet_to) {
  gfbench::pass_timeline t;
  t.seconds = seconds;
  t.interval_s = 1;
  for (int i = 0; i < seconds; ++i) {
    const std::uint64_t n = i >= quiet_from && i < quiet_to ? 0 : per_second;
    t.intervals.push_back({.start_s = static_cast<double>(i),
                           .seconds = 1,
                           .completions = n,
                           .bytes = n * 4096,
                           .items = n,
                           .in_flight = 16});
  }
  t.stalls.push_back({.start_s = static_cast<double>(quiet_from),
                      .seconds = static_cast<double>(quiet_to - quiet_from),
                      .in_flight = 16});
  return t;
}

}  // namespace

TEST_CASE("--fault: every part of a spec is read", "[unit]") {
  const auto f = parse_fault("hang-node:2@15s+120s");
  CHECK(f.kind == fault_kind::hang_node);
  CHECK(f.number == 2);
  CHECK(f.start == 15s);
  CHECK(f.duration == 120s);
  CHECK(f.end() == 135s);
  CHECK(f.on_node());
  const auto slow = parse_fault("slow-brick:1@500ms+2:20ms");
  CHECK(slow.kind == fault_kind::slow_brick);
  CHECK(slow.start == 500ms);
  CHECK(slow.duration == 2s);
  CHECK(slow.slow_by == 20ms);
  CHECK_FALSE(slow.on_node());
  CHECK_THAT(gfbench::app::describe(f), Contains("hang-node 2 from 15 s for 120 s"));
  CHECK_THAT(gfbench::app::meaning(f), Contains("network.ping-timeout"));
  for (const char* bad :
       {"hang-node", "melt:1@1s+1s", "hang-node:9@1s+1s", "hang-node:x@1s+1s", "hang-node:1@1s",
        "hang-node:1@-1s+1s", "hang-node:1@1s+0", "slow-brick:1@1s+1s", "slow-brick:1@1s+1s:0ms",
        "kill-brick:1@1s+1s:1ms", "hang-node:1@2d+1s"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_fault(bad), usage_error);
  }
}

TEST_CASE("--fault: a brick or node the volume lacks, or two at once on one host, refused",
          "[unit]") {
  using gfbench::app::check_faults;
  CHECK_NOTHROW(check_faults({parse_fault("hang-brick:2@1s+5s")}, 2, 2));
  CHECK_THROWS_WITH(check_faults({parse_fault("hang-brick:3@1s+5s")}, 2, 2),
                    Contains("the volume has 2 brick(s)"));
  CHECK_THROWS_WITH(check_faults({parse_fault("hang-node:2@1s+5s")}, 1, 1), Contains("1 node(s)"));
  CHECK_THROWS_WITH(
      check_faults({parse_fault("hang-brick:1@1s+5s"), parse_fault("kill-brick:1@5s+5s")}, 2, 2),
      Contains("the same host at the same time"));
  CHECK_NOTHROW(
      check_faults({parse_fault("hang-brick:1@1s+5s"), parse_fault("kill-brick:1@6s+5s")}, 2, 2));
  CHECK_NOTHROW(
      check_faults({parse_fault("hang-brick:1@1s+5s"), parse_fault("kill-brick:2@1s+5s")}, 2, 2));
}

TEST_CASE("--volume-set: a list of values makes one volume per combination", "[unit]") {
  using gfbench::app::parse_volume_setting;
  using gfbench::app::volume_variants;
  const auto one = volume_variants({parse_volume_setting("group=virt")});
  REQUIRE(one.size() == 1);
  CHECK(one[0].tag.empty());
  CHECK(gfbench::app::variant_label("gfapi", one[0]) == "gfapi");
  const auto four = volume_variants({parse_volume_setting("network.ping-timeout=10,42"),
                                     parse_volume_setting("cluster.shd-max-threads=1,4"),
                                     parse_volume_setting("group=virt")});
  REQUIRE(four.size() == 4);
  CHECK(four[0].tag == "ping-timeout=10,shd-max-threads=1");
  CHECK(four[3].tag == "ping-timeout=42,shd-max-threads=4");
  CHECK(gfbench::app::variant_label("fuse", four[1]) == "fuse@ping-timeout=10,shd-max-threads=4");
  REQUIRE(four[2].options.size() == 3);
  CHECK(four[2].options[2] == std::pair<std::string, std::string>{"group", "virt"});
  CHECK(gfbench::app::option_value(four[2], "network.ping-timeout", "42") == "42");
  CHECK(gfbench::app::option_value(four[0], "network.ping-timeout", "42") == "10");
  CHECK(gfbench::app::option_value(four[0], "cluster.quorum-type", "none") == "none");
  // The volume spec carries the layout and every option, in order.
  const auto spec =
      gfbench::app::volume_spec(*gfbench::app::find_sandbox_layout("arbiter"), "v", four[0]);
  CHECK(spec.bricks == 3);
  CHECK(spec.layout == gfbench::volume_layout::arbiter);
  CHECK(spec.replica == 3);
  CHECK(spec.options == four[0].options);
}

TEST_CASE("--fault brings --verify, one repetition's worth of timing and a longer op timeout",
          "[unit]") {
  const auto o = gfbench::app::parse_cli({"--sandbox", "replica2", "--workload", "oltp-4k",
                                          "--fault", "hang-node:2@15s+120s", "--volume-set",
                                          "network.ping-timeout=10,42"});
  CHECK(o.verify);
  CHECK(o.faults.size() == 1);
  CHECK(o.sandbox_layout == "replica2");
  // Twice the longest ping-timeout (a silent brick's longest stall) and a margin.
  CHECK(o.op_timeout == 2 * 42s + gfbench::app::fault_op_timeout_margin);
  const auto given =
      gfbench::app::parse_cli({"--sandbox", "replica2", "--workload", "oltp-4k", "--fault",
                               "hang-node:2@15s+120s", "--op-timeout", "20"});
  CHECK(given.op_timeout == 20s);
  CHECK_THAT(
      rejection({"--workload", "oltp-4k", "--file-count", "10", "--fault", "hang-brick:1@1s+1s"}),
      Contains("--file-count"));
}

TEST_CASE("gluster's heal count and brick status are read as printed", "[unit]") {
  const std::string heal_count =
      "Gathering count of entries to be healed on volume v has been successful\n\n"
      "Brick 127.1.1.1:/b/v\nNumber of entries: 12\n\n"
      "Brick 127.1.1.2:/b/v\nStatus: Transport endpoint is not connected\n"
      "Number of entries: -\n\n"
      "Brick 127.1.1.3:/b/v\nNumber of entries: 0\n";
  CHECK(gfbench::app::parse_heal_count(heal_count) == std::vector<std::int64_t>{12, -1, 0});
  const std::string status =
      "<?xml version=\"1.0\"?><cliOutput><opRet>0</opRet><opErrno>0</opErrno><opErrstr/>"
      "<volStatus><volumes><volume><volName>v</volName>"
      "<node><hostname>127.1.1.1</hostname><path>/b/v</path><status>1</status></node>"
      "<node><hostname>127.1.1.2</hostname><path>/b/v</path><status>0</status></node>"
      "<node><hostname>Self-heal Daemon</hostname><path>127.1.1.1</path><status>1</status>"
      "</node></volume></volumes></volStatus></cliOutput>";
  const auto bricks = gfbench::app::parse_brick_status(status);
  REQUIRE(bricks.size() == 2);
  CHECK(bricks[0].name == "127.1.1.1:/b/v");
  CHECK(bricks[0].online);
  CHECK(bricks[1].name == "127.1.1.2:/b/v");
  CHECK_FALSE(bricks[1].online);
  CHECK_THROWS(gfbench::app::parse_brick_status("volume status: failed"));
}

TEST_CASE("a pass through a failure is cut into before, stall, degraded, heal and after",
          "[unit]") {
  gfbench::app::case_timeline t{.case_name = "gfapi/oltp-4k",
                                .timeline = made_up_pass(40, 100, 5, 15)};
  // Struck at 5 s, silent until 15 s, undone at 20 s, healed at 28 s.
  t.events = {{5.0, "fault", "hang-node 2"},
              {20.0, "clear", "hang-node 2: undone"},
              {28.0, "healed", "no entry waits"},
              {41.0, "verified", "2 copies compared: the same"}};
  t.heal = {{.at_s = 19, .pending = {7, 0}},
            {.at_s = 21, .pending = {9, 2}},
            {.at_s = 28, .pending = {0, 0}}};
  const auto stories = gfbench::app::failure_stories({t});
  REQUIRE(stories.size() == 1);
  const auto& s = stories[0];
  std::vector<std::string> names;
  std::uint64_t completions = 0;
  for (const auto& p : s.phases) {
    names.push_back(p.name);
    completions += p.span.completions;
  }
  CHECK(names == std::vector<std::string>{"before", "stall", "degraded", "heal", "after"});
  // Every interval in exactly one phase: the phases add up to the pass.
  CHECK(completions == t.timeline.completions());
  CHECK(s.phases[0].span.completions == 500);   // 0-5 s
  CHECK(s.phases[1].span.completions == 0);     // the stall, 5-15 s
  CHECK(s.phases[2].span.completions == 500);   // degraded, 15-20 s
  CHECK(s.phases[3].span.completions == 800);   // heal, 20-28 s
  CHECK(s.phases[4].span.completions == 1200);  // after, 28-40 s
  CHECK(s.longest_stall_s == Approx(10));
  CHECK(s.heal_s == Approx(8));
  CHECK(s.peak_heal_entries == 11);
  CHECK(s.heal_entries_before_fault == 0);
  CHECK(s.verified == "2 copies compared: the same");
  const std::string table = gfbench::app::format_failure_tables(stories);
  CHECK_THAT(table, Contains("Through the failure: gfapi/oltp-4k"));
  CHECK_THAT(table, Contains("heal: 8.0 s"));
  CHECK_THAT(table, Contains("data verified on every copy"));
  CHECK_THAT(table, !Contains("heal index:"));
  // The strip: a column a second here, the silent ones marked, and where
  // the fault struck, was undone and the heal ended beneath.
  CHECK_THAT(s.strip, Contains("a column per 1.0 s"));
  const std::string silent = "\u00b7";
  std::string ten_silent;
  for (int i = 0; i < 10; ++i) ten_silent += silent;
  CHECK_THAT(s.strip, Contains("\u2588\u2588" + ten_silent + "\u2588"));
  CHECK_THAT(s.strip, EndsWith("\n       F              C       H\n"));
  // Entries in the index before any fault are the workload's own (a
  // disperse volume's file being written): the table says so.
  gfbench::app::case_timeline written = t;
  written.heal.insert(written.heal.begin(), {.at_s = 1, .pending = {1, 1}});
  const auto w = gfbench::app::failure_stories({written});
  REQUIRE(w.size() == 1);
  CHECK(w[0].heal_entries_before_fault == 2);
  CHECK_THAT(gfbench::app::format_failure_tables(w),
             Contains("heal index: 2 entries before the fault already"));
  // A killed brick: no stall as it struck; a short one later is the
  // workload's, and the degraded phase starts at the fault.
  gfbench::app::case_timeline killed{.case_name = "k", .timeline = made_up_pass(30, 10, 12, 13)};
  killed.events = {{5.0, "fault", "kill-brick 2"}, {15.0, "clear", "kill-brick 2: undone"}};
  const auto k = gfbench::app::failure_stories({killed});
  REQUIRE(k.size() == 1);
  REQUIRE(k[0].phases.size() == 3);
  CHECK(k[0].phases[0].name == "before");
  CHECK(k[0].phases[1].name == "degraded");
  CHECK(k[0].phases[1].from_s == Approx(5));
  CHECK(k[0].phases[2].name == "heal");
  CHECK(k[0].longest_stall_s == 0);
  CHECK(k[0].stall_total_s == Approx(1));
  CHECK(k[0].heal_s < 0);  // not seen over
  // A pass no fault struck tells no story.
  gfbench::app::case_timeline calm{.case_name = "calm", .timeline = made_up_pass(10, 5, 3, 4)};
  CHECK(gfbench::app::failure_stories({calm}).empty());
}

TEST_CASE("a stretch's percentiles come from its intervals' histograms merged", "[unit]") {
  const auto t0 = steady::now();
  gfbench::detail::timeline_builder b(t0, 1s);
  gfbench::detail::timeline_writer w(&b);
  // First second: 1000 requests of 1 ms; second: 1000 of 100 ms.
  for (int i = 0; i < 1000; ++i) {
    w.submitted(t0);
    w.completed(t0 + 1ms * i / 2, 1'000'000, 4096, 0);
  }
  for (int i = 0; i < 1000; ++i) {
    w.submitted(t0 + 1s);
    w.completed(t0 + 1s + 1ms * i / 2, 100'000'000, 4096, 0);
  }
  w.finish(t0 + 2s);
  const auto t = b.finish(t0 + 2s);
  REQUIRE(t.intervals.size() == 2);
  const auto first = gfbench::span_of(t, 0, 1);
  CHECK(first.completions == 1000);
  CHECK(first.p99_us == Approx(1000).epsilon(0.1));
  const auto both = gfbench::span_of(t, 0, 2);
  CHECK(both.completions == 2000);
  CHECK(both.bytes == 2000 * 4096);
  CHECK(both.p50_us == Approx(1000).epsilon(0.1));  // the slower half starts just above
  CHECK(both.p99_us == Approx(100'000).epsilon(0.1));
  CHECK(both.max_us == Approx(100'000));
  CHECK(both.per_second() == Approx(1000));
}

namespace {

// The sandbox directory a zero-config run logged ("sandbox volume V in
// DIR, FUSE-mounted on ..."); empty if it did not say.
std::string sandbox_dir_of(const std::string& err) {
  const std::string marker = " in /";
  const std::size_t line = err.find("] sandbox volume ");
  if (line == std::string::npos) return {};
  const std::size_t at = err.find(marker, line);
  const std::size_t end = err.find(',', at);
  if (at == std::string::npos || end == std::string::npos) return {};
  return err.substr(at + marker.size() - 1, end - at - marker.size() + 1);
}

// The processes whose command line names `dir`, with their state letter
// (T: stopped), by pid.
std::vector<std::pair<int, char>> processes_naming(const std::string& dir) {
  std::vector<std::pair<int, char>> found;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream cmdline(entry.path() / "cmdline");
    std::string args((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
    if (args.find(dir) == std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const std::size_t paren = text.rfind(')');
    found.emplace_back(std::stoi(name), paren + 2 < text.size() ? text[paren + 2] : '?');
  }
  return found;
}

// Waits (bounded) until no process names `dir`: the kernel may take a
// moment to reap what a tear-down killed.
bool no_process_names(const std::string& dir, std::chrono::seconds limit) {
  const auto until = steady::now() + limit;
  while (!processes_naming(dir).empty()) {
    if (steady::now() >= until) return false;
    std::this_thread::sleep_for(100ms);
  }
  return true;
}

nlohmann::json read_json(const fs::path& p) {
  std::ifstream in(p);
  return nlohmann::json::parse(in);
}

// The flags of a small, write-only, time-based case on the zero-config
// sandbox: every write waits for both copies (no write-behind), so a hung
// brick stops all of them at once.
std::vector<std::string> small_faulted_run(std::vector<std::string> extra) {
  std::vector<std::string> args{"--ops",         "random_write",
                                "--sizes",       "16MiB",
                                "--queue-depth", "8",
                                "--threads",     "1",
                                "--no-profile",  "--benchmark_filter=gfapi",
                                "--volume-set",  "performance.write-behind=off"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

void write_at(const fs::path& p, off_t offset, std::string_view bytes) {
  const int fd = ::open(p.c_str(), O_WRONLY);
  REQUIRE(fd >= 0);
  const ssize_t n = ::pwrite(fd, bytes.data(), bytes.size(), offset);
  ::close(fd);
  REQUIRE(n == static_cast<ssize_t>(bytes.size()));
}

}  // namespace

TEST_CASE("entries waiting for self-heal are counted exactly, per brick; healed copies agree",
          "[failures]") {
  auto& box = cluster();
  own_volume v("heal-count", 2, /*replicated=*/true);
  auto& vol = v.vol();
  vol.mkdir("/d");
  REQUIRE(box.heal_pending_per_brick(v.name()) == std::vector<std::size_t>{0, 0});
  box.kill_brick(v.name(), 1);
  constexpr int files = 5;
  for (int i = 0; i < files; ++i) {
    gfbench::testing::plant_file(vol, "/d/f" + std::to_string(i), 64 * 1024,
                                 static_cast<std::uint64_t>(i));
  }
  // The files and their directory, each once, on the brick that stayed;
  // nothing on the one that was down. Written as each call's post-op
  // completes: waited for, then exact.
  const std::vector<std::size_t> expected{files + 1, 0};
  const auto until = steady::now() + 30s;
  auto pending = box.heal_pending_per_brick(v.name());
  while (pending[0] < expected[0] && steady::now() < until) {
    std::this_thread::sleep_for(100ms);
    pending = box.heal_pending_per_brick(v.name());
  }
  CHECK(pending == expected);
  box.restart_bricks(v.name());
  box.wait_healed(v.name());
  CHECK(box.heal_pending_per_brick(v.name()) == std::vector<std::size_t>{0, 0});
  for (int i = 0; i < files; ++i) {
    const std::string verdict =
        gfbench::app::compare_copies(box, v.name(), "/d/f" + std::to_string(i), 4096);
    CHECK_THAT(verdict, Contains("2 copies") && Contains("the same"));
  }
}

TEST_CASE("a copy changed behind gluster's back is caught, with its brick and record",
          "[failures]") {
  auto& box = cluster();
  own_volume v("divergent", 2, /*replicated=*/true);
  gfbench::testing::plant_file(v.vol(), "/x", 64 * 1024, 7);
  CHECK_THAT(gfbench::app::compare_copies(box, v.name(), "/x", 4096), Contains("the same"));
  const fs::path second = v.bricks().at(1) / "x";
  std::ifstream in(second, std::ios::binary);
  in.seekg(12345);
  const char was = static_cast<char>(in.get());
  in.close();
  write_at(second, 12345, std::string(1, static_cast<char>(was ^ 0x5a)));
  CHECK_THROWS_WITH(gfbench::app::compare_copies(box, v.name(), "/x", 4096),
                    Contains("brick 1") && Contains("brick 2") && Contains("byte 12345") &&
                        Contains("record 3 of 4096 bytes"));
  write_at(second, 12345, std::string(1, was));
  CHECK_THAT(gfbench::app::compare_copies(box, v.name(), "/x", 4096), Contains("the same"));
  REQUIRE(::truncate(second.c_str(), 32 * 1024) == 0);
  CHECK_THROWS_WITH(gfbench::app::compare_copies(box, v.name(), "/x", 4096),
                    Contains("differ in size (65536 and 32768 bytes)"));
  REQUIRE(::unlink(second.c_str()) == 0);
  CHECK_THROWS_WITH(gfbench::app::compare_copies(box, v.name(), "/x", 4096),
                    Contains("has no copy of /x"));
}

TEST_CASE("a disperse volume's file is read with each brick down in turn; a bad fragment shows",
          "[failures]") {
  // Three nodes: a sandbox of the test's own beside the process's two-node one.
  auto box = gfbench::sandbox::start({.nodes = 3});
  box.create_volume({.name = "dispersed", .bricks = 3, .layout = gfbench::volume_layout::disperse});
  const fs::path mount = box.fuse_mount("dispersed");
  {
    std::string bytes(256 * 1024, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7 + i / 4096);
    const int fd = ::open((mount / "x").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    REQUIRE(fd >= 0);
    CHECK(::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
    // close() returns before write-behind's flush (flush-behind) reached
    // the bricks, and unmounting stops the client: fsync is what makes every
    // fragment carry the file's size and version.
    CHECK(::fsync(fd) == 0);
    ::close(fd);
  }
  box.unmount(mount);
  CHECK_THAT(gfbench::app::compare_copies(box, "dispersed", "/x", 4096),
             Contains("each of the 3 bricks down in turn: the same every time"));
  // A fragment changed behind gluster's back: some pair of bricks decodes
  // it, another does not, and the reads disagree.
  const fs::path fragment = box.volume_info("dispersed").bricks.at(0).path / "x";
  write_at(fragment, 1000, "corrupted");
  CHECK_THROWS_WITH(gfbench::app::compare_copies(box, "dispersed", "/x", 4096), Contains("differ"));
  // A fragment whose size says another file: nothing is read, the
  // disagreement is named.
  const std::string other_size("\0\0\0\0\0\0\x10\0", 8);
  const fs::path third = box.volume_info("dispersed").bricks.at(2).path / "x";
  REQUIRE(::lsetxattr(third.c_str(), "trusted.ec.size", other_size.data(), other_size.size(), 0) ==
          0);
  CHECK_THROWS_WITH(gfbench::app::compare_copies(box, "dispersed", "/x", 4096),
                    Contains("the fragments of /x disagree") && Contains("size 4096") &&
                        Contains("brick 3") && Contains("needs self-heal"));
}

TEST_CASE("gfbench strikes a hung and a killed brick: the stall, the heal, every copy compared",
          "[failures]") {
  gfbench::testing::temp_dir report("failures-report");
  const tool_result r = gfbench::testing::run_tool(
      small_faulted_run({"--sandbox", "replica2", "--runtime", "4", "--fault", "hang-brick:2@1s+3s",
                         "--fault", "kill-brick:2@5s+2s", "--report", report.path().string()}),
      300s);
  INFO(describe(r));
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("Through the failure: gfapi/random_write"));
  CHECK_THAT(r.out, Contains("data verified on every copy: 2 copies of"));
  CHECK_THAT(r.out, Contains("in force: network.ping-timeout 42, cluster.heal-timeout 600"));
  const auto json = read_json(report.path() / "summary.json");
  REQUIRE(json.at("timelines").size() == 1);
  const auto& pass = json.at("timelines").at(0);
  std::vector<std::string> kinds;
  for (const auto& e : pass.at("events")) kinds.push_back(e.at("kind").get<std::string>());
  CHECK(std::count(kinds.begin(), kinds.end(), "fault") == 2);
  CHECK(std::count(kinds.begin(), kinds.end(), "clear") == 2);
  CHECK(std::count(kinds.begin(), kinds.end(), "healed") >= 1);
  CHECK(std::count(kinds.begin(), kinds.end(), "verified") == 1);
  // Every write waits for both copies: while brick 2 hung (1-4 s), none
  // completed. The bound leaves a second for the pass to reach the hang.
  double longest = 0;
  for (const auto& s : pass.at("stalls"))
    longest = std::max(longest, s.at("seconds").get<double>());
  CHECK(longest >= 2.0);
  // The kill left writes on brick 1 only: entries waited for self-heal.
  std::int64_t most = 0;
  for (const auto& h : pass.at("heal_pending")) {
    std::int64_t sum = 0;
    for (const auto& n : h.at("pending")) sum += std::max<std::int64_t>(0, n.get<std::int64_t>());
    most = std::max(most, sum);
  }
  CHECK(most >= 1);
  // The pass went on past its runtime until the faults were undone.
  CHECK(pass.at("seconds").get<double>() >= 7.0);
}

TEST_CASE("a single brick under the same fault fails the case, naming the errno", "[failures]") {
  const tool_result r = gfbench::testing::run_tool(
      small_faulted_run({"--runtime", "3", "--volume-set", "network.ping-timeout=2", "--fault",
                         "hang-brick:1@1s+30s"}),
      300s);
  INFO(describe(r));
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out + r.err, Contains("ENOTCONN") || Contains("Transport endpoint"));
  CHECK_THAT(r.err, Contains("clear: hang-brick 1"));
}

TEST_CASE("Ctrl-C in a hang resumes the brick and leaves nothing", "[failures]") {
  tool_process p(small_faulted_run({"--runtime", "20", "--fault", "hang-brick:1@1s+60s"}));
  REQUIRE(p.wait_for_stderr("fault: hang-brick 1", 120s));
  const std::string dir = sandbox_dir_of(p.stderr_so_far());
  REQUIRE_FALSE(dir.empty());
  std::this_thread::sleep_for(500ms);  // the brick's clients now wait on it
  p.send_signal(SIGINT);
  const tool_result r = p.wait(120s);
  INFO(describe(r));
  CHECK(r.exit_code == 128 + SIGINT);
  CHECK_THAT(r.err, Contains("the run was interrupted"));
  CHECK(no_process_names(dir, 10s));
  CHECK_FALSE(fs::exists(dir));
}

TEST_CASE("gfbench killed with a brick stopped: --clean-up finds and removes it all",
          "[failures]") {
  std::string dir;
  {
    tool_process p(small_faulted_run({"--runtime", "20", "--fault", "hang-brick:1@1s+60s"}));
    REQUIRE(p.wait_for_stderr("fault: hang-brick 1", 120s));
    dir = sandbox_dir_of(p.stderr_so_far());
    REQUIRE_FALSE(dir.empty());
    const auto stopped = [&] {
      const auto now = processes_naming(dir);
      return std::any_of(now.begin(), now.end(), [](const auto& q) { return q.second == 'T'; });
    };
    const auto until = steady::now() + 30s;
    while (!stopped() && steady::now() < until) std::this_thread::sleep_for(50ms);
    REQUIRE(stopped());
    p.send_signal(SIGKILL);
    static_cast<void>(p.wait(30s));
  }
  // What it left: its glusterd and brick, the brick stopped.
  const auto left = processes_naming(dir);
  CHECK_FALSE(left.empty());
  CHECK(std::any_of(left.begin(), left.end(), [](const auto& p) { return p.second == 'T'; }));
  tool_process cleaner(std::string(GFBENCH_SANDBOX_TOOL_PATH), {"--clean-up"});
  const tool_result clean = cleaner.wait(120s);
  INFO(describe(clean));
  CHECK(clean.exit_code == 0);
  CHECK_THAT(clean.out, Contains(dir));
  CHECK(no_process_names(dir, 10s));
  CHECK_FALSE(fs::exists(dir));
}
