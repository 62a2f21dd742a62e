#include "gluster/pass_difference.hpp"

#include <exception>

#include "common/app_log.hpp"

namespace gfbench::app {

void pass_difference_observer::before_case(const case_info& c) {
  covered_ = begin_case(c);
  have_before_ = false;
  passes_ = 0;
  error_.clear();
}

void pass_difference_observer::before_pass(const case_info& /*c*/) {
  if (!covered_ || !error_.empty()) return;
  try {
    take_before();
    have_before_ = true;
  } catch (const std::exception& e) {
    error_ = e.what();
  }
}

void pass_difference_observer::after_pass(const case_info& /*c*/) {
  if (!covered_ || !error_.empty() || !have_before_) return;
  have_before_ = false;
  try {
    take_after();
    ++passes_;
  } catch (const std::exception& e) {
    error_ = e.what();
  }
}

void pass_difference_observer::after_case(const case_info& c, benchmark::State& state) {
  if (!covered_) return;
  if (!error_.empty()) {
    constexpr int loud = 3;
    if (++warnings_ <= loud) {
      logger().warn("{}: no {}: {}{}", c.name, what_, error_,
                    warnings_ == loud ? " (further ones at debug level)" : "");
    } else {
      logger().debug("{}: no {}: {}", c.name, what_, error_);
    }
    return;
  }
  if (passes_ == 0 || state.error_occurred()) return;
  report(c, state, static_cast<double>(passes_));
}

}  // namespace gfbench::app
