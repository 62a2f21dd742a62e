#include "results/summary_table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "common/counter_names.hpp"
#include "common/text_table.hpp"
#include "gfbench/case.hpp"
#include "gfbench/units.hpp"
#include "results/confidence.hpp"
#include "results/statistics.hpp"

namespace gfbench::app {

namespace {

constexpr double bytes_per_kb = 1024.0;  // IOzone's kB

template <class T>
void add_unique(std::vector<T>& list, const T& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

// A row of a table: one file size and block size, and in read-only runs
// one file (several files may have the same size).
// Queued cases have a row per queue depth and thread count, paced ones
// per rate too.
struct row_key {
  std::uint64_t file_size = 0;
  std::uint64_t block_size = 0;
  std::string file{};
  unsigned queue_depth = 0;
  unsigned threads = 0;
  double rate_iops = 0;
  friend bool operator==(const row_key&, const row_key&) = default;
  friend bool operator<(const row_key& a, const row_key& b) {
    return std::tie(a.file_size, a.block_size, a.file, a.queue_depth, a.threads, a.rate_iops) <
           std::tie(b.file_size, b.block_size, b.file, b.queue_depth, b.threads, b.rate_iops);
  }
};

struct table_layout {
  std::vector<std::string> targets;
  std::vector<row_key> rows;
  std::vector<std::string> operations;
  bool with_files = false;  // read-only: a column for the file
  bool queued = false;      // columns for queue depth and threads
  bool paced = false;       // a column for the rate asked
  // (target, row, operation) -> case
  std::map<std::tuple<std::string, row_key, std::string>, const case_summary*> cells;

  // The first cells of a row, and their titles.
  [[nodiscard]] std::vector<std::string> head(const row_key& row) const {
    std::vector<std::string> first{format_iec(row.file_size), format_iec(row.block_size)};
    if (with_files) first.push_back(row.file);
    if (queued) {
      first.push_back(row.queue_depth > 0 ? std::to_string(row.queue_depth) : "-");
      first.push_back(row.threads > 0 ? std::to_string(row.threads) : "-");
    }
    if (paced) first.push_back(row.rate_iops > 0 ? format_rate(row.rate_iops) : "-");
    return first;
  }
  [[nodiscard]] std::vector<std::string> head_titles() const {
    std::vector<std::string> titles{"file size", "block"};
    if (with_files) titles.emplace_back("file");
    if (queued) {
      titles.emplace_back("qd");
      titles.emplace_back("threads");
    }
    if (paced) titles.emplace_back("rate");
    return titles;
  }
};

// The column a case belongs to: its operation, and for reads the cache mode.
std::string column_of(const case_summary& c) {
  if (c.fsync_timed) return c.operation + "+fsync";  // the time includes fsync
  return c.cache.empty() ? c.operation : c.operation + ":" + c.cache;
}

table_layout layout(const std::vector<case_summary>& cases) {
  table_layout t;
  for (const case_summary& c : cases) {
    const row_key row{c.file_size, c.block_size, c.file, c.queue_depth, c.threads, c.rate_iops};
    add_unique(t.targets, c.target);
    t.queued = t.queued || c.queue_depth > 0;
    t.paced = t.paced || c.rate_iops > 0;
    add_unique(t.rows, row);
    add_unique(t.operations, column_of(c));
    t.with_files = t.with_files || !c.file.empty();
    t.cells.emplace(std::make_tuple(c.target, row, column_of(c)), &c);
  }
  return t;
}

const case_summary* find_cell(const table_layout& t, const std::string& target, const row_key& row,
                              const std::string& op) {
  const auto it = t.cells.find(std::make_tuple(target, row, op));
  return it == t.cells.end() ? nullptr : it->second;
}

// Three significant digits, so that 0.0043 (a page-cache read against a
// network read) does not print as 0.00.
std::string format_ratio(double ratio) {
  char buf[32];
  std::snprintf(buf, sizeof buf, ratio >= 100 ? "%.0f" : "%#.3g", ratio);
  return buf;
}

// 0% and 100% exactly; one decimal near either end, so that 99.6% does
// not print as 100%.
std::string format_share(double share) {
  const double percent = share * 100.0;
  if (percent <= 0) return "0%";
  if (percent >= 100) return "100%";
  char buf[32];
  std::snprintf(buf, sizeof buf, percent < 1 || percent > 99 ? "%.1f%%" : "%.0f%%", percent);
  return buf;
}

// Per target, where each case's bytes went: for reads the share caches
// served, for writes the share the bricks had. Empty without brick counters.
std::string brick_share_blocks(const table_layout& t, bool& starred, bool& exceeded) {
  std::string out;
  for (const std::string& target : t.targets) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header = t.head_titles();
    for (const std::string& op : t.operations) header.push_back(op);
    rows.push_back(std::move(header));
    bool any = false;
    for (const row_key& row : t.rows) {
      std::vector<std::string> line = t.head(row);
      for (const std::string& op : t.operations) {
        const case_summary* c = find_cell(t, target, row, op);
        std::optional<double> share;
        bool star = false;
        bool excess = false;
        if (c != nullptr) {
          share = cache_share(*c);
          if (!share) {
            share = brick_write_share(*c);
            star = share.has_value() && !c->fsync_timed;
          }
          excess = share.has_value() && brick_bytes_exceed_pass(*c);
        }
        if (share) {
          any = true;
          starred = starred || star;
          exceeded = exceeded || excess;
          line.push_back(format_share(*share) + (star ? "*" : "") + (excess ? "!" : ""));
        } else {
          line.emplace_back("-");
        }
      }
      rows.push_back(std::move(line));
    }
    if (!any) continue;
    out += '\n';
    out += target;
    out += '\n';
    out += render_table(rows, 0, "  ");
  }
  if (out.empty()) return out;
  return "\nWhere the bytes went, per pass, median of the repetitions (gluster volume profile):\n"
         "  reads:  share served from caches = 1 - brick bytes read / bytes read\n"
         "  writes: share on the bricks = brick bytes written / (bytes written x copies)\n" +
         out;
}

// Which marks the tables used, so that the footnotes explain only those.
struct table_marks {
  bool count = false;          // (n=K): fewer repetitions than the others
  bool degraded = false;       // ^: a brick did not answer
  bool failed = false;         // every repetition failed
  bool starred = false;        // *: no fsync in the timed region
  bool exceeded = false;       // !: the bricks moved more than the pass
  bool no_difference = false;  // ~: a ratio whose interval spans 1 (after correction)
  bool one_round = false;      // a ratio of one round: no interval
};

// The repetition count asked for, as far as the results tell: the most
// any case has. Cells with fewer (some repetitions failed) are marked.
std::int64_t usual_repetitions(const std::vector<case_summary>& cases) {
  std::int64_t usual_count = 0;
  for (const case_summary& c : cases) {
    if (auto s = summarize(c)) usual_count = std::max(usual_count, s->count);
  }
  return usual_count;
}

std::string throughput_heading(std::int64_t usual_count) {
  std::string out =
      "Throughput in kB/s (kB/s = KiB/s, 1 kB = 1024 bytes, as IOzone), mean and median";
  if (usual_count > 0) {
    out +=
        " of " + std::to_string(usual_count) + (usual_count == 1 ? " repetition" : " repetitions");
  }
  if (usual_count > 1) out += "; ±: the mean's 95 % interval (Student's t over repetitions)";
  out += '\n';
  return out;
}

// A case's mean and median cells. True when they show a result or a
// failure, false when there is nothing to show ("-").
bool add_throughput_cells(const case_summary* c, std::int64_t usual_count,
                          std::vector<std::string>& line, table_marks& marks) {
  const std::optional<throughput_stats> s = c ? summarize(*c) : std::nullopt;
  if (s) {
    std::string note;
    if (s->count != usual_count) {
      note = " (n=" + std::to_string(s->count) + ")";
      marks.count = true;
    }
    if (c->degraded > 0) {
      note += "^";
      marks.degraded = true;
    }
    const std::string plus_minus = format_plus_minus(mean_interval(c->bytes_per_second));
    line.push_back(format_kb_per_second(s->mean) + note +
                   (plus_minus.empty() ? "" : " " + plus_minus));
    line.push_back(format_kb_per_second(s->median) + note);
    return true;
  }
  if (c != nullptr && c->failed > 0) {
    marks.failed = true;
    line.emplace_back("failed");
    line.emplace_back("failed");
    return true;
  }
  line.emplace_back("-");
  line.emplace_back("-");
  return false;
}

// One target's table of mean and median throughput; rows with nothing to
// show are left out.
std::string throughput_block(const table_layout& t, const std::string& target,
                             std::int64_t usual_count, table_marks& marks) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = t.head_titles();
  for (const std::string& op : t.operations) {
    header.push_back(op + " mean");
    header.push_back(op + " median");
  }
  rows.push_back(std::move(header));
  for (const row_key& row : t.rows) {
    std::vector<std::string> line = t.head(row);
    bool any = false;
    for (const std::string& op : t.operations) {
      if (add_throughput_cells(find_cell(t, target, row, op), usual_count, line, marks)) {
        any = true;
      }
    }
    if (any) rows.push_back(std::move(line));
  }
  std::string out;
  out += '\n';
  out += target;
  out += '\n';
  out += render_table(rows, 0, "  ");
  return out;
}

// Each cell's reference over other, round by round, corrected together
// for the many cells of the summary (Holm).
using ratio_key = std::tuple<std::string, row_key, std::string>;  // other, row, operation

std::map<ratio_key, comparison> ratio_comparisons(const table_layout& t,
                                                  std::string_view reference) {
  std::map<ratio_key, comparison> out;
  for (const std::string& other : t.targets) {
    if (other == reference) continue;
    for (const row_key& row : t.rows) {
      for (const std::string& op : t.operations) {
        const case_summary* a = find_cell(t, std::string(reference), row, op);
        const case_summary* b = find_cell(t, other, row, op);
        if (a == nullptr || b == nullptr) continue;
        const auto [ra, rb] = paired_rounds(*a, *b);
        if (ra.empty()) continue;
        out.emplace(ratio_key{other, row, op}, compare_paired(ra, rb));
      }
    }
  }
  std::vector<comparison*> family;
  family.reserve(out.size());
  for (auto& [key, c] : out) family.push_back(&c);
  adjust_holm(family);
  return out;
}

// "1.10 [1.02-1.19] faster", "0.98 [0.91-1.06] ~", "1.10 (n=1)".
std::string ratio_cell(const comparison& c, table_marks& marks) {
  if (c.verdict() == verdict::too_few) {
    marks.one_round = true;
    // Three significant digits: one round's ratio may be far from 1.
    return format_ratio(c.ratio) + " (n=" + std::to_string(c.n) + ")";
  }
  if (c.verdict() == verdict::no_difference) marks.no_difference = true;
  return format_comparison_cell(c);
}

// The table of reference / other where both have data; empty when no
// cell has both.
std::string ratio_block(const table_layout& t, std::string_view reference, const std::string& other,
                        const std::map<ratio_key, comparison>& ratios, table_marks& marks) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = t.head_titles();
  for (const std::string& op : t.operations) header.push_back(op);
  rows.push_back(std::move(header));
  bool any_ratio = false;
  for (const row_key& row : t.rows) {
    std::vector<std::string> line = t.head(row);
    for (const std::string& op : t.operations) {
      const auto it = ratios.find(ratio_key{other, row, op});
      if (it == ratios.end()) {
        line.emplace_back("-");
        continue;
      }
      line.push_back(ratio_cell(it->second, marks));
      any_ratio = true;
    }
    rows.push_back(std::move(line));
  }
  if (!any_ratio) return {};
  std::string out;
  out += '\n';
  out += std::string(reference) + " / " + other + " (throughput, round by round: " +
         "the rounds' geometric mean [95 % interval]; above 1: " + std::string(reference) +
         " is faster)\n";
  out += render_table(rows, 0, "  ");
  return out;
}

