#include "bench/watch/health_watch.hpp"

#include <cerrno>
#include <optional>

#include "gfbench/error.hpp"
#include "gfbench/kernels.hpp"
#include "util/log.hpp"

namespace gfbench::detail {

void health_watch::check(const char* when) {
  if (target_hung(where_)) return;  // it would only hang again
  std::optional<brick_status> status;
  try {
    watch_.call("brick health check", {}, [&] { status = where_.health(); });
  } catch (const io_error& e) {
    if (e.errno_value() == ETIMEDOUT) throw;  // hung: the watchdog's verdict stands
    if (e.errno_value() == ENOTCONN) {
      // Not one brick answers the query: as degraded as it gets.
      degraded_ = true;
      if (note_.empty())
        note_ = where_.describe() + " degraded " + when + " the case: no brick answers";
      logger().warn("{}: {} {} the case: no brick answers ({})", label_, where_.describe(), when,
                    e.what());
      return;
    }
    logger().debug("{}: cannot tell which bricks of {} answer: {}", label_, where_.describe(),
                   e.what());
    return;
  }
  if (!status || !status->degraded()) return;
  degraded_ = true;
  std::string missing;
  for (const auto& b : status->unreachable) missing += (missing.empty() ? "; missing: " : ", ") + b;
  if (note_.empty()) {
    note_ = where_.describe() + " degraded " + when +
            " the case: " + std::to_string(status->reachable) + " of " +
            std::to_string(status->expected) + " bricks answer" + missing;
  }
  logger().warn("{}: {} is degraded {} the case: {} of {} bricks answer{}", label_,
                where_.describe(), when, status->reachable, status->expected, missing);
}

void health_watch::rethrow_with_note() const {
  if (note_.empty()) throw;
  try {
    throw;
  } catch (const io_error& e) {
    io_error_context context{.operation = e.operation(),
                             .volume = e.volume(),
                             .path = e.path(),
                             .offset = e.offset(),
                             .hint = e.hint().empty() ? note_ : e.hint() + "; " + note_};
    throw io_error(e.errno_value(), std::move(context));
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string(e.what()) + " [" + note_ + "]");
  }
}

void health_watch::report(benchmark::State& state) const {
  // Always set, 0 or 1: Google Benchmark's CSV output needs every case to
  // have the counters the first one had.
  state.counters[degraded_counter] = degraded_ ? 1 : 0;
}

}  // namespace gfbench::detail
