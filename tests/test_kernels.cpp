// The benchmark kernels as Google Benchmark runs them, on real targets: the
// gfapi target of a sandbox volume, the same volume's FUSE mount and a local
// directory. As Google Benchmark's own tests do, a reporter captures the runs
// and the tests assert on run names, counters and errors. A recording target
// (a decorator over a real target) sees every call a kernel makes, so the
// data each kernel wrote and read, the record order and which file it worked
// on are checked independently of the kernels' own verification.

#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "bench/io/pattern.hpp"
#include "gfbench/error.hpp"
#include "gfbench/kernels.hpp"
#include "gfbench/recorder.hpp"
#include "gfbench/scratch.hpp"
#include "gfbench/suite.hpp"
#include "gfbench/target.hpp"
#include "gfbench/target_wrapper.hpp"
#include "gfbench/units.hpp"
#include "support/benchmark_runs.hpp"
#include "support/capture_reporter.hpp"
#include "support/temp_dir.hpp"
#include "support/test_cluster.hpp"
#include "support/tool_runner.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;
using Catch::Matchers::StartsWith;
using gfbench::access_mode;
using gfbench::benchmark_matrix;
using gfbench::cache_mode;
using gfbench::case_context;
using gfbench::case_info;
using gfbench::io_error;
using gfbench::io_shape;
using gfbench::open_options;
using gfbench::operation;
using gfbench::target;
using gfbench::target_file;
using gfbench::testing::byte_difference;
using gfbench::testing::cluster;
using gfbench::testing::own_volume;
using gfbench::testing::scoped_fuse_mount;
using gfbench::testing::single_volume;
using gfbench::testing::temp_dir;
using gfbench::testing::test_volume;
using gfbench::testing::tool_process;
using gfbench::testing::tool_result;
using Run = benchmark::BenchmarkReporter::Run;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

using gfbench::testing::capture_reporter;
using gfbench::testing::counter;
using gfbench::testing::describe;
using gfbench::testing::registry_scope;
using gfbench::testing::run_benchmarks;

namespace {

constexpr std::uint64_t KiB = 1024;
constexpr std::uint64_t MiB = 1024 * KiB;
constexpr std::uint64_t default_seed = io_shape{}.seed;

bool relatively_equal(double a, double b, double tolerance) {
  return std::abs(a - b) <= tolerance * std::max(std::abs(a), std::abs(b));
}

// Registers one kernel body as a case with a fixed number of passes.
void register_case(const std::string& name, std::function<void(benchmark::State&)> body,
                   std::int64_t iterations) {
  benchmark::RegisterBenchmark(name.c_str(), std::move(body))
      ->UseManualTime()
      ->Iterations(iterations);
}

// ---------------------------------------------------------------------------
// Targets

// The three kinds of target the kernels run on: libgfapi, the FUSE mount of
// the same volume, a local directory.
struct real_targets {
  real_targets()
      : fuse(((void)test_volume(), single_volume)),
        gfapi(gfbench::make_gfapi_target(test_volume(), "gfapi")),
        fuse_target(gfbench::make_posix_target(fuse.path(), "fuse")),
        local_target(gfbench::make_posix_target(local.path(), "local")) {}
  [[nodiscard]] std::vector<target*> all() const {
    return {gfapi.get(), fuse_target.get(), local_target.get()};
  }

  temp_dir local;
  scoped_fuse_mount fuse;
  std::unique_ptr<target> gfapi;
  std::unique_ptr<target> fuse_target;
  std::unique_ptr<target> local_target;
};

std::string base_name(const std::string& path) { return path.substr(path.rfind('/') + 1); }

// Which pattern a case's file carries.
std::uint64_t seed_of(const std::string& path, std::uint64_t run_seed = default_seed) {
  return gfbench::detail::file_seed(run_seed, base_name(path));
}

// Checks bytes against gfbench's pattern on its own: which content (file,
// generation, period) a piece belongs to is read from its first stamp, so
// a piece from another file, offset or generation cannot pass.
class pattern_checker {
 public:
  // The first wrong byte's offset; a piece without a whole stamp can only
  // be checked for that (none here: every block is at least 4 KiB).
  std::optional<std::uint64_t> first_mismatch(std::span<const std::byte> data, std::uint64_t offset,
                                              std::uint64_t seed) {
    using gfbench::detail::sector_size;
    using gfbench::detail::stamp_size;
    const std::uint64_t s = (offset + sector_size - 1) / sector_size * sector_size;
    if (s + stamp_size > offset + data.size()) return offset;
    const auto id =
        gfbench::detail::identify(data.subspan(s - offset, stamp_size), seed, s / sector_size);
    if (!id) return s;
    return content(*id).find_mismatch(data, offset);
  }

