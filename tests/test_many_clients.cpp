// Many clients at once: gfbench under mpirun, four ranks on a 2 x 2
// distributed-replicated sandbox volume, each rank with its own libgfapi
// connection and its own FUSE mount. What the ranks report must add up,
// the aggregates must follow from the per-rank times the report records,
// reordered reads must read other ranks' files, a failing rank must fail
// the run by name, and SIGINT to mpirun must leave nothing behind.
// The aggregate arithmetic is checked on its own first ([unit]).

#include <sys/mount.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "cli/cli.hpp"
#include "gfbench/sandbox.hpp"
#include "results/client_passes.hpp"
#include "support/temp_dir.hpp"
#include "support/tool_runner.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using gfbench::app::aggregate_of;
using gfbench::app::client_pass;
using json = nlohmann::json;

namespace {
constexpr std::uint64_t MiB = 1u << 20;
}

TEST_CASE("the aggregates of a pass follow IOR, elbencho and fio", "[unit]") {
  // Two ranks: 100 bytes in [0, 2] s and 300 bytes in [1, 4] s.
  const client_pass pass{.case_name = "c",
                         .repetition = 0,
                         .pass = 0,
                         .ranks = {{.rank = 0, .host = "a", .start = 0, .end = 2, .bytes = 100},
                                   {.rank = 1, .host = "b", .start = 1, .end = 4, .bytes = 300}}};
  const auto a = aggregate_of(pass);
  CHECK(a.bytes == 400);
  CHECK(a.window == Approx(4.0));
  CHECK(a.aggregate == Approx(100.0));  // 400 B over 4 s
  // Rank 0 ends at 2 s; by then rank 1 moved 1/3 of its 300 bytes.
  CHECK(a.first_done_window == Approx(2.0));
  CHECK(a.first_done == Approx((100.0 + 100.0) / 2.0));
  CHECK(a.sum_of_rates == Approx(50.0 + 100.0));
  CHECK(a.rank_min == Approx(50.0));
  CHECK(a.rank_max == Approx(100.0));
  CHECK(a.rank_median == Approx(75.0));

  client_pass backwards = pass;
  backwards.ranks[1].end = 0.5;
  CHECK_THROWS_WITH(aggregate_of(backwards), Contains("rank 1") && Contains("ends before"));
  CHECK_THROWS_AS(aggregate_of(client_pass{}), std::invalid_argument);
}

TEST_CASE("the clients table shows each case's median aggregates over its passes", "[unit]") {
  const auto pass = [](int repetition, double second_end) {
    return client_pass{
        .case_name = "gfapi/write/size:100MiB/bs:1MiB",
        .repetition = repetition,
        .pass = 0,
        .ranks = {
            {.rank = 0, .host = "a", .start = 0, .end = 1, .bytes = 100 * MiB, .records = 100},
            {.rank = 1,
             .host = "b",
             .start = 0,
             .end = second_end,
             .bytes = 100 * MiB,
             .records = 100}}};
  };
  // Aggregates 200, 100 and 50 MiB/s: the median is 100.
  const std::string table = gfbench::app::format_client_table({pass(0, 1), pass(1, 2), pass(2, 4)},
                                                              2, 2, "the clock note");
  INFO(table);
  CHECK_THAT(table, Contains("All clients: 2 ranks on 2 hosts") && Contains("the clock note"));
  const auto row = table.substr(table.find("gfapi/write"));
  const auto line = row.substr(0, row.find('\n'));
  // passes, total MiB, aggregate, first done, sum of rates, rank min, median, max, calls/s, window
  CHECK_THAT(line, Contains("  3  ") && Contains("200.0") && Contains("100.0"));
  CHECK(line.ends_with("2.000"));  // the median window
  CHECK(gfbench::app::format_client_table({}, 2, 1, "x").empty());
}

