#include "gluster/brick_observer.hpp"

#include <algorithm>

#include "common/counter_names.hpp"
#include "gfbench/case.hpp"

namespace gfbench::app {

brick_observer::brick_observer(brick_profiler& profiler, std::vector<std::string> target_labels,
                               bool fop_detail)
    : pass_difference_observer("brick counters"),
      profiler_(profiler),
      labels_(std::move(target_labels)),
      fop_detail_(fop_detail) {}

bool brick_observer::begin_case(const case_info& c) {
  before_.reset();
  total_ = {};
  return std::find(labels_.begin(), labels_.end(), c.target_label) != labels_.end();
}

void brick_observer::take_before() { before_ = profiler_.snapshot(); }

void brick_observer::take_after() {
  total_ += profile_difference(*before_, profiler_.snapshot());
  before_.reset();
}

void brick_observer::report(const case_info& /*c*/, benchmark::State& state, double passes) {
  state.counters[brick_read_bytes_counter] =
      benchmark::Counter(static_cast<double>(total_.bytes_read) / passes);
  state.counters[brick_write_bytes_counter] =
      benchmark::Counter(static_cast<double>(total_.bytes_written) / passes);
  if (profiler_.layout().write_copies != 1) {
    state.counters[brick_copies_counter] = benchmark::Counter(profiler_.layout().write_copies);
  }
  if (!fop_detail_) return;
  for (const auto& [name, f] : total_.fops) {
    if (f.calls == 0) continue;
    state.counters[fop_counter_name("brick_", name, "_calls")] =
        benchmark::Counter(static_cast<double>(f.calls) / passes);
    state.counters[fop_counter_name("brick_", name, "_avg_us")] = benchmark::Counter(f.avg_us());
  }
}

}  // namespace gfbench::app
