// The metadata phases (gfbench/metadata.hpp) on real targets: a sandbox
// volume through libgfapi, its FUSE mount and a local directory. What the
// phases leave is checked from outside the kernel (through another client,
// or the local file system), every phase's counters are exact, a result
// that is wrong or a call that fails fails its case, a full volume and a
// Ctrl-C still leave nothing behind, and a replica keeps going when a brick
// dies under creates. The tool's flags and summary are checked too.

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench/meta/meta_tree.hpp"
#include "bench/meta/phase_rules.hpp"
#include "gfbench/error.hpp"
#include "gfbench/metadata.hpp"
#include "gfbench/suite.hpp"
#include "gfbench/target.hpp"
#include "gfbench/target_wrapper.hpp"
#include "results/meta_table.hpp"
#include "support/benchmark_runs.hpp"
#include "support/cli_rejection.hpp"
#include "support/temp_dir.hpp"
#include "support/test_cluster.hpp"
#include "support/tool_runner.hpp"

using Catch::Matchers::Contains;
using gfbench::cache_mode;
using gfbench::meta_operation;
using gfbench::metadata_matrix;
using gfbench::target;
using gfbench::testing::cluster;
using gfbench::testing::concat;
using gfbench::testing::counter;
using gfbench::testing::describe;
using gfbench::testing::own_volume;
using gfbench::testing::registry_scope;
using gfbench::testing::rejection;
using gfbench::testing::run_benchmarks;
using gfbench::testing::scoped_fuse_mount;
using gfbench::testing::single_volume;
using gfbench::testing::temp_dir;
using gfbench::testing::test_volume;
using gfbench::testing::tool_process;
using gfbench::testing::tool_result;
using gfbench::testing::what_it_said;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// Every path below `dir` of the local file system, relative.
std::vector<std::string> local_listing(const fs::path& dir) {
  std::vector<std::string> all;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    all.push_back(fs::relative(e.path(), dir).string());
  }
  std::sort(all.begin(), all.end());
  return all;
}

// How many of a tree's files ("f<n>") are below `dir` now, counted while
// the tree may change (what vanishes meanwhile is skipped).
std::size_t files_under(const fs::path& dir) {
  std::size_t n = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().filename().string().starts_with("f")) ++n;
  }
  return n;
}

// The regular files below `dir` (local or a FUSE mount) and their sizes.
std::map<std::string, std::uintmax_t> local_files(const fs::path& dir) {
  std::map<std::string, std::uintmax_t> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) files[fs::relative(e.path(), dir).string()] = e.file_size();
  }
  return files;
}

metadata_matrix matrix_of(std::vector<meta_operation> ops, std::uint64_t files, unsigned threads,
                          std::uint64_t size, std::vector<cache_mode> modes = {cache_mode::warm}) {
  metadata_matrix m;
  m.operations = std::move(ops);
  m.files_per_thread = {files};
  m.thread_counts = {threads};
  m.file_sizes = {size};
  m.cache_modes = std::move(modes);
  m.options.files_per_dir = 100;  // several leaf directories per thread
  m.repetitions = 1;
  return m;
}

// A target that answers one call wrongly or fails it: how a kernel's own
// checks and error counting are shown to work. Everything else goes to
// the real target below it.
class faulty_target final : public gfbench::target_wrapper {
 public:
  using target_wrapper::target_wrapper;
  std::string wrong_size_for;  // a stat of a path ending so says one byte more
  std::string fail_xattr_for;  // a setxattr of a path ending so fails with ENOSPC
  gfbench::file_status stat(std::string_view path) override {
    auto st = target_wrapper::stat(path);
    if (!wrong_size_for.empty() && path.ends_with(wrong_size_for)) ++st.size;
    return st;
  }
  void set_xattr(std::string_view path, std::string_view name,
                 std::span<const std::byte> value) override {
    if (!fail_xattr_for.empty() && path.ends_with(fail_xattr_for)) {
      throw gfbench::io_error(ENOSPC, {.operation = "setxattr", .path = std::string(path)});
    }
    target_wrapper::set_xattr(path, name, value);
  }
};

}  // namespace

