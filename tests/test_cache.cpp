// Honest numbers on a real volume: what the cases' timed passes brought to
// the bricks, as `gluster volume profile` counts it, for cold and warm
// reads through libgfapi and FUSE and for writes with and without fsync in
// the timed region; the client FOP counters; and the tool's wiring of both.
//
// What 10.3 does, measured here and asserted as such:
// - a cold read, gfapi or FUSE, reads every byte at the brick;
// - a warm FUSE read or reread comes from the kernel's page cache: no brick
//   read at all;
// - a warm gfapi read or reread reaches the brick too: the default client
//   graph (write-behind, open-behind, quick-read, md-cache, io-threads) has
//   no translator that keeps file data above quick-read's 64 KiB, and
//   io-cache and read-ahead are off. Should a release turn caching on, the
//   test fails, and the docs need saying so.

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/counter_names.hpp"
#include "gfbench/kernels.hpp"
#include "gfbench/suite.hpp"
#include "gfbench/target.hpp"
#include "gfbench/units.hpp"
#include "gluster/brick_observer.hpp"
#include "gluster/brick_profiler.hpp"
#include "gluster/fop_stats.hpp"
#include "gluster/gluster_cli.hpp"
#include "gluster/profile_xml.hpp"
#include "support/capture_reporter.hpp"
#include "support/test_cluster.hpp"
#include "support/tool_runner.hpp"

using Catch::Matchers::Contains;
namespace d = gfbench::detail;
namespace a = gfbench::app;
using gfbench::cache_mode;
using gfbench::operation;

using gfbench::testing::capture_reporter;

namespace {

constexpr std::string_view cache_volume = "gfbench-cache";
constexpr std::uint64_t MiB = 1024 * 1024;

// One single-brick volume, profiling started before any client connects
// (starting it switches clients to a new graph), a gfapi target and a FUSE
// mount of it. Made on first use, kept for the process.
struct cache_setup {
  std::unique_ptr<a::brick_profiler> profiler;
  gfbench::volume_options gfapi_options;
  std::unique_ptr<gfbench::target> gfapi;
  std::filesystem::path mountpoint;
  std::unique_ptr<gfbench::target> fuse;
};

cache_setup& setup() {
  static cache_setup s = [] {
    auto& sb = gfbench::testing::cluster();
    sb.create_volume(cache_volume, 1);
    cache_setup c;
    c.profiler =
        std::make_unique<a::brick_profiler>(a::make_sandbox_cli(sb), std::string(cache_volume));
    c.profiler->keep_running();  // the sandbox goes at exit, volume and all
    c.profiler->start();
    c.gfapi_options = gfbench::testing::test_options(cache_volume);
    c.gfapi = gfbench::make_gfapi_target(gfbench::volume::connect(c.gfapi_options), "gfapi");
    c.mountpoint = sb.fuse_mount(cache_volume);
    c.fuse = gfbench::make_posix_target(c.mountpoint, "fuse");
    return c;
  }();
  return s;
}

struct case_result {
  std::map<std::string, double> counters;
  std::string error;  // empty: the case ran
  double bytes_per_second = 0;

  [[nodiscard]] double at(const std::string& name) const {
    const auto it = counters.find(name);
    if (it == counters.end()) FAIL("the case reported no counter " << name);
    return it->second;
  }
};

struct case_request {
  operation op = operation::read;
  std::uint64_t file_size = 100 * MiB;
  std::uint64_t block_size = MiB;
  cache_mode cache = cache_mode::warm;
  bool fsync = false;
  bool fop_stats = false;
};

// How much of a case's file on a mount is in the page cache as its timed
// pass begins (mincore on a mapping of it); the file is found by name
// under the mount's scratch directories.
class resident_at_pass final : public gfbench::case_observer {
 public:
  explicit resident_at_pass(std::filesystem::path mountpoint)
      : mountpoint_(std::move(mountpoint)) {}
  void before_pass(const gfbench::case_info& c) override {
    bytes_ = 0;
    const std::string name = c.operation + "-" + gfbench::format_iec(c.file_size) + "-" +
                             gfbench::format_iec(c.block_size) + "-" + c.cache;
    std::error_code ec;
    for (std::filesystem::recursive_directory_iterator it(mountpoint_ / ".gfbench", ec), end;
         !ec && it != end; it.increment(ec)) {
      if (it->path().filename() == name) bytes_ = resident_bytes(it->path());
    }
  }
  [[nodiscard]] std::uint64_t bytes() const noexcept { return bytes_; }