  const gfbench::detail::file_content& content(const gfbench::detail::content_id& id) {
    for (const auto& c : contents_) {
      if (c->id() == id) return *c;
    }
    contents_.push_back(std::make_unique<gfbench::detail::file_content>(id));
    return *contents_.back();
  }

 private:
  std::vector<std::unique_ptr<gfbench::detail::file_content>> contents_;
};

// What a whole file holds: the content its first stamp names, or nullopt.
std::optional<gfbench::detail::content_id> content_of(const std::vector<std::byte>& file,
                                                      const std::string& path) {
  if (file.size() < gfbench::detail::stamp_size) return std::nullopt;
  return gfbench::detail::identify(std::span(file).first(gfbench::detail::stamp_size),
                                   seed_of(path));
}

std::vector<std::byte> read_whole(target& where, const std::string& path) {
  auto f = where.open(path, {.access = access_mode::read_only});
  std::vector<std::byte> data(f->stat().size);
  if (!data.empty()) f->pread_all(data, 0);
  f->close();
  return data;
}

// What one handle a kernel opened saw: how it was opened, the file's inode
// then, and every record it wrote or read, in order.
struct handle_log {
  enum class how { create, open, open_cold };
  how opened = how::open;
  std::string path;
  access_mode access = access_mode::read_write;
  std::uint64_t inode = 0;
  std::vector<std::uint64_t> write_offsets;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> reads;  // offset, length

  // The offsets of the reads of exactly `block` bytes: the records of the
  // passes (a kernel's checks after a pass read larger pieces).
  [[nodiscard]] std::vector<std::uint64_t> record_reads(std::uint64_t block) const {
    std::vector<std::uint64_t> out;
    for (const auto& [offset, length] : reads) {
      if (length == block) out.push_back(offset);
    }
    return out;
  }
  // The bytes of the other reads: what the checks read back.
  [[nodiscard]] std::uint64_t check_bytes(std::uint64_t block) const {
    std::uint64_t n = 0;
    for (const auto& [offset, length] : reads) {
      if (length != block) n += length;
    }
    return n;
  }
};

// A target that forwards every call to a real one and records what the
// kernels do. Every byte written and every byte read is compared with
// gfbench's pattern for the file as it passes (a wrong byte is listed in
// `mismatches`). `before_read_open` runs before a read-only or cold open,
// for tests that damage a file between lay-out and read.
class recording_target final : public gfbench::target_wrapper {
 public:
  explicit recording_target(target& inner) : target_wrapper(inner) {}

  std::unique_ptr<target_file> create(std::string_view path, const open_options& options) override {
    return wrap(handle_log::how::create, path, options, target_wrapper::create(path, options));
  }
  std::unique_ptr<target_file> open(std::string_view path, const open_options& options) override {
    if (options.access == access_mode::read_only && before_read_open) {
      before_read_open(std::string(path));
    }
    return wrap(handle_log::how::open, path, options, target_wrapper::open(path, options));
  }
  std::unique_ptr<target_file> open_cold(std::string_view path,
                                         const open_options& options) override {
    if (before_read_open) before_read_open(std::string(path));
    return wrap(handle_log::how::open_cold, path, options,
                target_wrapper::open_cold(path, options));
  }

  /// The handles opened on files whose name starts with `prefix`, in order.
  [[nodiscard]] std::vector<const handle_log*> handles(const std::string& prefix) const {
    std::vector<const handle_log*> out;
    for (const auto& h : logs_) {
      if (base_name(h->path).starts_with(prefix)) out.push_back(h.get());
    }
    return out;
  }

  std::vector<std::string> mismatches;
  std::function<void(const std::string&)> before_read_open;

 private:
  class file final : public gfbench::target_file_wrapper {
   public:
    file(std::unique_ptr<target_file> inner, handle_log& log, recording_target& owner)
        : target_file_wrapper(std::move(inner)),
          log_(log),
          owner_(owner),
          seed_(seed_of(log.path)) {}
    void pwrite_all(std::span<const std::byte> data, std::uint64_t offset) override {
      log_.write_offsets.push_back(offset);
      check("pwrite", data, offset);
      target_file_wrapper::pwrite_all(data, offset);
    }
    void pread_all(std::span<std::byte> buffer, std::uint64_t offset) override {
      target_file_wrapper::pread_all(buffer, offset);
      log_.reads.emplace_back(offset, buffer.size());
      check("pread", buffer, offset);
    }

