#pragma once
// An io_queue of depth 1 that runs each request as one synchronous call,
// at submit: what "queue depth 1" means on every target, and what each
// thread of a multi-threaded case runs (libgfapi's glfs_pread and
// glfs_pwrite from many threads on one glfs_t, as Samba does).

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "gfbench/io_queue.hpp"

namespace gfbench::detail {

class sync_queue final : public io_queue {
 public:
  /// `call` runs one request and returns what the system call returned:
  /// bytes moved, or a negative errno. It must not throw.
  using call_function = std::function<std::int64_t(const io_request&)>;
  sync_queue(call_function call, const char* engine);

  [[nodiscard]] unsigned depth() const noexcept override { return 1; }
  [[nodiscard]] unsigned in_flight() const noexcept override { return done_ ? 1 : 0; }
  [[nodiscard]] const char* engine() const noexcept override { return engine_; }
  void submit(const io_request& request) override;
  std::size_t reap(std::vector<io_completion>& out, std::chrono::nanoseconds timeout) override;

 private:
  call_function call_;
  const char* engine_;
  std::optional<io_completion> done_;
};

/// The bytes a request asks for (0 for a flush).
[[nodiscard]] inline std::uint64_t requested_bytes(const io_request& r) noexcept {
  return r.kind == io_kind::flush ? 0 : r.buffer.size();
}

}  // namespace gfbench::detail
