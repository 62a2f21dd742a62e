// gfbench on a volume that holds other people's data: it touches nothing it
// did not create, whether the run succeeds, fails or is interrupted; it
// refuses to start a run that would fill the volume; --read-only reads what
// is there and creates nothing; a damaged byte is reported with its file and
// offset; a reader of its output that goes away does not stop its clean-up.
// Each test plants files with known content beside and above
// gfbench's scratch root and compares a full listing (with checksums) of the
// volume before and after running the real binary.

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.hpp"
#include "support/test_cluster.hpp"
#include "support/tool_runner.hpp"

using Catch::Matchers::Contains;
using gfbench::testing::cluster;
using gfbench::testing::concat;
using gfbench::testing::describe;
using gfbench::testing::list_volume;
using gfbench::testing::own_volume;
using gfbench::testing::plant_file;
using gfbench::testing::run_tool;
using gfbench::testing::scoped_fuse_mount;
using gfbench::testing::temp_dir;
using gfbench::testing::tool_process;
using gfbench::testing::tool_result;
using gfbench::testing::volume_listing;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr std::uint64_t MiB = 1024 * 1024;

// Other people's files: next to the scratch root, inside it, and inside a
// directory named like one of gfbench's run directories, with a file named
// like one of its case files.
void plant_neighbours(gfbench::volume& vol) {
  plant_file(vol, "/planted.bin", 1 * MiB + 13, 1);
  plant_file(vol, "/.gfbench/planted.bin", 64 * 1024, 2);
  plant_file(vol, "/.gfbench/run-fake/x", 100 * 1024 + 1, 3);
  plant_file(vol, "/.gfbench/run-fake/write-1MiB-4KiB", 1 * MiB, 4);
  plant_file(vol, "/vm-images/101/disk-0.raw", 2 * MiB, 5);
}

// Lines that differ between two listings, for the failure message.
std::string difference(const volume_listing& before, const volume_listing& after) {
  std::string out;
  for (const auto& [path, what] : before) {
    const auto it = after.find(path);
    if (it == after.end())
      out += "  gone:    " + path + " (" + what + ")\n";
    else if (it->second != what)
      out += "  changed: " + path + " " + what + " -> " + it->second + "\n";
  }
  for (const auto& [path, what] : after) {
    if (!before.contains(path)) out += "  new:     " + path + " (" + what + ")\n";
  }
  return out;
}

void require_untouched(gfbench::volume& vol, const volume_listing& before) {
  const auto after = list_volume(vol);
  INFO("the volume changed:\n" << difference(before, after));
  REQUIRE(after == before);
}

// The run directories gfbench made under /.gfbench (not run-fake), on any brick.
std::vector<fs::path> run_dirs_on_bricks(const own_volume& v) {
  std::vector<fs::path> found;
  for (const auto& brick : v.bricks()) {
    std::error_code ec;
    for (fs::directory_iterator it(brick / ".gfbench", ec), end; !ec && it != end;
         it.increment(ec)) {
      const auto name = it->path().filename().string();
      if (name.starts_with("run-") && name != "run-fake") found.push_back(it->path());
    }
  }
  return found;
}

}  // namespace

TEST_CASE("a successful run leaves every other file as it was", "[safety]") {
  own_volume v("gfbench-safety-ok");
  plant_neighbours(v.vol());
  const scoped_fuse_mount mount(v.name());
  const auto before = list_volume(v.vol());

  const auto r =
      run_tool(concat(v.args(), {"--posix", mount.path().string(), "--sizes", "1MiB,4MiB", "--ops",
                                 "write,rewrite,read,random_write,reread", "--verify",
                                 "--benchmark_repetitions=2", "--rows"}));
  INFO(describe(r));
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("gfapi/write/size:4MiB") && Contains("fuse/write/size:4MiB"));
  require_untouched(v.vol(), before);
}

