#include "gluster/brick_counters.hpp"

#include <algorithm>

namespace gfbench::app {
namespace {

bool went_back(const brick_stats& before, const brick_stats& after) {
  if (after.duration_s < before.duration_s || after.bytes_read < before.bytes_read ||
      after.bytes_written < before.bytes_written) {
    return true;
  }
  for (const auto& [name, b] : before.fops) {
    const auto it = after.fops.find(name);
    if (it == after.fops.end() || it->second.calls < b.calls) return true;
  }
  return false;
}

}  // namespace

brick_interval& brick_interval::operator+=(const brick_interval& other) {
  bytes_read += other.bytes_read;
  bytes_written += other.bytes_written;
  for (const auto& [name, f] : other.fops) {
    auto& mine = fops[name];
    mine.calls += f.calls;
    mine.total_latency_ns += f.total_latency_ns;
  }
  bricks = std::max(bricks, other.bricks);
  return *this;
}

brick_interval profile_difference(const profile_snapshot& before, const profile_snapshot& after) {
  const auto find = [](const profile_snapshot& s, const std::string& name) {
    return std::find_if(s.bricks.begin(), s.bricks.end(),
                        [&](const brick_stats& b) { return b.brick == name; });
  };
  for (const brick_stats& b : before.bricks) {
    if (find(after, b.brick) == after.bricks.end()) {
      throw profile_error("brick " + b.brick +
                          " did not answer the second profile snapshot (offline?)");
    }
  }
  for (const brick_stats& a : after.bricks) {
    if (find(before, a.brick) == before.bricks.end()) {
      throw profile_error("brick " + a.brick +
                          " did not answer the first profile snapshot (it was offline)");
    }
  }
  brick_interval d;
  for (const brick_stats& b : before.bricks) {
    const auto it = find(after, b.brick);
    if (went_back(b, *it)) {
      throw profile_error("the counters of brick " + b.brick +
                          " went back: it restarted, or its profile was cleared, meanwhile");
    }
    d.bytes_read += it->bytes_read - b.bytes_read;
    d.bytes_written += it->bytes_written - b.bytes_written;
    for (const auto& [name, a] : it->fops) {
      const auto old = b.fops.find(name);
      const fop_counts was = old == b.fops.end() ? fop_counts{} : old->second;
      if (a.calls == was.calls) continue;
      auto& f = d.fops[name];
      f.calls += a.calls - was.calls;
      f.total_latency_ns += std::max(0.0, a.total_latency_ns - was.total_latency_ns);
    }
  }
  d.bricks = after.bricks.size();
  return d;
}

}  // namespace gfbench::app
