#include "results/failure_table.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "common/text_table.hpp"

namespace gfbench::app {
namespace {

std::string seconds_text(double s) { return format_fixed(s, 1); }

std::string p99_ms(const timeline_span& s) {
  return s.completions == 0 ? "-" : format_fixed(s.p99_us / 1000.0, 2);
}

std::string percent_of(double part, double whole) {
  if (whole <= 0) return "-";
  return format_fixed(100.0 * part / whole, 0) + " %";
}

// IOPS over the whole pass, as a strip of block characters a terminal
// shows (one column per stretch of the pass, the tallest its busiest), and
// beneath it where the fault struck (F), was undone (C) and the heal ended
// (H): the shape of the failure at a glance, without a plot.
std::string iops_strip(const pass_timeline& pass, double struck, double cleared, double healed) {
  constexpr std::size_t most_columns = 60;
  const std::size_t columns = std::min(most_columns, pass.intervals.size());
  if (columns == 0 || pass.seconds <= 0) return {};
  const double width = pass.seconds / static_cast<double>(columns);
  std::vector<double> iops(columns);
  for (std::size_t c = 0; c < columns; ++c) {
    const double from = static_cast<double>(c) * width;
    iops[c] = span_of(pass, from, from + width).per_second();
  }
  const double peak = *std::max_element(iops.begin(), iops.end());
  if (peak <= 0) return {};
  static constexpr std::array<const char*, 9> levels{
      "\u00b7", "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588"};
  std::string bars, marks(columns, ' ');
  for (const double v : iops) {
    // Anything that completed shows, however little.
    const auto level = v <= 0 ? 0 : std::clamp<long>(std::lround(8 * v / peak), 1, 8);
    bars += levels[static_cast<std::size_t>(level)];
  }
  const auto mark = [&](double at, char c) {
    if (at < 0 || at > pass.seconds) return;  // not in this pass (it ended first)
    const auto col = std::min(columns - 1, static_cast<std::size_t>(at / width));
    marks[col] = c;
  };
  mark(struck, 'F');
  mark(cleared, 'C');
  mark(healed, 'H');
  while (!marks.empty() && marks.back() == ' ') marks.pop_back();
  return "  IOPS over the pass, a column per " + format_fixed(width, 1) + " s (\u2588 " +
         with_thousands(peak) + ", \u00b7 none completed; F fault, C undone, H healed):\n  " +
         bars + "\n  " + marks + "\n";
}

}  // namespace

std::vector<failure_story> failure_stories(const std::vector<case_timeline>& timelines) {
  std::vector<failure_story> stories;
  for (const case_timeline& t : timelines) {
    failure_story story{.case_name = t.case_name, .repetition = t.repetition};
    double struck = -1, cleared = -1, healed = -1;
    // A fault gfbench struck, or else a brick gluster saw go (a fault made
    // by hand on a volume gfbench only watched).
    const bool injected = std::any_of(t.events.begin(), t.events.end(),
                                      [](const timeline_event& e) { return e.kind == "fault"; });
    const std::string down = injected ? "fault" : "brick-down";
    const std::string up = injected ? "clear" : "brick-up";
    for (const timeline_event& e : t.events) {
      if (e.kind == down) {
        story.faults.push_back(e.what);
        if (struck < 0) struck = e.at_s;
      } else if (e.kind == up) {
        cleared = std::max(cleared, e.at_s);
      } else if (e.kind == "healed") {
        healed = e.at_s;
      } else if (e.kind == "verified") {
        story.verified = e.what;
      } else if (e.kind == "error") {
        story.errors.push_back(e.what);
      }
    }
    if (struck < 0) continue;
    const double end = t.timeline.seconds;
    if (cleared < 0) cleared = end;
    // The stall the fault caused: the longest that began as it struck
    // (its start is the last completion before it). Shorter stalls later
    // are the workload's own, counted in the total.
    const double near = std::max(2.0, 2 * t.timeline.interval_s);
    double stall_from = struck, stall_to = struck;
    for (const timeline_stall& s : t.timeline.stalls) {
      if (s.start_s + s.seconds < struck) continue;
      story.stall_total_s += s.seconds;
      if (s.start_s <= struck + near && s.seconds > story.longest_stall_s) {
        story.longest_stall_s = s.seconds;
        stall_from = s.start_s;
        stall_to = s.start_s + s.seconds;
      }
    }
    if (healed >= cleared) story.heal_s = healed - cleared;
    for (const heal_sample& h : t.heal) {
      const std::int64_t sum = std::accumulate(
          h.pending.begin(), h.pending.end(), std::int64_t{0},
          [](std::int64_t a, std::int64_t b) { return a + std::max<std::int64_t>(b, 0); });
      story.peak_heal_entries = std::max(story.peak_heal_entries, sum);
      if (h.at_s < struck) story.heal_entries_before_fault = sum;
    }
    const double heal_end = healed >= cleared ? std::min(healed, end) : end;
    story.strip = iops_strip(t.timeline, struck, cleared, healed >= cleared ? healed : -1);
    const double degraded_from = std::min(std::max(stall_to, struck), cleared);
    // Each phase is the intervals that start in it; the stall, shorter
    // than an interval's edges would show, is as the requests saw it.
    const auto phase = [&](const char* name, double from, double to) {
      const timeline_span span = span_of(t.timeline, from, to);
      if (span.intervals > 0) story.phases.push_back({name, from, to, span});
    };
    phase("before", 0, std::min(stall_from, struck));
    if (stall_to > stall_from) {
      story.phases.push_back(
          {"stall", stall_from, stall_to,
           timeline_span{
               .from_s = stall_from, .to_s = stall_to, .seconds = stall_to - stall_from}});
    }
    phase("degraded", degraded_from, cleared);
    phase("heal", cleared, heal_end);
    phase("after", heal_end, end);
    stories.push_back(std::move(story));
  }
  return stories;
}

std::string format_failure_tables(const std::vector<failure_story>& stories) {
  std::string out;
  for (const failure_story& s : stories) {
    out += "\nThrough the failure: " + s.case_name + " (repetition " +
           std::to_string(s.repetition + 1) + ")\n";
    for (const std::string& f : s.faults) out += "  fault: " + f + "\n";
    double before_iops = 0;
    std::vector<std::vector<std::string>> rows{
        {"phase", "from s", "to s", "IOPS", "MiB/s", "p99 ms", "max ms", "errors", "vs before"}};
    for (const failure_phase& p : s.phases) {
      const double iops = p.span.per_second();
      if (p.name == "before") before_iops = iops;
      const double mib =
          p.span.seconds > 0 ? static_cast<double>(p.span.bytes) / p.span.seconds / (1 << 20) : 0;
      rows.push_back({p.name, seconds_text(p.from_s), seconds_text(p.to_s), with_thousands(iops),
                      format_fixed(mib, 1), p99_ms(p.span),
                      p.span.completions == 0 ? "-" : format_fixed(p.span.max_us / 1000.0, 1),
                      std::to_string(p.span.errors),
                      p.name == "before" ? "" : percent_of(iops, before_iops)});
    }
    out += render_table(rows, 1, "  ");
    out += s.strip;
    char line[256];
    std::snprintf(line, sizeof line,
                  "  stall: %.1f s as the fault struck, %.1f s in all after it\n",
                  s.longest_stall_s, s.stall_total_s);
    out += line;
    if (s.heal_s >= 0) {
      std::snprintf(line, sizeof line,
                    "  heal: %.1f s from the last fault's end to no entry waiting, at most %lld "
                    "entr%s waiting\n",
                    s.heal_s, static_cast<long long>(s.peak_heal_entries),
                    s.peak_heal_entries == 1 ? "y" : "ies");
    } else {
      std::snprintf(line, sizeof line, "  heal: not seen over (at most %lld entries waiting)\n",
                    static_cast<long long>(s.peak_heal_entries));
    }
    out += line;
    if (s.heal_entries_before_fault > 0) {
      // Disperse marks a file dirty in its bricks' heal index for as long
      // as writes to it go on: the index cannot tell that from a heal.
      std::snprintf(line, sizeof line,
                    "  heal index: %lld entr%s before the fault already; a file being written "
                    "can stay in it (disperse marks it until its writes stop), so the heal may "
                    "only be seen over when the workload ends\n",
                    static_cast<long long>(s.heal_entries_before_fault),
                    s.heal_entries_before_fault == 1 ? "y" : "ies");
      out += line;
    }
    for (const std::string& e : s.errors) out += "  fault error: " + e + "\n";
    out += s.verified.empty() ? "  data: the copies were not compared (the case failed first)\n"
                              : "  data verified on every copy: " + s.verified + "\n";
  }
  return out;
}

}  // namespace gfbench::app
