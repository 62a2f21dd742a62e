// Honest numbers without a volume: the parsers of `gluster volume profile`,
// `gluster volume info` and client io-stats dumps, on output captured from
// glusterfs 10.3 (tests/data/gluster-10.3-*); the differences between
// snapshots; the summary's "where the bytes went" block; finding a FUSE
// mount's volume; and the observer hooks' order around a real case run on a
// local directory.

#include <benchmark/benchmark.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "common/counter_names.hpp"
#include "gfbench/kernels.hpp"
#include "gfbench/observer.hpp"
#include "gfbench/suite.hpp"
#include "gfbench/target.hpp"
#include "gluster/brick_counters.hpp"
#include "gluster/brick_observer.hpp"
#include "gluster/fop_stats.hpp"
#include "gluster/gluster_cli.hpp"
#include "gluster/mounts.hpp"
#include "gluster/profile_xml.hpp"
#include "gluster/run_observers.hpp"
#include "results/results.hpp"
#include "results/results_collector.hpp"
#include "results/statistics.hpp"
#include "results/summary_table.hpp"
#include "support/capture_reporter.hpp"
#include "support/sample_data.hpp"
#include "support/temp_dir.hpp"

using Catch::Matchers::Contains;
namespace d = gfbench::detail;
namespace a = gfbench::app;

using gfbench::testing::capture_reporter;

namespace {

using gfbench::testing::sample;

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

constexpr std::uint64_t MiB = 1024 * 1024;

}  // namespace

TEST_CASE("a one-brick profile snapshot gives bytes, calls and latencies", "[unit]") {
  const auto s = a::parse_profile_xml(sample("gluster-10.3-profile-1brick.xml"));
  REQUIRE(s.bricks.size() == 1);
  const auto& b = s.bricks[0];
  CHECK(b.brick == "127.1.1.1:/tmp/gfbench-gFEt96/node0/bricks/gfs-volume-proxmox");
  CHECK(b.duration_s == 309);
  CHECK(b.bytes_read == 330 * MiB);
  CHECK(b.bytes_written == 30 * MiB);
  REQUIRE(b.fops.count("READ") == 1);
  CHECK(b.fops.at("READ").calls == 1240);
  // avgLatency 262942.868232 ns: 262.94 us.
  CHECK(b.fops.at("READ").avg_us() == Approx(262.942868232));
  CHECK(b.fops.at("FSYNC").calls == 2);
  CHECK(b.fops.at("WRITE").calls == 100);
  CHECK(b.fops.at("SETXATTR").calls == 8);
  CHECK(b.fops.count("RELEASE") == 0);  // 10.3's XML leaves out calls without latency
}

TEST_CASE("a replica-2 profile snapshot lists both bricks", "[unit]") {
  const auto s = a::parse_profile_xml(sample("gluster-10.3-profile-replica2.xml"));
  REQUIRE(s.bricks.size() == 2);
  CHECK(s.bricks[0].brick.starts_with("127.1.1.1:"));
  CHECK(s.bricks[1].brick.starts_with("127.1.1.2:"));
  CHECK(s.bricks[0].bytes_written == 3 * MiB);
  CHECK(s.bricks[1].bytes_written == 3 * MiB);
  CHECK(s.bricks[1].fops.at("FXATTROP").calls == 2);
}

TEST_CASE("a failed or foreign profile output is an error, with gluster's message", "[unit]") {
  CHECK_THROWS_WITH(a::parse_profile_xml(sample("gluster-10.3-profile-not-started.xml")),
                    Contains("Volume gfs-volume-proxmox is not started"));
  CHECK_THROWS_AS(a::parse_profile_xml("Brick: 127.1.1.1:/b\nCumulative Stats:\n"),
                  a::profile_error);
  CHECK_THROWS_AS(a::parse_profile_xml(replace_all(sample("gluster-10.3-profile-1brick.xml"),
                                                   "<totalRead>346030080</totalRead>",
                                                   "<totalRead>lots</totalRead>")),
                  a::profile_error);
}

