// gfbench's flags, parsed with CLI11 from one table: each row names a flag
// and its aliases, says what its value is, and applies it. Google
// Benchmark's --benchmark_* flags are taken out before (benchmark::Initialize).
// Every message names the flag, the value and what is expected.

#include "cli/cli.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <utility>

#include "cli/flag_values.hpp"
#include "gfbench/case.hpp"
#include "gfbench/scratch.hpp"
#include "gfbench/units.hpp"
#include "gfbench/workloads.hpp"

namespace gfbench::app {

namespace {

constexpr std::string_view default_unix_socket = "/var/run/glusterd.socket";
constexpr std::string_view default_host = "localhost";
// io_uring's and libgfapi's queues take far more; beyond these a run
// measures the client's thread scheduling, not the storage.
constexpr unsigned max_queue_depth = 1024;
constexpr unsigned max_threads = 256;

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

// Sizes of the library's defaults, as if typed in IEC units.
std::vector<size_option> as_size_options(const std::vector<std::uint64_t>& sizes) {
  std::vector<size_option> out;
  for (const std::uint64_t bytes : sizes) {
    const std::string text = format_iec(bytes);
    out.push_back({bytes, text, parse_size(text).convention});
  }
  return out;
}

// One parse: the options being filled, and what was seen on the way.
struct parse_state {
  cli_options o;
  std::vector<std::string> server_texts;
  bool transport_given = false;
  std::set<std::string> given;  // canonical names of the flags used
  // --ops and --sizes mean other things with --file-count: read once all
  // flags are in.
  std::string ops_text;
  std::string sizes_text;
};

// One flag: CLI11's names (the canonical --name first, then its aliases),
// what its value is for "needs a value" messages (null: it takes none), and
// what it does.
struct flag_row {
  const char* names;
  const char* value_hint;
  void (*apply)(parse_state& p, std::string_view value);
};

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

void set_gfapi_log_level(parse_state& p, std::string_view value) {
  const std::optional<std::uint64_t> level = parse_unsigned(value);
  if (!level || *level > 9) {
    bad_value("--gfapi-log-level", value, "expected a number from 0 (none) to 9 (trace)");
  }
  p.o.gfapi_log_level = static_cast<int>(*level);
}

void set_iterations(parse_state& p, std::string_view value) {
  const std::optional<std::uint64_t> n = parse_unsigned(value);
  if (!n || *n > 1'000'000'000) {
    bad_value("--iterations", value,
              "expected a whole number of passes per repetition from 0 to 1000000000");
  }
  p.o.iterations = static_cast<std::int64_t>(*n);
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

// A list of counts from 1 to `max`, e.g. --queue-depth 1,8,32.
std::vector<unsigned> parse_count_list(std::string_view flag, std::string_view list, unsigned max) {
  std::vector<unsigned> counts;
  for (std::string_view item : split_list(flag, list)) {
    const std::optional<std::uint64_t> n = parse_unsigned(item);
    if (!n || *n == 0 || *n > max) {
      bad_value(flag, item,
                "expected whole numbers from 1 to " + std::to_string(max) + ", e.g. 1,8,32");
    }
    if (std::find(counts.begin(), counts.end(), *n) != counts.end()) {
      throw usage_error("invalid " + std::string(flag) + ": " + in_quotes(item) +
                        " is listed twice");
    }
    counts.push_back(static_cast<unsigned>(*n));
  }
  return counts;
}

void set_read_percent(parse_state& p, std::string_view value) {
  const std::optional<std::uint64_t> n = parse_unsigned(value);
  if (!n || *n > 100) {
    bad_value("--read-percent", value, "expected the share of reads, a percentage from 0 to 100");
  }
  p.o.read_percent = static_cast<unsigned>(*n);
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

// Every flag of gfbench, in the order --help lists them.
constexpr std::array<flag_row, 45> flag_table{{
    {"-h,--help", nullptr, [](parse_state& p, std::string_view) { p.o.help = true; }},
    {"--volume", "a volume name", set_volume},
    {"--server", "HOST[:PORT], or a socket path with --transport unix",
     [](parse_state& p, std::string_view v) { p.server_texts.emplace_back(v); }},
    {"--transport", "tcp or unix", set_transport},
    {"--connect-timeout", "seconds",
     [](parse_state& p, std::string_view v) {
       p.o.connect_timeout = parse_seconds("--connect-timeout", v);
     }},
    {"--gfapi-log", "a file for libgfapi's log",
     [](parse_state& p, std::string_view v) { p.o.gfapi_log = std::string(v); }},
    {"--gfapi-log-level", "0 (none) to 9 (trace)", set_gfapi_log_level},
    {"--posix", "DIR or DIR=LABEL",
     [](parse_state& p, std::string_view v) { p.o.posix_targets.push_back(parse_posix(v)); }},
    {"--sizes,--size", "a list of file sizes, e.g. 1MiB,10MiB,100MiB",
     [](parse_state& p, std::string_view v) { p.sizes_text = std::string(v); }},
    {"--block-sizes,--block-size", "a list of block sizes, e.g. 4KiB,1MiB",
     [](parse_state& p, std::string_view v) {
       p.o.block_sizes = parse_size_list("--block-sizes", v);
     }},
    {"--ops,--op", "a list of operations, e.g. write,rewrite,read",
     [](parse_state& p, std::string_view v) { p.ops_text = std::string(v); }},
    {"--read-cache", "warm, cold or warm,cold",
     [](parse_state& p, std::string_view v) {
       p.o.read_cache_modes = parse_cache_list("--read-cache", v);
     }},
    {"--iterations", "a positive whole number", set_iterations},
    {"--queue-depth,--qd,--iodepth", "a list of requests in flight per thread, e.g. 1,8,32",
     [](parse_state& p, std::string_view v) {
       p.o.queue_depths = parse_count_list("--queue-depth", v, max_queue_depth);
     }},
    {"--threads", "a list of thread counts, e.g. 1,4,8",
     [](parse_state& p, std::string_view v) {
       p.o.thread_counts = parse_count_list("--threads", v, max_threads);
     }},
    {"--runtime", "seconds",
     [](parse_state& p, std::string_view v) { p.o.runtime = parse_seconds("--runtime", v); }},
    {"--ramp-up", "seconds",
     [](parse_state& p, std::string_view v) { p.o.ramp_up = parse_seconds("--ramp-up", v); }},
    {"--read-percent,--mix,--rwmixread", "a percentage from 0 to 100", set_read_percent},
    {"--flush-interval", "seconds",
     [](parse_state& p, std::string_view v) {
       p.o.flush_interval = parse_seconds("--flush-interval", v);
     }},
    {"--continue-on-error", nullptr,
     [](parse_state& p, std::string_view) { p.o.continue_on_error = true; }},
    {"--workload", "a VM workload's name, e.g. oltp-4k", set_workload},
    {"--stonewall", "seconds",
     [](parse_state& p, std::string_view v) { p.o.stonewall = parse_seconds("--stonewall", v); }},
    {"--wear-out", nullptr, [](parse_state& p, std::string_view) { p.o.wear_out = true; }},
    {"--reorder-reads", "a whole number of ranks to shift by, e.g. 1",
     [](parse_state& p, std::string_view v) {
       const std::optional<std::uint64_t> n = parse_unsigned(v);
       if (!n || *n == 0 || *n > 1'000'000) {
         bad_value("--reorder-reads", v,
                   "expected a whole number from 1: rank r reads the file of rank r + K");
       }
       p.o.reorder_reads = static_cast<unsigned>(*n);
     }},
    {"--file-count,--files-per-thread", "a list of file counts per thread, e.g. 1000,10000",
     [](parse_state& p, std::string_view v) { p.o.file_counts = parse_file_count_list(v); }},
    {"--meta-cache", "warm, cold or warm,cold",
     [](parse_state& p, std::string_view v) {
       p.o.meta_cache_modes = parse_cache_list("--meta-cache", v);
     }},
    {"--files-per-dir", "a whole number of files per directory, e.g. 1000",
     [](parse_state& p, std::string_view v) {
       const std::optional<std::uint64_t> n = parse_unsigned(v);
       if (!n || *n == 0 || *n > 1'000'000) {
         bad_value("--files-per-dir", v, "expected a whole number from 1 to 1000000");
       }
       p.o.files_per_dir = *n;
     }},
    {"--fsync", nullptr, [](parse_state& p, std::string_view) { p.o.fsync = true; }},
    {"--close", nullptr, [](parse_state& p, std::string_view) { p.o.include_close = true; }},
    {"--direct", nullptr, [](parse_state& p, std::string_view) { p.o.direct = true; }},
    {"--verify", nullptr, [](parse_state& p, std::string_view) { p.o.verify = true; }},
    {"--keep", nullptr, [](parse_state& p, std::string_view) { p.o.keep = true; }},
    {"--scratch-dir", "an absolute directory path inside each target", set_scratch_dir},
    {"--log-level", "trace, debug, info, warn, error, critical or off", set_log_level},
    {"--report", "a directory for summary.json, summary.csv and the plot",
     [](parse_state& p, std::string_view v) { p.o.report_dir = std::string(v); }},
    {"--pve-storage", "a storage ID of Proxmox VE's storage.cfg, e.g. GlusterFS", set_pve_storage},
    {"--pve-config", "the path of a Proxmox VE storage.cfg",
     [](parse_state& p, std::string_view v) { p.o.pve_config = std::string(v); }},
    {"--read-only", nullptr, [](parse_state& p, std::string_view) { p.o.read_only = true; }},
    {"--files", "a list of absolute paths inside each target, e.g. /.gfbench/run-x/f",
     [](parse_state& p, std::string_view v) {
       for (std::string_view path : split_list("--files", v)) {
         p.o.files.push_back(check_file_path(path));
       }
     }},
    {"--op-timeout", "seconds",
     [](parse_state& p, std::string_view v) { p.o.op_timeout = parse_seconds("--op-timeout", v); }},
    {"--profile", nullptr, [](parse_state& p, std::string_view) { p.o.profile = true; }},
    {"--no-profile", nullptr, [](parse_state& p, std::string_view) { p.o.no_profile = true; }},
    {"--gluster-cli", "the command that runs gluster on a node, e.g. \"ssh pve1 gluster\"",
     set_gluster_cli},
    {"--fop-stats", nullptr, [](parse_state& p, std::string_view) { p.o.fop_stats = true; }},
    {"--rows", nullptr, [](parse_state& p, std::string_view) { p.o.rows = true; }},
}};

// The --name of a row ("--help" for "-h,--help").
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

// The row one of whose names is `name` (with or without its dashes).
const flag_row* row_named(std::string_view name) {
  std::string_view bare = name;
  while (bare.starts_with('-')) bare.remove_prefix(1);
  for (const flag_row& row : flag_table) {
    std::string_view names = row.names;
    while (!names.empty()) {
      const std::size_t comma = names.find(',');
      std::string_view candidate = names.substr(0, comma);
      while (candidate.starts_with('-')) candidate.remove_prefix(1);
      if (candidate == bare) return &row;
      names = comma == std::string_view::npos ? std::string_view{} : names.substr(comma + 1);
    }
  }
  return nullptr;
}

[[noreturn]] void needs_a_value(const flag_row& row) {
  throw usage_error(canonical_name(row) + " needs a value: " + row.value_hint);
}

// Flags that take no value written as --flag=VALUE: CLI11 would read
// "--fsync=yes" as a boolean, and "--fsync=" as set.
void refuse_flag_values(const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    const std::size_t eq = arg.find('=');
    if (!arg.starts_with("-") || eq == std::string::npos) continue;
    const flag_row* row = row_named(std::string_view(arg).substr(0, eq));
    if (row != nullptr && row->value_hint == nullptr) {
      throw usage_error(canonical_name(*row) + " takes no value (got " +
                        in_quotes(std::string_view(arg).substr(eq + 1)) + ")");
    }
  }
}

// CLI11's own error, as gfbench words it. CLI11 names the option first:
// "--sizes: 1 required TEXT missing".
[[noreturn]] void reword(const CLI::ParseError& e) {
  const std::string text = e.what();
  const std::string first = text.substr(0, text.find_first_of(": "));
  if (const flag_row* row = row_named(first); row != nullptr && row->value_hint != nullptr) {
    needs_a_value(*row);
  }
  throw usage_error(text + "; see gfbench --help");
}

void parse_flags(parse_state& state, const std::vector<std::string>& args) {
  refuse_flag_values(args);
  CLI::App app{"gfbench"};
  app.set_help_flag();  // --help is a row of the table, printed by the tool
  app.allow_extras();   // reported below, with gfbench's wording
  for (const flag_row& row : flag_table) {
    const std::string name = canonical_name(row);
    if (row.value_hint == nullptr) {
      app.add_flag_callback(row.names,
                            [&state, &row, name] {
                              state.given.insert(name);
                              row.apply(state, {});
                            })
          ->disable_flag_override()
          ->trigger_on_parse();
      continue;
    }
    // Every occurrence is applied as it is parsed, in command-line order.
    app.add_option_function<std::string>(row.names,
                                         [&state, &row, name](const std::string& value) {
                                           // CLI11 takes the next argument whatever it is;
                                           // "--sizes --fsync" means no value was given.
                                           if (value.empty() || value.starts_with("--")) {
                                             needs_a_value(row);
                                           }
                                           state.given.insert(name);
                                           row.apply(state, value);
                                         })
        ->expected(1)
        ->trigger_on_parse();
  }
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 parses from the back
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    reword(e);
  }
  for (const std::string& extra : app.remaining()) {
    if (extra.starts_with("--benchmark_") || extra.starts_with("-benchmark_")) {
      // Google Benchmark leaves what it could not read, and has said why.
      const std::size_t eq = extra.find('=');
      throw usage_error(extra.substr(0, eq) + ": Google Benchmark did not take this flag" +
                        (eq == std::string::npos
                             ? std::string()
                             : " or its value " + in_quotes(extra.substr(eq + 1))) +
                        "; gfbench --help lists Google Benchmark's flags at its end");
    }
    if (extra.size() >= 2 && extra.front() == '-') {
      throw usage_error("unknown flag " + extra.substr(0, extra.find('=')) +
                        "; see gfbench --help");
    }
    throw usage_error("unexpected argument " + in_quotes(extra) +
                      "; gfbench takes only flags; see gfbench --help");
  }
}

// The library's rule (validate_shape) for every file size and block size,
// worded with the sizes as the user typed them.
void check_shapes(const cli_options& o) {
  using reason = shape_error::reason;
  for (const size_option& b : o.block_sizes) {
    for (const size_option& f : o.file_sizes) {
      try {
        io_shape shape{.file_size = f.bytes, .block_size = b.bytes, .direct = o.direct};
        if (o.queued()) {
          // The deepest combination decides whether the file has records enough.
          shape.queued = true;
          shape.direct = shape.direct || !o.workload.empty();
          shape.queue_depth = *std::max_element(o.queue_depths.begin(), o.queue_depths.end());
          shape.threads = *std::max_element(o.thread_counts.begin(), o.thread_counts.end());
        }
        validate_shape(shape);
      } catch (const shape_error& e) {
        switch (e.why()) {
          case reason::direct_unaligned:
            throw usage_error("--direct (O_DIRECT) needs block sizes that are multiples of " +
                              std::to_string(direct_io_alignment) + " bytes; " + in_quotes(b.text) +
                              " is " + std::to_string(b.bytes) + " bytes");
          case reason::block_larger_than_file:
            throw usage_error("block size " + in_quotes(b.text) + " is larger than file size " +
                              in_quotes(f.text) + "; a block size must be at most every file size");
          case reason::block_not_dividing:
            throw usage_error("block size " + in_quotes(b.text) + " (" + std::to_string(b.bytes) +
                              " bytes) does not divide file size " + in_quotes(f.text) + " (" +
                              std::to_string(f.bytes) +
                              " bytes) exactly; files are written in whole blocks, so every block "
                              "size must divide every file size");
          case reason::queued_unaligned:
            throw usage_error("block size " + in_quotes(b.text) + " (" + std::to_string(b.bytes) +
                              " bytes) with --queue-depth, --threads or --workload: queued cases "
                              "need block sizes that are multiples of 512 bytes");
          case reason::too_few_records:
            throw usage_error("file size " + in_quotes(f.text) + " with block size " +
                              in_quotes(b.text) + ": " + e.what());
          case reason::stonewall_queued:  // check_stonewall refuses it first
          case reason::wear_out_alone:
          case reason::empty_file:
          case reason::empty_block:
          case reason::no_concurrency:    // parse_count_list refuses 0
          case reason::bad_read_percent:  // set_read_percent refuses > 100
            throw usage_error(e.what());  // parse_size already refuses 0
        }
      }
    }
  }
}

// --read-only: reads of files that exist, nothing else. Every flag that
// would write, or that only means something when gfbench writes, is refused
// rather than ignored, so that nobody believes it took effect.
void check_read_only(const cli_options& o, const std::set<std::string>& given) {
  if (!o.read_only) {
    throw usage_error("--files names files for --read-only; add --read-only to read them");
  }
  if (o.files.empty()) {
    throw usage_error(
        "--read-only needs --files PATH[,PATH...]: the files (or directories of files) to read, "
        "e.g. what --keep left in /.gfbench/run-...");
  }
  if (o.zero_config()) {
    throw usage_error(
        "--read-only needs --volume or --posix: a fresh sandbox volume has nothing to read");
  }
  for (const operation op : o.operations) {
    if (is_write(op)) {
      throw usage_error("--read-only refuses the write operation " + in_quotes(to_string(op)) +
                        "; allowed: read, reread, random_read");
    }
  }
  for (std::string_view flag : {"--sizes", "--fsync", "--keep", "--scratch-dir"}) {
    if (given.contains(std::string(flag))) {
      throw usage_error(std::string(flag) +
                        " does not go with --read-only: it reads existing files as they are "
                        "(their own sizes), creating, syncing and keeping nothing");
    }
  }
}

// Concurrency's flags go together, and with a workload, which brings its
// own operation, block size, depth and threads (the last two may be swept).
void check_concurrency(cli_options& o, const std::set<std::string>& given) {
  if (!o.workload.empty()) {
    for (std::string_view flag : {"--ops", "--block-sizes", "--read-percent", "--read-cache"}) {
      if (given.contains(std::string(flag))) {
        throw usage_error(std::string(flag) + " does not go with --workload " + o.workload +
                          ": the workload sets it; use --ops and --queue-depth without "
                          "--workload for a workload of your own");
      }
    }
    const vm_workload& w = *find_vm_workload(o.workload);
    o.operations = {w.op};
    o.block_sizes = as_size_options({w.block_size});
    o.read_cache_modes = {cache_mode::warm};
    o.read_percent = w.read_percent;
    o.direct = true;
    if (o.queue_depths.empty()) o.queue_depths = {w.queue_depth};
    if (o.thread_counts.empty()) o.thread_counts = {w.threads};
    if (o.file_sizes.empty()) o.file_sizes = as_size_options({vm_image_default_size});
    if (!given.contains("--runtime")) o.runtime = vm_default_runtime;
    if (!given.contains("--ramp-up")) o.ramp_up = vm_default_ramp_up;
    if (!given.contains("--flush-interval")) o.flush_interval = vm_flush_interval;
  }
  if (!o.queued()) {
    for (std::string_view flag :
         {"--runtime", "--ramp-up", "--flush-interval", "--continue-on-error"}) {
      if (given.contains(std::string(flag))) {
        throw usage_error(std::string(flag) +
                          " needs --queue-depth, --threads or --workload: it is a setting of "
                          "queued cases, which IOzone's loop does not have");
      }
    }
  } else {
    if (o.queue_depths.empty()) o.queue_depths = {1};
    if (o.thread_counts.empty()) o.thread_counts = {1};
    if (o.read_only || !o.files.empty()) {
      throw usage_error(
          "--queue-depth, --threads and --workload do not go with --read-only: queued cases "
          "check every record against what gfbench wrote, which existing files do not hold");
    }
    if (o.include_close) {
      throw usage_error(
          "--close does not go with --queue-depth, --threads or --workload: a queued pass "
          "ends at its last completion, each thread's close comes after, untimed");
    }
  }
  if (given.contains("--ramp-up") && o.runtime.count() == 0) {
    throw usage_error("--ramp-up needs --runtime SECONDS: only time-based passes ramp up");
  }
  // --mix alone asks for the mixed operation.
  if (given.contains("--read-percent") && o.operations.empty())
    o.operations = {operation::random_rw};
  if (given.contains("--read-percent") && std::find(o.operations.begin(), o.operations.end(),
                                                    operation::random_rw) == o.operations.end()) {
    throw usage_error(
        "--read-percent (--mix) is the mix of random_rw; add random_rw (or randrw) to --ops");
  }
}

// --stonewall, --wear-out and --reorder-reads: settings of the one-call
// I/O kernels' passes (the metadata phases refuse them with the other I/O
// flags).
void check_stonewall(const cli_options& o, const std::set<std::string>& given) {
  if (o.wear_out && o.stonewall.count() == 0) {
    throw usage_error("--wear-out needs --stonewall SECONDS: it wears out from the stonewall");
  }
  if (given.contains("--stonewall")) {
    if (o.queued()) {
      throw usage_error(
          "--stonewall does not go with --queue-depth, --threads or --workload: queued passes are "
          "cut by --runtime");
    }
    if (o.read_only) {
      throw usage_error(
          "--stonewall does not go with --read-only: it cuts passes gfbench checks "
          "against what it wrote");
    }
    for (const operation op : o.operations) {
      if (op == operation::random_write || op == operation::random_rw) {
        throw usage_error("--stonewall does not go with " + in_quotes(to_string(op)) +
                          ": what a cut pass of scattered writes left cannot be checked; allowed: "
                          "write, rewrite, read, reread, random_read");
      }
    }
  }
  if (o.reorder_reads > 0) {
    if (o.read_only) {
      throw usage_error(
          "--reorder-reads does not go with --read-only: it reads the files other "
          "ranks laid out");
    }
    if (o.queued()) {
      throw usage_error(
          "--reorder-reads does not go with --queue-depth, --threads or --workload: "
          "it reorders the one-call read kernels");
    }
    if (std::none_of(o.operations.begin(), o.operations.end(), is_read)) {
      throw usage_error("--reorder-reads reorders reads; add read, reread or random_read to --ops");
    }
  }
}

// --file-count: the metadata phases. --ops names phases, --sizes may be 0;
// the flags of the I/O cases are refused rather than ignored.
void check_metadata(parse_state& state) {
  cli_options& o = state.o;
  for (std::string_view flag :
       {"--block-sizes", "--queue-depth", "--runtime", "--ramp-up", "--read-percent",
        "--flush-interval", "--continue-on-error", "--workload", "--close", "--direct", "--verify",
        "--read-only", "--files", "--read-cache", "--iterations", "--stonewall", "--wear-out",
        "--reorder-reads"}) {
    if (state.given.contains(std::string(flag))) {
      throw usage_error(std::string(flag) +
                        " does not go with --file-count: the metadata phases create, stat, read "
                        "and remove whole small files (every result is checked; --meta-cache "
                        "sets their cache mode)");
    }
  }
  o.meta_operations =
      state.ops_text.empty() ? all_meta_operations() : parse_meta_operation_list(state.ops_text);
  o.file_sizes = state.sizes_text.empty() ? parse_meta_size_list("4KiB")
                                          : parse_meta_size_list(state.sizes_text);
  if (o.thread_counts.empty()) o.thread_counts = {1};
  for (const std::uint64_t files : o.file_counts) {
    for (const unsigned threads : o.thread_counts) {
      if (files * threads > 10'000'000) {
        throw usage_error("--file-count " + std::to_string(files) + " with --threads " +
                          std::to_string(threads) + " makes " + std::to_string(files * threads) +
                          " files; at most 10000000 per tree");
      }
    }
  }
}

}  // namespace

cli_options parse_cli(const std::vector<std::string>& args) {
  parse_state state;
  parse_flags(state, args);
  cli_options& o = state.o;
  const std::vector<std::string>& server_texts = state.server_texts;
  const bool transport_given = state.transport_given;
  const std::set<std::string>& given = state.given;

  if (o.help) return o;

  if (o.profile && o.no_profile) {
    throw usage_error("--no-profile contradicts --profile (or --gluster-cli, which implies it)");
  }

  if (!o.pve_config.empty() && o.pve_storage.empty()) {
    throw usage_error("--pve-config needs --pve-storage ID (the storage to read from it)");
  }
  if (!o.pve_storage.empty() && (!o.volume.empty() || !server_texts.empty() || transport_given)) {
    throw usage_error(
        "--pve-storage takes the volume, servers and transport from storage.cfg; leave out "
        "--volume, --server and --transport");
  }

  if (o.volume.empty()) {
    if (!server_texts.empty())
      throw usage_error("--server needs --volume NAME (the volume to connect to)");
    if (transport_given)
      throw usage_error("--transport needs --volume NAME (the volume to connect to)");
  } else {
    for (const std::string& text : server_texts)
      o.servers.push_back(parse_server(text, o.transport));
    if (o.servers.empty()) {
      o.servers.push_back(parse_server(
          o.transport == transport_kind::unix_socket ? default_unix_socket : default_host,
          o.transport));
    }
    for (std::size_t a = 0; a < o.servers.size(); ++a) {
      for (std::size_t b = a + 1; b < o.servers.size(); ++b) {
        if (o.servers[a] == o.servers[b]) {
          throw usage_error("--server " + in_quotes(server_texts.at(b)) + " is given twice");
        }
      }
    }
  }

  if (o.metadata()) {
    check_metadata(state);
    return o;
  }
  for (std::string_view flag : {"--meta-cache", "--files-per-dir"}) {
    if (given.contains(std::string(flag))) {
      throw usage_error(std::string(flag) +
                        " is a setting of the metadata phases: add --file-count N to run them");
    }
  }
  if (!state.ops_text.empty()) o.operations = parse_operation_list(state.ops_text);
  if (!state.sizes_text.empty()) o.file_sizes = parse_size_list("--sizes", state.sizes_text);
  check_concurrency(o, given);

  // The library's default matrix (the seed study's), unless flags say otherwise.
  const benchmark_matrix defaults;
  if (o.file_sizes.empty()) o.file_sizes = as_size_options(defaults.file_sizes);
  if (o.block_sizes.empty()) o.block_sizes = as_size_options(defaults.block_sizes);
  if (o.operations.empty()) {
    o.operations = o.read_only ? std::vector<operation>{operation::read} : defaults.operations;
  }
  check_stonewall(o, given);
  if (o.read_only || !o.files.empty()) {
    check_read_only(o, given);
    // The files' own sizes replace --sizes: only O_DIRECT's alignment of
    // the block sizes can be checked now.
    for (const size_option& b : o.block_sizes) {
      if (o.direct && b.bytes % direct_io_alignment != 0) {
        throw usage_error("--direct (O_DIRECT) needs block sizes that are multiples of " +
                          std::to_string(direct_io_alignment) + " bytes; " + in_quotes(b.text) +
                          " is " + std::to_string(b.bytes) + " bytes");
      }
    }
    return o;
  }
  check_shapes(o);
  return o;
}

cli_options parse_cli(int argc, const char* const* argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  return parse_cli(args);
}

benchmark_matrix cli_options::matrix() const {
  benchmark_matrix m;
  m.operations = operations;
  m.file_sizes.clear();
  for (const size_option& s : file_sizes) m.file_sizes.push_back(s.bytes);
  m.block_sizes.clear();
  for (const size_option& s : block_sizes) m.block_sizes.push_back(s.bytes);
  m.read_cache_modes = read_cache_modes;
  m.options.fsync = fsync;
  m.options.include_close = include_close;
  m.options.direct = direct;
  m.options.verify = verify;
  m.iterations = iterations;
  m.options.read_percent = read_percent;
  m.options.stonewall = stonewall;
  m.options.wear_out = wear_out;
  if (!workload.empty()) apply_vm_workload(*find_vm_workload(workload), m);
  if (queued()) {
    m.options.queued = true;
    m.queue_depths = queue_depths;
    m.thread_counts = thread_counts;
    m.options.runtime = runtime;
    m.options.ramp_up = ramp_up;
    m.options.flush_interval = flush_interval;
    m.options.continue_on_error = continue_on_error;
  }
  return m;
}

metadata_matrix cli_options::meta_matrix() const {
  metadata_matrix m;
  m.operations = meta_operations;
  m.files_per_thread = file_counts;
  m.file_sizes.clear();
  for (const size_option& s : file_sizes) m.file_sizes.push_back(s.bytes);
  m.thread_counts = thread_counts.empty() ? std::vector<unsigned>{1} : thread_counts;
  m.cache_modes = meta_cache_modes;
  m.options.files_per_dir = files_per_dir;
  m.options.fsync = fsync;
  return m;
}

volume_options cli_options::connect_options() const {
  volume_options v;
  v.volume = volume;
  v.servers = servers;
  v.log_file = gfapi_log.empty() ? "/dev/null" : gfapi_log;
  v.log_level = gfapi_log_level;
  v.connect_timeout = connect_timeout;
  return v;
}

void assign_target_labels(cli_options& options,
                          const std::function<bool(const std::filesystem::path&)>& is_fuse) {
  // label -> where it came from, for the message
  std::vector<std::pair<std::string, std::string>> seen;
  if (!options.volume.empty()) seen.emplace_back("gfapi", "volume " + options.volume);
  for (posix_option& p : options.posix_targets) {
    if (p.label.empty()) p.label = is_fuse(p.directory) ? "fuse" : "posix";
    for (const auto& [label, origin] : seen) {
      if (label == p.label) {
        throw usage_error("two targets are labelled " + in_quotes(label) + " (" + origin + " and " +
                          p.directory.string() + "); name them with --posix DIR=LABEL");
      }
    }
    seen.emplace_back(p.label, p.directory.string());
  }
}

std::string describe_sizes(const std::vector<size_option>& sizes) {
  std::string out;
  std::vector<std::string> conventions;
  for (const size_option& s : sizes) {
    if (!out.empty()) out += ", ";
    out += s.text;
    if (s.text != std::to_string(s.bytes)) out += " = " + std::to_string(s.bytes) + " B";
    if (std::find(conventions.begin(), conventions.end(), s.convention) == conventions.end()) {
      conventions.push_back(s.convention);
    }
  }
  if (!conventions.empty()) {
    out += "; units read as ";
    for (std::size_t i = 0; i < conventions.size(); ++i) {
      if (i > 0) out += i + 1 == conventions.size() ? " and " : ", ";
      out += conventions[i];
    }
  }
  return out;
}

}  // namespace gfbench::app