TEST_CASE("a run whose case fails leaves every other file as it was", "[safety]") {
  // Two bricks of 64 MiB: statvfs says about 126 MiB are free, so a 96 MiB
  // file passes the free-space check, but distribute puts a file on one
  // brick, which fills: the case fails with ENOSPC half way.
  own_volume v("gfbench-safety-fail", 2, false, 64 * MiB);
  plant_neighbours(v.vol());
  const auto before = list_volume(v.vol());

  const auto r = run_tool(concat(v.args(), {"--sizes", "4MiB,96MiB", "--block-sizes", "1MiB",
                                            "--ops", "write", "--benchmark_repetitions=1"}),
                          180s);
  INFO(describe(r));
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Contains("failed cases:") && Contains("gfapi/write/size:96MiB"));
  CHECK_THAT(r.out, Contains("No space left on device"));
  CHECK_THAT(r.out, Contains(v.name()));
  require_untouched(v.vol(), before);
}

TEST_CASE("an interrupted run cleans up and leaves every other file as it was", "[safety]") {
  // Each brick write takes at least 1 ms (Gluster's delay-gen translator),
  // and without write-behind every 4 KiB record is one: a repetition of
  // the 8 MiB rewrite takes two seconds or more on any machine, so the
  // signal sent as it starts lands in it.
  own_volume v("gfbench-safety-int", {.options = {{"debug.delay-gen", "posix"},
                                                  {"delay-gen.enable", "write"},
                                                  {"delay-gen.delay-percentage", "100"},
                                                  {"delay-gen.delay-duration", "1000"},
                                                  {"performance.write-behind", "off"}}});
  plant_neighbours(v.vol());
  const scoped_fuse_mount mount(v.name());
  const auto before = list_volume(v.vol());

  tool_process p(concat(v.args(), {"--posix", mount.path().string(), "--sizes", "2MiB,8MiB",
                                   "--ops", "write,rewrite,read,reread,random_read,random_write",
                                   "--benchmark_repetitions=3", "--log-level", "debug"}));
  // Half way, at a known point: the third repetition of a case whose file
  // is laid out in the run directory. Two repetitions have succeeded, so
  // the repetitions the stop request skips must still report like them.
  // Repetitions run as rounds of the whole matrix: two rounds come first,
  // each some 25 s here and more under a sanitizer.
  const bool reached = p.wait_for_stderr("gfapi/rewrite/size:8MiB/bs:4KiB: repetition 3", 240s);
  INFO("stderr so far:\n" << p.stderr_so_far());
  REQUIRE(reached);
  const auto signalled = std::chrono::steady_clock::now();
  p.send_signal(SIGINT);
  const auto r = p.wait(120s);
  const double after_signal =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled).count();
  INFO(describe(r));
  WARN("SIGINT half way: exit " << r.exit_code << " " << after_signal << " s after the signal");
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.exit_code == 128 + SIGINT);
  CHECK_THAT(r.err, Contains("interrupted by SIGINT"));
  // The summary of what ran: the cases before, and the interrupted one
  // with the repetitions that finished.
  CHECK_THAT(r.out, Contains("Throughput in kB/s") && Contains("(n=2)"));
  CHECK_THAT(r.out, Contains("not run after the stop request"));
  CHECK(after_signal < 60);
  require_untouched(v.vol(), before);
}

