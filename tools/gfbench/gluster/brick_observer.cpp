#include "gluster/brick_observer.hpp"

#include <algorithm>

#include "common/app_log.hpp"
#include "common/counter_names.hpp"
#include "gfbench/case.hpp"

namespace gfbench::app {

brick_observer::brick_observer(brick_profiler& profiler, std::vector<std::string> target_labels,
                               bool fop_detail)
    : profiler_(profiler), labels_(std::move(target_labels)), fop_detail_(fop_detail) {}

void brick_observer::before_case(const case_info& c) {
  covered_ = std::find(labels_.begin(), labels_.end(), c.target_label) != labels_.end();
  before_.reset();
  total_ = {};
  passes_ = 0;
  error_.clear();
}

void brick_observer::before_pass(const case_info& /*c*/) {
  if (!covered_ || !error_.empty()) return;
  try {
    before_ = profiler_.snapshot();
  } catch (const std::exception& e) {
    error_ = e.what();
  }
}

void brick_observer::after_pass(const case_info& /*c*/) {
  if (!covered_ || !error_.empty() || !before_) return;
  try {
    const profile_snapshot after = profiler_.snapshot();
    total_ += profile_difference(*before_, after);
    ++passes_;
  } catch (const std::exception& e) {
    error_ = e.what();
  }
  before_.reset();
}

void brick_observer::after_case(const case_info& c, benchmark::State& state) {
  if (!covered_) return;
  if (!error_.empty()) {
    constexpr int loud = 3;
    if (++warnings_ <= loud) {
      logger().warn("{}: no brick counters: {}{}", c.name, error_,
                    warnings_ == loud ? " (further ones at debug level)" : "");
    } else {
      logger().debug("{}: no brick counters: {}", c.name, error_);
    }
    return;
  }
  if (passes_ == 0 || state.error_occurred()) return;
  const auto passes = static_cast<double>(passes_);
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
