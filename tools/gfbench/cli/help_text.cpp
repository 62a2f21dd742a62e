// gfbench --help: what every flag does, in the words of a person who runs
// it. Each flag's line comes from its row of the flag table (flags.cpp),
// each default from the constant the code uses; what is here is the prose
// around them. docs/user-guide.md must mention every flag listed (a test
// checks).

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "cli/cli.hpp"
#include "cli/flags.hpp"

namespace gfbench::app {
namespace {

// Where a flag's text starts: "  --connect-timeout SECONDS " is 28 wide.
constexpr std::size_t text_column = 28;

// `text` with each {name} replaced by help_default(name).
std::string with_defaults(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    const std::size_t at = text.find('{');
    const std::size_t end = at == std::string_view::npos ? at : text.find('}', at + 1);
    if (end == std::string_view::npos) {
      out += text;
      break;
    }
    out += text.substr(0, at);
    out += help_default(text.substr(at + 1, end - at - 1));
    text.remove_prefix(end + 1);
  }
  return out;
}

// "  LABEL   TEXT", the text's further lines under its first.
std::string entry(const std::string& label, std::string_view text) {
  std::string out = "  " + label;
  out += out.size() < text_column ? std::string(text_column - out.size(), ' ') : " ";
  const std::string lines = with_defaults(text);
  for (const char c : lines) {
    out += c;
    if (c == '\n') out += std::string(text_column, ' ');
  }
  return out + "\n";
}

// "--sizes LIST" of a row; "-h, --help" for the one with a short name.
std::string label_of(const flag_row& row) {
  std::string label = canonical_name(row);
  if (std::string_view(row.names).starts_with("-h,")) label = "-h, --help";
  if (row.value != nullptr) label += " " + std::string(row.value);
  return label;
}

std::string rows_of(help_section section) {
  std::string out;
  for (const flag_row& row : flag_rows()) {
    if (row.section == section) out += entry(label_of(row), row.help);
  }
  return out;
}

struct section_text {
  help_section section;
  std::string_view before;  // above its flags
  std::string_view after;   // below them
};

constexpr std::array<section_text, 10> sections{{
    {help_section::targets, "Targets:\n", ""},
    {help_section::what_to_run, "\nWhat to run:\n", ""},
    {help_section::concurrency,
     "\nConcurrency (docs/vm-workloads.md). Any of these makes every case queued:\n"
     "threads, each with its own open file and requests in flight, on libgfapi's\n"
     "asynchronous calls (gfapi) or io_uring (POSIX); every request's result is\n"
     "checked, and every record read back against what was written:\n",
     "With two or more depths or thread counts the summary adds a scaling table:\n"
     "IOPS, MiB/s, p50 and p99 latency per step, and the knee where the next step\n"
     "gains less than 10 %.\n"},
    {help_section::pacing,
     "\nLatency at a chosen load (docs/pacing.md): queued cases sent on a schedule\n"
     "instead of as fast as the queue allows; each request's latency counts from\n"
     "when it was due, and the case reports the rate achieved and the backlog:\n",
     "  gfbench --workload oltp-4k --rate-iops 500,1000,2000,4000 --latency-target 5ms\n"},
    {help_section::metadata,
     "\nSmall files and metadata (docs/metadata.md). --file-count runs phases over a\n"
     "tree of files per thread instead, through every target by the same code:\n",
     "{ops-meta}"
     "Each phase reports files/s and each item's latency; every result is checked\n"
     "(sizes, contents, modes, attribute values, listings). With --fop-stats and\n"
     "profiling, the summary gives the calls each file cost at the bricks.\n"},
    {help_section::many_clients,
     "\nMany clients at once (docs/scale-out.md): run gfbench under mpirun, one rank per\n"
     "client machine; each rank connects on its own and works in its own directory,\n"
     "passes start and end at barriers, and rank 0 prints the aggregate table:\n"
     "  mpirun -np 4 --hostfile HOSTS gfbench --volume V --server H --posix /mnt/gf\n"
     "{posix-ranks}",
     ""},
    {help_section::comparing,
     "\nWin or noise (docs/statistics.md): every case is repeated in rounds (each\n"
     "case once per round, the targets and configurations compared side by side),\n"
     "and every mean and ratio gets its 95 % interval and a verdict:\n",
     "gfbench compare BEFORE.json AFTER.json sets two runs' --report summaries side by\n"
     "side (gfbench compare --help).\n"},
    {help_section::failures,
     "\nThrough a failure and back (docs/failures.md): the zero-config sandbox as a\n"
     "cluster of several nodes, faults on a schedule, self-heal followed and every\n"
     "copy compared after it:\n"
     "  gfbench --sandbox replica2 --workload oltp-4k --fault hang-node:2@15s+120s\n",
     "Every timed pass has a timeline (--timeline-interval); with faults the summary\n"
     "adds a \"through the failure\" table per case: before, the stall, degraded, the\n"
     "heal and after.\n"},
    {help_section::safety, "\nSafety (see docs/safety.md):\n",
     "Before writing, gfbench checks that each target has room for the run's files\n"
     "(the largest file, or all of them with --keep, plus {free_margin}) and refuses\n"
     "to start otherwise.\n"},
    {help_section::output, "\nOutput:\n", ""},
}};

// What some flags mean in another section: --ops, --sizes, --threads and
// --fsync with --file-count, --posix under mpirun.
std::string other_meanings(std::string_view which) {
  if (which == "ops-meta") {
    return entry("--ops LIST",
                 "the phases, run in this order whatever the order\n"
                 "given: create, stat, read, append, chmod, setxattr,\n"
                 "getxattr, readdir, readdir_stat (ls-l), rename,\n"
                 "unlink (delete), mkdir, rmdir (default: all)") +
           entry("--sizes LIST", "the files' sizes, 0 for empty files (default {meta_file_size})") +
           entry("--threads LIST", "threads, each with a directory of its own") +
           entry("--fsync", "create and append fsync each file before closing it");
  }
  return entry("--posix DIR", "%r in DIR becomes the rank, %h the host's name");
}

// A section's prose, with {ops-meta} and {posix-ranks} standing for the
// other meanings of flags listed elsewhere.
std::string prose(std::string_view text) {
  std::string out;
  for (const std::string_view marker : {"ops-meta", "posix-ranks"}) {
    const std::string tag = "{" + std::string(marker) + "}";
    if (const std::size_t at = text.find(tag); at != std::string_view::npos) {
      return with_defaults(text.substr(0, at)) + other_meanings(marker) +
             with_defaults(text.substr(at + tag.size()));
    }
  }
  return with_defaults(text);
}

constexpr std::string_view head =
    "gfbench: IOzone-style write/rewrite/read throughput of GlusterFS, through libgfapi\n"
    "and through a FUSE mount or any directory, side by side.\n"
    "\n"
    "usage: gfbench [flags] [--benchmark_* flags]\n"
    "\n"
    "With none of --volume, --pve-storage or --posix, gfbench starts a private\n"
    "one-node Gluster sandbox (needs root), creates the volume {sandbox_volume},\n"
    "runs every case through libgfapi (\"gfapi\") and through a FUSE mount of it\n"
    "(\"fuse\"), and tears it all down again.\n"
    "\n";

constexpr std::string_view tail =
    "\n"
    "Sizes: digits and an optional unit, no spaces or fractions, case-insensitive.\n"
    "  B, KiB, MiB, GiB, TiB are powers of 1024 (IEC): 4KiB = 4096 bytes.\n"
    "  k/kB, M/MB, G/GB, T/TB are powers of 1000 (SI): 10MB = 10000000 bytes.\n"
    "  IOzone's \"-s 10m\" means 10MiB; write it that way here.\n"
    "\n"
    "Repetitions: {repetitions} (the seed study's trials) unless --benchmark_repetitions is "
    "given.\n"
    "After the run gfbench prints, per target, the mean and median throughput of each\n"
    "file size and operation in kB/s where 1 kB = 1024 bytes, as IOzone reports it,\n"
    "and the ratio gfapi / other target. Exit status: 0 all cases ran, 1 a case or the\n"
    "set-up failed, 2 a bad command line (also a --pve-storage that storage.cfg\n"
    "cannot give), 128+N interrupted by signal N.\n"
    "\n"
    "Google Benchmark's flags (--benchmark_filter, --benchmark_repetitions,\n"
    "--benchmark_format=json, --benchmark_out=FILE, ...) work as usual:\n";

}  // namespace

std::string help_text() {
  std::string text = with_defaults(head);
  for (const section_text& s : sections) {
    text += prose(s.before) + rows_of(s.section) + prose(s.after);
  }
  return text + with_defaults(tail);
}

}  // namespace gfbench::app
