#pragma once
// What gfbench's command line asks for, as read (parse_cli in cli.hpp): the
// flags' values, and what they make for the library (the matrix, the
// metadata phases, the connection). Reading it does no I/O.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "gfbench/case.hpp"
#include "gfbench/kernels.hpp"
#include "gfbench/metadata.hpp"
#include "gfbench/scratch.hpp"
#include "gfbench/suite.hpp"
#include "gfbench/timeline.hpp"
#include "gfbench/volume_options.hpp"
#include "gfbench/watchdog.hpp"
#include "gluster/fault_spec.hpp"
#include "gluster/sandbox_volumes.hpp"

namespace gfbench::app {

/// The seed study's five trials per measurement: repetitions of each case
/// unless --benchmark_repetitions says.
inline constexpr int default_repetitions = 5;
/// The volume name of the seed study, for the zero-config sandbox.
inline constexpr std::string_view sandbox_volume_name = "gfs-volume-proxmox";
/// Beyond these, a run measures the client's thread scheduling, not the
/// storage (io_uring's and libgfapi's queues take far more).
inline constexpr unsigned max_queue_depth = 1024;
inline constexpr unsigned max_threads = 256;
/// Where glusterd is asked for the volfile unless --server says.
inline constexpr std::string_view default_server_host = "localhost";
inline constexpr std::string_view default_server_socket = "/var/run/glusterd.socket";
/// With --target-ci and without --min-repetitions / --max-repetitions:
/// repetitions before the first check, and the most.
inline constexpr int default_min_repetitions = 3;
inline constexpr int default_max_repetitions = 30;
/// How long self-heal may take after a run's last fault unless
/// --heal-timeout says: nothing may tell the self-heal daemon that a silent
/// brick was gone, and then it heals at its next crawl of the index
/// (cluster.heal-timeout, 600 s by default), and takes its time after.
inline constexpr std::chrono::seconds default_heal_timeout{900};
/// The volume option that decides how long a silent brick stalls its
/// clients, and its default in GlusterFS 10.
inline constexpr std::string_view ping_timeout_key = "network.ping-timeout";
inline constexpr int default_ping_timeout_s = 42;
/// The size of the metadata phases' files unless --sizes says.
inline constexpr std::uint64_t default_meta_file_size = 4096;

/// One entry of --sizes or --block-sizes, as typed and as read.
struct size_option {
  std::uint64_t bytes = 0;
  std::string text;        ///< as the user wrote it, e.g. "10MB"
  std::string convention;  ///< parsed_size::convention
};

/// One --posix DIR[=LABEL].
struct posix_option {
  std::filesystem::path directory;
  /// Empty until assign_target_labels: "fuse" for a FUSE mount, else "posix".
  std::string label;
};

struct cli_options {
  bool help = false;

  // --volume, --server, --transport: a Gluster volume through libgfapi.
  std::string volume;  ///< empty: no gfapi target (or zero-config)
  transport_kind transport = transport_kind::tcp;
  std::vector<volfile_server> servers;  ///< primary first; filled with a default for --volume
  std::chrono::milliseconds connect_timeout = volume_options{}.connect_timeout;
  /// --gfapi-log; empty: the tool picks DIR/gfapi.log with --report, the
  /// sandbox's directory in a zero-config run, else /dev/null.
  std::string gfapi_log;
  int gfapi_log_level = volume_options{}.log_level;  ///< libgfapi's 0 (none) .. 9 (trace)

  std::vector<posix_option> posix_targets;

  std::vector<size_option> file_sizes;   ///< default 1MiB, 10MiB, 100MiB
  std::vector<size_option> block_sizes;  ///< default 4KiB (IOzone's default record)
  std::vector<operation> operations;     ///< default write, rewrite, read
  /// Which cache modes reads run in (each read case once per mode).
  std::vector<cache_mode> read_cache_modes{cache_mode::warm, cache_mode::cold};
  std::int64_t iterations = 1;  ///< passes per repetition (IOzone: 1); 0: Google Benchmark decides

