// Queued cases (threads x queue depth requests in flight) on real targets:
// libgfapi's asynchronous calls on a sandbox volume, io_uring on its FUSE
// mount and on a local directory. Every request is counted, and what the
// files hold afterwards is checked here, record by record, against the
// pattern on its own: a record must carry the generation the case's
// counters say it wrote, or the one laid out before. Then the same under
// stress: completions inside the submit call, a brick killed under a full
// queue, a Ctrl-C with requests in flight.

#include <benchmark/benchmark.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "bench/io/access_sampler.hpp"
#include "bench/io/pattern.hpp"
#include "gfbench/case.hpp"
#include "gfbench/distribution.hpp"
#include "gfbench/io_queue.hpp"
#include "gfbench/sandbox.hpp"
#include "gfbench/suite.hpp"
#include "gfbench/target.hpp"
#include "support/benchmark_runs.hpp"
#include "support/file_text.hpp"
#include "support/temp_dir.hpp"
#include "support/test_cluster.hpp"
#include "support/tool_runner.hpp"

using Catch::Matchers::Contains;
using gfbench::access_mode;
using gfbench::benchmark_matrix;
using gfbench::cache_mode;
using gfbench::operation;
using gfbench::target;
using gfbench::testing::cluster;
using gfbench::testing::concat;
using gfbench::testing::counter;
using gfbench::testing::describe;
using gfbench::testing::file_text;
using gfbench::testing::own_volume;
using gfbench::testing::registry_scope;
using gfbench::testing::remove_tree;
using gfbench::testing::run_benchmarks;
using gfbench::testing::scoped_fuse_mount;
using gfbench::testing::temp_dir;
using gfbench::testing::tool_process;
using gfbench::testing::wait_for_case_file;
using gfbench::testing::what_it_said;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {

constexpr std::uint64_t KiB = 1024;
constexpr std::uint64_t MiB = 1024 * KiB;

}  // namespace

namespace gfbench::testing {
// A distribution's name as case file names carry it.
std::string file_safe_distribution(std::string name) {
  for (char& c : name) {
    if (c == '/') c = '-';
    if (c == ':') c = '_';
  }
  return name;
}
}  // namespace gfbench::testing

namespace {

std::vector<std::byte> read_whole(target& where, const std::string& path) {
  auto f = where.open(path, {.access = access_mode::read_only});
  std::vector<std::byte> data(f->stat().size);
  if (!data.empty()) f->pread_all(data, 0);
  f->close();
  return data;
}

// What a kept case file holds, record by record: how many records carry
// each generation of the pattern, and how many carry none or wrong bytes.
struct record_census {
  std::map<std::uint32_t, std::uint64_t> by_generation;
  std::uint64_t bad = 0;
  std::optional<std::uint64_t> first_bad{};
};

record_census census(const std::vector<std::byte>& file, const std::string& name,
                     std::uint64_t block) {
  using namespace gfbench::detail;
  const std::uint64_t seed = file_seed(gfbench::io_shape{}.seed, name);
  std::map<std::uint32_t, std::unique_ptr<file_content>> contents;
  record_census out;
  for (std::uint64_t off = 0; off + block <= file.size(); off += block) {
    const auto record = std::span(file).subspan(off, block);
    const auto id = identify(record.first(stamp_size), seed, off / sector_size);
    bool ok = id.has_value() && id->period == period_for(block);
    if (ok) {
      auto& c = contents[id->generation];
      if (!c) c = std::make_unique<file_content>(*id);
      ok = !c->find_mismatch(record, off).has_value();
    }
    if (ok) {
      ++out.by_generation[id->generation];
    } else if (out.bad++ == 0) {
      out.first_bad = off;
    }
  }
  return out;
}

// Whether the gfbench tool's stderr says a case is under way.
bool case_started(tool_process& p, std::string_view name, std::chrono::seconds limit) {
  return p.wait_for_stderr(name, limit);
}

}  // namespace