TEST_CASE("meta phase names parse both ways, ls-l and delete included", "[unit]") {
  for (const auto op : gfbench::all_meta_operations()) {
    CHECK(gfbench::parse_meta_operation(gfbench::to_string(op)) == op);
  }
  CHECK(gfbench::parse_meta_operation("ls-l") == meta_operation::readdir_stat);
  CHECK(gfbench::parse_meta_operation("delete") == meta_operation::unlink);
  CHECK_FALSE(gfbench::parse_meta_operation("write"));
  CHECK(gfbench::all_meta_operations().front() == meta_operation::create);
  CHECK(gfbench::all_meta_operations().back() == meta_operation::rmdir);
}

TEST_CASE("a tree's names parse back to their items, and nothing else does", "[unit]") {
  using kind = gfbench::detail::meta_tree::entry_name::kind;
  const auto f = gfbench::detail::meta_tree::parse_entry("f123");
  REQUIRE(f);
  CHECK(f->what == kind::file);
  CHECK(f->item == 123);
  const auto r = gfbench::detail::meta_tree::parse_entry("f7.r");
  REQUIRE(r);
  CHECK(r->what == kind::renamed_file);
  CHECK(r->item == 7);
  const auto m = gfbench::detail::meta_tree::parse_entry("m0");
  REQUIRE(m);
  CHECK(m->what == kind::dir);
  for (const char* other : {"f", "f01", "fx", "f1.s", "g1", "m-1", "f1 ", "notes.txt", "d3"}) {
    INFO(other);
    CHECK_FALSE(gfbench::detail::meta_tree::parse_entry(other));
  }
}

TEST_CASE("each phase finds the tree it needs, and leaves it as the next one expects", "[unit]") {
  namespace d = gfbench::detail;
  using m = meta_operation;
  d::meta_tree::state empty;
  CHECK(d::steps_before(m::stat, empty) == std::vector<m>{m::create});
  CHECK(d::steps_before(m::create, empty).empty());
  CHECK(d::steps_before(m::getxattr, empty) == std::vector<m>{m::create, m::setxattr});
  CHECK(d::steps_before(m::rmdir, empty) == std::vector<m>{m::mkdir});
  gfbench::meta_shape shape;
  shape.file_size = 3000;
  d::meta_tree::state now;
  d::apply_pass(m::create, now, shape);
  CHECK(now.files);
  CHECK(now.size == 3000);
  CHECK(now.mode == d::mode_a);
  CHECK(d::steps_before(m::create, now) == std::vector<m>{m::unlink});
  CHECK(d::steps_before(m::stat, now).empty());
  d::apply_pass(m::append, now, shape);
  CHECK(now.size == 3000 + gfbench::append_bytes(shape));
  d::apply_pass(m::chmod, now, shape);
  CHECK(now.mode == d::mode_b);
  d::apply_pass(m::rename, now, shape);
  CHECK(now.renamed);
  d::apply_pass(m::unlink, now, shape);
  CHECK_FALSE(now.files);
  CHECK(d::check_for(m::create) == d::check_after::listing);
  CHECK(d::check_for(m::chmod) == d::check_after::end_stats);
  CHECK(d::check_for(m::stat) == d::check_after::nothing);
  CHECK(d::per_leaf(m::readdir_stat));
  CHECK_FALSE(d::per_leaf(m::read));
}