 private:
  static std::uint64_t resident_bytes(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    struct stat st {};
    std::uint64_t resident = 0;
    if (::fstat(fd, &st) == 0 && st.st_size > 0) {
      const auto size = static_cast<std::size_t>(st.st_size);
      void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
      if (map != MAP_FAILED) {
        const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
        std::vector<unsigned char> in_core((size + page - 1) / page);
        if (::mincore(map, size, in_core.data()) == 0) {
          for (const unsigned char c : in_core) resident += (c & 1u) * page;
        }
        ::munmap(map, size);
      }
    }
    ::close(fd);
    return resident;
  }
  std::filesystem::path mountpoint_;
  std::uint64_t bytes_ = 0;
};

// Runs one case on `where`, once, with brick counters (and client counters
// with fop_stats, and `extra` first when given) and returns what it reported.
case_result run_case(gfbench::target& where, const case_request& r,
                     gfbench::case_observer* extra = nullptr) {
  auto& s = setup();
  gfbench::suite cases;
  if (extra != nullptr) cases.add_observer(*extra);
  std::vector<std::unique_ptr<gfbench::case_observer>> observers;
  if (r.fop_stats) {
    std::map<std::string, std::unique_ptr<a::client_stats_source>> sources;
    sources[where.label()] =
        where.label() == "gfapi"
            ? a::make_gfapi_stats_source(gfbench::volume::connect(s.gfapi_options))
            : a::make_fuse_stats_source(s.mountpoint);
    observers.push_back(std::make_unique<a::fop_stats_observer>(std::move(sources)));
  }
  observers.push_back(std::make_unique<a::brick_observer>(
      *s.profiler, std::vector<std::string>{where.label()}, /*fop_detail=*/true));
  for (auto& o : observers) cases.add_observer(*o);

  gfbench::benchmark_matrix m;
  m.operations = {r.op};
  m.file_sizes = {r.file_size};
  m.block_sizes = {r.block_size};
  m.read_cache_modes = {r.cache};
  m.options.fsync = r.fsync;
  m.repetitions = 1;
  m.iterations = 1;
  const auto registered = cases.register_matrix({&where}, m);
  REQUIRE(registered.size() == 1);
  capture_reporter reporter;
  const auto matched = benchmark::RunSpecifiedBenchmarks(&reporter, "^" + registered[0].name + "/");
  benchmark::ClearRegisteredBenchmarks();
  cases.cleanup();
  REQUIRE(matched == 1);
  REQUIRE(reporter.runs().size() == 1);
  case_result result;
  const auto& run = reporter.runs()[0];
  if (run.error_occurred) result.error = run.error_message;
  for (const auto& [name, c] : run.counters) result.counters[name] = c.value;
  if (const auto it = run.counters.find("bytes_per_second"); it != run.counters.end()) {
    result.bytes_per_second = it->second.value;
  }
  INFO(registered[0].name);
  for (const auto& [name, value] : result.counters) UNSCOPED_INFO(name << " = " << value);
  return result;
}

}  // namespace

TEST_CASE("a cold gfapi read of a 100 MiB file reads every byte at the brick", "[cache]") {
  const auto r = run_case(*setup().gfapi, {.op = operation::read, .cache = cache_mode::cold});
  REQUIRE(r.error.empty());
  CHECK(r.at(a::brick_read_bytes_counter) >= 100.0 * MiB);
  CHECK(r.at("brick_read_calls") >= 100);  // 1 MiB records, none merged away
  CHECK(r.at(a::brick_write_bytes_counter) == 0);
}

TEST_CASE("a cold FUSE read of a 100 MiB file reads every byte at the brick", "[cache]") {
  const auto r = run_case(*setup().fuse, {.op = operation::read, .cache = cache_mode::cold});
  REQUIRE(r.error.empty());
  CHECK(r.at(a::brick_read_bytes_counter) >= 100.0 * MiB);
  CHECK(r.at(a::brick_write_bytes_counter) == 0);
}

TEST_CASE("an uncached read, gfapi or FUSE, reads every byte at the brick", "[cache]") {
  for (gfbench::target* where : {setup().gfapi.get(), setup().fuse.get()}) {
    INFO(where->label());
    // 4 KiB records: O_DIRECT on FUSE, no read-ahead on either, so every
    // record is a read at the brick.
    const auto r = run_case(*where, {.op = operation::read,
                                     .file_size = 16 * MiB,
                                     .block_size = 4096,
                                     .cache = cache_mode::uncached});
    REQUIRE(r.error.empty());
    CHECK(r.at(a::brick_read_bytes_counter) >= 16.0 * MiB);
    CHECK(r.at("brick_read_calls") >= 4096);  // one per record: nothing read ahead
  }
}