TEST_CASE(
    "queued cases on gfapi, FUSE and a local directory: every request counted, every "
    "record as written",
    "[queued]") {
  const registry_scope registry;
  own_volume v("gfbench-queued");
  temp_dir local;
  scoped_fuse_mount fuse(v.name());
  auto gfapi = gfbench::make_gfapi_target(v.vol(), "gfapi");
  auto fuse_target = gfbench::make_posix_target(fuse.path(), "fuse");
  auto local_target = gfbench::make_posix_target(local.path(), "local");

  benchmark_matrix m;
  m.operations = {operation::write, operation::random_read, operation::random_rw};
  m.file_sizes = {4 * MiB};
  m.block_sizes = {4 * KiB};
  m.read_cache_modes = {cache_mode::cold};
  m.options.queued = true;
  m.queue_depths = {1, 32};
  m.thread_counts = {1, 8};
  m.iterations = 1;
  m.repetitions = 1;
  gfbench::suite s;
  s.keep_files(true);
  const auto registered =
      s.register_matrix({gfapi.get(), fuse_target.get(), local_target.get()}, m);
  REQUIRE(registered.size() == 3 * 3 * 4);

  const auto result = run_benchmarks();
  REQUIRE(result.runs.size() == registered.size());
  constexpr double records = 4 * MiB / (4 * KiB);
  std::map<std::string, const benchmark::BenchmarkReporter::Run*> by_case;
  for (const auto& r : result.runs) {
    INFO(describe(r));
    REQUIRE_FALSE(r.error_occurred);
    by_case[r.run_name.function_name] = &r;
    CHECK(counter(r, "errors") == 0);
    CHECK(counter(r, "short_transfers") == 0);
    CHECK(counter(r, "reads") + counter(r, "writes") == records);
    CHECK(counter(r, "lat_records") == records);
  }

  for (const auto& c : registered) {
    INFO(c.name);
    const auto it = by_case.find(c.name);
    REQUIRE(it != by_case.end());
    const auto& r = *it->second;
    CHECK(counter(r, "qd") == c.queue_depth);
    CHECK(counter(r, "threads") == c.threads);
    // The engine that ran: the synchronous call at depth 1, else the
    // target's asynchronous one.
    const bool posix = c.target_label != "gfapi";
    const std::string engine = c.queue_depth == 1
                                   ? (posix ? "pread/pwrite" : "glfs_pread/glfs_pwrite")
                                   : (posix ? "io_uring" : "glfs_preadv_async/glfs_pwritev_async");
    CHECK(r.report_label == engine);

    target& where = c.target_label == "gfapi"  ? *gfapi
                    : c.target_label == "fuse" ? *fuse_target
                                               : *local_target;
    const std::string file = c.operation + "-4MiB-4KiB" + (c.cache.empty() ? "" : "-" + c.cache) +
                             "-qd" + std::to_string(c.queue_depth) + "-t" +
                             std::to_string(c.threads);
    const auto data = read_whole(where, s.scratch_for(where).path() + "/" + file);
    REQUIRE(data.size() == 4 * MiB);
    const record_census seen = census(data, file, 4 * KiB);
    INFO("first bad record at " << seen.first_bad.value_or(0));
    CHECK(seen.bad == 0);
    if (c.operation == "write") {
      CHECK(counter(r, "writes") == records);
      CHECK(seen.by_generation == std::map<std::uint32_t, std::uint64_t>{{1, 4 * MiB / (4 * KiB)}});
    } else if (c.operation == "random_read") {
      CHECK(counter(r, "reads") == records);
      CHECK(seen.by_generation == std::map<std::uint32_t, std::uint64_t>{{0, 4 * MiB / (4 * KiB)}});
    } else {
      // 70 % reads: what was written carries generation 1, the rest the
      // lay-out's 0, and the counts are the counters'.
      const double reads = counter(r, "reads");
      CHECK(reads / records > 0.65);
      CHECK(reads / records < 0.75);
      CHECK(static_cast<double>(seen.by_generation.at(1)) == counter(r, "writes"));
      CHECK(static_cast<double>(seen.by_generation.at(0)) == reads);
    }
  }
  s.cleanup();
}

