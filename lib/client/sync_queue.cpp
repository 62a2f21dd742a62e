#include "client/sync_queue.hpp"

#include <stdexcept>
#include <utility>

namespace gfbench {

bool io_queue::drain(std::vector<io_completion>& out, std::chrono::nanoseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (in_flight() > 0) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    reap(out, deadline - now);
  }
  return true;
}

namespace detail {

sync_queue::sync_queue(call_function call, const char* engine)
    : call_(std::move(call)), engine_(engine) {}

void sync_queue::submit(const io_request& request) {
  if (done_) throw std::logic_error("io_queue: submit on a full queue (depth 1)");
  io_completion c{.tag = request.tag, .kind = request.kind, .requested = requested_bytes(request)};
  c.submitted = io_completion::clock::now();
  c.result = call_(request);
  c.completed = io_completion::clock::now();
  done_ = c;
}

std::size_t sync_queue::reap(std::vector<io_completion>& out,
                             std::chrono::nanoseconds /*timeout*/) {
  if (!done_) return 0;
  out.push_back(*done_);
  done_.reset();
  return 1;
}

}  // namespace detail
}  // namespace gfbench