   private:
    void check(const char* what, std::span<const std::byte> data, std::uint64_t offset) {
      if (const auto bad = owner_.checker_.first_mismatch(data, offset, seed_)) {
        owner_.mismatches.push_back(std::string(what) + " " + log_.path + " offset " +
                                    std::to_string(*bad));
      }
    }
    handle_log& log_;
    recording_target& owner_;
    std::uint64_t seed_;
  };

  std::unique_ptr<target_file> wrap(handle_log::how how, std::string_view path,
                                    const open_options& options, std::unique_ptr<target_file> f) {
    auto log = std::make_unique<handle_log>();
    log->opened = how;
    log->path = std::string(path);
    log->access = options.access;
    log->inode = f->stat().inode;
    logs_.push_back(std::move(log));
    return std::make_unique<file>(std::move(f), *logs_.back(), *this);
  }

  std::vector<std::unique_ptr<handle_log>> logs_;
  pattern_checker checker_;
};

std::vector<std::uint64_t> all_offsets(std::uint64_t file_size, std::uint64_t block_size) {
  std::vector<std::uint64_t> v;
  for (std::uint64_t off = 0; off < file_size; off += block_size) v.push_back(off);
  return v;
}

// The records of one pass in the order they were made, `records` at a time.
std::vector<std::vector<std::uint64_t>> passes(const std::vector<std::uint64_t>& offsets,
                                               std::size_t records) {
  std::vector<std::vector<std::uint64_t>> out;
  for (std::size_t i = 0; i + records <= offsets.size(); i += records) {
    out.emplace_back(offsets.begin() + static_cast<std::ptrdiff_t>(i),
                     offsets.begin() + static_cast<std::ptrdiff_t>(i + records));
  }
  return out;
}

bool is_permutation_of_all(std::vector<std::uint64_t> pass, const std::vector<std::uint64_t>& all) {
  std::sort(pass.begin(), pass.end());
  return pass == all;
}

// The expected case names of a matrix, as Google Benchmark reports them.
std::set<std::string> expected_names(const std::vector<std::string>& labels,
                                     const benchmark_matrix& m) {
  std::set<std::string> names;
  std::string suffix;
  if (m.iterations > 0) suffix += "/iterations:" + std::to_string(m.iterations);
  if (m.repetitions > 0) suffix += "/repeats:" + std::to_string(m.repetitions);
  suffix += "/manual_time";
  for (const auto& label : labels) {
    for (const auto op : m.operations) {
      std::vector<std::string> caches{""};
      if (op == operation::reread) {
        caches = {"/cache:warm"};
      } else if (gfbench::is_read(op)) {
        caches.clear();
        for (const auto mode : m.read_cache_modes) {
          caches.push_back("/cache:" + std::string(gfbench::to_string(mode)));
        }
      }
      for (const auto& cache : caches) {
        for (const auto size : m.file_sizes) {
          for (const auto block : m.block_sizes) {
            names.insert(label + "/" + std::string(gfbench::to_string(op)) +
                         "/size:" + gfbench::format_iec(size) +
                         "/bs:" + gfbench::format_iec(block) + cache + suffix);
          }
        }
      }
    }
  }
  return names;
}

}  // namespace

// ---------------------------------------------------------------------------
// Registration and names

