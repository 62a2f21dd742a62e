#include "bench/io/guarded_case.hpp"

#include <exception>

#include "gfbench/watchdog.hpp"
#include "util/log.hpp"

namespace gfbench::detail {
namespace {

void wind_down(benchmark::State& state, health_watch& health, case_file& file,
               bool keep_files) noexcept {
  try {
    health.check("after");
  } catch (const std::exception& e) {
    logger().debug("health check after a failed case: {}", e.what());
  }
  health.report(state);
  if (keep_files || target_hung(file.where())) return;
  try {
    file.remove();
  } catch (const std::exception& e) {
    logger().warn("after the failed case, {} stays: {}", file.path(), e.what());
  }
}

}  // namespace

void run_guarded(benchmark::State& state, health_watch& health, case_file& file, bool keep_files,
                 const std::function<void()>& passes) {
  health.check("before");
  try {
    passes();
  } catch (const std::exception&) {
    wind_down(state, health, file, keep_files);
    health.rethrow_with_note();
  }
  if (state.error_occurred()) return wind_down(state, health, file, keep_files);
  health.check("after");
  health.report(state);
}

}  // namespace gfbench::detail
