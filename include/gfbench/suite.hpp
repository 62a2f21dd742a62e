#pragma once
/// \file
/// Registering benchmark cases with Google Benchmark: a whole matrix of
/// targets x operations x file sizes x block sizes, or one custom kernel.
///
/// Case names are `<target>/<op>/size:<S>/bs:<B>` with IEC sizes, e.g.
/// `gfapi/write/size:10MiB/bs:4KiB`, and reads add their cache mode:
/// `fuse/read/size:1MiB/bs:1MiB/cache:cold`. Google Benchmark appends its own
/// suffixes (`/manual_time`, `/repeats:5`). Every case uses manual time
/// measured as wall-clock time around exactly the I/O it claims, so
/// bytes_per_second and IOPS are real throughput.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gfbench/export.hpp"
#include "gfbench/kernels.hpp"
#include "gfbench/scratch.hpp"
#include "gfbench/target.hpp"

namespace gfbench {

/// What to run on every target.
struct benchmark_matrix {
  std::vector<operation> operations{operation::write, operation::rewrite, operation::read};
  std::vector<std::uint64_t> file_sizes{1u << 20, 10u << 20, 100u << 20};
  std::vector<std::uint64_t> block_sizes{4096};
  /// Each read and random_read case runs once per mode listed here (reread
  /// is warm by definition), so warm and cold show side by side.
  std::vector<cache_mode> read_cache_modes{cache_mode::warm, cache_mode::cold};
  io_shape options{};             ///< fsync, include_close, direct, verify, seed
  int repetitions = 0;          ///< 0: Google Benchmark's own (--benchmark_repetitions)
  std::int64_t iterations = 0;  ///< passes per repetition; 0: Google Benchmark decides
};

/// Where a registered case's results belong, for reports.
struct case_info {
  std::string name{};  ///< as registered, without Google Benchmark's suffixes
  std::string target_label{};
  std::string operation{};  ///< operation name or the custom kernel's name
  std::string cache{};      ///< "warm" or "cold" for reads, empty otherwise
  std::uint64_t file_size = 0;
  std::uint64_t block_size = 0;
};

/// Owns the scratch areas and case contexts the registered cases use; it
/// must outlive `benchmark::RunSpecifiedBenchmarks()`. Destroying it (or
/// `cleanup()`) removes every scratch area unless kept.
class GFBENCH_API suite {
 public:
  explicit suite(std::string scratch_root = "/.gfbench");
  ~suite();
  suite(const suite&) = delete;
  suite& operator=(const suite&) = delete;

  /// Registers every combination for each target (not owned; must outlive
  /// the run). Throws std::invalid_argument for an impossible shape.
  std::vector<case_info> register_matrix(const std::vector<target*>& targets,
                                         const benchmark_matrix& matrix);
  /// Registers one custom kernel on one target, named
  /// `<target>/<name>/size:<S>/bs:<B>`; it gets a scratch area and the
  /// same timing helpers (case_recorder) as the built-ins.
  case_info register_custom(target& where, std::string_view name, const io_shape& shape,
                            kernel_function kernel, int repetitions = 0);

  /// Keep the scratch areas and the cases' files (--keep).
  void keep_files(bool yes);
  /// The scratch area on a target, created on first use.
  scratch_area& scratch_for(target& where);
  [[nodiscard]] const std::vector<case_info>& cases() const noexcept { return cases_; }
  /// Removes the scratch areas now. Throws io_error on failure.
  void cleanup();

 private:
  std::string scratch_root_;
  bool keep_ = false;
  std::map<target*, std::unique_ptr<scratch_area>> scratch_;
  std::vector<std::unique_ptr<case_context>> contexts_;
  std::vector<case_info> cases_;
};

}  // namespace gfbench