TEST_CASE("a matrix registers exactly the expected cases, and they all run", "[kernels]") {
  const registry_scope registry;
  real_targets t;
  benchmark_matrix m;
  m.operations = {operation::write,  operation::rewrite,     operation::read,
                  operation::reread, operation::random_read, operation::random_write};
  m.file_sizes = {64 * KiB, 128 * KiB};
  m.block_sizes = {4 * KiB, 64 * KiB};
  m.read_cache_modes = {cache_mode::warm, cache_mode::cold};
  m.iterations = 1;

  gfbench::suite s;
  const auto registered = s.register_matrix({t.gfapi.get(), t.local_target.get()}, m);
  const auto expected = expected_names({"gfapi", "local"}, m);
  // 2 targets x (3 writes + read x2 + random_read x2 + reread) x 2 sizes x 2 blocks
  REQUIRE(expected.size() == 2 * 8 * 2 * 2);

  std::set<std::string> registered_names;
  for (const auto& c : registered) {
    registered_names.insert(c.name + "/iterations:1/manual_time");
    CHECK(c.name.starts_with(c.target_label + "/" + c.operation + "/size:"));
    CHECK((c.cache.empty() == !gfbench::is_read(*gfbench::parse_operation(c.operation))));
  }
  CHECK(registered.size() == expected.size());
  CHECK(registered_names == expected);

  const auto result = run_benchmarks();
  CHECK(result.matched == expected.size());
  std::set<std::string> ran;
  for (const auto& r : result.runs) {
    INFO(describe(r));
    CHECK_FALSE(r.error_occurred);
    ran.insert(r.benchmark_name());
  }
  CHECK(result.runs.size() == expected.size());
  CHECK(ran == expected);
}

TEST_CASE("repetitions and filters show in the names Google Benchmark reports", "[kernels]") {
  const registry_scope registry;
  temp_dir dir;
  auto local = gfbench::make_posix_target(dir.path(), "disk");
  benchmark_matrix m;
  m.operations = {operation::write, operation::read};
  m.file_sizes = {64 * KiB};
  m.block_sizes = {16 * KiB};
  m.read_cache_modes = {cache_mode::cold};
  m.repetitions = 3;
  m.iterations = 2;
  gfbench::suite s;
  static_cast<void>(s.register_matrix({local.get()}, m));

  SECTION("every repetition is reported under the full name") {
    const auto result = run_benchmarks();
    CHECK(result.matched == 2);
    REQUIRE(result.runs.size() == 2 * 3);
    std::map<std::string, std::set<std::int64_t>> repetitions;
    for (const auto& r : result.runs) {
      INFO(describe(r));
      CHECK_FALSE(r.error_occurred);
      CHECK(r.iterations == 2);
      CHECK(r.repetitions == 3);
      repetitions[r.benchmark_name()].insert(r.repetition_index);
    }
    const std::map<std::string, std::set<std::int64_t>> want{
        {"disk/write/size:64KiB/bs:16KiB/iterations:2/repeats:3/manual_time", {0, 1, 2}},
        {"disk/read/size:64KiB/bs:16KiB/cache:cold/iterations:2/repeats:3/manual_time", {0, 1, 2}}};
    CHECK(repetitions == want);
  }
  SECTION("a filter runs only the cases it matches") {
    const auto result = run_benchmarks("disk/read/.*cache:cold");
    CHECK(result.matched == 1);
    REQUIRE(result.runs.size() == 3);
    for (const auto& r : result.runs) {
      CHECK(r.benchmark_name() ==
            "disk/read/size:64KiB/bs:16KiB/cache:cold/iterations:2/repeats:3/manual_time");
    }
  }
}

// ---------------------------------------------------------------------------
// Counters

TEST_CASE("bytes_per_second, IOPS and latencies agree with the manual time", "[kernels]") {
  const registry_scope registry;
  real_targets t;
  benchmark_matrix m;
  m.operations = {operation::write, operation::rewrite, operation::read, operation::random_read};
  m.file_sizes = {256 * KiB};
  m.block_sizes = {4 * KiB, 64 * KiB};
  m.read_cache_modes = {cache_mode::warm, cache_mode::cold};
  m.iterations = 3;
  gfbench::suite s;
  const auto registered = s.register_matrix(t.all(), m);
  std::map<std::string, case_info> by_name;
  for (const auto& c : registered) by_name[c.name + "/iterations:3/manual_time"] = c;

  const auto started = std::chrono::steady_clock::now();
  const auto result = run_benchmarks();
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  REQUIRE(result.runs.size() == registered.size());

  double manual_total = 0;
  for (const auto& r : result.runs) {
    INFO(describe(r));
    REQUIRE_FALSE(r.error_occurred);
    REQUIRE(by_name.count(r.benchmark_name()) == 1);
    const case_info& c = by_name[r.benchmark_name()];
    CHECK(r.iterations == 3);
    // The reported real time of a manual-time case is the manual time.
    const double seconds = r.real_accumulated_time;
    REQUIRE(seconds > 0);
    manual_total += seconds;
    const double bytes = static_cast<double>(c.file_size) * static_cast<double>(r.iterations);
    const double records = bytes / static_cast<double>(c.block_size);
    CHECK(relatively_equal(counter(r, "bytes_per_second"), bytes / seconds, 1e-6));
    CHECK(relatively_equal(counter(r, "IOPS"), records / seconds, 1e-6));
    const double p50 = counter(r, "lat_p50_us");
    const double max = counter(r, "lat_max_us");
    CHECK(counter(r, "lat_records") == records);
    CHECK(p50 > 0);
    CHECK(p50 <= max);
    // p99 only from 100 records or more; with fewer the tail is the maximum.
    const double p99 = counter(r, "lat_p99_us");
    if (records >= 100) {
      CHECK(p50 <= p99);
      CHECK(p99 <= max);
    } else {
      CHECK(p99 == max);
    }
    // No record can take longer than all of them together.
    CHECK(max <= seconds * 1e6);
  }
  // Manual time counts only the timed passes: less than the whole run,
  // which also lays out, creates, checks and removes files.
  CHECK(manual_total < wall);
}