TEST_CASE("completions inside the submit call (client-io-threads off) are counted and lose nothing",
          "[queued]") {
  const registry_scope registry;
  own_volume v("gfbench-inline");
  // Without io-threads, write-behind answers a write in the caller's own
  // thread: the completion arrives before glfs_pwritev_async returns.
  cluster().set_volume_option(v.name(), "performance.client-io-threads", "off");
  auto vol = gfbench::volume::connect([&] {
    auto o = cluster().client_options(v.name());
    o.skip_fini = true;
    return o;
  }());
  auto gfapi = gfbench::make_gfapi_target(vol, "gfapi");

  benchmark_matrix m;
  m.operations = {operation::random_write};
  m.file_sizes = {8 * MiB};
  m.block_sizes = {4 * KiB};
  m.options.queued = true;
  m.queue_depths = {16};
  m.options.verify = true;  // every record read back after the pass
  m.iterations = 1;
  m.repetitions = 1;
  gfbench::suite s;
  s.keep_files(true);
  const auto registered = s.register_matrix({gfapi.get()}, m);
  REQUIRE(registered.size() == 1);
  const auto result = run_benchmarks();
  REQUIRE(result.runs.size() == 1);
  const auto& r = result.runs.front();
  INFO(describe(r));
  REQUIRE_FALSE(r.error_occurred);
  WARN("inline completions at qd 16 without client-io-threads: " << counter(r, "inline_completions")
                                                                 << " of " << counter(r, "writes"));
  CHECK(counter(r, "inline_completions") > 0);
  CHECK(counter(r, "writes") == 8 * MiB / (4 * KiB));
  const std::string file = "random_write-8MiB-4KiB-qd16-t1";
  const auto data = read_whole(*gfapi, s.scratch_for(*gfapi).path() + "/" + file);
  const record_census seen = census(data, file, 4 * KiB);
  CHECK(seen.bad == 0);
  CHECK(seen.by_generation == std::map<std::uint32_t, std::uint64_t>{{1, 8 * MiB / (4 * KiB)}});
  s.cleanup();
}

TEST_CASE("a VM workload mixes as it says, flushes on time, and reports its name", "[queued]") {
  own_volume v("gfbench-workload");
  temp_dir report;
  const auto r = gfbench::testing::run_tool(
      concat(v.args(),
             {"--workload", "oltp-4k", "--sizes", "64MiB", "--queue-depth", "4,16", "--runtime",
              "2", "--ramp-up", "0.5", "--flush-interval", "0.5", "--no-profile",
              "--benchmark_repetitions=1", "--report", report.path().string()}),
      std::chrono::seconds(300));
  INFO(describe(r));
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out,
             Contains("gfapi/oltp-4k/size:64MiB/bs:4KiB/qd:16/threads:1") || Contains("oltp-4k"));
  CHECK_THAT(r.out, Contains("scaling with requests in flight") &&
                        Contains("gfapi  oltp-4k  64MiB file, 4KiB blocks"));
  const std::string json = file_text(report.path() / "summary.json");
  CHECK_THAT(json, Contains("\"queue_depth\": 16") && Contains("\"runtime_seconds\": 2.0"));
  CHECK_THAT(json, Contains("\"flushes\""));
}