// Ratios: reference / other for every other target, with their intervals
// and verdicts.
std::string ratio_blocks(const table_layout& t, std::string_view reference, table_marks& marks) {
  const bool has_reference =
      std::find(t.targets.begin(), t.targets.end(), reference) != t.targets.end();
  if (!has_reference) return {};
  const auto ratios = ratio_comparisons(t, reference);
  std::string out;
  for (const std::string& other : t.targets) {
    if (other == reference) continue;
    out += ratio_block(t, reference, other, ratios, marks);
  }
  if (!ratios.empty()) {
    std::size_t tested = 0;
    for (const auto& [key, c] : ratios) tested += c.n >= 2 ? 1 : 0;
    if (tested > 0) {
      out += "faster, slower: a difference this run shows after Holm's correction for the " +
             std::to_string(tested) + (tested == 1 ? " comparison" : " comparisons") +
             " above (5 %)";
      out += marks.no_difference ? "; ~: no difference this run can show\n" : "\n";
    }
  }
  return out;
}

// What each read mode of the run means, in the order the modes appear.
std::string cache_mode_notes(const std::vector<std::string>& modes) {
  std::string out;
  for (const std::string& mode : modes) {
    if (mode == "warm") {
      out +=
          "read:warm: as IOzone reads, right after the file was written (or, read-only, read "
          "once untimed): caches between gfbench and the bricks may serve it\n";
    } else if (mode == "cold") {
      out +=
          "read:cold: caches emptied before each pass, the client as configured (read-ahead "
          "stays): POSIX drops the file from the page cache; gfapi reads through a client "
          "whose graph keeps no data of the file\n";
    } else if (mode == "uncached") {
      out +=
          "read:uncached: the client's caches bypassed: O_DIRECT on POSIX (no page cache, no "
          "kernel read-ahead); gfapi with every performance translator passed through\n";
    }
  }
  return out;
}