TEST_CASE("a warm FUSE read and reread come from the page cache, not the brick", "[cache]") {
  for (const auto op : {operation::read, operation::reread}) {
    resident_at_pass resident(setup().mountpoint);
    const auto r = run_case(*setup().fuse, {.op = op, .cache = cache_mode::warm}, &resident);
    REQUIRE(r.error.empty());
    // The file was just written (read) or read (reread) through the mount:
    // what the page cache held when the pass began is not read at the brick.
    // It holds the whole file unless memory ran short meanwhile.
    const double missing = 100.0 * MiB - static_cast<double>(resident.bytes());
    INFO(resident.bytes() << " bytes of the file were in the page cache");
    CHECK(r.at(a::brick_read_bytes_counter) <= missing + 0.01 * 100 * MiB);
    if (missing > 0) WARN("the page cache held only " << resident.bytes() << " of 100 MiB");
  }
}

TEST_CASE("a warm gfapi read and reread reach the brick: 10.3's client caches no file data",
          "[cache]") {
  for (const auto op : {operation::read, operation::reread}) {
    const auto r = run_case(*setup().gfapi, {.op = op, .cache = cache_mode::warm});
    REQUIRE(r.error.empty());
    CHECK(r.at(a::brick_read_bytes_counter) >= 100.0 * MiB);
  }
  // Small files too: quick-read (64 KiB and less) did not serve them.
  const auto small = run_case(*setup().gfapi, {.op = operation::reread,
                                               .file_size = 64 * 1024,
                                               .block_size = 4096,
                                               .cache = cache_mode::warm});
  REQUIRE(small.error.empty());
  CHECK(small.at(a::brick_read_bytes_counter) >= 64.0 * 1024);
}

TEST_CASE("a write with fsync timed has all its bytes on the brick when the region ends",
          "[cache]") {
  for (auto* where : {setup().gfapi.get(), setup().fuse.get()}) {
    const auto r = run_case(*where, {.op = operation::write, .fsync = true});
    REQUIRE(r.error.empty());
    CHECK(r.at(gfbench::fsync_timed_counter) == 1);
    // Snapshot right after the region: fsync had returned inside it.
    CHECK(r.at(a::brick_write_bytes_counter) >= 100.0 * MiB);
    CHECK(r.at("brick_fsync_calls") >= 1);
  }
}

TEST_CASE("a write without fsync says so, and the brick never has more than was written",
          "[cache]") {
  for (auto* where : {setup().gfapi.get(), setup().fuse.get()}) {
    const auto r =
        run_case(*where, {.op = operation::rewrite, .file_size = MiB, .block_size = 4096});
    REQUIRE(r.error.empty());
    CHECK(r.at(gfbench::fsync_timed_counter) == 0);
    CHECK(r.at(a::brick_write_bytes_counter) <= 1.0 * MiB);
    CHECK(r.counters.count("brick_fsync_calls") == 0);  // the fsync after the pass is outside
  }
}

