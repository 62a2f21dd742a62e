// gfbench's flags, parsed with CLI11 from one table: each row names a flag
// and its aliases, says what its value is, and applies it. Google
// Benchmark's --benchmark_* flags are taken out before (benchmark::Initialize).
// Every message names the flag, the value and what is expected.

#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <utility>

#include "cli/cli.hpp"
#include "cli/flag_values.hpp"
#include "cli/flags.hpp"
#include "cli/sandbox_flags.hpp"
#include "gfbench/case.hpp"
#include "gfbench/scratch.hpp"
#include "gfbench/units.hpp"
#include "gfbench/workloads.hpp"

namespace gfbench::app {

namespace {

[[noreturn]] void needs_a_value(const flag_row& row) {
  throw usage_error(canonical_name(row) + " needs a value: " + row.expects);
}

// The flags as CLI11 knows them: each row's names, aliases and all, and
// the row behind each option, so that a name CLI11 finds tells gfbench
// which flag it is.
class flag_parser {
 public:
  explicit flag_parser(parse_state& state) : app_("gfbench") {
    app_.set_help_flag();  // --help is a row of the table, printed by the tool
    app_.allow_extras();   // reported below, with gfbench's wording
    for (const flag_row& row : flag_rows()) rows_[add(state, row)] = &row;
  }

  // The row named `name` (any of its names, "--fsync" or "-h"); null: none.
  [[nodiscard]] const flag_row* row_named(const std::string& name) const {
    const CLI::Option* option = app_.get_option_no_throw(name);
    if (option == nullptr) return nullptr;
    const auto it = rows_.find(option);
    return it == rows_.end() ? nullptr : it->second;
  }

  // Parses `args`: each occurrence is applied as it is parsed, in
  // command-line order. Returns what no flag took.
  std::vector<std::string> parse(const std::vector<std::string>& args) {
    refuse_flag_values(args);
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 parses from the back
    try {
      app_.parse(reversed);
    } catch (const CLI::ParseError& e) {
      reword(e);
    }
    return app_.remaining();
  }

 private:
  CLI::Option* add(parse_state& state, const flag_row& row) {
    const std::string name = canonical_name(row);
    if (row.value == nullptr) {
      return app_
          .add_flag_callback(row.names,
                             [&state, &row, name] {
                               state.given.insert(name);
                               row.apply(state, {});
                             })
          ->disable_flag_override()
          ->trigger_on_parse();
    }
    return app_
        .add_option_function<std::string>(row.names,
                                          [&state, &row, name](const std::string& value) {
                                            // CLI11 takes the next argument whatever it is;
                                            // "--sizes
                                            // --fsync" means no value was given.
                                            if (value.empty() || value.starts_with("--"))
                                              needs_a_value(row);
                                            state.given.insert(name);
                                            row.apply(state, value);
                                          })
        ->expected(1)
        ->trigger_on_parse();
  }

  // Flags that take no value written as --flag=VALUE: CLI11 would read
  // "--fsync=yes" as a boolean, and "--fsync=" as set.
  void refuse_flag_values(const std::vector<std::string>& args) const {
    for (const std::string& arg : args) {
      const std::size_t eq = arg.find('=');
      if (!arg.starts_with("-") || eq == std::string::npos) continue;
      const flag_row* row = row_named(arg.substr(0, eq));
      if (row != nullptr && row->value == nullptr) {
        throw usage_error(canonical_name(*row) + " takes no value (got " +
                          in_quotes(std::string_view(arg).substr(eq + 1)) + ")");
      }
    }
  }

  // CLI11's own error, as gfbench words it. CLI11 names the option first:
  // "--sizes: 1 required TEXT missing".
  [[noreturn]] void reword(const CLI::ParseError& e) const {
    const std::string text = e.what();
    const flag_row* row = row_named(text.substr(0, text.find_first_of(": ")));
    if (row != nullptr && row->value != nullptr) needs_a_value(*row);
    throw usage_error(text + "; see gfbench --help");
  }

