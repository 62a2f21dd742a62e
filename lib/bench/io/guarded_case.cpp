#include "bench/io/guarded_case.hpp"

#include <exception>

#include "bench/io/pattern.hpp"
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

guarded_case::guarded_case(benchmark::State& state, case_context& context)
    : state_(state),
      context_(context),
      shape_(context.shape),
      file_(*context.scratch, context.file_name, shape_.direct),
      health_(file_.where(), file_.watch(), file_.where().label() + " " + context.file_name),
      seed_(file_seed(shape_.seed, context.file_name)),
      period_(period_for(shape_.block_size)),
      records_(shape_.file_size / shape_.block_size) {}

void guarded_case::run(const std::function<void()>& passes) {
  run_guarded(state_, health_, file_, context_.keep_files, passes);
}

}  // namespace gfbench::detail