TEST_CASE("Ctrl-C after some repetitions of a zero-config run leaves no sandbox behind",
          "[safety]") {
  // No --volume: the tool starts its own sandbox (glusterd, a brick, a FUSE
  // mount, a network namespace) and must take all of it down on SIGINT.
  tool_process p({"--sizes", "16MiB", "--ops", "write,rewrite", "--benchmark_repetitions=6",
                  "--log-level", "debug"});
  const bool reached = p.wait_for_stderr("gfapi/write/size:16MiB/bs:4KiB: repetition 3", 90s);
  INFO("stderr so far:\n" << p.stderr_so_far());
  REQUIRE(reached);
  // Where its sandbox lives, from its own log line.
  const std::string& err = p.stderr_so_far();
  const std::string marker = "sandbox volume gfs-volume-proxmox in ";
  const auto at = err.find(marker);
  REQUIRE(at != std::string::npos);
  const std::string base = err.substr(at + marker.size(), err.find(',', at) - at - marker.size());
  REQUIRE(base.starts_with("/"));
  const pid_t tool_pid = p.pid();

  p.send_signal(SIGINT);
  const auto r = p.wait(120s);
  INFO(describe(r));
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.exit_code == 128 + SIGINT);
  // The signal lands in the third repetition or, on a fast machine, just
  // after it: the summary has what finished either way.
  CHECK_THAT(r.out,
             Contains("gfapi") && (Contains("of 2 repetitions") || Contains("of 3 repetitions")));

  // Nothing of it is left: no process started from its directory, no mount
  // below it, no network namespace of the tool's, not the directory itself.
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(e.path() / "cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (cmdline.find(base) != std::string::npos) left.push_back("process " + name);
  }
  {
    std::ifstream mounts("/proc/mounts");
    for (std::string line; std::getline(mounts, line);) {
      if (line.find(base) != std::string::npos) left.push_back("mount " + line);
    }
  }
  std::error_code ec;
  for (fs::directory_iterator it("/var/run/netns", ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().filename().string().starts_with("gfbench-" + std::to_string(tool_pid) + "-")) {
      left.push_back("network namespace " + it->path().string());
    }
  }
  if (fs::exists(base)) left.push_back("directory " + base);
  INFO("left behind: " << Catch::Detail::stringify(left));
  CHECK(left.empty());
}

TEST_CASE("a reader that goes away (gfbench | head) does not keep the run from cleaning up",
          "[safety]") {
  // On a local directory: what matters is the tool's own output pipe.
  const temp_dir dir("gfbench-safety-pipe");
  const fs::path neighbour = dir.path() / "neighbour.txt";
  std::ofstream(neighbour) << "not gfbench's";

  tool_process p({"--posix", dir.path().string(), "--sizes", "1MiB,4MiB", "--ops", "write,read",
                  "--benchmark_repetitions=2"});
  p.close_stdout();  // before the tool prints anything
  const auto r = p.wait(120s);
  INFO(describe(r));
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.exit_code == 0);               // 141 would be death by SIGPIPE, scratch files left behind
  CHECK_THAT(r.err, Contains("[6/6]"));  // every case ran (reads: warm and cold)
  std::vector<std::string> left;
  for (const auto& e : fs::recursive_directory_iterator(dir.path()))
    left.push_back(fs::relative(e.path(), dir.path()).string());
  std::sort(left.begin(), left.end());
  INFO("left in the directory: " << Catch::Detail::stringify(left));
  CHECK(std::none_of(left.begin(), left.end(), [](const std::string& name) {
    return name.find("run-") != std::string::npos;
  }));
  std::ifstream in(neighbour);
  const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(content == "not gfbench's");
}

TEST_CASE("a run that would not fit is refused before anything is written", "[safety]") {
  own_volume v("gfbench-safety-space", 1, false, 64 * MiB);
  plant_neighbours(v.vol());
  const auto before = list_volume(v.vol());

  SECTION("a file larger than the volume") {
    const auto r = run_tool(concat(v.args(), {"--sizes", "128MiB", "--ops", "write"}));
    INFO(describe(r));
    CHECK(r.exit_code == 1);
    CHECK(r.seconds < 10);
    CHECK_THAT(r.err, Contains("not enough free space on volume " + v.name()));
    CHECK_THAT(r.err, Contains("needs 128.0 MiB") && Contains("is available"));
  }
  SECTION("with --keep every case's file counts") {
    const auto args =
        concat(v.args(), {"--sizes", "24MiB", "--block-sizes", "1MiB", "--ops", "write,read",
                          "--read-cache", "warm", "--benchmark_repetitions=1"});
    const auto kept = run_tool(concat(args, {"--keep"}));
    INFO(describe(kept));
    CHECK(kept.exit_code == 1);
    CHECK_THAT(kept.err, Contains("needs 48.0 MiB") && Contains("--keep"));
    require_untouched(v.vol(), before);
    // Without --keep only the largest file counts, and the run fits.
    const auto ran = run_tool(args);
    INFO(describe(ran));
    CHECK(ran.exit_code == 0);
  }
  require_untouched(v.vol(), before);
}