// When the clock stops for writes: before fsync, or after it.
std::string write_timing_notes(bool any_unsynced_write, bool any_fsync) {
  std::string out;
  if (any_unsynced_write) {
    out +=
        "write, rewrite, random_write: the clock stops when the last write returns, before any "
        "fsync: write-behind (libgfapi's, the FUSE client's) and the page cache may still hold "
        "data then, so these are rates of acknowledged writes; --fsync times the fsync too "
        "(IOzone -e)\n";
  }
  if (any_fsync) {
    out +=
        "OP+fsync: the time includes fsync (IOzone -e), so the bytes were on the bricks when "
        "it ended\n";
  }
  return out;
}

// What the marks in the cells mean, for the marks used.
std::string mark_notes(const table_marks& marks) {
  std::string out;
  if (marks.starred) {
    out +=
        "*: no fsync in the timed region (write-behind and the page cache may still hold "
        "data when it ends); the share is what the bricks had at the snapshot right after it, "
        "an upper bound\n";
  }
  if (marks.exceeded) {
    out +=
        "!: the bricks moved more bytes than the pass did (read-ahead past its end, another "
        "client of the volume, a self-heal); the share is clamped to 0-100%\n";
  }
  if (marks.count) {
    out += "(n=K): only K repetitions of that case succeeded or were reported\n";
  }
  if (marks.one_round) {
    out += "a ratio (n=1): one round of both, so no interval and no verdict\n";
  }
  if (marks.failed) out += "failed: every repetition of that case failed (see below)\n";
  if (marks.degraded) {
    out +=
        "^: some repetitions of that case ran while a brick of the volume did not answer; they "
        "are in the mean and median (see \"degraded cases\" below)\n";
  }
  return out;
}

