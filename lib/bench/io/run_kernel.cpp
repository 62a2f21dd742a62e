// run_kernel (gfbench/kernels.hpp): the checks every built-in case makes
// before it runs, then the kernel for its mode: its own scratch file, one
// call after the other (io_kernels.cpp) or many requests in flight
// (queued_kernel.cpp), or a file that exists (read_only_kernel.cpp).

#include <stdexcept>
#include <string>

#include "bench/io/io_kernels.hpp"
#include "bench/io/queued_kernel.hpp"
#include "bench/io/read_only_kernel.hpp"
#include "gfbench/kernels.hpp"
#include "gfbench/stop.hpp"
#include "gfbench/watchdog.hpp"

namespace gfbench {

void run_kernel(operation op, benchmark::State& state, case_context& context) {
  try {
    if (stop_requested()) {
      state.SkipWithError("interrupted: stop requested (signal) before this case");
      return;
    }
    target* where = context.existing_file.empty()
                        ? (context.scratch ? &context.scratch->where() : nullptr)
                        : context.where;
    if (where == nullptr) throw std::invalid_argument("case has no scratch area and no target");
    if (target_hung(*where)) {
      state.SkipWithError(
          ("skipped: a call on " + where->describe() + " hung in an earlier case (see the log)")
              .c_str());
      return;
    }
    if (!context.existing_file.empty()) return detail::read_existing_file(op, state, context);
    validate_shape(context.shape);
    if (context.shape.queued || op == operation::random_rw) {
      return detail::run_queued_kernel(op, state, context);
    }
    detail::run_io_kernel(op, state, context);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
}

}  // namespace gfbench