// ---------------------------------------------------------------------------
// What the kernels do to files

TEST_CASE("write leaves a file of exactly the size and content written", "[kernels]") {
  const registry_scope registry;
  real_targets t;
  for (target* where : t.all()) {
    DYNAMIC_SECTION(where->label()) {
      recording_target rec(*where);
      gfbench::scratch_area area(rec);
      case_context ctx{.scratch = &area,
                       .shape = {.file_size = 192 * KiB, .block_size = 16 * KiB},
                       .file_name = "written",
                       .keep_files = true};
      register_case(
          "write", [&](benchmark::State& st) { gfbench::run_kernel(operation::write, st, ctx); },
          2);
      const auto result = run_benchmarks();
      REQUIRE(result.runs.size() == 1);
      INFO(describe(result.runs[0]));
      REQUIRE_FALSE(result.runs[0].error_occurred);
      CHECK(rec.mismatches.empty());

      // A new file per pass, written front to back in whole records.
      const auto handles = rec.handles("written");
      std::size_t creates = 0;
      for (const auto* h : handles) {
        if (h->opened != handle_log::how::create) continue;
        ++creates;
        CHECK(h->write_offsets == all_offsets(192 * KiB, 16 * KiB));
      }
      CHECK(creates == 2);

      // Read back through the target, not through the recorder: the file
      // holds what the second pass wrote, generation 2, and nothing else.
      const std::string path = area.file_path("written");
      const auto back = read_whole(*where, path);
      REQUIRE(back.size() == 192 * KiB);
      CHECK(ctx.binding.write_passes() == 2);
      const gfbench::detail::file_content second({.file_seed = seed_of(path),
                                                  .generation = 2,
                                                  .period = gfbench::detail::period_for(16 * KiB)});
      std::vector<std::byte> want(192 * KiB);
      second.fill(want, 0);
      CHECK(byte_difference(back, want).empty());
      CHECK_FALSE(second.find_mismatch(back, 0));
    }
  }
}

TEST_CASE("rewrite and random_write overwrite the laid-out file in place", "[kernels]") {
  const registry_scope registry;
  real_targets t;
  const auto op = GENERATE(operation::rewrite, operation::random_write);
  for (target* where : t.all()) {
    DYNAMIC_SECTION(where->label() << " " << gfbench::to_string(op)) {
      recording_target rec(*where);
      gfbench::scratch_area area(rec);
      const io_shape shape{.file_size = 256 * KiB, .block_size = 8 * KiB};
      case_context ctx{.scratch = &area, .shape = shape, .file_name = "over", .keep_files = true};
      register_case(
          "overwrite", [&](benchmark::State& st) { gfbench::run_kernel(op, st, ctx); }, 3);
      const auto result = run_benchmarks();
      REQUIRE(result.runs.size() == 1);
      INFO(describe(result.runs[0]));
      REQUIRE_FALSE(result.runs[0].error_occurred);
      CHECK(rec.mismatches.empty());

      const auto handles = rec.handles("over");
      REQUIRE_FALSE(handles.empty());
      // One create: the lay-out. Then every pass opens that same file.
      REQUIRE(handles.front()->opened == handle_log::how::create);
      const std::uint64_t inode = handles.front()->inode;
      std::size_t creates = 0, write_passes = 0;
      const auto all = all_offsets(shape.file_size, shape.block_size);
      for (const auto* h : handles) {
        INFO(h->path);
        CHECK(h->inode == inode);
        if (h->opened == handle_log::how::create) ++creates;
        if (h->opened == handle_log::how::open && h->access != access_mode::read_only) {
          ++write_passes;
          REQUIRE(h->write_offsets.size() == all.size());
          CHECK(is_permutation_of_all(h->write_offsets, all));
          if (op == operation::rewrite) {
            CHECK(h->write_offsets == all);
          } else {
            CHECK(h->write_offsets != all);  // shuffled
          }
        }
      }
      CHECK(creates == 1);
      CHECK(write_passes == 3);

      const std::string path = area.file_path("over");
      CHECK(where->stat(path).inode == inode);
      const auto back = read_whole(*where, path);
      REQUIRE(back.size() == shape.file_size);
      // What the third pass wrote, every byte of it: each pass wrote other
      // bytes than the lay-out and the passes before.
      const auto id = content_of(back, path);
      REQUIRE(id);
      CHECK(id->generation == 3);
      CHECK_FALSE(gfbench::detail::file_content(*id).find_mismatch(back, 0));
    }
  }
}