TEST_CASE("client FOP counters: what the application or the kernel asked the client for",
          "[cache]") {
  const std::string prefix = "gfbench-fop-" + std::to_string(::getpid()) + "-";
  const auto leftovers = [&] {
    std::size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator("/var/run/gluster")) {
      if (e.path().filename().string().starts_with(prefix)) ++n;
    }
    return n;
  };

  // An uncached gfapi read goes through the second connection: its
  // io-stats must be the one dumped, or the reads would be missing.
  const auto uncached = run_case(*setup().gfapi, {.op = operation::read,
                                                  .file_size = 10 * MiB,
                                                  .cache = cache_mode::uncached,
                                                  .fop_stats = true});
  REQUIRE(uncached.error.empty());
  CHECK(uncached.at("fop_read_calls") == 10);
  CHECK(uncached.at("fop_read_avg_us") > 0);
  CHECK(uncached.counters.count("fop_setxattr_calls") == 0);  // the dumps' own, left out
  // A cold one, on a graph that keeps no file data, goes through the main one.
  const auto cold = run_case(
      *setup().gfapi,
      {.op = operation::read, .file_size = 10 * MiB, .cache = cache_mode::cold, .fop_stats = true});
  REQUIRE(cold.error.empty());
  CHECK(cold.at("fop_read_calls") == 10);

  // Through FUSE, without a writeback cache, each 4 KiB write(2) is one
  // WRITE at the client. Write-behind may merge some before the brick, but
  // only those that queue behind an unanswered one: on a slow or busy
  // machine each may go out alone. What always holds is that the brick got
  // every byte (fsync is timed), in no more calls than the client made.
  const auto fuse = run_case(*setup().fuse, {.op = operation::write,
                                             .file_size = MiB,
                                             .block_size = 4096,
                                             .fsync = true,
                                             .fop_stats = true});
  REQUIRE(fuse.error.empty());
  CHECK(fuse.at("fop_write_calls") == 256);
  CHECK(fuse.at("brick_write_calls") >= 1);
  CHECK(fuse.at("brick_write_calls") <= fuse.at("fop_write_calls"));
  CHECK(fuse.at(a::brick_write_bytes_counter) == 1.0 * MiB);
  CHECK(fuse.at("fop_fsync_calls") == 1);
  WARN("write-behind merged 256 client writes into " << fuse.at("brick_write_calls")
                                                     << " brick writes");

  CHECK(leftovers() == 0);  // every dump read and removed
}

TEST_CASE("the zero-config tool profiles the sandbox and prints where the bytes went", "[cache]") {
  const auto r = gfbench::testing::run_tool(
      {"--sizes", "1MiB", "--ops", "write,read", "--fsync", "--benchmark_repetitions=1", "--rows"},
      std::chrono::seconds(180));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("brick_read_bytes="));
  CHECK_THAT(r.out, Contains("fsync_timed=1"));
  CHECK_THAT(r.out, Contains("write+fsync mean"));
  CHECK_THAT(r.out, Contains("Where the bytes went"));
  // gfapi: write, read:warm, read:cold; every write on the brick, no read cached.
  CHECK_THAT(r.out, Contains("1MiB   4KiB         100%         0%         0%"));
  // FUSE: the warm read from the page cache.
  CHECK_THAT(r.out, Contains("1MiB   4KiB         100%       100%         0%"));
}

TEST_CASE("--profile on a volume it did not start starts and stops profiling", "[cache]") {
  auto& sb = gfbench::testing::cluster();
  gfbench::testing::own_volume v("gfbench-prof");
  const auto profiling = [&] {
    return a::parse_volume_info_xml(sb.gluster({"volume", "info", v.name(), "--xml"}), v.name())
        .profiling;
  };
  REQUIRE_FALSE(profiling());
  // The sandbox's glusterd answers on its own socket, in its namespace.
  const std::string cli = "ip netns exec " + sb.network_namespace() + " gluster --glusterd-sock=" +
                          (sb.base_dir() / "node0" / "glusterd" / "gd.sock").string() +
                          " --log-file=/dev/null";
  auto args = v.args();
  for (const char* a : {"--sizes", "1MiB", "--ops", "read", "--read-cache", "cold",
                        "--benchmark_repetitions=1", "--rows", "--gluster-cli"}) {
    args.emplace_back(a);
  }
  args.push_back(cli);
  const auto r = gfbench::testing::run_tool(args, std::chrono::seconds(120));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("brick_read_bytes=1048.58k"));
  CHECK_THAT(r.err, Contains("started `gluster volume profile"));
  CHECK_THAT(r.err, Contains("stopped `gluster volume profile"));
  CHECK_FALSE(profiling());  // as it was before
}