TEST_CASE("--file-count switches to the metadata phases and refuses what does not apply",
          "[unit]") {
  const auto o = gfbench::app::parse_cli({"--posix", "/tmp", "--file-count", "100,1000", "--ops",
                                          "ls-l,create", "--sizes", "0,4KiB", "--threads", "2",
                                          "--meta-cache", "cold,warm"});
  CHECK(o.metadata());
  CHECK(o.meta_operations == std::vector{meta_operation::readdir_stat, meta_operation::create});
  const auto m = o.meta_matrix();
  CHECK(m.files_per_thread == std::vector<std::uint64_t>{100, 1000});
  CHECK(m.file_sizes == std::vector<std::uint64_t>{0, 4096});
  CHECK(m.thread_counts == std::vector<unsigned>{2});
  CHECK(m.cache_modes == std::vector{cache_mode::cold, cache_mode::warm});
  // Without --ops: every phase; without --sizes: 4 KiB files.
  const auto all = gfbench::app::parse_cli({"--posix", "/tmp", "--file-count", "10"});
  CHECK(all.meta_operations == gfbench::all_meta_operations());
  CHECK(all.meta_matrix().file_sizes == std::vector<std::uint64_t>{4096});

  CHECK_THAT(rejection({"--file-count", "0"}), Contains("--file-count"));
  CHECK_THAT(rejection({"--file-count", "ten"}), Contains("--file-count"));
  CHECK_THAT(rejection({"--file-count", "10", "--ops", "write"}),
             Contains("unknown phase") && Contains("create"));
  CHECK_THAT(rejection({"--file-count", "10", "--block-sizes", "4KiB"}),
             Contains("--block-sizes does not go with --file-count"));
  CHECK_THAT(rejection({"--file-count", "10", "--qd", "4"}), Contains("--queue-depth"));
  CHECK_THAT(rejection({"--file-count", "10", "--meta-cache", "uncached"}),
             Contains("--meta-cache"));
  CHECK_THAT(rejection({"--meta-cache", "cold"}), Contains("add --file-count"));
  CHECK_THAT(rejection({"--files-per-dir", "10"}), Contains("add --file-count"));
  CHECK_THAT(rejection({"--file-count", "10", "--files-per-dir", "0"}),
             Contains("--files-per-dir"));
  // Without --file-count, --sizes 0 is still no file size.
  CHECK_THAT(rejection({"--sizes", "0"}), Contains("--sizes"));
}

TEST_CASE("the metadata summary gives files/s, the gfapi ratio and calls per file", "[unit]") {
  using gfbench::app::case_summary;
  const auto make = [](std::string target, double rate, double lookups) {
    case_summary c;
    c.name = target + "/meta:create/files:100/size:4KiB/threads:1/cache:warm";
    c.target = std::move(target);
    c.operation = "meta:create";
    c.cache = "warm";
    c.file_size = 4096;
    c.threads = 1;
    c.file_count = 100;
    c.counters["files_per_second"] = {rate, rate};
    c.counters["files"] = {100, 100};
    c.counters["lat_records"] = {100, 100};
    c.counters["lat_p50_us"] = {900, 1100};
    c.counters["lat_p99_us"] = {3000, 3000};
    c.counters["brick_LOOKUP_calls"] = {lookups, lookups};
    c.counters["brick_CREATE_calls"] = {100, 100};
    return c;
  };
  const std::string text =
      gfbench::app::format_metadata({make("gfapi", 1500, 200), make("fuse", 1000, 300)});
  CHECK_THAT(text, Contains("1,500") && Contains("1,000") && Contains("3,000"));
  CHECK_THAT(text, Contains("gfapi/target") && Contains("1.50"));
  CHECK_THAT(text, Contains("gfapi create (warm): LOOKUP 2.00, CREATE 1.00"));
  CHECK_THAT(text, Contains("fuse create (warm): LOOKUP 3.00, CREATE 1.00"));
  CHECK(gfbench::app::format_metadata({}).empty());
}