TEST_CASE("reads, rereads, random and cold reads read exactly the bytes written", "[kernels]") {
  const registry_scope registry;
  real_targets t;
  std::vector<std::unique_ptr<recording_target>> recorders;
  std::vector<target*> where;
  for (target* real : t.all()) {
    recorders.push_back(std::make_unique<recording_target>(*real));
    where.push_back(recorders.back().get());
  }
  benchmark_matrix m;
  m.operations = {operation::read, operation::reread, operation::random_read,
                  operation::random_write};
  m.file_sizes = {512 * KiB};
  m.block_sizes = {4 * KiB, 128 * KiB};
  m.read_cache_modes = {cache_mode::warm, cache_mode::cold};
  m.iterations = 2;
  m.options.verify = true;
  gfbench::suite s;
  s.keep_files(true);
  const auto registered = s.register_matrix(where, m);
  const auto result = run_benchmarks();
  REQUIRE(result.runs.size() == registered.size());
  for (const auto& r : result.runs) {
    INFO(describe(r));
    CHECK_FALSE(r.error_occurred);
    if (!r.error_occurred) CHECK(counter(r, "bytes_per_second") > 0);
  }

  for (const auto& rec : recorders) {
    INFO("target " << rec->label());
    CHECK(rec->mismatches.empty());
    for (const auto& c : registered) {
      if (c.target_label != rec->label() || c.operation == "random_write") continue;
      INFO("case " << c.name);
      const std::string file = c.operation + "-" + gfbench::format_iec(c.file_size) + "-" +
                               gfbench::format_iec(c.block_size) + "-" + c.cache;
      const auto handles = rec->handles(file);
      const auto all = all_offsets(c.file_size, c.block_size);
      const bool cold = c.cache == "cold" && c.operation != "reread";
      std::size_t read_handles = 0;
      for (const auto* h : handles) {
        if (h->access != access_mode::read_only) continue;
        ++read_handles;
        // Cold passes open through open_cold (page cache dropped, or the
        // uncached gfapi connection); warm ones do not.
        CHECK(h->opened == (cold ? handle_log::how::open_cold : handle_log::how::open));
        // reread reads the whole file once untimed, then once timed; after
        // the pass every byte is read again, in larger pieces, and checked.
        const auto records = h->record_reads(c.block_size);
        const auto per_pass = passes(records, all.size());
        CHECK(per_pass.size() == (c.operation == "reread" ? 2u : 1u));
        REQUIRE(records.size() == per_pass.size() * all.size());
        CHECK(h->check_bytes(c.block_size) == c.file_size);
        for (const auto& p : per_pass) {
          CHECK(is_permutation_of_all(p, all));
          if (c.operation == "random_read") {
            CHECK(p != all);
          } else {
            CHECK(p == all);
          }
        }
      }
      CHECK(read_handles == 2);  // one per pass
    }
    // random_write: the file it left is the pattern, byte for byte.
    for (const auto& c : registered) {
      if (c.target_label != rec->label() || c.operation != "random_write") continue;
      const std::string path =
          s.scratch_for(*rec).file_path("random_write-" + gfbench::format_iec(c.file_size) + "-" +
                                        gfbench::format_iec(c.block_size));
      const auto back = read_whole(rec->inner(), path);
      CHECK(back.size() == c.file_size);
      const auto id = content_of(back, path);
      REQUIRE(id);
      CHECK(id->generation >= 1);  // a pass's, not the lay-out's
      CHECK_FALSE(gfbench::detail::file_content(*id).find_mismatch(back, 0));
    }
  }
  s.keep_files(false);
  s.cleanup();
}