TEST_CASE(
    "replica 2, a brick killed under a full queue: the pass completes, degraded, nothing "
    "lost",
    "[queued]") {
  auto& sb = cluster();
  // Without write-behind every request waits for both bricks, so the case
  // lasts a second or more after the first 16 MiB on any machine: the kill
  // lands in its middle, not after it.
  own_volume v("gfbench-queued-replica", {.bricks = 2,
                                          .layout = gfbench::volume_layout::replicate,
                                          .options = {{"performance.write-behind", "off"}}});
  tool_process p(concat(v.args(), {"--ops", "write", "--sizes", "128MiB", "--queue-depth", "32",
                                   "--verify", "--no-profile", "--benchmark_repetitions=1"}));
  REQUIRE(case_started(p, "gfapi/write/size:128MiB", 60s));
  const std::string file = "write-128MiB-4KiB-qd32-t1";
  const auto at = wait_for_case_file(v.bricks()[1], file, 16 * MiB, p);
  REQUIRE(at);
  sb.kill_brick(v.name(), 1);
  std::error_code ec;
  const auto at_kill = fs::file_size(*at, ec);
  INFO("brick 1 killed with " << at_kill << " bytes of the file on it");
  REQUIRE(at_kill < 128 * MiB);  // in the middle of the case
  const auto r = p.wait(300s);
  INFO(describe(r));
  WARN("replica 2, brick killed at qd 32: exit " << r.exit_code << what_it_said(r));
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.exit_code == 0);  // and --verify read every byte back
  CHECK_THAT(r.out, Contains("degraded cases"));
  sb.restart_bricks(v.name());
  remove_tree(v.vol(), "/.gfbench");
}

TEST_CASE(
    "a paced case keeps a rate the target can serve, counts latency from the due time, and "
    "leaves every record as written",
    "[queued]") {
  const registry_scope registry;
  own_volume v("gfbench-paced");
  temp_dir local;
  auto gfapi = gfbench::make_gfapi_target(v.vol(), "gfapi");
  auto local_target = gfbench::make_posix_target(local.path(), "local");

  benchmark_matrix m;
  m.operations = {operation::random_write, operation::random_read};
  m.file_sizes = {4 * MiB};
  m.block_sizes = {4 * KiB};
  m.read_cache_modes = {cache_mode::cold};
  m.options.queued = true;
  m.options.runtime = 2s;
  m.queue_depths = {4};
  m.thread_counts = {2};
  // Far below what either target serves, even under a sanitizer on a busy
  // machine: a second's hiccup is caught up within the pass.
  m.rates_iops = {600};
  m.iterations = 1;
  m.repetitions = 1;
  gfbench::suite s;
  s.keep_files(true);
  const auto registered = s.register_matrix({gfapi.get(), local_target.get()}, m);
  REQUIRE(registered.size() == 2 * 2);
  const auto result = run_benchmarks();
  REQUIRE(result.runs.size() == registered.size());
  for (const auto& r : result.runs) {
    INFO(describe(r));
    REQUIRE_FALSE(r.error_occurred);
    CHECK_THAT(r.run_name.function_name, Contains("/qd:4/threads:2/rate:600"));
    CHECK(counter(r, "rate_asked_iops") == 600);
    // 2 s at 300 a second per thread: 600 requests fall due on each.
    CHECK(counter(r, "requests_due") == 1200);
    // Every request sent completed; what was not sent is the backlog.
    CHECK(counter(r, "reads") + counter(r, "writes") + counter(r, "backlog_end") ==
          counter(r, "requests_due"));
    CHECK(counter(r, "IOPS") == Approx(600).epsilon(0.02));
    CHECK(counter(r, "errors") == 0);
    // From the due time is never shorter than from the send.
    CHECK(counter(r, "lat_p99_us") >= counter(r, "sent_p99_us"));
    CHECK(counter(r, "lat_p50_us") >= counter(r, "sent_p50_us"));
    // How late a request was sent is part of its latency from the due time.
    CHECK(counter(r, "lat_p99_us") >= counter(r, "send_lag_p99_us"));
    CHECK(counter(r, "lat_p50_us") >= counter(r, "send_lag_p50_us"));
  }
  // The writes' file: every record the lay-out's or the pass's, none torn.
  for (target* where : {static_cast<target*>(gfapi.get()), local_target.get()}) {
    const std::string file = "random_write-4MiB-4KiB-qd4-t2-r600";
    const auto data = read_whole(*where, s.scratch_for(*where).path() + "/" + file);
    REQUIRE(data.size() == 4 * MiB);
    const record_census seen = census(data, file, 4 * KiB);
    INFO(where->label() << ": first bad record at " << seen.first_bad.value_or(0));
    CHECK(seen.bad == 0);
    CHECK(seen.by_generation.at(1) > 0);
  }
  s.cleanup();
}