  CLI::App app_;
  std::map<const CLI::Option*, const flag_row*> rows_;
};

void parse_flags(parse_state& state, const std::vector<std::string>& args) {
  flag_parser parser(state);
  for (const std::string& extra : parser.parse(args)) {
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

// `bytes` as the user typed it in `typed`, else in IEC units (a size a
// workload brought).
size_option as_typed(std::uint64_t bytes, const std::vector<size_option>& typed) {
  for (const size_option& s : typed) {
    if (s.bytes == bytes) return s;
  }
  return as_size_options({bytes}).front();
}

unsigned largest(const std::vector<unsigned>& counts) {
  return counts.empty() ? 1 : *std::max_element(counts.begin(), counts.end());
}

// The library's rule (validate_shape) for every file size and block size
// of the matrix the options make, worded with the sizes as typed.
void check_shapes(const cli_options& o) {
  using reason = shape_error::reason;
  const benchmark_matrix m = o.matrix();
  for (const std::uint64_t block : m.block_sizes) {
    const size_option b = as_typed(block, o.block_sizes);
    for (const std::uint64_t file : m.file_sizes) {
      const size_option f = as_typed(file, o.file_sizes);
      try {
        io_shape shape = m.options;
        shape.file_size = file;
        shape.block_size = block;
        // The deepest combination decides whether the file has records enough.
        shape.queue_depth = largest(m.queue_depths);
        shape.threads = largest(m.thread_counts);
        // The slowest rate decides whether each thread gets enough of it.
        if (!m.rates_iops.empty()) {
          shape.rate_iops = *std::min_element(m.rates_iops.begin(), m.rates_iops.end());
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
          case reason::bad_rate:
            throw usage_error("--rate-iops " + format_rate(m.rates_iops.front()) + ": " + e.what() +
                              "; " + std::to_string(largest(m.thread_counts)) +
                              " thread(s) share it");
          case reason::rate_not_queued:          // check_pacing refuses it first
          case reason::distribution_not_queued:  // check_distribution refuses it first
          case reason::stonewall_queued:         // check_stonewall refuses it first
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
    // The workload's own settings are the library's (apply_vm_workload,
    // in matrix()); what a run of it is unless told otherwise, here.
    if (o.file_sizes.empty()) o.file_sizes = as_size_options({vm_image_default_size});
    if (!given.contains("--runtime")) o.runtime = vm_default_runtime;
    if (!given.contains("--ramp-up")) o.ramp_up = vm_default_ramp_up;
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
    if (o.workload.empty() && o.queue_depths.empty()) o.queue_depths = {1};
    if (o.workload.empty() && o.thread_counts.empty()) o.thread_counts = {1};
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

// --rate-iops paces the queued engine; --arrivals and --latency-target
// mean nothing without it.
void check_pacing(const cli_options& o, const std::set<std::string>& given) {
  if (o.rates_iops.empty()) {
    for (std::string_view flag : {"--arrivals", "--latency-target"}) {
      if (given.contains(std::string(flag))) {
        throw usage_error(std::string(flag) +
                          " is a setting of paced cases: add --rate-iops N[,N...] to pace them");
      }
    }
    return;
  }
  if (!o.queued()) {
    throw usage_error(
        "--rate-iops paces the queued engine: add --queue-depth N (the most requests in flight "
        "per thread; 1 sends one synchronous call at a time), --threads or --workload");
  }
}

// --random-distribution draws the records of queued random cases.
void check_distribution(const cli_options& o, const std::set<std::string>& given) {
  if (!given.contains("--random-distribution")) return;
  if (!o.queued()) {
    throw usage_error(
        "--random-distribution draws the records of queued cases: add --queue-depth N (1 sends "
        "one synchronous call at a time), --threads or --workload");
  }
  const auto random = [](operation op) {
    return op == operation::random_read || op == operation::random_write ||
           op == operation::random_rw;
  };
  std::vector<operation> ops = o.operations;
  if (!o.workload.empty()) ops = {find_vm_workload(o.workload)->op};
  if (std::none_of(ops.begin(), ops.end(), random)) {
    throw usage_error(
        "--random-distribution applies to random_read, random_write and random_rw (or a "
        "workload of them): add one to --ops");
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
  for (std::string_view flag : {"--block-sizes",
                                "--queue-depth",
                                "--runtime",
                                "--ramp-up",
                                "--read-percent",
                                "--flush-interval",
                                "--continue-on-error",
                                "--workload",
                                "--close",
                                "--direct",
                                "--verify",
                                "--read-only",
                                "--files",
                                "--read-cache",
                                "--iterations",
                                "--stonewall",
                                "--wear-out",
                                "--reorder-reads",
                                "--rate-iops",
                                "--arrivals",
                                "--latency-target",
                                "--random-distribution"}) {
    if (state.given.contains(std::string(flag))) {
      throw usage_error(std::string(flag) +
                        " does not go with --file-count: the metadata phases create, stat, read "
                        "and remove whole small files (every result is checked; --meta-cache "
                        "sets their cache mode)");
    }
  }
  o.meta_operations =
      state.ops_text.empty() ? all_meta_operations() : parse_meta_operation_list(state.ops_text);
  o.file_sizes = state.sizes_text.empty() ? as_size_options({default_meta_file_size})
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

// --volume, --server, --transport, --pve-storage and --pve-config: the
// volume to reach through libgfapi and how, each server checked.
void check_volume(parse_state& state) {
  cli_options& o = state.o;
  const std::vector<std::string>& server_texts = state.server_texts;
  const bool transport_given = state.transport_given;
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
          o.transport == transport_kind::unix_socket ? default_server_socket : default_server_host,
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
}

}  // namespace

std::vector<size_option> as_size_options(const std::vector<std::uint64_t>& sizes) {
  std::vector<size_option> out;
  for (const std::uint64_t bytes : sizes) {
    const std::string text = format_iec(bytes);
    out.push_back({bytes, text, parse_size(text).convention});
  }
  return out;
}

cli_options parse_cli(const std::vector<std::string>& args) {
  parse_state state;
  parse_flags(state, args);
  cli_options& o = state.o;
  const std::set<std::string>& given = state.given;

  if (o.help) return o;

  if (o.fio_logs && o.report_dir.empty()) {
    throw usage_error("--fio-logs needs --report DIR: the logs are written there");
  }
  if (o.target_ci == 0) {
    for (std::string_view flag : {"--min-repetitions", "--max-repetitions"}) {
      if (given.contains(std::string(flag))) {
        throw usage_error(std::string(flag) +
                          " bounds the repetitions --target-ci PERCENT asks for; for a fixed "
                          "number give --benchmark_repetitions=N");
      }
    }
  }
  if (o.min_repetitions > 0 && o.max_repetitions > 0 && o.max_repetitions < o.min_repetitions) {
    throw usage_error("--max-repetitions " + std::to_string(o.max_repetitions) +
                      " is below --min-repetitions " + std::to_string(o.min_repetitions));
  }
  // --gluster-cli implies --profile, unless --no-profile says otherwise
  // (the CLI is then for --compare-options and the heal watch alone).
  if (o.no_profile && given.contains("--gluster-cli") && !given.contains("--profile")) {
    o.profile = false;
  }
  if (o.profile && o.no_profile) {
    throw usage_error("--no-profile contradicts --profile");
  }

  check_volume(state);
  check_sandbox_flags(state);

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
  check_pacing(o, given);
  check_distribution(o, given);

  // The library's default matrix (the seed study's), unless flags say otherwise.
  // A workload brings its own operation and block size (matrix()).
  const benchmark_matrix defaults;
  if (o.file_sizes.empty()) o.file_sizes = as_size_options(defaults.file_sizes);
  if (o.workload.empty() && o.block_sizes.empty()) {
    o.block_sizes = as_size_options(defaults.block_sizes);
  }
  if (o.workload.empty() && o.operations.empty()) {
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