TEST_CASE("a read that gets other bytes than were written fails, naming the offset", "[kernels]") {
  const registry_scope registry;
  real_targets t;
  const auto mode = GENERATE(cache_mode::warm, cache_mode::cold);
  for (target* where : t.all()) {
    DYNAMIC_SECTION(where->label() << " " << gfbench::to_string(mode)) {
      recording_target rec(*where);
      gfbench::scratch_area area(rec);
      const std::uint64_t bad = 100 * KiB + 3;
      // Between lay-out and the read: one byte changed through the real
      // target, fsync'ed, in the file the read is about to open.
      rec.before_read_open = [&](const std::string& path) {
        std::byte right[1];
        const gfbench::detail::file_content laid_out(
            {.file_seed = seed_of(path), .period = gfbench::detail::period_for(64 * KiB)});
        laid_out.fill(right, bad);
        const std::byte wrong[1] = {~right[0]};
        auto f = where->open(path, {.access = access_mode::write_only});
        f->pwrite_all(wrong, bad);
        f->fsync();
        f->close();
        rec.before_read_open = nullptr;  // once
      };
      case_context ctx{.scratch = &area,
                       .shape = {.file_size = 256 * KiB, .block_size = 64 * KiB, .cache = mode},
                       .file_name = "damaged"};
      register_case(
          "damaged", [&](benchmark::State& st) { gfbench::run_kernel(operation::read, st, ctx); },
          1);
      const auto result = run_benchmarks();
      REQUIRE(result.runs.size() == 1);
      const Run& r = result.runs[0];
      INFO(describe(r));
      REQUIRE(r.error_occurred);
      CHECK_THAT(r.error_message, StartsWith("verify "));
      CHECK_THAT(r.error_message, Contains("path=" + area.file_path("damaged")));
      CHECK_THAT(r.error_message, Contains("offset=" + std::to_string(bad) + ":"));
      CHECK_THAT(r.error_message, Contains("data read back differs"));
      // The recorder saw the same wrong byte, at the same offset, each time
      // it passed (in the timed pass and in the check after it).
      REQUIRE_FALSE(rec.mismatches.empty());
      for (const auto& m : rec.mismatches)
        CHECK_THAT(m, EndsWith(" offset " + std::to_string(bad)));
    }
  }
}

// ---------------------------------------------------------------------------
// Errors

TEST_CASE("a target that fails turns the case into an error with the full message", "[kernels]") {
  const registry_scope registry;
  auto dir = std::make_unique<temp_dir>();
  const std::string root = dir->path().string();
  auto local = gfbench::make_posix_target(dir->path(), "gone");
  benchmark_matrix m;
  m.operations = {operation::write, operation::read};
  m.file_sizes = {64 * KiB};
  m.block_sizes = {64 * KiB};
  m.read_cache_modes = {cache_mode::warm};
  m.iterations = 1;
  gfbench::suite s;
  static_cast<void>(s.register_matrix({local.get()}, m));
  const std::string area = s.scratch_for(*local).path();
  // After registration, before the run: the directory goes away.
  dir.reset();
  REQUIRE_FALSE(fs::exists(root));

  const auto result = run_benchmarks();
  REQUIRE(result.runs.size() == 2);
  for (const auto& r : result.runs) {
    INFO(describe(r));
    REQUIRE(r.error_occurred);
    // What failed, on which directory, which file, and errno's text.
    CHECK_THAT(r.error_message,
               StartsWith("open(O_CREAT) volume=" + root + " path=" + area + "/") &&
                   EndsWith(": " + std::generic_category().message(ENOENT)));
  }
  CHECK_THAT(result.runs[0].error_message, Contains("/write-64KiB-64KiB:"));
  CHECK_THAT(result.runs[1].error_message, Contains("/read-64KiB-64KiB-warm:"));
  CHECK_THROWS_WITH(s.cleanup(), Contains("scratch clean-up failed"));
}