TEST_CASE(
    "skewed access: at depth 1 the hottest tenth gets its share, at depth 32 a hot record's "
    "redraws show as the deviation reported, and every record is as written",
    "[queued]") {
  own_volume v("gfbench-skewed");
  temp_dir local;
  auto gfapi = gfbench::make_gfapi_target(v.vol(), "gfapi");
  auto local_target = gfbench::make_posix_target(local.path(), "local");
  for (const char* name : {"zipf:1.2", "pareto:0.2", "zoned:60/10:30/20:10/70", "uniform"}) {
    // Each distribution's cases alone: the suite below ends with them.
    const registry_scope registry;
    const auto d = *gfbench::parse_distribution(name);
    benchmark_matrix m;
    m.operations = {operation::random_write, operation::random_read};
    m.file_sizes = {4 * MiB};
    m.block_sizes = {4 * KiB};
    m.read_cache_modes = {cache_mode::warm};
    m.options.queued = true;
    m.options.runtime = 1s;
    m.options.distribution = d;
    m.queue_depths = {1, 32};
    m.iterations = 1;
    m.repetitions = 1;
    gfbench::suite s;
    s.keep_files(true);
    auto registered = s.register_matrix({local_target.get()}, m);
    // On the volume the writes, whose every record is checked after.
    m.operations = {operation::random_write};
    for (auto& c : s.register_matrix({gfapi.get()}, m)) registered.push_back(std::move(c));
    REQUIRE(registered.size() == 2 * 2 + 2);
    const auto result = run_benchmarks();
    REQUIRE(result.runs.size() == registered.size());
    // The hottest tenth of 1,024 records, as theory has it.
    const double hot10 = gfbench::detail::decile_shares(d, 1024)[0];
    for (const auto& r : result.runs) {
      INFO(name << ": " << describe(r));
      REQUIRE_FALSE(r.error_occurred);
      CHECK_THAT(r.run_name.function_name, Contains(std::string("/dist:") + name));
      CHECK(counter(r, "dist_hot10_asked") == Approx(hot10).epsilon(1e-9));
      const double sent = counter(r, "dist_hot10_sent");
      const double deviation = counter(r, "dist_deviation");
      // The deviation over all tenths is at least the hottest tenth's own.
      CHECK(deviation >= std::abs(sent - hot10) - 1e-9);
      if (counter(r, "qd") == 1) {
        // One request at a time: nothing is in flight to redraw from, and
        // thousands of draws put the share within a few points of theory.
        CHECK(counter(r, "dist_redraws") == 0);
        CHECK(counter(r, "dist_took_next") == 0);
        // Five standard errors of a share over this many draws: never by chance.
        const double n = counter(r, "reads") + counter(r, "writes");
        REQUIRE(n > 100);
        CHECK(sent == Approx(hot10).margin(5 * std::sqrt(hot10 * (1 - hot10) / n)));
      } else if (std::string(name) == "zipf:1.2") {
        // The hottest record takes a fifth of the draws: at 32 in flight
        // it is nearly always busy, so draws land elsewhere.
        CHECK(counter(r, "dist_redraws") > 0);
        CHECK(sent < hot10);
      }
    }
    for (target* where : {static_cast<target*>(gfapi.get()), local_target.get()}) {
      for (const char* depth : {"1", "32"}) {
        const std::string file = std::string("random_write-4MiB-4KiB-qd") + depth + "-t1-d" +
                                 gfbench::testing::file_safe_distribution(name);
        const auto data = read_whole(*where, s.scratch_for(*where).path() + "/" + file);
        REQUIRE(data.size() == 4 * MiB);
        const record_census seen = census(data, file, 4 * KiB);
        INFO(where->label() << " " << file << ": first bad record at "
                            << seen.first_bad.value_or(0));
        CHECK(seen.bad == 0);
        CHECK(seen.by_generation.at(1) > 0);
      }
    }
    s.cleanup();
  }
}