TEST_CASE("the difference of two snapshots is what happened between them, over all bricks",
          "[unit]") {
  const auto before = a::parse_profile_xml(sample("gluster-10.3-profile-replica2.xml"));
  auto after = before;
  for (auto& b : after.bricks) {
    b.duration_s += 2;
    b.bytes_read += 4 * MiB;
    b.bytes_written += 100 * MiB;
    auto& w = b.fops.at("WRITE");
    w.total_latency_ns += 100 * 500'000.0;  // 100 more writes of 500 us each
    w.calls += 100;
    b.fops["READ"] = {32, 32 * 200'000.0};  // a FOP first seen in between
  }
  const auto d = a::profile_difference(before, after);
  CHECK(d.bricks == 2);
  CHECK(d.bytes_read == 8 * MiB);
  CHECK(d.bytes_written == 200 * MiB);
  CHECK(d.fops.at("WRITE").calls == 200);
  CHECK(d.fops.at("WRITE").avg_us() == Approx(500.0));
  CHECK(d.fops.at("READ").calls == 64);
  CHECK(d.fops.at("READ").avg_us() == Approx(200.0));
  CHECK(d.fops.count("FSYNC") == 0);  // no new calls: left out

  a::brick_interval sum = d;
  sum += d;
  CHECK(sum.bytes_written == 400 * MiB);
  CHECK(sum.fops.at("WRITE").avg_us() == Approx(500.0));
}

TEST_CASE("a brick that went offline or restarted between snapshots is an error", "[unit]") {
  const auto both = a::parse_profile_xml(sample("gluster-10.3-profile-replica2.xml"));
  const auto one = a::parse_profile_xml(sample("gluster-10.3-profile-replica2-brick-down.xml"));
  REQUIRE(one.bricks.size() == 1);
  CHECK_THROWS_WITH(a::profile_difference(both, one), Contains("did not answer the second"));
  CHECK_THROWS_WITH(a::profile_difference(one, both), Contains("did not answer the first"));

  auto restarted = both;
  restarted.bricks[1] = a::brick_stats{.brick = both.bricks[1].brick};  // counters from zero
  CHECK_THROWS_WITH(a::profile_difference(both, restarted), Contains("went back"));
}

TEST_CASE("volume info gives the layout and whether profiling is on", "[unit]") {
  const auto one =
      a::parse_volume_info_xml(sample("gluster-10.3-volinfo-1brick.xml"), "gfs-volume-proxmox");
  CHECK(one.type == "Distribute");
  CHECK(one.bricks == 1);
  CHECK(one.write_copies == 1);
  CHECK(one.profiling);

  const auto two =
      a::parse_volume_info_xml(sample("gluster-10.3-volinfo-replica2.xml"), "gfs-volume-proxmox");
  CHECK(two.type == "Replicate");
  CHECK(two.bricks == 2);
  CHECK(two.write_copies == 2);

  const auto off = a::parse_volume_info_xml(
      replace_all(sample("gluster-10.3-volinfo-replica2.xml"),
                  "<name>diagnostics.count-fop-hits</name>\n            <value>on</value>",
                  "<name>diagnostics.count-fop-hits</name>\n            <value>off</value>"),
      "gfs-volume-proxmox");
  CHECK_FALSE(off.profiling);

  const auto disperse = a::parse_volume_info_xml(
      replace_all(
          replace_all(sample("gluster-10.3-volinfo-1brick.xml"), "<disperseCount>0</disperseCount>",
                      "<disperseCount>6</disperseCount>"),
          "<redundancyCount>0</redundancyCount>", "<redundancyCount>2</redundancyCount>"),
      "gfs-volume-proxmox");
  CHECK(disperse.write_copies == Approx(1.5));

  CHECK_THROWS_WITH(a::parse_volume_info_xml(sample("gluster-10.3-volinfo-1brick.xml"), "other"),
                    Contains("does not list that volume"));
}

TEST_CASE("a client io-stats dump gives its cumulative counters, latencies in ns", "[unit]") {
  const auto g = a::parse_client_dump(sample("gluster-10.3-iostats-dump-gfapi.txt"));
  CHECK(g.bytes_read == 40 * MiB);
  CHECK(g.bytes_written == 0);
  CHECK(g.fops.at("READ").calls == 40);
  // Printed as "2801411.25 us"; the value is nanoseconds: 2.8 ms per 1 MiB read.
  CHECK(g.fops.at("READ").avg_us() == Approx(2801.41125));
  CHECK(g.fops.at("OPEN").calls == 1);
  CHECK(g.fops.at("RELEASE").calls == 1);
  CHECK(g.fops.at("RELEASE").avg_us() == 0);

  const auto f = a::parse_client_dump(sample("gluster-10.3-iostats-dump-fuse.txt"));
  CHECK(f.bytes_written == MiB);
  CHECK(f.fops.at("WRITE").calls == 256);  // the kernel sent the 4 KiB writes as they came

  // Only the cumulative block counts, not the interval block after it.
  const std::string text = sample("gluster-10.3-iostats-dump-gfapi.txt");
  const auto interval = text.find("=== Interval");
  REQUIRE(interval != std::string::npos);
  const std::string doctored =
      text.substr(0, interval) +
      replace_all(text.substr(interval), "READ                  40", "READ                9999");
  CHECK(a::parse_client_dump(doctored).fops.at("READ").calls == 40);

  CHECK_THROWS_AS(a::parse_client_dump("nothing here"), a::profile_error);
}

TEST_CASE("client counters subtract, and a reset client is an error", "[unit]") {
  const auto before = a::parse_client_dump(sample("gluster-10.3-iostats-dump-gfapi.txt"));
  auto after = before;
  after.bytes_read += 10 * MiB;
  after.fops["READ"].calls += 10;
  after.fops["READ"].total_latency_ns += 10 * 2'000'000.0;
  after.fops["FSTAT"] = {3, 3000.0};
  const auto delta = a::client_difference(before, after);
  CHECK(delta.bytes_read == 10 * MiB);
  CHECK(delta.fops.at("READ").calls == 10);
  CHECK(delta.fops.at("READ").avg_us() == Approx(2000.0));
  CHECK(delta.fops.at("FSTAT").calls == 3);
  CHECK(delta.fops.count("OPEN") == 0);

  CHECK_THROWS_WITH(a::client_difference(after, before), Contains("went back"));
}

TEST_CASE("counter names are lower case with a prefix and a suffix", "[unit]") {
  CHECK(a::fop_counter_name("brick_", "WRITE", "_calls") == "brick_write_calls");
  CHECK(a::fop_counter_name("fop_", "FXATTROP", "_avg_us") == "fop_fxattrop_avg_us");
}

TEST_CASE("a FUSE mount's Gluster volume is read from mountinfo", "[unit]") {
  const std::string mountinfo =
      "22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n"
      "40 22 0:40 / /mnt/pve/GlusterFS rw,relatime shared:20 - fuse.glusterfs "
      "192.168.1.1:gfs-volume-proxmox rw,user_id=0,group_id=0\n"
      "41 22 0:41 / /tmp/gfbench-x/mnt/vol\\040a rw - fuse.glusterfs 127.1.1.1:/vol-a/sub rw\n"
      "42 22 0:42 / /mnt/other rw - fuse.sshfs host:/x rw\n";
  CHECK(a::gluster_fuse_volume_in(mountinfo, "/mnt/pve/GlusterFS") == "gfs-volume-proxmox");
  CHECK(a::gluster_fuse_volume_in(mountinfo, "/mnt/pve/GlusterFS/images/110") ==
        "gfs-volume-proxmox");
  CHECK(a::gluster_fuse_volume_in(mountinfo, "/tmp/gfbench-x/mnt/vol a") == "vol-a");
  CHECK_FALSE(a::gluster_fuse_volume_in(mountinfo, "/mnt/pve/GlusterFSX").has_value());
  CHECK_FALSE(a::gluster_fuse_volume_in(mountinfo, "/mnt/other").has_value());
  CHECK_FALSE(a::gluster_fuse_volume_in(mountinfo, "/home").has_value());
  // The mount point, where the client's meta directory is.
  const auto mount = a::find_gluster_fuse_mount_in(mountinfo, "/mnt/pve/GlusterFS/images/110");
  REQUIRE(mount.has_value());
  CHECK(mount->mount_point == "/mnt/pve/GlusterFS");
  CHECK(mount->volume == "gfs-volume-proxmox");
}

namespace {

a::case_summary share_cell(std::string target, std::string op, std::string cache,
                           std::uint64_t size, std::vector<double> brick_read,
                           std::vector<double> brick_write, bool fsync = false) {
  a::case_summary c;
  c.target = std::move(target);
  c.operation = std::move(op);
  c.cache = std::move(cache);
  c.file_size = size;
  c.block_size = 4096;
  c.fsync_timed = fsync;
  c.name = c.target + "/" + c.operation;
  for (std::size_t i = 0; i < brick_read.size(); ++i) {
    c.bytes_per_second.push_back(1e8);
    c.counters[a::brick_read_bytes_counter].push_back(brick_read[i]);
    c.counters[a::brick_write_bytes_counter].push_back(brick_write[i]);
  }
  return c;
}

}  // namespace

TEST_CASE("cache and brick shares come from the brick counters' medians, clamped", "[unit]") {
  const double m = MiB;
  const auto cold = share_cell("fuse", "read", "cold", MiB, {m, m, m}, {0, 0, 0});
  CHECK(a::cache_share(cold) == 0.0);
  const auto warm = share_cell("fuse", "read", "warm", MiB, {0, m, 0}, {0, 0, 0});
  CHECK(a::cache_share(warm) == 1.0);  // median 0: all from the page cache
  const auto half = share_cell("gfapi", "reread", "warm", 2 * MiB, {m, m, m}, {0, 0, 0});
  CHECK(a::cache_share(half) == Approx(0.5));
  const auto more = share_cell("fuse", "read", "cold", MiB, {2 * m, 2 * m, 2 * m}, {0, 0, 0});
  CHECK(a::cache_share(more) == 0.0);  // read-ahead beyond the file: clamped
  CHECK_FALSE(a::brick_write_share(cold).has_value());

  auto write = share_cell("gfapi", "write", "", 10 * MiB, {0, 0, 0}, {9 * m, 9 * m, 10 * m});
  CHECK(a::brick_write_share(write) == Approx(0.9));
  CHECK_FALSE(a::cache_share(write).has_value());
  write.counters[a::brick_copies_counter] = {2, 2, 2};  // replica 2: 18 MiB is 90%
  write.counters[a::brick_write_bytes_counter] = {18 * m, 18 * m, 18 * m};
  CHECK(a::brick_write_share(write) == Approx(0.9));

  auto none = share_cell("gfapi", "read", "cold", MiB, {}, {});
  CHECK_FALSE(a::cache_share(none).has_value());
  none.aggregate_counters[a::brick_read_bytes_counter] = m / 4;  // aggregates only
  CHECK(a::cache_share(none) == Approx(0.75));
}

TEST_CASE("the summary says where the bytes went, and which writes timed fsync", "[unit]") {
  const double m = MiB;
  const std::vector<a::case_summary> cases{
      share_cell("gfapi", "write", "", MiB, {0}, {m}, /*fsync=*/true),
      share_cell("gfapi", "read", "warm", MiB, {m}, {0}),
      share_cell("gfapi", "read", "cold", MiB, {m}, {0}),
      share_cell("fuse", "write", "", MiB, {0}, {m * 0.996}, /*fsync=*/true),
      share_cell("fuse", "read", "warm", MiB, {0}, {0}),
      share_cell("fuse", "read", "cold", MiB, {m}, {0}),
  };
  const std::string table = a::format_summary(cases);
  CHECK_THAT(table, Contains("write+fsync mean"));
  CHECK_THAT(table, Contains("OP+fsync: the time includes fsync"));
  CHECK_THAT(table, Contains("share served from caches = 1 - brick bytes read / bytes read"));
  const auto block = table.substr(table.find("Where the bytes went"));
  CHECK_THAT(block, Contains("write+fsync  read:warm  read:cold"));
  CHECK_THAT(block, Contains("1MiB   4KiB         100%         0%         0%"));
  CHECK_THAT(block, Contains("1MiB   4KiB        99.6%       100%         0%"));
  CHECK_THAT(table, !Contains("*: no fsync"));

  const std::vector<a::case_summary> unsynced{share_cell("gfapi", "write", "", MiB, {0}, {m})};
  const std::string t2 = a::format_summary(unsynced);
  CHECK_THAT(t2, Contains("100%*"));
  CHECK_THAT(t2, Contains("*: no fsync in the timed region"));

  // Without brick counters, no such block.
  auto plain = share_cell("gfapi", "read", "warm", MiB, {}, {});
  plain.bytes_per_second = {1e8};
  CHECK_THAT(a::format_summary({plain}), !Contains("Where the bytes went"));
  CHECK_THAT(t2, !Contains("!: the bricks moved more"));
}

TEST_CASE("a share the bricks overshot is marked, not silently clamped", "[unit]") {
  const double m = MiB;
  // Twice the file read at the brick (another client, read-ahead), and a
  // replica-2 write with more than two copies' worth written.
  auto read = share_cell("fuse", "read", "cold", MiB, {2 * m}, {0});
  auto write = share_cell("gfapi", "write", "", MiB, {0}, {2.5 * m}, /*fsync=*/true);
  write.counters[a::brick_copies_counter] = {2};
  CHECK(a::brick_bytes_exceed_pass(read));
  CHECK(a::brick_bytes_exceed_pass(write));
  CHECK(a::cache_share(read) == 0.0);
  CHECK(a::brick_write_share(write) == 1.0);
  const std::string table = a::format_summary({write, read});
  INFO(table);
  CHECK_THAT(table, Contains("100%!"));
  CHECK_THAT(table, Contains("0%!"));
  CHECK_THAT(table, Contains("!: the bricks moved more bytes than the pass did"));
  // Exactly two copies is not an overshoot.
  write.counters[a::brick_write_bytes_counter] = {2 * m};
  CHECK_FALSE(a::brick_bytes_exceed_pass(write));
}

TEST_CASE("the summary says profiling was on, and on a shared volume whose I/O it counts",
          "[unit]") {
  CHECK(a::format_profile_note(false, false, "v").empty());
  const std::string own = a::format_profile_note(true, false, "gfs-volume-proxmox");
  CHECK_THAT(own, Contains("gluster volume profile was on for gfs-volume-proxmox during every "
                           "case"));
  CHECK_THAT(own, Contains("--no-profile measures without it"));
  CHECK_THAT(own, !Contains("every client of"));
  const std::string shared = a::format_profile_note(true, true, "prod");
  CHECK_THAT(shared, Contains("brick counters count every client of prod, not gfbench alone"));
}

namespace {

// Writes down every hook call, and adds a counter after the case.
class recording_observer final : public gfbench::case_observer {
 public:
  recording_observer(std::string tag, std::vector<std::string>& log)
      : tag_(std::move(tag)), log_(log) {}
  void before_case(const gfbench::case_info& c) override { add("before_case", c); }
  void before_pass(const gfbench::case_info& c) override { add("before_pass", c); }
  void after_pass(const gfbench::case_info& c) override { add("after_pass", c); }
  void after_case(const gfbench::case_info& c, benchmark::State& state) override {
    add("after_case", c);
    state.counters["seen_by_" + tag_] = benchmark::Counter(1);
  }

 private:
  void add(const std::string& hook, const gfbench::case_info& c) {
    log_.push_back(tag_ + " " + hook + " " + c.operation);
  }
  std::string tag_;
  std::vector<std::string>& log_;
};

}  // namespace

TEST_CASE("observers are told of cases and passes outside the timed region, nested", "[unit]") {
  const gfbench::testing::temp_dir scratch("gfbench-observer");
  const std::filesystem::path& dir = scratch.path();
  std::vector<std::string> log;
  {
    auto where = gfbench::make_posix_target(dir, "observed");
    gfbench::suite cases;
    recording_observer outer("A", log);
    recording_observer inner("B", log);
    cases.add_observer(outer);
    cases.add_observer(inner);
    gfbench::benchmark_matrix matrix;
    matrix.operations = {gfbench::operation::write};
    matrix.file_sizes = {64 * 1024};
    matrix.block_sizes = {4096};
    matrix.options.fsync = true;
    matrix.repetitions = 1;
    matrix.iterations = 2;
    const auto registered = cases.register_matrix({where.get()}, matrix);
    REQUIRE(registered.size() == 1);
    CHECK(registered[0].fsync_timed);

    capture_reporter reporter;
    REQUIRE(benchmark::RunSpecifiedBenchmarks(&reporter, "^observed/") == 1);
    REQUIRE(reporter.runs().size() == 1);
    const auto& run = reporter.runs()[0];
    CHECK_FALSE(run.error_occurred);
    CHECK(run.counters.at("seen_by_A").value == 1);
    CHECK(run.counters.at("seen_by_B").value == 1);
    CHECK(run.counters.at(gfbench::fsync_timed_counter).value == 1);
    cases.cleanup();
  }

  const std::vector<std::string> expected{"A before_case write", "B before_case write",  //
                                          "A before_pass write", "B before_pass write",  // pass 1
                                          "B after_pass write",  "A after_pass write",   //
                                          "A before_pass write", "B before_pass write",  // pass 2
                                          "B after_pass write",  "A after_pass write",   //
                                          "B after_case write",  "A after_case write"};
  CHECK(log == expected);
}

TEST_CASE("--profile, --no-profile, --gluster-cli and --fop-stats parse", "[unit]") {
  using gfbench::app::parse_cli;
  const auto plain = parse_cli(std::vector<std::string>{});
  CHECK_FALSE(plain.profile);  // the zero-config run profiles unless --no-profile
  CHECK_FALSE(plain.no_profile);
  CHECK_FALSE(plain.fop_stats);

  const auto external = parse_cli(std::vector<std::string>{
      "--volume", "v", "--gluster-cli", "ssh  root@192.168.1.1 gluster", "--fop-stats"});
  CHECK(external.profile);  // implied
  CHECK(external.gluster_cli == std::vector<std::string>{"ssh", "root@192.168.1.1", "gluster"});
  CHECK(external.fop_stats);

  CHECK(parse_cli(std::vector<std::string>{"--no-profile"}).no_profile);
  CHECK_THROWS_WITH(parse_cli(std::vector<std::string>{"--profile", "--no-profile"}),
                    Contains("contradicts"));
  CHECK_THROWS_WITH(parse_cli(std::vector<std::string>{"--gluster-cli", " ", "--no-profile"}),
                    Contains("expected a command"));
  // The CLI without profiling: for --compare-options and the heal watch.
  const auto quiet = parse_cli(
      std::vector<std::string>{"--volume", "v", "--gluster-cli", "gluster", "--no-profile"});
  CHECK_FALSE(quiet.profile);
  CHECK(quiet.gluster_cli == std::vector<std::string>{"gluster"});
}