TEST_CASE("the gluster CLI answers several threads at once, waiting out glusterd's lock",
          "[cache]") {
  // A run asks glusterd from several threads (the brick profiler, the heal
  // follower, the fault schedule): glusterd refuses a call while another
  // holds the volume's lock, and every such call must wait and succeed.
  auto& sb = gfbench::testing::cluster();
  static_cast<void>(setup());  // the volume, profiling on
  const std::string volume(cache_volume);
  std::mutex lock;
  std::vector<std::string> failures;
  std::size_t answered = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      const auto cli = a::make_sandbox_cli(sb);
      for (int i = 0; i < 8; ++i) {
        const bool profile = (i + t) % 2 == 0;
        try {
          const auto out =
              profile ? cli->run({"volume", "profile", volume, "info", "cumulative", "--xml"})
                      : cli->run({"volume", "status", volume, "--xml"});
          const std::scoped_lock guard(lock);
          if (out.find("<opRet>0</opRet>") == std::string::npos) {
            failures.push_back("no opRet 0 in: " + out.substr(0, 300));
          } else {
            ++answered;
          }
        } catch (const std::exception& e) {
          const std::scoped_lock guard(lock);
          failures.emplace_back(e.what());
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& f : failures) UNSCOPED_INFO(f);
  CHECK(failures.empty());
  CHECK(answered == 24);
}

TEST_CASE("--read-only with --profile counts what the bricks read of files already there",
          "[cache]") {
  auto& sb = gfbench::testing::cluster();
  gfbench::testing::own_volume v("gfbench-prof-ro");
  // Somebody else's file: 1 MiB, read cold, so every byte comes from the brick.
  gfbench::testing::plant_file(v.vol(), "/images/disk.raw", MiB, 11);
  const std::string cli = "ip netns exec " + sb.network_namespace() + " gluster --glusterd-sock=" +
                          (sb.base_dir() / "node0" / "glusterd" / "gd.sock").string() +
                          " --log-file=/dev/null";
  auto args = v.args();
  for (const char* a :
       {"--read-only", "--files", "/images/disk.raw", "--ops", "read", "--read-cache", "cold",
        "--benchmark_repetitions=1", "--rows", "--gluster-cli"}) {
    args.emplace_back(a);
  }
  args.push_back(cli);
  const auto r = gfbench::testing::run_tool(args, std::chrono::seconds(120));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("gfapi/read/size:1MiB/bs:4KiB/cache:cold/file:/images/disk.raw"));
  CHECK_THAT(r.out, Contains("brick_read_bytes=1048.58k"));
  CHECK_THAT(r.out, Contains("brick_write_bytes=0"));
}

TEST_CASE("where a volume caches file data, cold gfapi reads still reach the brick", "[cache]") {
  // performance.io-cache keeps pages a gfapi client read: a cold read goes
  // through a new connection with the same graph (io-cache and all, but
  // empty), an uncached one through a connection that passes it through.
  auto& sb = gfbench::testing::cluster();
  const std::string name = "gfbench-iocache";
  sb.create_volume(name, 1);
  sb.set_volume_option(name, "performance.io-cache", "on");
  a::brick_profiler profiler(a::make_sandbox_cli(sb), name);
  profiler.keep_running();
  profiler.start();  // before connecting: it switches clients' graphs
  auto where = gfbench::make_gfapi_target(
      gfbench::volume::connect(gfbench::testing::test_options(name)), "gfapi");

  constexpr std::uint64_t size = 10 * MiB;
  constexpr std::size_t block = 128 * 1024;
  const std::string path = "/iocache-" + std::to_string(::getpid());
  const auto data = gfbench::testing::random_bytes(size, 7);
  {
    auto f = where->create(path, {.access = gfbench::access_mode::write_only});
    f->pwrite_all(data, 0);
    f->fsync();
    f->close();
  }
  std::vector<std::byte> back(block);
  // Bytes the brick read while `f` read the whole file.
  const auto brick_bytes_reading = [&](std::unique_ptr<gfbench::target_file> f) {
    const auto before = profiler.snapshot();
    for (std::uint64_t off = 0; off < size; off += block) f->pread_all(back, off);
    const auto read = a::profile_difference(before, profiler.snapshot()).bytes_read;
    f->close();
    return read;
  };
  const gfbench::open_options ro{.access = gfbench::access_mode::read_only};
  const auto first = brick_bytes_reading(where->open(path, ro));
  const auto again = brick_bytes_reading(where->open(path, ro));
  const auto cold = brick_bytes_reading(where->open_cold(path, ro));
  const auto cold_again = brick_bytes_reading(where->open_cold(path, ro));
  const auto uncached = brick_bytes_reading(where->open_uncached(path, ro));
  where->unlink(path);
  INFO("first " << first << ", again " << again << ", cold " << cold << ", cold again "
                << cold_again << ", uncached " << uncached);
  CHECK(first >= size);
  CHECK(again < size / 10);  // io-cache served the second warm read
  CHECK(cold >= size);       // and not the cold ones
  CHECK(cold_again >= size);
  CHECK(uncached >= size);
}