// gfapi cases that started with more libgfapi io-threads workers than they
// keep requests in flight: earlier, deeper cases of the same process grew
// the pool (client_io_workers.hpp), which a case of its own would not have.
std::string io_workers_notes(const std::vector<case_summary>& cases) {
  std::vector<std::string> names;
  double most = 0;
  for (const case_summary& c : cases) {
    const auto it = c.counters.find(client_io_workers_counter);
    if (it == c.counters.end() || it->second.empty()) continue;
    const double in_flight = std::max(1U, c.queue_depth) * std::max(1U, c.threads);
    const double found = *std::max_element(it->second.begin(), it->second.end());
    if (found <= in_flight) continue;
    add_unique(names, c.name);
    most = std::max(most, found);
  }
  if (names.empty()) return {};
  std::string listed = names.front();
  for (std::size_t i = 1; i < names.size() && i < 3; ++i) listed += ", " + names[i];
  if (names.size() > 3) listed += " and " + std::to_string(names.size() - 3) + " more";
  return "client io-threads: " + listed + " started with more libgfapi io-threads workers (up to " +
         std::to_string(static_cast<long long>(most)) +
         ") than requests in flight, grown by deeper cases before them (an idle worker stays "
         "120 s; a fresh client has one). On a small client the extra threads cost CPU "
         "(docs/performance.md: depth-1 writes at 0.73-0.86 of the same case in a process of "
         "its own); run deep queued cases in a run of their own, or after the shallow ones\n";
}

