#pragma once
/// \file
/// The vocabulary of a benchmark case: which operation, on what shape of
/// file, with which cache mode, and where its results belong. Registration
/// (suite.hpp), the kernels (kernels.hpp), observers and reports all speak
/// it, so it lives apart from each of them.

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "gfbench/distribution.hpp"
#include "gfbench/export.hpp"

namespace gfbench {

enum class operation {
  write,
  rewrite,
  read,
  reread,
  random_read,
  random_write,
  /// Random reads and writes mixed, io_shape::read_percent of them reads:
  /// each record of a sweep is read or written, chosen by a hash of the
  /// record and the pass, so the mix is the same in every run and, over a
  /// sweep of thousands of records, within a percent or so of the share.
  random_rw,
};

[[nodiscard]] GFBENCH_API std::string_view to_string(operation op) noexcept;
/// "write", "rewrite", "read", "reread", "random_read" ("randread"),
/// "random_write" ("randwrite"), "random_rw" ("randrw"); nullopt for
/// anything else.
[[nodiscard]] GFBENCH_API std::optional<operation> parse_operation(std::string_view name) noexcept;
/// True for the operations that write data (random_rw among them).
[[nodiscard]] GFBENCH_API bool is_write(operation op) noexcept;

/// Where a read's data may come from. The modes mean the same on every
/// target; target.hpp says how each target makes them.
enum class cache_mode {
  /// As IOzone: the file was just written (read) or just read (reread), so
  /// caches between the process and the bricks may serve it.
  warm,
  /// Caches emptied before each timed pass, the client left as configured:
  /// what it keeps (its read-ahead, for one) works as it always does, but
  /// starts with nothing of the file (target::open_cold).
  cold,
  /// The client's caches bypassed: no page cache, no read-ahead, no cache
  /// translator between the process and the bricks (target::open_uncached).
  /// Its reads are O_DIRECT on a POSIX target, so block sizes must be
  /// multiples of direct_io_alignment.
  uncached,
};

[[nodiscard]] GFBENCH_API std::string_view to_string(cache_mode mode) noexcept;
/// "warm", "cold" or "uncached"; nullopt for anything else.
[[nodiscard]] GFBENCH_API std::optional<cache_mode> parse_cache_mode(
    std::string_view name) noexcept;
/// True for the operations whose data may come from a cache: read,
/// reread, random_read. Their case names carry `/cache:warm` or `/cache:cold`.
[[nodiscard]] GFBENCH_API bool is_read(operation op) noexcept;

/// When the requests of a paced case (io_shape::rate_iops) fall due.
enum class arrivals {
  /// Evenly spaced: one every 1/rate seconds, as a steady client sends them.
  even,
  /// A Poisson process at the rate: gaps drawn from an exponential
  /// distribution (from the case's seed, so every run has the same
  /// schedule), as many independent users together send them; bursts
  /// come by chance and queue up.
  poisson,
};

[[nodiscard]] GFBENCH_API std::string_view to_string(arrivals a) noexcept;
/// "even" or "poisson"; nullopt for anything else.
[[nodiscard]] GFBENCH_API std::optional<arrivals> parse_arrivals(std::string_view name) noexcept;

/// O_DIRECT's alignment: buffers, offsets and lengths of direct I/O are
/// multiples of this many bytes (4096 is safe on every Linux file system
/// and on Gluster's bricks).
inline constexpr std::uint64_t direct_io_alignment = 4096;

/// The shape of one case.
///
/// Concurrency: a case with `queued` set runs on io_queue (io_queue.hpp):
/// `threads` threads, each with its own open file and a queue of
/// `queue_depth` requests in flight (libgfapi's asynchronous calls on a
/// gfapi target, io_uring on a POSIX one; depth 1 is the synchronous call),
/// so threads x queue_depth requests are in flight at once. Each thread
/// works on its own part of the file's records (a contiguous share of the
/// pass's order), so no two requests ever touch the same record. A queued
/// pass is timed from the release of the threads to the last completion;
/// each request's latency runs from its submit to its completion.
/// Without `queued`, a case is IOzone's loop: one call after the other.
struct io_shape {
  std::uint64_t file_size = 1 << 20;  ///< bytes
  std::uint64_t block_size = 4096;    ///< bytes per record; divides file_size
  bool fsync = false;                 ///< fsync inside the timed region
  bool include_close = false;         ///< close inside the timed region
  bool direct = false;                ///< O_DIRECT
  /// Writes a pattern derived from (seed, file, offset) and checks it on
  /// every read record, outside the timed region; reports the first bad offset.
  bool verify = false;
  std::uint64_t seed = 0x6766'6265'6e63'6800;  ///< pattern seed ("gfbench")
  cache_mode cache = cache_mode::warm;         ///< for reads; reread is always warm

