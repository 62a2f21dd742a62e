// The flag table (flags.hpp): every flag of gfbench with its --help text
// and what it does with its value. Each value reader throws usage_error
// naming the flag, the value and what is expected.

#include "cli/flags.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <utility>

#include "cli/flag_values.hpp"
#include "gfbench/units.hpp"
#include "gfbench/workloads.hpp"
#include "gluster/pve_storage.hpp"

namespace gfbench::app {
namespace {

// spdlog's level names, with the aliases spdlog::level::from_str also takes.
constexpr std::array<std::pair<std::string_view, std::string_view>, 9> log_levels{{
    {"trace", "trace"},
    {"debug", "debug"},
    {"info", "info"},
    {"warn", "warning"},
    {"warning", "warning"},
    {"err", "error"},
    {"error", "error"},
    {"critical", "critical"},
    {"off", "off"},
}};

void set_volume(parse_state& p, std::string_view value) {
  if (has_space_or_slash(value)) {
    bad_value("--volume", value,
              "expected a volume name, such as gfs-volume-proxmox (no '/' or spaces)");
  }
  p.o.volume = std::string(value);
}

void set_transport(parse_state& p, std::string_view value) {
  if (value == "tcp") {
    p.o.transport = transport_kind::tcp;
  } else if (value == "unix") {
    p.o.transport = transport_kind::unix_socket;
  } else {
    bad_value("--transport", value, "expected tcp or unix");
  }
  p.transport_given = true;
}

void set_pve_storage(parse_state& p, std::string_view value) {
  if (value.find_first_of(" \t/") != std::string_view::npos) {
    bad_value("--pve-storage", value, "expected a storage ID as in storage.cfg, e.g. GlusterFS");
  }
  p.o.pve_storage = std::string(value);
}

// A whole number from `min` to `max` for `flag`; `expected` says what it is.
std::uint64_t whole_number(std::string_view flag, std::string_view value, std::uint64_t min,
                           std::uint64_t max, std::string_view expected) {
  const std::optional<std::uint64_t> n = parse_unsigned(value);
  if (!n || *n < min || *n > max) bad_value(flag, value, std::string(expected));
  return *n;
}

void set_gfapi_log_level(parse_state& p, std::string_view value) {
  p.o.gfapi_log_level = static_cast<int>(whole_number(
      "--gfapi-log-level", value, 0, 9, "expected a number from 0 (none) to 9 (trace)"));
}

void set_iterations(parse_state& p, std::string_view value) {
  p.o.iterations = static_cast<std::int64_t>(
      whole_number("--iterations", value, 0, 1'000'000'000,
                   "expected a whole number of passes per repetition from 0 to 1000000000"));
}

void set_scratch_dir(parse_state& p, std::string_view value) {
  try {
    validate_scratch_root(value);
  } catch (const std::invalid_argument& e) {
    bad_value("--scratch-dir", value, e.what());
  }
  p.o.scratch_dir = std::string(value);
}

void set_log_level(parse_state& p, std::string_view value) {
  const auto it = std::find_if(log_levels.begin(), log_levels.end(),
                               [&](const auto& level) { return level.first == value; });
  if (it == log_levels.end()) {
    bad_value("--log-level", value, "expected trace, debug, info, warn, error, critical or off");
  }
  p.o.log_level = std::string(it->second);
}

void set_gluster_cli(parse_state& p, std::string_view value) {
  p.o.gluster_cli.clear();
  std::size_t start = 0;
  while (start < value.size()) {  // words, split on spaces: no shell, no quoting
    const std::size_t space = std::min(value.find(' ', start), value.size());
    if (space > start) p.o.gluster_cli.emplace_back(value.substr(start, space - start));
    start = space + 1;
  }
  if (p.o.gluster_cli.empty())
    bad_value("--gluster-cli", value, "expected a command, e.g. gluster");
  p.o.profile = true;
}

void set_read_percent(parse_state& p, std::string_view value) {
  p.o.read_percent = static_cast<unsigned>(whole_number(
      "--read-percent", value, 0, 100, "expected the share of reads, a percentage from 0 to 100"));
}

void set_workload(parse_state& p, std::string_view value) {
  if (find_vm_workload(value) == nullptr) {
    std::string names;
    for (const vm_workload& w : vm_workloads()) {
      names += (names.empty() ? "" : ", ") + std::string(w.name);
    }
    bad_value("--workload", value, "expected one of " + names + " (gfbench --help describes them)");
  }
  p.o.workload = std::string(value);
}

void set_sandbox_layout(parse_state& p, std::string_view value) {
  if (find_sandbox_layout(value) == nullptr) {
    std::string names;
    for (const sandbox_layout& l : sandbox_layouts()) {
      names += (names.empty() ? "" : ", ") + std::string(l.name);
    }
    bad_value("--sandbox", value, "expected one of " + names);
  }
  p.o.sandbox_layout = std::string(value);
}

using help = help_section;

// Every flag of gfbench, in the order --help lists them.
constexpr std::array<flag_row, 60> rows{{
    {"--volume", "NAME", "a volume name", help::targets,
     "benchmark volume NAME through libgfapi (label \"gfapi\")", set_volume},
    {"--server", "HOST[:PORT]", "HOST[:PORT], or a socket path with --transport unix",
     help::targets,
     "volfile server (glusterd); repeat for backups, tried in\n"
     "order like Proxmox's \"server\" and \"second server\".\n"
     "PORT 1-65535, default {port}; IPv6 as [ADDR]:PORT.\n"
     "Default: {server_host} (tcp), {server_socket} (unix)",
     [](parse_state& p, std::string_view v) { p.server_texts.emplace_back(v); }},
    {"--transport", "tcp|unix", "tcp or unix", help::targets,
     "how to reach glusterd (default tcp); with unix,\n"
     "--server is the path of glusterd's socket",
     set_transport},
    {"--connect-timeout", "SECONDS", "seconds", help::targets,
     "give up connecting after this long (default {connect_timeout})",
     [](parse_state& p, std::string_view v) {
       p.o.connect_timeout = parse_seconds("--connect-timeout", v);
     }},
    {"--gfapi-log", "FILE", "a file for libgfapi's log", help::targets,
     "libgfapi's own log, never the terminal (default:\n"
     "DIR/gfapi.log with --report DIR, else gfapi.log in\n"
     "the sandbox's directory in a zero-config run (kept\n"
     "with --keep), else /dev/null)",
     [](parse_state& p, std::string_view v) { p.o.gfapi_log = std::string(v); }},
    {"--gfapi-log-level", "N", "0 (none) to 9 (trace)", help::targets,
     "its level, 0 (none) to 9 (trace) (default {gfapi_log_level})", set_gfapi_log_level},
    {"--posix", "DIR[=LABEL]", "DIR or DIR=LABEL", help::targets,
     "also benchmark the directory DIR (repeatable); LABEL\n"
     "defaults to \"fuse\" if DIR is on a FUSE mount, else \"posix\"",
     [](parse_state& p, std::string_view v) { p.o.posix_targets.push_back(parse_posix(v)); }},
    {"--pve-storage", "ID", "a storage ID of Proxmox VE's storage.cfg, e.g. GlusterFS",
     help::targets,
     "benchmark the glusterfs storage ID of Proxmox VE's\n"
     "storage.cfg through libgfapi, reached as Proxmox does:\n"
     "its volume, server then server2 as backup volfile\n"
     "server, its transport (tcp or unix; rdma is refused).\n"
     "A dir storage whose path is on a GlusterFS FUSE mount\n"
     "(Proxmox VE 9's way) runs through that path (\"fuse\")\n"
     "and through libgfapi to the mount's volume and server",
     set_pve_storage},
    {"--pve-config", "FILE", "the path of a Proxmox VE storage.cfg", help::targets,
     "the storage.cfg to read (default {pve_config})",
     [](parse_state& p, std::string_view v) { p.o.pve_config = std::string(v); }},
    {"--sizes,--size", "LIST", "a list of file sizes, e.g. 1MiB,10MiB,100MiB", help::what_to_run,
     "file sizes (default {sizes})",
     [](parse_state& p, std::string_view v) { p.sizes_text = std::string(v); }},
    {"--block-sizes,--block-size", "LIST", "a list of block sizes, e.g. 4KiB,1MiB",
     help::what_to_run,
     "record sizes, one I/O call each (default {block_sizes}, IOzone's)\n"
     "Every block size must be at most every file size and\n"
     "divide it exactly: files are written in whole blocks.",
     [](parse_state& p, std::string_view v) {
       p.o.block_sizes = parse_size_list("--block-sizes", v);
     }},
    {"--ops,--op", "LIST", "a list of operations, e.g. write,rewrite,read", help::what_to_run,
     "operations, in order (default {ops}); any of\n"
     "write, rewrite, read, reread, random_read (randread),\n"
     "random_write (randwrite), random_rw (randrw: random\n"
     "reads and writes mixed, see --read-percent)",
     [](parse_state& p, std::string_view v) { p.ops_text = std::string(v); }},
    {"--read-cache", "LIST", "warm, cold or warm,cold", help::what_to_run,
     "reads (read, random_read) run once per mode listed\n"
     "(default {read_cache}); the modes mean the same on every\n"
     "target. warm: a file just written, as IOzone reads it,\n"
     "so caches may serve it. cold: caches emptied before\n"
     "each pass, the client as configured (its read-ahead\n"
     "stays): a POSIX target drops the file from the page\n"
     "cache; gfapi reads through a client whose graph keeps\n"
     "no data of the file. uncached: the client's caches\n"
     "bypassed: O_DIRECT on a POSIX target, every gfapi\n"
     "performance translator passed through (block sizes:\n"
     "multiples of {direct_alignment} bytes). reread is always warm",
     [](parse_state& p, std::string_view v) {
       p.o.read_cache_modes = parse_cache_list("--read-cache", v);
     }},
    {"--iterations", "N", "a positive whole number", help::what_to_run,
     "passes over the file per repetition (default {iterations}: one\n"
     "pass per trial, as IOzone; 0: Google Benchmark\n"
     "decides from --benchmark_min_time)",
     set_iterations},
    {"--fsync", nullptr, nullptr, help::what_to_run, "include fsync in the timing (IOzone -e)",
     [](parse_state& p, std::string_view) { p.o.fsync = true; }},
    {"--close", nullptr, nullptr, help::what_to_run, "include close in the timing (IOzone -c)",
     [](parse_state& p, std::string_view) { p.o.include_close = true; }},
    {"--direct", nullptr, nullptr, help::what_to_run,
     "O_DIRECT; block sizes must be multiples of {direct_alignment} bytes",
     [](parse_state& p, std::string_view) { p.o.direct = true; }},
    {"--verify", nullptr, nullptr, help::what_to_run,
     "write a pattern and check every block read (untimed)",
     [](parse_state& p, std::string_view) { p.o.verify = true; }},
    {"--target-ci", "PERCENT", "a percentage above 0 and below 100, e.g. 5", help::comparing,
     "repeat each case until the 95 % interval of its\n"
     "throughput is within PERCENT of it (repetitions run\n"
     "in rounds: every case once per round), at least\n"
     "--min-repetitions (default {min_repetitions}), at most --max-repetitions\n"
     "(default {max_repetitions}); the summary says which cases got there",
     [](parse_state& p, std::string_view v) {
       const double percent = parse_percent("--target-ci", v);
       if (percent <= 0 || percent >= 100) {
         bad_value("--target-ci", v, "expected a percentage above 0 and below 100, e.g. 5");
       }
       p.o.target_ci = percent / 100;
     }},
    {"--min-repetitions", "N", "a whole number of repetitions from 2", help::comparing,
     "with --target-ci: repetitions before the first check",
     [](parse_state& p, std::string_view v) {
       p.o.min_repetitions =
           static_cast<int>(whole_number("--min-repetitions", v, 2, 1000,
                                         "expected a whole number of repetitions from 2 to 1000"));
     }},
    {"--max-repetitions", "N", "a whole number of repetitions from 2", help::comparing,
     "with --target-ci: the most repetitions of a case",
     [](parse_state& p, std::string_view v) {
       p.o.max_repetitions =
           static_cast<int>(whole_number("--max-repetitions", v, 2, 1000,
                                         "expected a whole number of repetitions from 2 to 1000"));
     }},
    {"--compare-options", "NAME=KEY=VALUE,...",
     "NAME=KEY=VALUE[,KEY=VALUE...], e.g. virt=group=virt", help::comparing,
     "a configuration of volume options (repeatable; the\n"
     "first is the baseline; NAME= sets nothing): each\n"
     "case runs on every configuration, round by round,\n"
     "and the summary compares them. Zero-config: a volume\n"
     "each; with --volume and --gluster-cli: set on it in\n"
     "turn and restored after (also after Ctrl-C, or at the\n"
     "next run after a crash)",
     [](parse_state& p, std::string_view v) { p.o.option_sets.push_back(parse_option_set(v)); }},
    {"--keep", nullptr, nullptr, help::what_to_run, "keep the benchmark's files and directories",
     [](parse_state& p, std::string_view) { p.o.keep = true; }},
    {"--scratch-dir", "PATH", "an absolute directory path inside each target", help::what_to_run,
     "absolute directory inside each target where gfbench\n"
     "creates its own run directory (default {scratch_dir})",
     set_scratch_dir},
    {"--queue-depth,--qd,--iodepth", "LIST", "a list of requests in flight per thread, e.g. 1,8,32",
     help::concurrency,
     "requests in flight per thread, e.g. 1,8,32 (one case\n"
     "each; 1 is the synchronous call; at most {max_queue_depth};\n"
     "alias --iodepth)",
     [](parse_state& p, std::string_view v) {
       p.o.queue_depths = parse_count_list("--queue-depth", v, max_queue_depth);
     }},
    {"--threads", "LIST", "a list of thread counts, e.g. 1,4,8", help::concurrency,
     "threads, e.g. 1,4 (one case each; at most {max_threads});\n"
     "each works on its own contiguous share of the\n"
     "file's records",
     [](parse_state& p, std::string_view v) {
       p.o.thread_counts = parse_count_list("--threads", v, max_threads);
     }},
    {"--runtime", "SECONDS", "seconds", help::concurrency,
     "time-based passes: each runs this long, going over\n"
     "the file as often as it takes (default: one sweep)",
     [](parse_state& p, std::string_view v) { p.o.runtime = parse_seconds("--runtime", v); }},
    {"--ramp-up", "SECONDS", "seconds", help::concurrency,
     "with --runtime: run this long first, not counted",
     [](parse_state& p, std::string_view v) { p.o.ramp_up = parse_seconds("--ramp-up", v); }},
    {"--rate-iops,--rate", "LIST", "a list of rates in requests a second, e.g. 500,2000",
     help::pacing,
     "pace the queued cases: requests a second for the\n"
     "whole case (all threads together, split evenly),\n"
     "one case per rate, e.g. 500,1000,2000,4000: latency\n"
     "counts from when a request was due, so a stalled\n"
     "volume cannot hide the requests it held up; needs\n"
     "--queue-depth (the most in flight per thread) or\n"
     "--workload",
     [](parse_state& p, std::string_view v) {
       p.o.rates_iops = parse_rate_list("--rate-iops", v);
     }},
    {"--arrivals", "even|poisson", "even or poisson", help::pacing,
     "with --rate-iops: requests evenly spaced (default)\n"
     "or Poisson arrivals (random gaps, bursts by chance)",
     [](parse_state& p, std::string_view v) {
       const auto a = parse_arrivals(v);
       if (!a) bad_value("--arrivals", v, "expected even or poisson");
       p.o.arrival = *a;
     }},
    {"--random-distribution,--distribution", "NAME",
     "uniform, zipf:THETA, pareto:H or zoned:A/S:...", help::concurrency,
     "which records queued random cases visit, as fio's\n"
     "random_distribution: uniform, zipf:1.2, pareto:0.2\n"
     "(80/20), zoned:60/10:30/20:10/70 (ACCESS%/SIZE%...);\n"
     "default: each record once per sweep, in random order",
     [](parse_state& p, std::string_view v) {
       std::string why;
       const auto d = parse_distribution(v, &why);
       if (!d) bad_value("--random-distribution", v, why);
       p.o.distribution = *d;
     }},
    {"--latency-target", "LATENCY", "a latency such as 5ms", help::pacing,
     "with a --rate-iops list: the summary names the\n"
     "highest rate whose p99 stays within it, e.g. 5ms",
     [](parse_state& p, std::string_view v) {
       p.o.latency_target = parse_latency("--latency-target", v);
     }},
    {"--read-percent,--mix,--rwmixread", "N", "a percentage from 0 to 100", help::concurrency,
     "random_rw's share of reads, 0-100 (default {read_percent}); alias\n"
     "--mix; alone, it asks for --ops random_rw",
     set_read_percent},
    {"--flush-interval", "SECONDS", "seconds", help::concurrency,
     "each thread fsyncs its file this often, as a guest\n"
     "flushes its disk; flushes are counted, not timed apart",
     [](parse_state& p, std::string_view v) {
       p.o.flush_interval = parse_seconds("--flush-interval", v);
     }},
    {"--continue-on-error", nullptr, nullptr, help::concurrency,
     "count failed and short requests (errors_<ERRNO>)\n"
     "instead of failing the case",
     [](parse_state& p, std::string_view) { p.o.continue_on_error = true; }},
    {"--workload", "NAME", "a VM workload's name, e.g. oltp-4k", help::concurrency,
     "a VM-image workload: a {vm_image} image (or --sizes),\n"
     "laid out in full, O_DIRECT, {vm_runtime} passes after a {vm_ramp_up}\n"
     "ramp-up, a flush every {vm_flush}; --queue-depth and\n"
     "--threads may sweep it. NAME is one of:\n"
     "{workloads}",
     set_workload},
    {"--file-count,--files-per-thread", "LIST", "a list of file counts per thread, e.g. 1000,10000",
     help::metadata,
     "files per thread, e.g. 1000,10000 (one tree each);\n"
     "alias --files-per-thread",
     [](parse_state& p, std::string_view v) { p.o.file_counts = parse_file_count_list(v); }},
    {"--meta-cache", "MODES", "warm, cold or warm,cold", help::metadata,
     "warm (default), cold or warm,cold: cold empties the\n"
     "client's caches before each pass (gfapi: a new\n"
     "connection; a directory: the kernel's caches,\n"
     "machine-wide, as root)",
     [](parse_state& p, std::string_view v) {
       p.o.meta_cache_modes = parse_cache_list("--meta-cache", v);
     }},
    {"--files-per-dir", "N", "a whole number of files per directory, e.g. 1000", help::metadata,
     "files per leaf directory (default {files_per_dir})",
     [](parse_state& p, std::string_view v) {
       p.o.files_per_dir = whole_number("--files-per-dir", v, 1, 1'000'000,
                                        "expected a whole number from 1 to 1000000");
     }},
    {"--stonewall", "SECONDS", "seconds", help::many_clients,
     "passes stop at this deadline (IOR -D); not queued",
     [](parse_state& p, std::string_view v) { p.o.stonewall = parse_seconds("--stonewall", v); }},
    {"--wear-out", nullptr, nullptr, help::many_clients,
     "with --stonewall: every rank goes on to the count of\n"
     "the rank that did most, so all do equal work",
     [](parse_state& p, std::string_view) { p.o.wear_out = true; }},
    {"--reorder-reads", "K", "a whole number of ranks to shift by, e.g. 1", help::many_clients,
     "rank r reads the file rank r+K laid out (IOR -C), so\n"
     "no cache of the reader can serve it",
     [](parse_state& p, std::string_view v) {
       p.o.reorder_reads = static_cast<unsigned>(
           whole_number("--reorder-reads", v, 1, 1'000'000,
                        "expected a whole number from 1: rank r reads the file of rank r + K"));
     }},
    {"--sandbox", "LAYOUT",
     "a sandbox layout: single, distribute2, replica2, replica3, arbiter or disperse",
     help::failures,
     "zero-config: the sandbox volume's layout, one brick\n"
     "per node (default single):\n"
     "{sandbox_layouts}",
     set_sandbox_layout},
    {"--volume-set", "KEY=VALUE", "KEY=VALUE or KEY=VALUE1,VALUE2, e.g. network.ping-timeout=10",
     help::failures,
     "zero-config: a volume option, set before the volume\n"
     "starts (repeatable), e.g. network.ping-timeout=10,\n"
     "group=virt, cluster.shd-max-threads=4. A list of\n"
     "values makes one volume per value (at most {max_variants}\n"
     "in all), its targets labelled gfapi@ping-timeout=10",
     [](parse_state& p, std::string_view v) {
       p.o.volume_settings.push_back(parse_volume_setting(v));
     }},
    {"--fault", "SPEC", "KIND:N@START+DURATION, e.g. hang-node:2@15s+120s", help::failures,
     "zero-config, time-based passes: in every timed pass,\n"
     "strike brick or node N at START for DURATION\n"
     "(repeatable); KIND: hang-brick (SIGSTOP), kill-brick,\n"
     "hang-node (all of a node's processes stopped: a\n"
     "pulled cable), reboot-node, slow-brick (...:20ms:\n"
     "frozen 20 ms in every 40). The pass goes on until\n"
     "the last fault is undone and {settle} s more; self-heal\n"
     "is followed, the copies compared. Implies --verify,\n"
     "one repetition, and an --op-timeout of twice the\n"
     "ping-timeout and {op_timeout_margin} s (docs/failures.md)",
     [](parse_state& p, std::string_view v) { p.o.faults.push_back(parse_fault(v)); }},
    {"--until-healed", nullptr, nullptr, help::failures,
     "with --fault: each pass goes on until self-heal is\n"
     "over, at most --heal-timeout after the last fault",
     [](parse_state& p, std::string_view) { p.o.until_healed = true; }},
    {"--heal-timeout", "SECONDS", "seconds", help::failures,
     "with --fault: self-heal must be over this long after\n"
     "the last fault is undone, or the case fails\n"
     "(default {heal_timeout})",
     [](parse_state& p, std::string_view v) {
       p.o.heal_timeout =
           std::chrono::ceil<std::chrono::seconds>(parse_seconds("--heal-timeout", v));
     }},
    {"--read-only", nullptr, nullptr, help::safety,
     "only read files that are already there (--files):\n"
     "read, reread, random_read; nothing is created,\n"
     "written or removed, and no scratch directory is made.\n"
     "Data is checked where the file carries gfbench's\n"
     "pattern (what --keep left); with --verify it must\n"
     "carry it, or the case fails",
     [](parse_state& p, std::string_view) { p.o.read_only = true; }},
    {"--files", "LIST", "a list of absolute paths inside each target, e.g. /.gfbench/run-x/f",
     help::safety,
     "for --read-only: absolute paths inside each target;\n"
     "a directory stands for the regular files in it",
     [](parse_state& p, std::string_view v) {
       for (std::string_view path : split_list("--files", v)) {
         p.o.files.push_back(check_file_path(path));
       }
     }},
    {"--op-timeout", "SECONDS", "seconds", help::safety,
     "a single I/O call running longer than this fails its\n"
     "case as hung (default {op_timeout}); after twice as long\n"
     "gfbench gives up: exit 1, the hung target is not\n"
     "cleaned up. libgfapi itself gives up on a brick after\n"
     "the volume's network.ping-timeout (42 s by default)",
     [](parse_state& p, std::string_view v) { p.o.op_timeout = parse_seconds("--op-timeout", v); }},
    {"--log-level", "LEVEL", "trace, debug, info, warn, error, critical or off", help::output,
     "trace, debug, info, warn, error, critical, off (default {log_level});\n"
     "at info, progress goes to stderr: [7/24] CASE (on a\n"
     "terminal one line, rewritten as cases and repetitions go)",
     set_log_level},
    {"--rows", nullptr, nullptr, help::output,
     "also print Google Benchmark's row for every repetition\n"
     "and aggregate, with every counter (by default only the\n"
     "summary table; --benchmark_format=json|csv and\n"
     "--benchmark_out=FILE always give them all)",
     [](parse_state& p, std::string_view) { p.o.rows = true; }},
    {"--report", "DIR", "a directory for summary.json, summary.csv and the plot", help::output,
     "after the run, write DIR/summary.json, DIR/summary.csv\n"
     "(every case: mean, median, stddev throughput in bytes/s\n"
     "and KiB/s, latency p50/p99/max in us, gfapi/other\n"
     "ratio) and DIR/throughput.png and .svg, drawn by\n"
     "gnuplot from DIR/throughput.gp (apt-get install\n"
     "gnuplot-nox; without it the script is still written)",
     [](parse_state& p, std::string_view v) { p.o.report_dir = std::string(v); }},
    {"--timeline-interval", "SECONDS", "seconds, at least 0.1", help::output,
     "each timed pass over time, in intervals this long\n"
     "(default {timeline_interval} s, at least {min_timeline_interval}): completions,\n"
     "MiB/s, p50/p99/max latency, requests in flight and\n"
     "errors per interval, in --report's summary.json and\n"
     "timeline.csv; stalls of {min_stall} s or more are found\n"
     "at the request, and the summary names those of 1 s or more",
     [](parse_state& p, std::string_view v) {
       p.o.timeline_interval = parse_seconds("--timeline-interval", v);
       if (p.o.timeline_interval < min_timeline_interval) {
         bad_value("--timeline-interval", v, "expected seconds, at least 0.1");
       }
     }},
    {"--fio-logs", nullptr, nullptr, help::output,
     "with --report DIR: the timelines also as fio's logs,\n"
     "CASE_iops.1.log and CASE_lat.1.log (write_iops_log and\n"
     "write_lat_log columns), for fio's plotting tools",
     [](parse_state& p, std::string_view) { p.o.fio_logs = true; }},
    {"--profile", nullptr, nullptr, help::output,
     "count what reached the bricks in each case's timed\n"
     "passes (`gluster volume profile`): brick_read_bytes,\n"
     "brick_write_bytes and the summary's \"where the bytes\n"
     "went\" block. On by default for the zero-config\n"
     "sandbox; for other volumes it needs the gluster CLI\n"
     "of a node of the cluster (see --gluster-cli) and\n"
     "root there. It turns the volume's profiling on for\n"
     "the run (and off after, if it was off): every client\n"
     "of the volume switches to a new graph, and the\n"
     "bricks and clients measure each call's latency.\n"
     "About 0.2 s per snapshot, two per pass, untimed.",
     [](parse_state& p, std::string_view) { p.o.profile = true; }},
    {"--no-profile", nullptr, nullptr, help::output, "not even for the sandbox",
     [](parse_state& p, std::string_view) { p.o.no_profile = true; }},
    {"--gluster-cli", "\"CMD\"",
     "the command that runs gluster on a node, e.g. \"ssh pve1 gluster\"", help::output,
     "how to run gluster for --profile (implies it, unless\n"
     "--no-profile), --compare-options and the heal watch; words\n"
     "split on spaces (default \"gluster\", for a node of the\n"
     "cluster), e.g. \"ssh root@192.168.1.1 gluster\"",
     set_gluster_cli},
    {"--fop-stats", nullptr, nullptr, help::output,
     "also count each client call per pass: fop_<op>_calls,\n"
     "fop_<op>_avg_us (libgfapi's and the FUSE client's\n"
     "io-stats, dumped to /var/run/gluster and removed),\n"
     "and with profiling the bricks' brick_<op>_calls and\n"
     "brick_<op>_avg_us",
     [](parse_state& p, std::string_view) { p.o.fop_stats = true; }},
    {"-h,--help", nullptr, nullptr, help::output, "this text",
     [](parse_state& p, std::string_view) { p.o.help = true; }},
}};

std::string list_of(const std::vector<std::uint64_t>& sizes) {
  std::string out;
  for (const auto s : sizes) out += (out.empty() ? "" : ",") + format_iec(s);
  return out;
}

std::string seconds_of(std::chrono::milliseconds d) {
  const auto whole = d.count() / 1000;
  return d.count() % 1000 == 0 ? std::to_string(whole) + " s"
                               : std::to_string(static_cast<double>(d.count()) / 1000.0) + " s";
}

// "    oltp-4k       4 KiB random, ...": one line per named workload;
// docs/vm-workloads.md says where each comes from.
std::string workload_lines() {
  std::string out;
  for (const vm_workload& w : vm_workloads()) {
    std::string name(w.name);
    name.resize(std::max<std::size_t>(name.size(), 14), ' ');
    out += (out.empty() ? "" : "\n") + name + std::string(w.description);
  }
  return out;
}

// "0.1" of 100 ms: seconds, the way --help writes them.
std::string tenths(std::chrono::milliseconds d) {
  return std::to_string(static_cast<double>(d.count()) / 1000.0).substr(0, 3);
}

std::string whole_seconds(std::chrono::milliseconds d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(d).count());
}

std::string gfapi_level_text() {
  static constexpr std::array<std::string_view, 10> levels{
      "none",    "emergency", "alert", "critical", "error",
      "warning", "notice",    "info",  "debug",    "trace"};
  const int level = volume_options{}.log_level;
  return std::to_string(level) + ", " + std::string(levels.at(static_cast<std::size_t>(level)));
}

std::string operations_text() {
  std::string out;
  for (const auto op : benchmark_matrix{}.operations) {
    out += (out.empty() ? "" : ",") + std::string(to_string(op));
  }
  return out;
}

std::string read_cache_text() {
  std::string out;
  for (const auto m : benchmark_matrix{}.read_cache_modes) {
    out += (out.empty() ? "" : ",") + std::string(to_string(m));
  }
  return out;
}

std::string layout_lines() {
  std::size_t width = 0;
  for (const sandbox_layout& l : sandbox_layouts()) width = std::max(width, l.name.size() + 1);
  std::string out;
  for (const sandbox_layout& l : sandbox_layouts()) {
    std::string n(l.name);
    n.resize(width, ' ');
    out += (out.empty() ? "" : "\n") + n + std::string(l.description);
  }
  return out;
}

// free_space_required: the larger of a share of the need and a floor.
std::string free_margin_text() {
  constexpr std::uint64_t large = std::uint64_t{1} << 40;
  const auto percent = static_cast<unsigned>(
      std::lround(static_cast<double>(free_space_required(large) - large) * 100.0 / large));
  return std::to_string(percent) + "% or " + format_iec(free_space_required(0));
}

// What each {name} of a help text stands for, from the constant the code uses.
using default_text = std::string (*)();
constexpr std::array<std::pair<std::string_view, default_text>, 38> help_defaults{{
    {"port", [] { return std::to_string(volfile_server{}.port); }},
    {"server_host", [] { return std::string(default_server_host); }},
    {"server_socket", [] { return std::string(default_server_socket); }},
    {"connect_timeout", [] { return whole_seconds(volume_options{}.connect_timeout); }},
    {"gfapi_log_level", gfapi_level_text},
    {"pve_config", [] { return std::string(default_pve_storage_config); }},
    {"sizes", [] { return list_of(benchmark_matrix{}.file_sizes); }},
    {"block_sizes", [] { return list_of(benchmark_matrix{}.block_sizes); }},
    {"ops", operations_text},
    {"read_cache", read_cache_text},
    {"iterations", [] { return std::to_string(benchmark_matrix{}.iterations); }},
    {"direct_alignment", [] { return std::to_string(direct_io_alignment); }},
    {"scratch_dir", [] { return std::string(default_scratch_root); }},
    {"max_queue_depth", [] { return std::to_string(max_queue_depth); }},
    {"max_threads", [] { return std::to_string(max_threads); }},
    {"read_percent", [] { return std::to_string(io_shape{}.read_percent); }},
    {"vm_image", [] { return format_iec(vm_image_default_size); }},
    {"vm_runtime", [] { return seconds_of(vm_default_runtime); }},
    {"vm_ramp_up", [] { return seconds_of(vm_default_ramp_up); }},
    {"vm_flush", [] { return seconds_of(vm_flush_interval); }},
    {"workloads", workload_lines},
    {"files_per_dir", [] { return std::to_string(meta_shape{}.files_per_dir); }},
    {"meta_file_size", [] { return format_iec(default_meta_file_size); }},
    {"op_timeout", [] { return whole_seconds(watchdog_options{}.op_timeout); }},
    {"log_level", [] { return cli_options{}.log_level; }},
    {"timeline_interval", [] { return tenths(default_timeline_interval); }},
    {"min_timeline_interval", [] { return tenths(min_timeline_interval) + " s"; }},
    {"min_stall", [] { return tenths(min_stall); }},
    {"repetitions", [] { return std::to_string(default_repetitions); }},
    {"min_repetitions", [] { return std::to_string(default_min_repetitions); }},
    {"max_repetitions", [] { return std::to_string(default_max_repetitions); }},
    {"sandbox_layouts", layout_lines},
    {"max_variants", [] { return std::to_string(max_volume_variants); }},
    {"settle", [] { return std::to_string(fault_settle.count()); }},
    {"op_timeout_margin", [] { return std::to_string(fault_op_timeout_margin.count()); }},
    {"heal_timeout", [] { return std::to_string(default_heal_timeout.count()) + " s"; }},
    {"sandbox_volume", [] { return std::string(sandbox_volume_name); }},
    {"free_margin", free_margin_text},
}};

}  // namespace

std::span<const flag_row> flag_rows() noexcept { return rows; }

std::string canonical_name(const flag_row& row) {
  std::string_view names = row.names;
  while (!names.empty()) {
    const std::size_t comma = names.find(',');
    const std::string_view name = names.substr(0, comma);
    if (name.starts_with("--")) return std::string(name);
    names = comma == std::string_view::npos ? std::string_view{} : names.substr(comma + 1);
  }
  return std::string(row.names);
}

std::string help_default(std::string_view name) {
  for (const auto& [key, text] : help_defaults) {
    if (key == name) return text();
  }
  throw std::logic_error("help text: no default called " + std::string(name));
}

}  // namespace gfbench::app