TEST_CASE("create leaves every file with its size, seen through another client; unlink none",
          "[meta]") {
  registry_scope registry;
  auto gfapi = gfbench::make_gfapi_target(test_volume(), "gfapi");  // the volume, made once
  const scoped_fuse_mount fuse(single_volume);
  temp_dir local;
  auto local_target = gfbench::make_posix_target(local.path(), "local");

  auto cases = std::make_unique<gfbench::suite>();
  cases->keep_files(true);  // to look at what create made, then remove it ourselves
  // With fsync: write-behind's flush-behind may answer a close before the
  // data reached the brick, and the check below reads through another client.
  auto m = matrix_of({meta_operation::create}, 250, 2, 3000);
  m.options.fsync = true;
  cases->register_metadata({gfapi.get(), local_target.get()}, m);
  const auto r = run_benchmarks();
  REQUIRE(r.runs.size() == 2);
  for (const auto& run : r.runs) {
    INFO(describe(run));
    REQUIRE_FALSE(run.error_occurred);
    CHECK(counter(run, "files") == 500);
    CHECK(counter(run, "lat_records") == 500);
    CHECK(counter(run, "files_per_second") > 0);
    CHECK(run.counters.at("bytes_per_second").value > 0);
  }
  // The gfapi tree, through the FUSE mount (another client), and the
  // local one: 2 threads x 250 files of 3000 bytes, in leaves of 100.
  for (const fs::path& root : {fuse.path() / ".gfbench", local.path() / ".gfbench"}) {
    const auto files = local_files(root);
    INFO(root);
    CHECK(files.size() == 500);
    std::size_t right_size = 0;
    for (const auto& [path, size] : files) right_size += size == 3000 ? 1 : 0;
    CHECK(right_size == 500);
    // Thread 1's last file, in its third leaf: the layout the manifest assumes.
    std::size_t last = 0;
    for (const auto& [path, size] : files) last += path.ends_with("/t1/d2/f249") ? 1 : 0;
    CHECK(last == 1);
  }
  // Kept on purpose: the test removes it itself.
  std::error_code ec;
  fs::remove_all(fuse.path() / ".gfbench", ec);
  fs::remove_all(local.path() / ".gfbench", ec);
}

TEST_CASE("every phase, warm and cold, on gfapi, FUSE and a directory: exact counts, no trace",
          "[meta]") {
  registry_scope registry;
  auto gfapi = gfbench::make_gfapi_target(test_volume(), "gfapi");  // the volume, made once
  const scoped_fuse_mount fuse(single_volume);
  auto fuse_target = gfbench::make_posix_target(fuse.path(), "fuse");
  temp_dir local;
  auto local_target = gfbench::make_posix_target(local.path(), "local");
  const auto fuse_before = local_listing(fuse.path());

  constexpr std::uint64_t files = 120;
  constexpr unsigned threads = 2;
  {
    gfbench::suite cases;
    cases.register_metadata({gfapi.get(), fuse_target.get(), local_target.get()},
                            matrix_of(gfbench::all_meta_operations(), files, threads, 1000,
                                      {cache_mode::warm, cache_mode::cold}));
    const auto r = run_benchmarks();
    REQUIRE(r.runs.size() == 3 * 13 * 2);
    for (const auto& run : r.runs) {
      INFO(describe(run));
      REQUIRE_FALSE(run.error_occurred);
      const std::string name = run.benchmark_name();
      // Every file once per pass; a listing phase lists every file too
      // (and the mkdir phase's directories are gone by then).
      CHECK(counter(run, "files") == files * threads);
      const bool listing = name.find("meta:readdir") != std::string::npos;
      // Records: one per item; a listing, one per leaf (2 leaves of 100, 20).
      CHECK(counter(run, "lat_records") == (listing ? 2 * threads : files * threads));
      CHECK(counter(run, "files_per_second") > 0);
      const bool data = name.find("meta:create") != std::string::npos ||
                        name.find("meta:read/") != std::string::npos ||
                        name.find("meta:append") != std::string::npos;
      CHECK((run.counters.at("bytes_per_second").value > 0) == data);
    }
    // Names: target, phase, shape, cache; warm phases before cold ones.
    CHECK(r.runs.front().benchmark_name().starts_with(
        "gfapi/meta:create/files:120/size:1000B/threads:2/cache:warm"));
    CHECK(r.runs[13].benchmark_name().starts_with(
        "gfapi/meta:create/files:120/size:1000B/threads:2/cache:cold"));
  }
  // The suite is gone: so is everything the phases made.
  CHECK(local_listing(local.path()).empty());
  CHECK(local_listing(fuse.path()) == fuse_before);
}