// The notes under the tables, after a blank line when there are any.
std::string footnotes(const std::vector<case_summary>& cases, const table_marks& marks) {
  const bool any_fsync =
      std::any_of(cases.begin(), cases.end(), [](const case_summary& c) { return c.fsync_timed; });
  const bool any_unsynced_write = std::any_of(cases.begin(), cases.end(), [](const auto& c) {
    const auto op = parse_operation(c.operation);
    return op && is_write(*op) && !c.fsync_timed;
  });

  std::vector<std::string> modes;
  for (const case_summary& c : cases) {
    if (!c.cache.empty()) add_unique(modes, c.cache);
  }
  const std::string workers = io_workers_notes(cases);
  std::string out;
  if (marks.count || marks.failed || marks.degraded || marks.starred || marks.exceeded ||
      any_fsync || any_unsynced_write || !modes.empty() || !workers.empty()) {
    out += '\n';
  }
  out += cache_mode_notes(modes);
  out += write_timing_notes(any_unsynced_write, any_fsync);
  out += mark_notes(marks);
  out += workers;
  return out;
}

}  // namespace

std::string format_kb_per_second(double bytes_per_second) {
  if (!std::isfinite(bytes_per_second) || bytes_per_second < 0) return "?";
  const auto kb = static_cast<unsigned long long>(std::llround(bytes_per_second / bytes_per_kb));
  std::string digits = std::to_string(kb);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string format_summary(const std::vector<case_summary>& cases, std::string_view reference) {
  if (cases.empty()) return {};
  const table_layout t = layout(cases);
  const std::int64_t usual_count = usual_repetitions(cases);
  std::string out = throughput_heading(usual_count);
  table_marks marks;
  for (const std::string& target : t.targets) {
    out += throughput_block(t, target, usual_count, marks);
  }
  out += ratio_blocks(t, reference, marks);
  out += brick_share_blocks(t, marks.starred, marks.exceeded);
  out += footnotes(cases, marks);
  return out;
}

std::string format_profile_note(bool profiling, bool shared_volume, std::string_view volume) {
  if (!profiling) return {};
  std::string out =
      "gluster volume profile was on for " + std::string(volume) +
      " during every case: every brick's io-stats (and the clients') timed and counted each "
      "call, which slows short passes most (4 KiB writes of 1 MiB files ran at 0.42 of their "
      "speed without it through libgfapi and 0.70 through FUSE in the sandbox; 100 MiB files "
      "within noise); "
      "--no-profile measures without it\n";
  if (shared_volume) {
    out += "brick counters count every client of " + std::string(volume) +
           ", not gfbench alone: other clients' I/O during a pass adds to them (a cell marked ! "
           "moved more than its pass)\n";
  }
  return out;
}

std::string format_failures(const std::vector<case_failure>& failures) {
  if (failures.empty()) return {};
  // After a stop request every case not yet started skips itself: one line
  // for all of them says more than a line each.
  constexpr std::string_view not_run = "interrupted: stop requested (signal) before this case";
  std::string out = "failed cases:\n";
  std::size_t skipped = 0;
  std::vector<std::string> skipped_cases;
  for (const case_failure& f : failures) {
    if (f.message == not_run) {
      ++skipped;
      add_unique(skipped_cases, f.name);
      continue;
    }
    out += "  " + f.name;
    if (f.repetition >= 0) out += " (repetition " + std::to_string(f.repetition + 1) + ")";
    out += ": " + f.message + '\n';
  }
  if (skipped > 0) {
    out += "  not run after the stop request: " + std::to_string(skipped) +
           (skipped == 1 ? " repetition" : " repetitions") + " of " +
           std::to_string(skipped_cases.size()) + (skipped_cases.size() == 1 ? " case" : " cases") +
           '\n';
  }
  return out;
}

std::string format_degraded(const std::vector<case_summary>& cases) {
  std::string out;
  for (const case_summary& c : cases) {
    if (c.degraded == 0) continue;
    if (out.empty()) {
      out =
          "degraded cases (a brick of the volume did not answer before or after the case; "
          "replicas served without it, see the log):\n";
    }
    out += "  " + c.name + ": " + std::to_string(c.degraded) +
           (c.degraded == 1 ? " repetition" : " repetitions") + " degraded\n";
  }
  return out;
}

}  // namespace gfbench::app
