#pragma once
/// \file
/// Registering benchmark cases with Google Benchmark: a whole matrix of
/// targets x operations x file sizes x block sizes, or one custom kernel.
///
/// Case names are `<target>/<op>/size:<S>/bs:<B>` with IEC sizes, e.g.
/// `gfapi/write/size:10MiB/bs:4KiB`, and reads add their cache mode:
/// `fuse/read/size:1MiB/bs:1MiB/cache:cold`; queued cases (io_shape::queued)
/// add their queue depth and threads: `gfapi/random_read/size:1GiB/bs:4KiB/
/// cache:warm/qd:32/threads:1`, and paced ones their rate,
/// `.../qd:32/threads:1/rate:2000`. Google Benchmark appends its own
/// suffixes (`/manual_time`, `/repeats:5`). Every case uses manual time
/// measured as wall-clock time around exactly the I/O it claims, so
/// bytes_per_second and IOPS are real throughput.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gfbench/case.hpp"
#include "gfbench/export.hpp"
#include "gfbench/kernels.hpp"
#include "gfbench/metadata.hpp"
#include "gfbench/scratch.hpp"
#include "gfbench/target.hpp"

namespace gfbench {

namespace detail {
class meta_tree;
}

/// What to run on every target.
struct benchmark_matrix {
  std::vector<operation> operations{operation::write, operation::rewrite, operation::read};
  std::vector<std::uint64_t> file_sizes{1u << 20, 10u << 20, 100u << 20};
  std::vector<std::uint64_t> block_sizes{4096};
  /// Each read and random_read case runs once per mode listed here (reread
  /// is warm by definition), so warm and cold show side by side.
  std::vector<cache_mode> read_cache_modes{cache_mode::warm, cache_mode::cold};
  io_shape options{};  ///< fsync, include_close, direct, verify, seed, queued, runtime, ...
  /// With options.queued: one case per queue depth and thread count listed
  /// (empty: 1); names carry `/qd:N/threads:T`.
  std::vector<unsigned> queue_depths{};
  std::vector<unsigned> thread_counts{};
  /// Paced (io_shape::rate_iops): one case per rate listed, so that a list
  /// sweeps latency against load; names carry `/rate:N` (and `/poisson`
  /// with Poisson arrivals). Empty: options.rate_iops.
  std::vector<double> rates_iops{};
  /// A named workload (workloads.hpp): the cases carry its name instead of
  /// the operation's.
  std::string workload{};
  int repetitions = 0;  ///< 0: Google Benchmark's own (--benchmark_repetitions)
  /// Passes per repetition: 1, as IOzone makes one pass per trial. 0 lets
  /// Google Benchmark decide, which makes passes 2..N of a read case reads
  /// of a file just read (rereads) and hides its calibration passes.
  std::int64_t iterations = 1;
};

/// The bytes a matrix's files occupy on one target at the worst moment of a
/// run. Every case has one file (a write case writes it, the other cases lay
/// it out first), and it is removed when the case ends, also when the case
/// failed, so without `keep` the need is the largest file size; with `keep`
/// every case's file stays and the need is their sum (one per operation,
/// cache mode, file size and block size). Cases run one after another, so
/// targets on different file systems never need more than this at once;
/// targets on the same volume (gfapi and its FUSE mount) with `keep` need
/// the sum over them.
[[nodiscard]] GFBENCH_API std::uint64_t bytes_needed(const benchmark_matrix& matrix, bool keep);

/// What must be free before a run that needs `need` bytes: `need` plus a
/// margin of 5% or 16 MiB, whichever is larger, for the directory, the
/// bricks' metadata (extended attributes, .glusterfs links) and rounding to
/// blocks. Saturates at the largest std::uint64_t.
[[nodiscard]] GFBENCH_API std::uint64_t free_space_required(std::uint64_t need) noexcept;

/// Owns the scratch areas and case contexts the registered cases use; it
/// must outlive `benchmark::RunSpecifiedBenchmarks()`. Destroying it (or
/// `cleanup()`) removes every scratch area unless kept.
class GFBENCH_API suite {
 public:
  explicit suite(std::string scratch_root = std::string(default_scratch_root));
  ~suite();
  suite(const suite&) = delete;
  suite& operator=(const suite&) = delete;