  bool queued = false;       ///< run on io_queue, with the fields below
  unsigned queue_depth = 1;  ///< requests in flight per thread
  unsigned threads = 1;      ///< threads, each with its own file handle and queue
  /// Time-based passes: each runs this long after `ramp_up` (which is not
  /// counted), going over the file again as often as it takes; zero: one
  /// sweep over the file per pass (size-based).
  std::chrono::milliseconds runtime{0};
  std::chrono::milliseconds ramp_up{0};
  unsigned read_percent = 70;  ///< random_rw: the share of reads, 0..100
  /// Each thread fsyncs its file this often (a guest's periodic flush); zero: never.
  std::chrono::milliseconds flush_interval{0};
  /// Paced (queued shapes only): this many requests a second for the whole
  /// case, split evenly over its threads, on a schedule fixed before the
  /// pass begins (`arrival`). queue_depth is then the most a thread keeps
  /// in flight: a request that falls due while its thread's queue is full
  /// is sent when a slot frees, and its latency still counts from when it
  /// was due (no coordinated omission: a stalled volume cannot hide the
  /// requests it held up). The case also reports the latency from sending,
  /// the rate achieved, and the backlog: requests due but not yet sent.
  /// Zero: not paced, as many as the queue holds.
  double rate_iops = 0;
  arrivals arrival = arrivals::even;
  /// Queued random operations (random_read, random_write, random_rw):
  /// which records each thread visits, and how often (distribution.hpp).
  /// The default sweeps each thread's share once per pass in a random
  /// order; the other operations always sweep.
  access_distribution distribution{};
  /// A failed or short request does not end the pass: it is counted, and
  /// the case reports the counts instead of failing.
  bool continue_on_error = false;
  /// A stonewall (IOR's -D): a pass of the sequential kernels (not queued;
  /// write, rewrite, read, reread, random_read) stops at its first record
  /// boundary this long after its timed region began, and the case reports
  /// what it moved by then; zero: none. A write pass cut short leaves a
  /// shorter file, a rewrite a file rewritten up to there; both are checked
  /// as far as they were written.
  std::chrono::milliseconds stonewall{0};
  /// With a stonewall: a pass that reaches it (or its last record before)
  /// asks the case's observers how many records to do in all
  /// (case_observer::stonewall_reached) and goes on to that count, so that
  /// many clients end with equal work (IOR's stoneWallingWearOut).
  bool wear_out = false;
};

/// A shape that cannot run. `what()` says why in a sentence; `why()` says
/// it as a value, so a program can word it its own way (the gfbench tool
/// names the sizes as the user typed them).
class GFBENCH_API shape_error : public std::invalid_argument {
 public:
  enum class reason {
    empty_file,               ///< file size 0
    empty_block,              ///< block size 0
    block_larger_than_file,   ///< block size > file size
    block_not_dividing,       ///< file size % block size != 0
    direct_unaligned,         ///< O_DIRECT with a block size not a multiple of direct_io_alignment
    no_concurrency,           ///< queue depth or threads 0
    too_few_records,          ///< fewer records per thread than its requests in flight
    bad_read_percent,         ///< read_percent above 100
    queued_unaligned,         ///< queued with a block size not a multiple of 512 bytes
    stonewall_queued,         ///< a stonewall on a queued shape
    wear_out_alone,           ///< wear_out without a stonewall
    rate_not_queued,          ///< rate_iops on a shape that is not queued
    bad_rate,                 ///< rate_iops negative, not finite, or below one a thread per hour
    distribution_not_queued,  ///< a distribution other than the sweep on a shape that is not queued
  };
  shape_error(reason why, const std::string& message) : std::invalid_argument(message), why_(why) {}
  [[nodiscard]] reason why() const noexcept { return why_; }

 private:
  reason why_;
};

/// Throws shape_error when the shape cannot run: a zero size, a block size
/// larger than the file or not dividing it, O_DIRECT with a block size that
/// is not a multiple of direct_io_alignment; for a queued shape, a queue
/// depth or thread count of 0, a read_percent above 100, a block size that
/// is not a multiple of 512 bytes (every record of a queued case is checked
/// by its sector stamps), or fewer records per thread than requests it
/// keeps in flight; a stonewall on a queued shape (time-based queued passes
/// use `runtime`), or wear_out without a stonewall; a rate_iops on a shape
/// that is not queued, or one that is negative, not finite, or so low that
/// a thread would send less than one request an hour.
GFBENCH_API void validate_shape(const io_shape& shape);

/// Where a registered case's results belong, for reports.
struct case_info {
  std::string name{};  ///< as registered, without Google Benchmark's suffixes
  std::string target_label{};
  std::string operation{};  ///< operation name or the custom kernel's name
  std::string cache{};      ///< "warm" or "cold" for reads, empty otherwise
  std::uint64_t file_size = 0;
  std::uint64_t block_size = 0;
  /// Read-only cases (suite::register_files): the file they read, absolute
  /// inside the target; empty for the other cases, which have a file of
  /// their own.
  std::string file{};
  /// The file the case writes and reads, absolute inside the target: its
  /// own in its scratch area, or `file`. Empty for metadata cases, whose
  /// files are a tree.
  std::string data_file{};
  /// A write case whose timed region ends with fsync (IOzone -e): its time
  /// includes getting the data onto the bricks. Such cases also report the
  /// counter `fsync_timed` = 1 (every other built-in case reports 0).
  bool fsync_timed = false;
  /// Queued cases: requests in flight per thread, and threads; 0 for
  /// IOzone-loop cases.
  unsigned queue_depth = 0;
  unsigned threads = 0;
  /// Time-based cases: the timed part of each pass (zero: size-based).
  std::chrono::milliseconds runtime{0};
  /// Paced cases: requests a second asked for the whole case, and when
  /// they fall due (io_shape::rate_iops); 0 for the others.
  double rate_iops = 0;
  arrivals arrival = arrivals::even;
  /// Queued random cases: the access distribution's name ("zipf:1.2");
  /// "sweep" for the others.
  std::string distribution = "sweep";
  /// Metadata cases (metadata.hpp): files per thread; 0 for the others,
  /// whose `operation` never starts with "meta:". A metadata case's
  /// `operation` is "meta:<phase>", `file_size` the files' size at create,
  /// `block_size` 0, `threads` its threads, `cache` "warm" or "cold".
  std::uint64_t file_count = 0;
};

}  // namespace gfbench
