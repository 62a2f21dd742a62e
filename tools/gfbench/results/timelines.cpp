#include "results/timelines.hpp"

#include <cstdio>
#include <utility>

namespace gfbench::app {
namespace {

double seconds_between(std::chrono::steady_clock::time_point from,
                       std::chrono::steady_clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

}  // namespace

void timeline_collector::before_case(const case_info& c) {
  const std::lock_guard lock(mutex_);
  current_ = c.name;
  ++repetitions_[c.name];
  pass_in_case_ = 0;
}

void timeline_collector::pass_timeline(const case_info& c, const gfbench::pass_timeline& timeline) {
  const std::lock_guard lock(mutex_);
  case_timeline entry{.case_name = c.name,
                      .repetition = repetitions_[c.name] - 1,
                      .pass = pass_in_case_++,
                      .timeline = timeline};
  // What was said before this pass began belongs to the one before it.
  std::vector<pending_event> later;
  for (pending_event& e : early_events_) {
    if (e.at < timeline.begin && !passes_.empty()) {
      e.event.at_s = seconds_between(passes_.back().timeline.begin, e.at);
      passes_.back().events.push_back(std::move(e.event));
    } else {
      e.event.at_s = seconds_between(timeline.begin, e.at);
      entry.events.push_back(std::move(e.event));
    }
  }
  early_events_.clear();
  for (pending_sample& s : early_samples_) {
    case_timeline& into = s.at < timeline.begin && !passes_.empty() ? passes_.back() : entry;
    into.heal.push_back(
        {.at_s = seconds_between(into.timeline.begin, s.at), .pending = std::move(s.pending)});
  }
  early_samples_.clear();
  passes_.push_back(std::move(entry));
}

void timeline_collector::add_event(clock::time_point at, std::string kind, std::string what) {
  const std::lock_guard lock(mutex_);
  early_events_.push_back({at, {.at_s = 0, .kind = std::move(kind), .what = std::move(what)}});
}

void timeline_collector::add_heal_sample(clock::time_point at, std::vector<std::int64_t> pending) {
  const std::lock_guard lock(mutex_);
  early_samples_.push_back({at, std::move(pending)});
}

std::vector<case_timeline> timeline_collector::timelines() const {
  const std::lock_guard lock(mutex_);
  std::vector<case_timeline> out = passes_;
  // What came after the last pass (a heal that outlasted it) is the last pass's.
  if (!out.empty()) {
    case_timeline& last = out.back();
    for (const pending_event& e : early_events_) {
      timeline_event event = e.event;
      event.at_s = seconds_between(last.timeline.begin, e.at);
      last.events.push_back(std::move(event));
    }
    for (const pending_sample& s : early_samples_) {
      last.heal.push_back(
          {.at_s = seconds_between(last.timeline.begin, s.at), .pending = s.pending});
    }
  }
  return out;
}

std::string format_stalls(const std::vector<case_timeline>& timelines,
                          std::chrono::milliseconds longer_than) {
  const double bound = std::chrono::duration<double>(longer_than).count();
  std::string out;
  for (const case_timeline& t : timelines) {
    const timeline_stall* s = t.timeline.longest_stall();
    if (s == nullptr || s->seconds < bound) continue;
    char line[256];
    std::snprintf(line, sizeof line,
                  "  %s (repetition %d): I/O stood still %.1f s from %.1f s: %llu request%s in "
                  "flight, none completed%s\n",
                  t.case_name.c_str(), t.repetition + 1, s->seconds, s->start_s,
                  static_cast<unsigned long long>(s->in_flight), s->in_flight == 1 ? "" : "s",
                  s->to_end ? ", until the pass ended" : "");
    out += line;
  }
  if (out.empty()) return out;
  return "Stalls (requests in flight, none completed, at least " +
         std::to_string(static_cast<int>(bound)) + " s):\n" + out;
}

}  // namespace gfbench::app