TEST_CASE("--direct says per target whether O_DIRECT reached the bricks, from each client's graph",
          "[cache]") {
  auto& sb = gfbench::testing::cluster();
  gfbench::testing::own_volume v("gfbench-direct");
  const gfbench::testing::scoped_fuse_mount mount(v.name());
  const std::filesystem::path& mountpoint = mount.path();
  const auto run_direct = [&](bool with_gfapi) {
    std::vector<std::string> args;
    if (with_gfapi) args = v.args();
    for (const char* a : {"--posix", mountpoint.c_str(), "--direct", "--sizes", "1MiB", "--ops",
                          "write", "--benchmark_repetitions=1"}) {
      args.emplace_back(a);
    }
    auto r = gfbench::testing::run_tool(args, std::chrono::seconds(120));
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
  };

  // The mount alone: its graph from its meta directory.
  std::string out = run_direct(false);
  CHECK_THAT(out, Contains("  fuse  event-threads 2, client-io-threads on, write-behind on "
                           "(strict-o-direct off), remote-dio off"));
  CHECK_THAT(out, Contains("(the graph the mount built;"));
  CHECK_THAT(out, Contains("  fuse  no: write-behind ignores it"));

  // 10.3's defaults: write-behind on and ignoring O_DIRECT.
  out = run_direct(true);
  CHECK_THAT(out, Contains("client graphs, as each target's client runs them:"));
  CHECK_THAT(out, Contains("  gfapi  event-threads 2, client-io-threads on, write-behind on "
                           "(strict-o-direct off), remote-dio off"));
  CHECK_THAT(out, Contains("  fuse   event-threads 2, client-io-threads on, write-behind on "
                           "(strict-o-direct off), remote-dio off"));
  CHECK_THAT(out, Contains("  gfapi  no: write-behind ignores it"));
  CHECK_THAT(out, Contains("  fuse   no: write-behind ignores it"));

  CHECK_THAT(out, Contains("(glusterd's volfile of " + v.name() + ", as gfapi's)"));

  // Options set now change the running FUSE client in place; gfbench reads
  // them from the volfile glusterd serves, as the new gfapi connection does.
  sb.set_volume_option(v.name(), "performance.strict-o-direct", "on");
  out = run_direct(true);
  CHECK_THAT(out, Contains("write-behind on (strict-o-direct on)"));
  CHECK_THAT(out, Contains("  gfapi  yes\n"));
  CHECK_THAT(out, Contains("  fuse   yes\n"));

  // What Proxmox's virt group sets: O_DIRECT stripped before the bricks.
  sb.set_volume_option(v.name(), "network.remote-dio", "enable");
  out = run_direct(true);
  CHECK_THAT(out, Contains("  gfapi  no: network.remote-dio on strips it before the bricks"));
  CHECK_THAT(out, Contains("  fuse   no: network.remote-dio on strips it before the bricks"));
}

TEST_CASE("--profile on a volume a FUSE client already uses waits until that client applied it",
          "[cache]") {
  auto& sb = gfbench::testing::cluster();
  gfbench::testing::own_volume v("gfbench-profwait");
  const gfbench::testing::scoped_fuse_mount mount(v.name());
  const std::filesystem::path& mountpoint = mount.path();
  const std::string cli = "ip netns exec " + sb.network_namespace() + " gluster --glusterd-sock=" +
                          (sb.base_dir() / "node0" / "glusterd" / "gd.sock").string() +
                          " --log-file=/dev/null";
  // The FUSE client counts calls (what --fop-stats reads) only once it has
  // applied the profile start: a first case that ran before would have none.
  std::vector<std::string> args{"--posix",
                                mountpoint.string(),
                                "--profile",
                                "--fop-stats",
                                "--sizes",
                                "1MiB",
                                "--ops",
                                "write",
                                "--benchmark_repetitions=1",
                                "--rows",
                                "--gluster-cli",
                                cli};
  const auto r = gfbench::testing::run_tool(args, std::chrono::seconds(120));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Contains("fuse: the FUSE client applied `volume profile start` after"));
  CHECK_THAT(r.out, Contains("fop_write_calls="));
  CHECK_THAT(r.out, !Contains("fop_write_calls=0 "));
  CHECK_THAT(r.out, Contains("gluster volume profile was on for " + v.name()));
  CHECK_THAT(r.out, Contains("brick counters count every client of " + v.name()));
  // Nothing of the probes is left on the volume.
  for (const auto& entry : std::filesystem::directory_iterator(mountpoint)) {
    CHECK_THAT(entry.path().filename().string(), !Contains("gfbench-profile-probe"));
  }
}