TEST_CASE("a custom kernel's exception or SkipWithError is the case's error", "[kernels]") {
  const registry_scope registry;
  temp_dir dir;
  auto local = gfbench::make_posix_target(dir.path(), "disk");
  gfbench::suite s;
  const io_shape shape{.file_size = 64 * KiB, .block_size = 4 * KiB};
  const io_error thrown(EIO, {.operation = "glfs_pwrite",
                              .volume = "vol0",
                              .path = "/x",
                              .offset = 4096,
                              .hint = "a hint"});
  const auto throwing = s.register_custom(*local, "throws", shape,
                                          [&](benchmark::State&, case_context&) { throw thrown; });
  const auto skipping = s.register_custom(
      *local, "skips", shape,
      [](benchmark::State& st, case_context&) { st.SkipWithError("the kernel gave up"); });
  // A working custom kernel: one record per pass into its scratch file,
  // timed by the same recorder as the built-ins.
  const auto working =
      s.register_custom(*local, "one_record", shape, [](benchmark::State& st, case_context& ctx) {
        const std::vector<std::byte> block(ctx.shape.block_size, std::byte{0x5a});
        // Google Benchmark calls a case again while it searches for an
        // iteration count: start from a new file each time.
        if (ctx.scratch->has_file(ctx.file_name)) ctx.scratch->remove_file(ctx.file_name);
        auto f = ctx.scratch->create_file(ctx.file_name, {.access = access_mode::write_only});
        gfbench::case_recorder recorder(st);
        for (auto _ : st) {
          recorder.begin_iteration();
          recorder.record(block.size(), [&] { f->pwrite_all(block, 0); });
          recorder.end_iteration();
        }
        f->close();
        recorder.finish();
      });
  CHECK(throwing.name == "disk/throws/size:64KiB/bs:4KiB");
  CHECK(skipping.name == "disk/skips/size:64KiB/bs:4KiB");

  const auto result = run_benchmarks();
  REQUIRE(result.runs.size() == 3);
  std::map<std::string, const Run*> by_name;
  for (const auto& r : result.runs) by_name[r.benchmark_name()] = &r;
  const Run* a = by_name["disk/throws/size:64KiB/bs:4KiB/manual_time"];
  const Run* b = by_name["disk/skips/size:64KiB/bs:4KiB/manual_time"];
  const Run* c = by_name["disk/one_record/size:64KiB/bs:4KiB/manual_time"];
  REQUIRE(a);
  REQUIRE(b);
  REQUIRE(c);
  CHECK(a->error_occurred);
  CHECK(a->error_message == thrown.what());
  CHECK(a->error_message ==
        "glfs_pwrite volume=vol0 path=/x offset=4096: Input/output error (a hint)");
  CHECK(b->error_occurred);
  CHECK(b->error_message == "the kernel gave up");
  INFO(describe(*c));
  REQUIRE_FALSE(c->error_occurred);
  CHECK(working.name == "disk/one_record/size:64KiB/bs:4KiB");
  CHECK(relatively_equal(counter(*c, "bytes_per_second"),
                         static_cast<double>(4 * KiB * static_cast<std::uint64_t>(c->iterations)) /
                             c->real_accumulated_time,
                         1e-6));
}

TEST_CASE("the gfbench tool exits 1 when its FUSE target's volume stops mid-run", "[kernels]") {
  auto& sb = cluster();
  own_volume v("gfbench-kernels-stop");
  {
    const scoped_fuse_mount mount(v.name());
    // Many passes of one case: it is still running when the volume stops.
    tool_process p({"--posix", mount.path().string(), "--ops", "write", "--sizes", "1MiB",
                    "--block-sizes", "64KiB", "--iterations", "5000", "--benchmark_repetitions=1"});
    // The case is under way once its file is on the brick.
    REQUIRE(gfbench::testing::wait_for_case_file(v.bricks()[0], "write-1MiB-64KiB", 0, p));
    sb.stop_volume(v.name());
    const tool_result r = p.wait(120s);
    INFO("exit " << r.exit_code << "\n--- stdout\n" << r.out << "\n--- stderr\n" << r.err);
    REQUIRE_FALSE(r.timed_out);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Contains("failed cases:"));
    CHECK_THAT(r.out, Contains("fuse/write/size:1MiB/bs:64KiB"));
    // The case's error: the call, the directory, the file, errno's text.
    CHECK_THAT(r.out, Contains("volume=" + mount.path().string() + " path=/.gfbench/run-"));
    CHECK_THAT(r.out, Contains(std::generic_category().message(ENOTCONN)));
    sb.start_volume(v.name(), /*force=*/true);
  }
}