TEST_CASE("--read-only reads what is there and creates nothing", "[safety]") {
  own_volume v("gfbench-safety-ro");
  plant_neighbours(v.vol());
  // A kept run: gfbench's own files, with its pattern.
  const auto kept = run_tool(concat(
      v.args(), {"--sizes", "1MiB", "--ops", "write", "--keep", "--benchmark_repetitions=1"}));
  INFO(describe(kept));
  REQUIRE(kept.exit_code == 0);
  const auto runs = run_dirs_on_bricks(v);
  REQUIRE(runs.size() == 1);
  const std::string run_dir = "/.gfbench/" + runs[0].filename().string();
  const auto before = list_volume(v.vol());

  SECTION("gfbench's own files are read and every byte checked") {
    const auto r = run_tool(
        concat(v.args(), {"--read-only", "--files", run_dir, "--ops", "read,reread,random_read",
                          "--benchmark_repetitions=1", "--rows"}));
    INFO(describe(r));
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("gfapi/random_read/size:1MiB/bs:4KiB/cache:cold/file:" + run_dir +
                               "/write-1MiB-4KiB"));
    CHECK_THAT(r.out, Contains("verified=1"));
  }
  SECTION("other files are read, but not checked") {
    const auto r = run_tool(
        concat(v.args(), {"--read-only", "--files", "/planted.bin,/vm-images/101", "--block-sizes",
                          "64KiB", "--benchmark_repetitions=1", "--rows"}));
    INFO(describe(r));
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("file:/planted.bin") && Contains("file:/vm-images/101/disk-0.raw"));
    CHECK_THAT(r.out, Contains("verified=0"));
    CHECK_THAT(r.out, !Contains("verified=1"));
  }
  SECTION("with --verify, a file without gfbench's pattern fails") {
    const auto r =
        run_tool(concat(v.args(), {"--read-only", "--verify", "--files", "/planted.bin",
                                   "--read-cache", "warm", "--benchmark_repetitions=1"}));
    INFO(describe(r));
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Contains("does not carry gfbench's pattern"));
  }
  SECTION("a missing file is an error naming it") {
    const auto r = run_tool(concat(v.args(), {"--read-only", "--files", "/no/such/file"}));
    INFO(describe(r));
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains("/no/such/file"));
  }
  require_untouched(v.vol(), before);
}

TEST_CASE("one damaged byte on a brick is reported with its file and offset", "[safety]") {
  own_volume v("gfbench-safety-rot", 2);  // distribute: the file is on one of the bricks
  const auto kept = run_tool(concat(v.args(), {"--sizes", "4MiB", "--ops", "write", "--verify",
                                               "--keep", "--benchmark_repetitions=1"}));
  INFO(describe(kept));
  REQUIRE(kept.exit_code == 0);
  // Distribute makes the directory on every brick and the file on one.
  std::optional<fs::path> found;
  for (const auto& dir : run_dirs_on_bricks(v)) {
    if (fs::exists(dir / "write-4MiB-4KiB")) found = dir / "write-4MiB-4KiB";
  }
  REQUIRE(found);
  const fs::path backend = *found;
  const std::string path =
      "/.gfbench/" + backend.parent_path().filename().string() + "/write-4MiB-4KiB";

  // Behind Gluster's back: one byte in the brick's own copy.
  constexpr std::uint64_t offset = 3 * MiB + 12345;
  {
    std::fstream f(backend, std::ios::in | std::ios::out | std::ios::binary);
    REQUIRE(f.good());
    f.seekg(static_cast<std::streamoff>(offset));
    const char old = static_cast<char>(f.get());
    f.seekp(static_cast<std::streamoff>(offset));
    f.put(static_cast<char>(old ^ 0x5a));
    REQUIRE(f.good());
  }

  const auto r = run_tool(concat(v.args(), {"--read-only", "--files", path, "--read-cache", "cold",
                                            "--benchmark_repetitions=1"}));
  INFO(describe(r));
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Contains("failed cases:"));
  CHECK_THAT(r.out, Contains("path=" + path + " offset=" + std::to_string(offset)));
  gfbench::testing::remove_tree(v.vol(), "/.gfbench");
}