TEST_CASE("a paced pass of one sweep sends its whole share at the rate, nothing left unsent",
          "[queued]") {
  const registry_scope registry;
  temp_dir local;
  auto local_target = gfbench::make_posix_target(local.path(), "local");
  benchmark_matrix m;
  m.operations = {operation::random_read};
  m.file_sizes = {16 * MiB};
  m.block_sizes = {4 * KiB};
  m.read_cache_modes = {cache_mode::warm};
  m.options.queued = true;
  m.queue_depths = {4};
  m.rates_iops = {2000};
  m.iterations = 1;
  m.repetitions = 1;
  gfbench::suite s;
  REQUIRE(s.register_matrix({local_target.get()}, m).size() == 1);
  const auto result = run_benchmarks();
  REQUIRE(result.runs.size() == 1);
  const auto& r = result.runs.front();
  INFO(describe(r));
  REQUIRE_FALSE(r.error_occurred);
  // 4,096 records at 2,000 a second, the last due at 4095/2000 s: the
  // pass, which ends at its last completion, cannot be shorter; a stall of
  // the machine at its very end could make it longer, by 100 ms here.
  CHECK(counter(r, "reads") == 4096);
  CHECK(counter(r, "requests_due") == 4096);
  CHECK(counter(r, "backlog_end") == 0);
  CHECK(counter(r, "IOPS") <= 2000 * 4096.0 / 4095);
  CHECK(counter(r, "IOPS") >= 4096 / (4095 / 2000.0 + 0.1));
  s.cleanup();
}

TEST_CASE("a rate the target cannot serve is reported as behind, with its backlog, not hidden",
          "[queued]") {
  temp_dir local;
  temp_dir report;
  // Ten million a second from one thread at depth 1: no machine keeps it.
  const auto r = gfbench::testing::run_tool(
      {"--posix", local.path().string(), "--queue-depth", "1", "--ops", "random_read",
       "--read-cache", "warm", "--sizes", "4MiB", "--runtime", "1", "--rate-iops", "10000000",
       "--latency-target", "1ms", "--report", report.path().string(), "--benchmark_repetitions=1"},
      std::chrono::seconds(120));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("Latency against load"));
  CHECK_THAT(r.out, Contains("behind: served"));
  CHECK_THAT(r.out, Contains("latency target: p99 within 1.000 ms at no rate measured"));

  const auto summary = nlohmann::json::parse(file_text(report.path() / "summary.json"));
  REQUIRE(summary["cases"].size() == 1);
  const auto& c = summary["cases"][0];
  CHECK(c["rate_iops"] == 10000000.0);
  CHECK(c["arrivals"] == "even");
  const double iops = c["counters"]["IOPS"];
  const double due = c["counters"]["requests_due"];
  const double unsent = c["counters"]["backlog_end"];
  CHECK(iops < 0.5 * 10000000.0);
  CHECK(unsent > 0);
  CHECK(c["counters"]["backlog_max"] >= unsent);
  CHECK(c["counters"]["reads"].get<double>() + unsent == due);
  // The histogram holds every request the case timed.
  std::uint64_t in_buckets = 0;
  for (const auto& h : summary["latency_histograms"]) {
    for (const auto& b : h["buckets"]) {
      CHECK(b["low_us"] < b["high_us"]);
      in_buckets += b["count"].get<std::uint64_t>();
    }
  }
  CHECK(static_cast<double>(in_buckets) == c["counters"]["reads"].get<double>());
  // The timeline shows the backlog growing beside the request in flight.
  std::uint64_t most_backlog = 0;
  for (const auto& t : summary["timelines"]) {
    for (const auto& i : t["intervals"]) {
      most_backlog = std::max(most_backlog, i["backlog"].get<std::uint64_t>());
    }
  }
  CHECK(most_backlog > 0);
  CHECK_THAT(file_text(report.path() / "timeline.csv"), Contains(",in_flight,backlog,"));
}