  bool fsync = false;
  bool include_close = false;
  bool direct = false;
  bool verify = false;
  bool keep = false;
  std::string scratch_dir = std::string(default_scratch_root);
  /// --read-only: only read `files` (which exist); write operations refused.
  bool read_only = false;
  std::vector<std::string> files;  ///< --files, absolute inside each target
  /// --op-timeout: a single I/O call longer than this fails its case as hung
  /// (gfbench/watchdog.hpp); twice as long, and the tool gives up.
  std::chrono::milliseconds op_timeout = watchdog_options{}.op_timeout;
  /// --profile: brick counters per case (gluster/brick_observer.hpp); the zero-config
  /// sandbox profiles unless --no-profile.
  bool profile = false;
  bool no_profile = false;
  /// --gluster-cli: argv prefix that runs the gluster CLI (empty: "gluster").
  std::vector<std::string> gluster_cli;
  /// --fop-stats: client (and, with profiling, brick) calls per case.
  bool fop_stats = false;
  std::string log_level = "info";  ///< an spdlog level name, validated
  /// --rows: also print Google Benchmark's row of every repetition and
  /// aggregate (by default: a progress line per case and the summary).
  bool rows = false;
  /// Concurrency (io_shape::queued): --queue-depth and --threads lists,
  /// one case per pair; --runtime makes passes time-based, after --ramp-up.
  std::vector<unsigned> queue_depths;  ///< empty: not queued (IOzone's loop)
  std::vector<unsigned> thread_counts;
  std::chrono::milliseconds runtime{0};
  std::chrono::milliseconds ramp_up{0};
  unsigned read_percent = io_shape{}.read_percent;  ///< --read-percent, for random_rw
  std::chrono::milliseconds flush_interval{0};      ///< --flush-interval
  bool continue_on_error = false;
  /// --rate-iops: paced cases, one per rate (io_shape::rate_iops: requests
  /// a second for the whole case); empty: not paced. --arrivals: when
  /// they fall due. --latency-target: the summary names the highest rate
  /// whose p99 (from the due time) stays within it.
  std::vector<double> rates_iops;
  arrivals arrival = arrivals::even;
  std::optional<std::chrono::nanoseconds> latency_target;
  /// --random-distribution: which records queued random cases visit.
  access_distribution distribution;
  /// --workload NAME (workloads.hpp); empty: none.
  std::string workload;
  /// --stonewall SECONDS (io_shape::stonewall) and --wear-out
  /// (io_shape::wear_out): passes of the one-call kernels cut at a deadline.
  std::chrono::milliseconds stonewall{0};
  bool wear_out = false;
  /// --reorder-reads K, many clients only: rank r's reads read the file rank
  /// (r + K) mod N laid out (IOR's -C); 0: its own.
  unsigned reorder_reads = 0;
  [[nodiscard]] bool queued() const noexcept {
    return !queue_depths.empty() || !thread_counts.empty() || !workload.empty();
  }
  /// Small files and metadata (metadata.hpp): --file-count lists files per
  /// thread and switches the run to the metadata phases; --ops then names
  /// phases (default: all of them), --sizes the files' sizes (0 allowed),
  /// --threads the threads.
  std::vector<std::uint64_t> file_counts;  ///< empty: I/O cases
  std::vector<meta_operation> meta_operations;
  std::vector<cache_mode> meta_cache_modes{cache_mode::warm};  ///< --meta-cache
  std::uint64_t files_per_dir = meta_shape{}.files_per_dir;    ///< --files-per-dir
  [[nodiscard]] bool metadata() const noexcept { return !file_counts.empty(); }
  /// The metadata phases to run; repetitions are left to the caller.
  [[nodiscard]] metadata_matrix meta_matrix() const;
  /// --report DIR: summary.json, summary.csv and the plot go there.
  std::string report_dir;
  /// --timeline-interval SECONDS: each pass's timeline in intervals this long.
  std::chrono::milliseconds timeline_interval = default_timeline_interval;
  /// --fio-logs: the timelines also as fio's iops and latency logs (in --report DIR).
  bool fio_logs = false;
  /// --pve-storage ID: a glusterfs storage of Proxmox VE's storage.cfg; the
  /// tool reads it (pve_storage.hpp) into volume, servers and transport.
  std::string pve_storage;
  std::string pve_config;  ///< --pve-config FILE; empty: /etc/pve/storage.cfg

  /// The zero-config sandbox (gluster/sandbox_volumes.hpp): --sandbox
  /// LAYOUT, and --volume-set's options, one volume per combination.
  std::string sandbox_layout = "single";
  std::vector<volume_setting> volume_settings;
  /// --compare-options NAME=KEY=VALUE,...: configurations compared, each
  /// on a volume of its own in the sandbox, or applied in turn on
  /// --volume's (with --gluster-cli), and restored after.
  std::vector<option_set> option_sets;
  /// --target-ci PERCENT (as a share, 0.05; 0: none), --min-repetitions,
  /// --max-repetitions (0: the defaults above): repeat each case until its
  /// throughput interval is this narrow (run/rounds.hpp).
  double target_ci = 0;
  int min_repetitions = 0;
  int max_repetitions = 0;
  /// --fault SPEC (gluster/fault_spec.hpp), in every timed pass; they need
  /// the sandbox, time-based passes, and imply --verify.
  std::vector<fault_spec> faults;
  /// --until-healed: passes go on until self-heal is over; --heal-timeout:
  /// how long it may take before the case fails.
  bool until_healed = false;
  std::chrono::seconds heal_timeout = default_heal_timeout;

  /// Neither --volume nor --posix: gfbench starts its own sandbox volume.
  [[nodiscard]] bool zero_config() const noexcept {
    return volume.empty() && posix_targets.empty() && pve_storage.empty();
  }
  /// What to run; repetitions are left to the caller.
  [[nodiscard]] benchmark_matrix matrix() const;
  /// How to connect to --volume (skip_fini left false: the caller decides).
  [[nodiscard]] volume_options connect_options() const;
};

}  // namespace gfbench::app