TEST_CASE("a wrong result or a failed call fails its phase, and the tree still goes", "[meta]") {
  registry_scope registry;
  temp_dir local;
  auto real = gfbench::make_posix_target(local.path(), "local");
  faulty_target faulty(*real);
  faulty.wrong_size_for = "/t1/d0/f42";
  faulty.fail_xattr_for = "/t0/d1/f137";
  {
    gfbench::suite cases;
    cases.register_metadata({&faulty}, matrix_of({meta_operation::create, meta_operation::stat,
                                                  meta_operation::setxattr,
                                                  meta_operation::getxattr, meta_operation::unlink},
                                                 200, 2, 0));
    const auto r = run_benchmarks();
    REQUIRE(r.runs.size() == 5);
    CHECK_FALSE(r.runs[0].error_occurred);  // create
    INFO(describe(r.runs[1]));
    CHECK(r.runs[1].error_occurred);  // stat saw one byte too many
    CHECK_THAT(r.runs[1].error_message,
               Contains("1 wrong results") && Contains("/t1/d0/f42 has 1 bytes, not 0"));
    INFO(describe(r.runs[2]));
    CHECK(r.runs[2].error_occurred);  // setxattr failed once
    CHECK_THAT(r.runs[2].error_message,
               Contains("meta:setxattr: calls failed (ENOSPC 1)") && Contains("f137"));
    // getxattr meets a tree a failed phase left: it is removed, made again
    // and its attributes set, untimed, before the pass; the fault strikes
    // that preparation too.
    CHECK(r.runs[3].error_occurred);
    INFO(describe(r.runs[4]));
    CHECK_FALSE(r.runs[4].error_occurred);  // unlink of a tree made again
    CHECK(counter(r.runs[4], "files") == 400);
  }
  CHECK(local_listing(local.path()).empty());
}

TEST_CASE("a volume that fills during create: ENOSPC, and clean-up removes every file", "[meta]") {
  registry_scope registry;
  own_volume v("gfbench-meta-full", 1, false, 48 * 1024 * 1024);
  auto where = gfbench::make_gfapi_target(v.vol(), "gfapi");
  {
    gfbench::suite cases;
    // 2 x 500 files of 64 KiB = 62.5 MiB onto a 48 MiB brick.
    cases.register_metadata({where.get()}, matrix_of({meta_operation::create}, 500, 2, 64 * 1024));
    const auto r = run_benchmarks();
    REQUIRE(r.runs.size() == 1);
    INFO(describe(r.runs[0]));
    CHECK(r.runs[0].error_occurred);
    CHECK_THAT(r.runs[0].error_message, Contains("ENOSPC") && Contains("No space left on device"));
  }
  CHECK_FALSE(v.vol().exists("/.gfbench"));
  for (const auto& brick : v.bricks()) CHECK_FALSE(fs::exists(brick / ".gfbench"));
}

TEST_CASE("Ctrl-C during a create phase of 100000 files removes them all and exits 130", "[meta]") {
  temp_dir local;
  tool_process p({"--posix", local.path().string(), "--file-count", "100000", "--sizes", "0",
                  "--ops", "create,unlink", "--benchmark_repetitions=1", "--log-level", "debug"});
  const bool reached = p.wait_for_stderr("posix/meta:create/files:100000", 60s);
  INFO("stderr so far:\n" << p.stderr_so_far());
  REQUIRE(reached);
  // In the middle of the phase: a thousand files made, 99 times as many to go.
  const auto deadline = std::chrono::steady_clock::now() + 120s;
  std::size_t made = 0;
  while ((made = files_under(local.path())) < 1000 && std::chrono::steady_clock::now() < deadline &&
         !p.exited()) {
    std::this_thread::sleep_for(10ms);
  }
  INFO(made << " files made when the signal was sent");
  REQUIRE(made >= 1000);
  REQUIRE(made < 100000);
  const auto signalled = std::chrono::steady_clock::now();
  p.send_signal(SIGINT);
  const tool_result r = p.wait(180s);
  const double after =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled).count();
  INFO(describe(r));
  WARN("SIGINT during 100000 creates: exit " << r.exit_code << " " << after
                                             << " s after the signal");
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.exit_code == 128 + SIGINT);
  CHECK_THAT(r.err, Contains("interrupted by SIGINT"));
  CHECK_THAT(r.out, Contains("failed cases") && Contains("interrupted"));
  CHECK(local_listing(local.path()).empty());
}