TEST_CASE("single brick killed under a full queue: the case fails with the errors counted, exit 1",
          "[queued]") {
  auto& sb = cluster();
  own_volume v("gfbench-queued-single");
  tool_process p(
      concat(v.args(), {"--ops", "random_write", "--sizes", "64MiB", "--queue-depth", "32",
                        "--runtime", "20", "--no-profile", "--benchmark_repetitions=1"}));
  REQUIRE(case_started(p, "gfapi/random_write/size:64MiB", 60s));
  // The lay-out (untimed, synchronous) is on the brick in full: the pass's
  // requests are in flight a moment later.
  REQUIRE(wait_for_case_file(v.bricks()[0], "random_write-64MiB-4KiB-qd32-t1", 64 * MiB, p));
  std::this_thread::sleep_for(1s);
  sb.kill_brick(v.name(), 0);
  const auto killed = steady::now();
  const auto r = p.wait(120s);
  const double took = std::chrono::duration<double>(steady::now() - killed).count();
  INFO(describe(r));
  WARN("single brick killed at qd 32: exit " << r.exit_code << " " << took << " s after"
                                             << what_it_said(r));
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.exit_code == 1);
  CHECK(took < 30);
  // Every failed request is counted by errno, and the first one is named.
  CHECK_THAT(r.out, Contains("failed cases:") && Contains("request(s) failed (ENOTCONN x"));
  CHECK_THAT(r.out, Contains("Transport endpoint is not connected"));
  sb.restart_bricks(v.name());
  remove_tree(v.vol(), "/.gfbench");
}

TEST_CASE("Ctrl-C with requests in flight: exit 130, the summary, nothing left on the volume",
          "[queued]") {
  own_volume v("gfbench-queued-sigint");
  tool_process p(concat(v.args(), {"--ops", "random_read,random_rw", "--sizes", "32MiB",
                                   "--queue-depth", "32", "--threads", "2", "--runtime", "30",
                                   "--no-profile", "--benchmark_repetitions=1"}));
  REQUIRE(case_started(p, "gfapi/random_read/size:32MiB", 60s));
  // The lay-out is on the brick in full, then the 30 s pass begins.
  REQUIRE(wait_for_case_file(v.bricks()[0], "random_read-32MiB-4KiB-warm-qd32-t2", 32 * MiB, p));
  std::this_thread::sleep_for(500ms);
  p.send_signal(SIGINT);
  const auto r = p.wait(120s);
  INFO(describe(r));
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.exit_code == 130);
  CHECK_THAT(r.err + r.out, Contains("interrupted"));
  const auto left = gfbench::testing::list_volume(v.vol());
  for (const auto& [path, what] : left) {
    INFO(path);
    CHECK_FALSE(path.starts_with("/.gfbench/run-"));
  }
}

TEST_CASE("a Proxmox VE 9 dir storage on a FUSE mount runs through the mount and through libgfapi",
          "[queued]") {
  own_volume v("gfbench-pve9");
  scoped_fuse_mount mount(v.name());
  const fs::path images = mount.path() / "images";
  fs::create_directory(images);
  temp_dir dir;
  const fs::path cfg = dir.path() / "storage.cfg";
  {
    std::ofstream out(cfg);
    out << "dir: local\n\tpath /var/lib/vz\n\tcontent iso,vztmpl,backup\n\n"
        << "dir: gluster-images\n\tpath " << images.string() << "\n\tcontent images\n";
  }
  const auto r = gfbench::testing::run_tool(
      {"--pve-storage", "gluster-images", "--pve-config", cfg.string(), "--ops", "randrw",
       "--sizes", "4MiB", "--queue-depth", "8", "--no-profile", "--benchmark_repetitions=1"},
      std::chrono::seconds(180));
  INFO(describe(r));
  REQUIRE(r.exit_code == 0);
  // Both ways to the same images, side by side.
  CHECK_THAT(r.out, Contains("\ngfapi\n") && Contains("\nfuse\n") && Contains("gfapi / fuse"));
  CHECK_THAT(r.err, Contains("of volume " + v.name()));
  // The FUSE cases wrote under the storage's path, and left nothing there.
  std::error_code ec;
  std::size_t left = 0;
  for (fs::directory_iterator it(images / ".gfbench", ec), end; !ec && it != end;
       it.increment(ec)) {
    ++left;
  }
  CHECK(left == 0);
  fs::remove_all(images, ec);

  // A dir storage on a local disk is refused before anything runs.
  const auto local = gfbench::testing::run_tool(
      {"--pve-storage", "local", "--pve-config", cfg.string()}, std::chrono::seconds(30));
  CHECK(local.exit_code == 2);
  CHECK_THAT(local.err, Contains("not on a GlusterFS FUSE mount"));
}