TEST_CASE("--stonewall, --wear-out and --reorder-reads refuse what they cannot do", "[unit]") {
  using gfbench::app::parse_cli;
  using v = std::vector<std::string>;
  CHECK_THROWS_WITH(parse_cli(v{"--posix", "/tmp", "--wear-out"}), Contains("--stonewall"));
  CHECK_THROWS_WITH(parse_cli(v{"--posix", "/tmp", "--stonewall", "0"}),
                    Contains("--stonewall") && Contains("positive"));
  CHECK_THROWS_WITH(parse_cli(v{"--posix", "/tmp", "--stonewall", "2", "--qd", "4"}),
                    Contains("--runtime"));
  CHECK_THROWS_WITH(parse_cli(v{"--posix", "/tmp", "--stonewall", "2", "--ops", "random_write"}),
                    Contains("random_write"));
  CHECK_THROWS_WITH(parse_cli(v{"--posix", "/tmp", "--reorder-reads", "1", "--ops", "write"}),
                    Contains("reorders reads"));
  CHECK_THROWS_WITH(parse_cli(v{"--posix", "/tmp", "--reorder-reads", "0"}),
                    Contains("--reorder-reads"));
  CHECK_THROWS_WITH(parse_cli(v{"--file-count", "10", "--stonewall", "1"}),
                    Contains("--file-count"));
  const auto o = parse_cli(v{"--posix", "/tmp", "--stonewall", "1.5", "--wear-out"});
  CHECK(o.matrix().options.stonewall == std::chrono::milliseconds(1500));
  CHECK(o.matrix().options.wear_out);
}

