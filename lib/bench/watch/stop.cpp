#include "gfbench/stop.hpp"

#include <atomic>

namespace gfbench {
namespace {

// Lock-free, so reading and writing them from a signal handler is defined.
std::atomic<bool> stop_flag{false};
std::atomic<int> stop_signo{0};
static_assert(std::atomic<bool>::is_always_lock_free);
static_assert(std::atomic<int>::is_always_lock_free);

}  // namespace

void request_stop(int signal_number) noexcept {
  stop_signo.store(signal_number);
  stop_flag.store(true);
}

bool stop_requested() noexcept { return stop_flag.load(std::memory_order_relaxed); }

int stop_signal() noexcept { return stop_signo.load(std::memory_order_relaxed); }

void clear_stop() noexcept {
  stop_flag.store(false);
  stop_signo.store(0);
}

}  // namespace gfbench