TEST_CASE("replica 2, a brick killed during creates: the phases complete, degraded, and heal",
          "[meta]") {
  auto& sb = cluster();
  // Every create waits 1 ms at the bricks (Gluster's delay-gen), so the
  // 1300 creates after the kill's trigger take over a second on any
  // machine: the kill lands inside the phase.
  own_volume v("gfbench-meta-replica", {.bricks = 2,
                                        .layout = gfbench::volume_layout::replicate,
                                        .options = {{"debug.delay-gen", "posix"},
                                                    {"delay-gen.enable", "create"},
                                                    {"delay-gen.delay-percentage", "100"},
                                                    {"delay-gen.delay-duration", "1000"}}});
  tool_process p(concat(
      v.args(), {"--file-count", "1500", "--sizes", "4KiB", "--ops", "create,stat,read",
                 "--benchmark_repetitions=1", "--no-profile", "--keep", "--log-level", "debug"}));
  // Once creates are under way (files on brick 1), brick 1 dies.
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  bool creating = false;
  while (!creating && std::chrono::steady_clock::now() < deadline && !p.exited()) {
    creating = files_under(v.bricks()[1] / ".gfbench") >= 200;
    if (!creating) std::this_thread::sleep_for(10ms);
  }
  REQUIRE(creating);
  sb.kill_brick(v.name(), 1);
  REQUIRE(files_under(v.bricks()[1] / ".gfbench") < 1500);  // the phase was still creating
  const tool_result r = p.wait(300s);
  INFO(describe(r));
  WARN("replica 2, brick killed during creates: exit " << r.exit_code << " after " << r.seconds
                                                       << " s" << what_it_said(r));
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.exit_code == 0);  // every phase completed, and checked its results
  CHECK_THAT(r.out, Contains("degraded cases") && Contains("gfapi/meta:create/files:1500"));
  // The brick returns and heals: both bricks hold the same names again
  // (--keep left the files).
  sb.restart_bricks(v.name());
  sb.wait_healed(v.name());
  const auto names = [](const fs::path& brick) {
    std::vector<std::string> all;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(brick / ".gfbench", ec), end; !ec && it != end;
         it.increment(ec)) {
      all.push_back(fs::relative(it->path(), brick).string());
    }
    std::sort(all.begin(), all.end());
    return all;
  };
  CHECK(names(v.bricks()[0]) == names(v.bricks()[1]));
  gfbench::testing::remove_tree(v.vol(), "/.gfbench");
}

TEST_CASE("gfapi and FUSE on one volume leave no scratch root behind, in either order", "[meta]") {
  // The first target's area makes /.gfbench, the second's finds it: the
  // one that made it must go last, whichever target came first.
  own_volume v("gfbench-meta-root");
  const scoped_fuse_mount fuse(v.name());
  auto gfapi = gfbench::make_gfapi_target(v.vol(), "gfapi");
  auto fuse_target = gfbench::make_posix_target(fuse.path(), "fuse");
  for (const bool gfapi_first : {true, false}) {
    INFO((gfapi_first ? "gfapi first" : "fuse first"));
    registry_scope registry;
    {
      gfbench::suite cases;
      const std::vector<target*> order = gfapi_first
                                             ? std::vector<target*>{gfapi.get(), fuse_target.get()}
                                             : std::vector<target*>{fuse_target.get(), gfapi.get()};
      cases.register_metadata(order, matrix_of({meta_operation::create}, 20, 1, 0));
      const auto r = run_benchmarks();
      REQUIRE(r.runs.size() == 2);
      for (const auto& run : r.runs) CHECK_FALSE(run.error_occurred);
      CHECK(fs::exists(v.bricks()[0] / ".gfbench"));
    }
    // On the brick, where no client's cache can answer for it.
    CHECK_FALSE(fs::exists(v.bricks()[0] / ".gfbench"));
  }
}