TEST_CASE("every built-in case reports the same counters, as Google Benchmark's CSV needs",
          "[queued]") {
  const registry_scope registry;
  temp_dir local;
  auto disk = gfbench::make_posix_target(local.path(), "disk");
  // 16 records (too few for a p99) before 256 (enough): the percentile
  // counters are there either way.
  for (const bool queued : {false, true}) {
    INFO((queued ? "queued" : "IOzone loop"));
    benchmark_matrix m;
    m.operations = {operation::write, operation::read, operation::random_write};
    if (queued) m.operations.push_back(operation::random_rw);
    m.file_sizes = {64 * KiB, 1 * MiB};
    m.block_sizes = {4 * KiB};
    m.read_cache_modes = {cache_mode::warm};
    m.options.queued = queued;
    m.queue_depths = {4};
    m.iterations = 1;
    m.repetitions = 1;
    gfbench::suite s;
    static_cast<void>(s.register_matrix({disk.get()}, m));
    const auto result = run_benchmarks();
    REQUIRE(result.runs.size() == m.operations.size() * 2);
    std::set<std::string> first;
    for (const auto& [name, value] : result.runs.front().counters) first.insert(name);
    CHECK(first.contains("lat_p99_us"));
    CHECK(first.contains("fsync_timed"));
    CHECK(first.contains("degraded"));
    for (const auto& r : result.runs) {
      INFO(describe(r));
      REQUIRE_FALSE(r.error_occurred);
      std::set<std::string> names;
      for (const auto& [name, value] : r.counters) names.insert(name);
      CHECK(names == first);
      // Too few records for a p99: it holds the maximum, and says so by lat_records.
      if (counter(r, "lat_records") < 100)
        CHECK(counter(r, "lat_p99_us") == counter(r, "lat_max_us"));
    }
    benchmark::ClearRegisteredBenchmarks();
  }
}

TEST_CASE("--benchmark_format=csv takes counters that only later cases have", "[queued]") {
  own_volume v("gfbench-csv");
  // --fop-stats gives a write case fop_write_* and a read case fop_read_*
  // counters: Google Benchmark's own CSV reporter aborts on the second.
  const auto r = gfbench::testing::run_tool(
      concat(v.args(),
             {"--ops", "write,read", "--read-cache", "warm", "--sizes", "1MiB", "--fop-stats",
              "--no-profile", "--benchmark_repetitions=1", "--benchmark_format=csv"}),
      std::chrono::seconds(120));
  INFO(describe(r));
  REQUIRE(r.exit_code == 0);
  const std::string header = r.out.substr(r.out.find("name,iterations"));
  const std::string first_line = header.substr(0, header.find('\n'));
  CHECK_THAT(first_line, Contains("fop_write_calls") && Contains("fop_read_calls"));
  CHECK_THAT(r.out, Contains("\"gfapi/write/size:1MiB/bs:4KiB") &&
                        Contains("\"gfapi/read/size:1MiB/bs:4KiB/cache:warm"));
}