  /// Registers every combination for each target (not owned; must outlive
  /// the run), case by case, each case on every target in turn (so that
  /// rounds of one repetition each run a case's targets side by side).
  /// Throws std::invalid_argument for an impossible shape.
  std::vector<case_info> register_matrix(const std::vector<target*>& targets,
                                         const benchmark_matrix& matrix);
  /// Registers one custom kernel on one target, named
  /// `<target>/<name>/size:<S>/bs:<B>`; it gets a scratch area and the
  /// same timing helpers (case_recorder) as the built-ins.
  case_info register_custom(target& where, std::string_view name, const io_shape& shape,
                            kernel_function kernel, int repetitions = 0);
  /// Read-only mode: registers the matrix's read operations (read, reread,
  /// random_read; any other throws std::invalid_argument) over files that
  /// already exist on each target, creating no scratch area and writing or
  /// removing nothing. `paths` are absolute inside the target; a directory
  /// stands for the regular files directly in it (what --keep left). The
  /// matrix's file sizes are ignored: each file's own size is used. Names are
  /// `<target>/<op>/size:<S>/bs:<B>[/cache:<mode>]/file:<path>`. Throws
  /// io_error when a path is missing or holds no regular file.
  std::vector<case_info> register_files(const std::vector<target*>& targets,
                                        const std::vector<std::string>& paths,
                                        const benchmark_matrix& matrix);

  /// Registers the metadata phases of `matrix` (metadata.hpp) on each
  /// target: one tree per target, file count, file size and thread count,
  /// shared by its phases, which run in the order of meta_operation
  /// whatever the order of `matrix.operations`, all of them once per cache
  /// mode (every warm phase before the cold ones).
  /// Names are `<target>/meta:<phase>/files:<N>/size:<S>/threads:<T>/
  /// cache:<mode>`. The trees are removed with the scratch areas. Throws
  /// std::invalid_argument for an impossible shape.
  std::vector<case_info> register_metadata(const std::vector<target*>& targets,
                                           const metadata_matrix& matrix);

  /// Adds an observer (not owned; it must outlive the run) that every case
  /// of this suite, registered before or after, reports to (observer.hpp).
  void add_observer(case_observer& observer);

  /// Keep the scratch areas and the cases' files (--keep).
  void keep_files(bool yes);
  /// The length of each interval of the timelines of the cases registered
  /// from now on (timeline.hpp); default_timeline_interval unless set.
  /// Throws std::invalid_argument below min_timeline_interval.
  void timeline_interval(std::chrono::milliseconds interval);
  /// One of many clients of a volume (gfbench under MPI): the files of the
  /// cases registered from now on are named `<name>.<tag>`, so each
  /// client's data follows a pattern of its own, and their read cases read
  /// the file `from` names (case_context::read_from; empty: their own).
  void set_client(std::string tag,
                  std::function<std::string(const scratch_area&, const std::string&)> from = {});
  /// The scratch area on a target, created on first use.
  scratch_area& scratch_for(target& where);
  [[nodiscard]] const std::vector<case_info>& cases() const noexcept { return cases_; }
  /// The names of the files the cases registered on `where` make in its
  /// scratch area (each there or not at this moment): what a coordinator of
  /// many clients needs to remove a client's files without listing its area.
  [[nodiscard]] std::vector<std::string> case_file_names(const target& where) const;
  /// Removes the scratch areas now. A target on which a call hung (see
  /// watchdog.hpp) is left alone: its area stays and cleanup() throws,
  /// naming it. Throws on any failure, after trying every area.
  void cleanup();

 private:
  std::string scratch_root_;
  bool keep_ = false;
  std::string file_tag_;
  std::chrono::milliseconds timeline_interval_ = default_timeline_interval;
  std::function<std::string(const scratch_area&, const std::string&)> read_from_;
  std::map<target*, std::unique_ptr<scratch_area>> scratch_;
  // The order the areas were made in: the first on a volume may have made
  // the scratch root that later ones share, so it goes last.
  std::vector<target*> scratch_order_;
  std::vector<std::unique_ptr<case_context>> contexts_;
  std::vector<std::unique_ptr<detail::meta_tree>> trees_;  // removed before the areas
  std::vector<case_info> cases_;
  std::vector<case_observer*> observers_;
};

}  // namespace gfbench