TEST_CASE("alone, --reorder-reads is refused: it needs other ranks", "[unit]") {
  const gfbench::testing::temp_dir dir("gfbench-mc");
  const auto r =
      gfbench::testing::run_tool({"--posix", dir.path().string(), "--reorder-reads", "1"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("mpirun"));
}

namespace {

constexpr const char* mpirun = "/usr/bin/mpirun";
constexpr int ranks = 4;

// The 2 x 2 volume and a FUSE mount per rank, started once for the group.
struct many_clients {
  gfbench::sandbox sb;
  gfbench::sandbox_volume volume;
  gfbench::testing::temp_dir links{"gfbench-mc-links"};
  many_clients()
      : sb(gfbench::sandbox::start({.nodes = 4})),
        volume(sb.create_distributed_replicated("mc", 4, 2)) {
    // Each rank's mount as links/m<rank>, for --posix links/m%r.
    for (int r = 0; r < ranks; ++r) {
      fs::create_directory_symlink(sb.fuse_mount("mc"), links.path() / ("m" + std::to_string(r)));
    }
  }
  [[nodiscard]] fs::path mount() const { return links.path() / "m0"; }
  [[nodiscard]] std::string netns() const { return "/var/run/netns/" + sb.network_namespace(); }
  [[nodiscard]] std::string gluster_cli() const {
    return "ip netns exec " + sb.network_namespace() + " gluster --glusterd-sock=" +
           (sb.base_dir() / "node0" / "glusterd" / "gd.sock").string() + " --log-file=/dev/null";
  }
  // mpirun -np 4 gfbench on the volume (gfapi) and each rank's mount (fuse).
  [[nodiscard]] std::vector<std::string> args(const std::vector<std::string>& own) const {
    auto a = gfapi_args("mc");
    a.insert(a.end(), {"--posix", (links.path() / "m%r").string() + "=fuse"});
    a.insert(a.end(), own.begin(), own.end());
    return a;
  }
  // mpirun -np 4 gfbench on a volume of this sandbox, through libgfapi only.
  [[nodiscard]] std::vector<std::string> gfapi_args(const std::string& volume_name) const {
    return {"--allow-run-as-root",
            "--oversubscribe",
            "-np",
            std::to_string(ranks),
            gfbench::testing::tool_path(),
            "--volume",
            volume_name,
            "--server",
            sb.node_address(0)};
  }
  gfbench::testing::tool_result run(const std::vector<std::string>& own) const {
    return run_args(args(own));
  }
  gfbench::testing::tool_result run_args(const std::vector<std::string>& all) const {
    gfbench::testing::tool_process p(mpirun, all, netns(), rank_environment());
    return p.wait(std::chrono::seconds(300));
  }
  // A 4-brick volume whose bricks take 20 ms over every write (Gluster's
  // delay-gen): with write-behind's 1 MiB window per file, a rank writes at
  // most 50 MiB/s on it, however fast the machine. Made on first use.
  const gfbench::sandbox_volume& slow_volume() {
    if (!slow) {
      slow = sb.create_volume({.name = "mc-slow",
                               .bricks = 4,
                               .options = {{"debug.delay-gen", "posix"},
                                           {"delay-gen.enable", "write"},
                                           {"delay-gen.delay-percentage", "100"},
                                           {"delay-gen.delay-duration", "20000"}}});
    }
    return *slow;
  }
  std::optional<gfbench::sandbox_volume> slow;
  // Under AddressSanitizer: Open MPI unloads its components (dlclose) in
  // MPI_Finalize, so what they kept until exit has no library name left
  // for a suppression to match. The ranks check memory errors as ever;
  // leaks of gfbench's own are checked by every other test group.
  [[nodiscard]] static std::vector<std::string> rank_environment() {
#ifdef GFBENCH_TESTS_SANITIZED
    return {"ASAN_OPTIONS=detect_leaks=0"};
#else
    return {};
#endif
  }
  // What is on the volume and its bricks besides their own metadata.
  [[nodiscard]] std::vector<std::string> leftovers() const {
    std::vector<std::string> found;
    for (const auto& e : fs::directory_iterator(mount())) found.push_back(e.path().string());
    return brick_leftovers(volume, std::move(found));
  }
  // What is on a volume's bricks besides their own metadata, after `found`.
  [[nodiscard]] static std::vector<std::string> brick_leftovers(
      const gfbench::sandbox_volume& of, std::vector<std::string> found = {}) {
    for (const auto& b : of.bricks) {
      for (const auto& e : fs::directory_iterator(b.path)) {
        // .glusterfs and replicate's .glusterfs-anonymous-inode-* are the bricks' own.
        if (!e.path().filename().string().starts_with(".glusterfs")) {
          found.push_back(e.path().string());
        }
      }
    }
    return found;
  }
};

many_clients& clients() {
  static many_clients made;
  return made;
}

json read_report(const fs::path& dir) {
  std::ifstream in(dir / "summary.json");
  return json::parse(in);
}

const json* find_case(const json& report, const std::string& name) {
  for (const auto& c : report["cases"]) {
    if (c["name"] == name) return &c;
  }
  return nullptr;
}

// A run with --report in a directory of its own, which must succeed:
// what it printed and its summary.json.
std::pair<gfbench::testing::tool_result, json> run_reported(const many_clients& mc,
                                                            std::vector<std::string> own) {
  const gfbench::testing::temp_dir report("gfbench-mc-report");
  own.insert(own.end(), {"--report", report.path().string()});
  auto r = mc.run(own);
  INFO(gfbench::testing::describe(r));
  REQUIRE(r.exit_code == 0);
  return {std::move(r), read_report(report.path())};
}

// mpirun, started, given the time to clean up that docs/scale-out.md asks
// for: its default of one second from SIGTERM to SIGKILL is usually, not
// always, enough after Ctrl-C, and too short to remove what a dead rank left.
std::unique_ptr<gfbench::testing::tool_process> start_with_cleanup_time(
    const many_clients& mc, const std::vector<std::string>& own) {
  auto environment = many_clients::rank_environment();
  environment.emplace_back("OMPI_MCA_odls_base_sigkill_timeout=10");
  return std::make_unique<gfbench::testing::tool_process>(mpirun, mc.args(own), mc.netns(),
                                                          environment);
}

}  // namespace

TEST_CASE("under mpirun the ranks' bytes add up and the aggregates follow from their times",
          "[mpi]") {
  auto& mc = clients();
  const auto [r, rep] = run_reported(
      mc, {"--sizes", "8MiB", "--block-sizes", "1MiB", "--ops", "write,read", "--read-cache",
           "warm", "--benchmark_repetitions=2", "--reorder-reads", "1"});
  CHECK_THAT(r.out, Contains("All clients: 4 ranks on 1 host"));
  REQUIRE(rep["ranks"]["count"] == ranks);
  const auto& passes = rep["ranks"]["passes"];
  // 2 targets x 2 operations x 2 repetitions, one pass each.
  REQUIRE(passes.size() == 8);
  for (const auto& p : passes) {
    INFO(p["case"].get<std::string>());
    REQUIRE(p["ranks"].size() == ranks);
    std::uint64_t bytes = 0;
    double first = 1e300, last = -1e300, sum_of_rates = 0;
    std::vector<int> seen;
    for (const auto& k : p["ranks"]) {
      bytes += k["bytes"].get<std::uint64_t>();
      CHECK(k["bytes"].get<std::uint64_t>() == 8 * MiB);  // each rank's whole file
      const double start = k["start_s"], end = k["end_s"];
      REQUIRE(end > start);
      first = std::min(first, start);
      last = std::max(last, end);
      sum_of_rates += 8.0 * MiB / (end - start);
      seen.push_back(k["rank"]);
    }
    CHECK(seen == std::vector<int>{0, 1, 2, 3});
    CHECK(p["bytes"].get<std::uint64_t>() == bytes);
    CHECK(bytes == ranks * 8 * MiB);
    CHECK(p["window_s"].get<double>() == Approx(last - first));
    CHECK(p["aggregate_bytes_per_second"].get<double>() == Approx(bytes / (last - first)));
    CHECK(p["sum_of_rates_bytes_per_second"].get<double>() == Approx(sum_of_rates));
    CHECK(p["sum_of_rates_bytes_per_second"].get<double>() >=
          p["aggregate_bytes_per_second"].get<double>());
  }
  // Every pass's timeline of all ranks, added up on the common clock:
  // exactly every rank's bytes (8 records of 1 MiB each).
  std::size_t merged = 0;
  for (const auto& t : rep["timelines"]) {
    const std::string name = t["case"];
    if (name.find(" [all 4 ranks]") == std::string::npos) continue;
    INFO(name);
    ++merged;
    std::uint64_t bytes = 0, completions = 0;
    for (const auto& i : t["intervals"]) {
      bytes += i["bytes"].get<std::uint64_t>();
      completions += i["completions"].get<std::uint64_t>();
    }
    CHECK(bytes == ranks * 8 * MiB);
    CHECK(completions == ranks * 8);
  }
  CHECK(merged == 8);
}

TEST_CASE("reordered reads read other ranks' files, which no cache of the reader holds", "[mpi]") {
  auto& mc = clients();
  // FUSE reads right after the lay-out: each mount's page cache holds its
  // own rank's file, not the others'. So the bricks serve little of a read
  // of one's own file and all of a read of another rank's. Each rank's data
  // carries a pattern of its own, so a rank that read its own file instead
  // would fail the check of what it read.
  const auto brick_reads = [&](bool reorder) {
    std::vector<std::string> own{"--sizes",       "8MiB",          "--block-sizes",
                                 "1MiB",          "--ops",         "read",
                                 "--read-cache",  "warm",          "--benchmark_repetitions=1",
                                 "--gluster-cli", mc.gluster_cli()};
    if (reorder) own.insert(own.end(), {"--reorder-reads", "1"});
    const json rep = run_reported(mc, own).second;
    const json* c = find_case(rep, "fuse/read/size:8MiB/bs:1MiB/cache:warm");
    REQUIRE(c != nullptr);
    REQUIRE((*c)["counters"].contains("brick_read_bytes"));
    // Rank 0's bricks counters count every rank's reads; its share served
    // from caches is of every rank's bytes.
    CHECK((*c)["counters"]["bytes_per_pass"].get<double>() == ranks * 8.0 * MiB);
    return std::pair((*c)["counters"]["brick_read_bytes"].get<double>(),
                     (*c)["served_from_caches"].get<double>());
  };
  const auto [own_files, own_share] = brick_reads(false);
  const auto [other_files, other_share] = brick_reads(true);
  INFO("brick bytes read: own files " << own_files << ", other ranks' files " << other_files);
  // Every byte of the four 8 MiB files comes from a brick (one copy each).
  CHECK(other_files >= 0.95 * ranks * 8 * MiB);
  CHECK(other_share <= 0.05);
  CHECK(own_files < 0.5 * other_files);
  CHECK(own_share > 0.5);
}

TEST_CASE("a rank that fails fails the run, which names it, and the others clean up", "[mpi]") {
  auto& mc = clients();
  // Rank 2 works in a directory with room for gfbench's three directories
  // and no file: its first case fails creating the file; the others' do not.
  const gfbench::testing::temp_dir base("gfbench-mc-fail");
  for (int r = 0; r < ranks; ++r) fs::create_directory(base.path() / ("r" + std::to_string(r)));
  const fs::path tiny = base.path() / "r2";
  REQUIRE(::mount("tmpfs", tiny.c_str(), "tmpfs", 0, "size=64m,nr_inodes=4") == 0);
  struct unmount {
    fs::path at;
    ~unmount() { ::umount2(at.c_str(), MNT_DETACH); }
  } unmounted{tiny};
  const auto r = gfbench::testing::tool_process(
                     mpirun,
                     {"--allow-run-as-root", "--oversubscribe", "-np", std::to_string(ranks),
                      gfbench::testing::tool_path(), "--posix", (base.path() / "r%r").string(),
                      "--sizes", "1MiB", "--ops", "write", "--benchmark_repetitions=2"},
                     mc.netns(), many_clients::rank_environment())
                     .wait(std::chrono::seconds(120));
  INFO(gfbench::testing::describe(r));
  CHECK(r.exit_code != 0);
  CHECK_FALSE(r.timed_out);
  // Rank 0's case failed because rank 2's did, and says whose error it was.
  CHECK_THAT(r.out, Contains("rank 2 (") && Contains("ended this case early"));
  CHECK_THAT(r.out, Contains("rank 2: posix/write") && Contains("No space left on device"));
  // Every rank's area is gone, the failed rank's too (it had no file).
  for (int k = 0; k < ranks; ++k) {
    const fs::path dir = base.path() / ("r" + std::to_string(k));
    CHECK(fs::is_empty(dir));
  }
}

TEST_CASE("SIGINT to mpirun during a run leaves nothing on the volume", "[mpi]") {
  auto& mc = clients();
  const auto started =
      start_with_cleanup_time(mc, {"--sizes", "64MiB", "--block-sizes", "4KiB", "--ops",
                                   "write,read", "--benchmark_repetitions=3"});
  auto& p = *started;
  // Rank 0 says when each case starts: stop in the second one.
  REQUIRE(p.wait_for_stderr("[2/", std::chrono::seconds(120)));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  p.send_signal(SIGINT);
  const auto r = p.wait(std::chrono::seconds(60));
  INFO(gfbench::testing::describe(r));
  CHECK_FALSE(r.timed_out);
  CHECK(r.exit_code != 0);
  CHECK(mc.leftovers() == std::vector<std::string>{});
}

TEST_CASE("with --stonewall a pass stops at its deadline; --wear-out evens the ranks' work",
          "[mpi]") {
  auto& mc = clients();
  const auto& slow = mc.slow_volume();
  constexpr double stonewall = 0.3;
  const auto run = [&](bool wear_out) {
    auto all = mc.gfapi_args(slow.name);
    all.insert(all.end(),
               {"--sizes", "64MiB", "--block-sizes", "4KiB", "--ops", "write,read", "--read-cache",
                "cold", "--stonewall", "0.3", "--benchmark_repetitions=1"});
    if (wear_out) all.emplace_back("--wear-out");
    const gfbench::testing::temp_dir report("gfbench-mc-report");
    all.insert(all.end(), {"--report", report.path().string()});
    const auto r = mc.run_args(all);
    INFO(gfbench::testing::describe(r));
    REQUIRE(r.exit_code == 0);
    return read_report(report.path())["ranks"]["passes"];
  };
  for (const bool wear_out : {false, true}) {
    INFO("--wear-out " << wear_out);
    const json passes = run(wear_out);
    REQUIRE(passes.size() == 2);  // write, read
    for (const auto& p : passes) {
      const std::string name = p["case"].get<std::string>();
      INFO(name);
      std::vector<std::uint64_t> bytes;
      for (const auto& k : p["ranks"]) {
        const auto b = k["bytes"].get<std::uint64_t>();
        const double window = k["end_s"].get<double>() - k["start_s"].get<double>();
        INFO("rank " << k["rank"] << ": " << b << " bytes in " << window << " s");
        CHECK(b > 0);
        CHECK(b <= 64 * MiB);
        CHECK(b % 4096 == 0);  // whole records
        // Never cut before the deadline (the window is on MPI_Wtime, the
        // deadline on the steady clock: a millisecond apart at most).
        if (b < 64 * MiB) CHECK(window >= stonewall - 1e-3);
        bytes.push_back(b);
      }
      // 64 MiB take a writer 1.3 s or more on this volume: every write is cut.
      if (name.find("/write/") != std::string::npos) {
        for (const auto b : bytes) CHECK(b < 64 * MiB);
      }
      // Wear-out: every rank goes on to the count of the one that did most.
      if (wear_out)
        CHECK(std::all_of(bytes.begin(), bytes.end(), [&](auto b) { return b == bytes[0]; }));
    }
  }
  CHECK(many_clients::brick_leftovers(slow) == std::vector<std::string>{});
}

TEST_CASE("with --stonewall one client's pass stops at its deadline, and what it wrote is checked",
          "[kernels]") {
  const gfbench::testing::temp_dir dir("gfbench-wall");
  const gfbench::testing::temp_dir report("gfbench-wall-report");
  // 512 MiB in 4 KiB write(2) calls: 131072 calls, each copying 4 KiB into
  // the page cache, take well over 20 ms on any machine, so every write
  // pass is cut. A read from the page cache may be quicker: it is only
  // held to the rule that it is never cut before the deadline.
  constexpr double stonewall = 0.02;
  const auto r = gfbench::testing::run_tool(
      {"--posix", dir.path().string(), "--sizes", "512MiB", "--ops", "write,rewrite,read",
       "--read-cache", "warm", "--stonewall", "0.02", "--fsync", "--benchmark_repetitions=1",
       "--report", report.path().string()});
  INFO(gfbench::testing::describe(r));
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("--stonewall"));
  const json rep = read_report(report.path());
  for (const auto& c : rep["cases"]) {
    const std::string name = c["name"].get<std::string>();
    INFO(name);
    // What the pass moved, not the file: at most the file.
    const double per_pass = c["counters"]["lat_records"].get<double>() * 4096;
    CHECK(per_pass > 0);
    CHECK(per_pass <= 512.0 * MiB);
    if (c["operation"] != "read") CHECK(per_pass < 512.0 * MiB);
    if (per_pass < 512.0 * MiB) {
      // Cut, and not before the deadline.
      const double took = per_pass / c["throughput_bytes_per_second"]["median"].get<double>();
      CHECK(took >= stonewall * 0.999);
    }
    // The shares of the pass's bytes are of what it moved.
    CHECK(c["counters"]["bytes_per_pass"].get<double>() == per_pass);
  }
  CHECK(fs::is_empty(dir.path()));
}

TEST_CASE("a rank that dies ends the run, and rank 0 removes what it left", "[mpi]") {
  auto& mc = clients();
  const auto started = start_with_cleanup_time(mc, {"--sizes", "64MiB", "--block-sizes", "4KiB",
                                                    "--ops", "write", "--benchmark_repetitions=3"});
  auto& p = *started;
  REQUIRE(p.wait_for_stderr("[1/", std::chrono::seconds(120)));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  // The ranks are mpirun's children (the processes this test started);
  // the last one dies without a word, in the middle of its write pass.
  std::vector<pid_t> children;
  {
    std::ifstream in("/proc/" + std::to_string(p.pid()) + "/task/" + std::to_string(p.pid()) +
                     "/children");
    for (pid_t child = 0; in >> child;) children.push_back(child);
  }
  REQUIRE(children.size() == ranks);
  REQUIRE(::kill(children.back(), SIGKILL) == 0);
  const auto r = p.wait(std::chrono::seconds(60));
  INFO(gfbench::testing::describe(r));
  CHECK_FALSE(r.timed_out);
  CHECK(r.exit_code != 0);
  CHECK(mc.leftovers() == std::vector<std::string>{});
}
