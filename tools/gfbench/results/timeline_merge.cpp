#include "results/timeline_merge.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>

namespace gfbench::app {
namespace {

// Stretches [from, to) in seconds on the common clock, with what was in
// flight, in time order.
struct stretch {
  double from = 0;
  double to = 0;
  std::uint64_t in_flight = 0;
  bool to_end = false;
};

std::vector<stretch> both(const std::vector<stretch>& a, const std::vector<stretch>& b) {
  std::vector<stretch> out;
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const double from = std::max(a[i].from, b[j].from);
    const double to = std::min(a[i].to, b[j].to);
    if (from < to) {
      out.push_back({from, to, a[i].in_flight + b[j].in_flight, a[i].to_end && b[j].to_end});
    }
    if (a[i].to < b[j].to) {
      ++i;
    } else {
      ++j;
    }
  }
  return out;
}

[[noreturn]] void bad(std::string_view why) {
  throw std::runtime_error("a rank's timeline cannot be read: " + std::string(why));
}

}  // namespace

std::string encode_timeline(const rank_timeline& r) {
  const pass_timeline& t = r.timeline;
  std::ostringstream out;
  out.precision(17);
  out << "B " << r.begin_s << ' ' << t.seconds << ' ' << t.interval_s << ' ' << t.asked_interval_s
      << '\n';
  for (const timeline_interval& i : t.intervals) {
    out << "I " << i.start_s << ' ' << i.seconds << ' ' << i.completions << ' ' << i.bytes << ' '
        << i.items << ' ' << i.in_flight << ' ' << i.backlog << ' ' << i.p50_us << ' ' << i.p99_us
        << ' ' << i.max_us << ' ' << i.errors.size();
    for (const auto& [e, n] : i.errors) out << ' ' << e << ' ' << n;
    out << ' ' << i.latency_buckets.size();
    for (const auto& [b, n] : i.latency_buckets) out << ' ' << b << ' ' << n;
    out << '\n';
  }
  for (const timeline_stall& s : t.stalls) {
    out << "S " << s.start_s << ' ' << s.seconds << ' ' << s.in_flight << ' ' << s.to_end << '\n';
  }
  return out.str();
}

rank_timeline decode_timeline(std::string_view text) {
  std::istringstream in{std::string(text)};
  rank_timeline r;
  std::string tag;
  if (!(in >> tag) || tag != "B") bad("no header");
  if (!(in >> r.begin_s >> r.timeline.seconds >> r.timeline.interval_s >>
        r.timeline.asked_interval_s)) {
    bad("a bad header");
  }
  while (in >> tag) {
    if (tag == "I") {
      timeline_interval i;
      std::size_t errors = 0, buckets = 0;
      if (!(in >> i.start_s >> i.seconds >> i.completions >> i.bytes >> i.items >> i.in_flight >>
            i.backlog >> i.p50_us >> i.p99_us >> i.max_us >> errors)) {
        bad("a bad interval");
      }
      for (std::size_t k = 0; k < errors; ++k) {
        int e = 0;
        std::uint64_t n = 0;
        if (!(in >> e >> n)) bad("a bad error count");
        i.errors.emplace_back(e, n);
      }
      if (!(in >> buckets)) bad("no latency buckets");
      for (std::size_t k = 0; k < buckets; ++k) {
        std::uint16_t b = 0;
        std::uint32_t n = 0;
        if (!(in >> b >> n)) bad("a bad latency bucket");
        i.latency_buckets.emplace_back(b, n);
      }
      r.timeline.intervals.push_back(std::move(i));
    } else if (tag == "S") {
      timeline_stall s;
      if (!(in >> s.start_s >> s.seconds >> s.in_flight >> s.to_end)) bad("a bad stall");
      r.timeline.stalls.push_back(s);
    } else {
      bad("an unknown line " + tag);
    }
  }
  return r;
}

pass_timeline merge_timelines(const std::vector<rank_timeline>& ranks) {
  if (ranks.empty()) return {};
  double begin = std::numeric_limits<double>::infinity(), end = begin * -1, width = 0, asked = 0;
  for (const rank_timeline& r : ranks) {
    begin = std::min(begin, r.begin_s);
    end = std::max(end, r.begin_s + r.timeline.seconds);
    width = std::max(width, r.timeline.interval_s);
    asked = std::max(asked, r.timeline.asked_interval_s);
  }
  pass_timeline out;
  const auto earlier = std::chrono::duration<double>(ranks.front().begin_s - begin);
  out.begin = ranks.front().timeline.begin -
              std::chrono::duration_cast<std::chrono::steady_clock::duration>(earlier);
  out.begin_utc = ranks.front().timeline.begin_utc -
                  std::chrono::duration_cast<std::chrono::system_clock::duration>(earlier);
  out.seconds = end - begin;
  out.interval_s = width;
  out.asked_interval_s = asked;
  if (width <= 0) return out;
  const auto count = static_cast<std::size_t>(std::max(1.0, std::ceil(out.seconds / width - 1e-9)));
  // Per merged interval: the ranks' intervals that start in it.
  std::vector<std::vector<const timeline_interval*>> parts(count);
  for (const rank_timeline& r : ranks) {
    for (const timeline_interval& i : r.timeline.intervals) {
      const double at = r.begin_s - begin + i.start_s;
      const auto k =
          std::min(count - 1, static_cast<std::size_t>(std::max(0.0, at / width + 1e-9)));
      parts[k].push_back(&i);
    }
  }
  for (std::size_t k = 0; k < count; ++k) {
    timeline_interval m{.start_s = static_cast<double>(k) * width,
                        .seconds = std::min(width, out.seconds - static_cast<double>(k) * width)};
    pass_timeline alone;  // the parts, for their merged percentiles
    std::map<std::uint16_t, std::uint64_t> buckets;
    std::map<int, std::uint64_t> errors;
    for (const timeline_interval* i : parts[k]) {
      m.completions += i->completions;
      m.bytes += i->bytes;
      m.items += i->items;
      m.in_flight += i->in_flight;
      m.backlog += i->backlog;
      for (const auto& [e, n] : i->errors) errors[e] += n;
      for (const auto& [b, n] : i->latency_buckets) buckets[b] += n;
      timeline_interval copy = *i;
      copy.start_s = 0;
      alone.intervals.push_back(std::move(copy));
    }
    const timeline_span span = span_of(alone, 0, 1);
    m.p50_us = span.p50_us;
    m.p99_us = span.p99_us;
    m.max_us = span.max_us;
    for (const auto& [e, n] : errors) m.errors.emplace_back(e, n);
    for (const auto& [b, n] : buckets) {
      m.latency_buckets.emplace_back(
          b, static_cast<std::uint32_t>(std::min<std::uint64_t>(n, UINT32_MAX)));
    }
    out.intervals.push_back(std::move(m));
  }
  // Where every rank stood still at once.
  std::vector<stretch> common;
  for (std::size_t r = 0; r < ranks.size(); ++r) {
    std::vector<stretch> mine;
    for (const timeline_stall& s : ranks[r].timeline.stalls) {
      const double from = ranks[r].begin_s - begin + s.start_s;
      mine.push_back({from, from + s.seconds, s.in_flight, s.to_end});
    }
    common = r == 0 ? mine : both(common, mine);
  }
  for (const stretch& s : common) {
    out.stalls.push_back({.start_s = s.from,
                          .seconds = s.to - s.from,
                          .in_flight = s.in_flight,
                          .to_end = s.to_end});
  }
  return out;
}

}  // namespace gfbench::app
