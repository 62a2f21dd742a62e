#pragma once
// The stonewall of one timed pass (io_shape::stonewall): when the pass is to
// stop, checked after each record, and the wear-out agreement
// (io_shape::wear_out) through the case's observers, joined exactly once
// per pass, also by a pass that ends before its deadline.

#include <chrono>
#include <cstdint>

#include "gfbench/case.hpp"
#include "gfbench/kernels.hpp"

namespace gfbench::detail {

class pass_stonewall {
 public:
  using clock = std::chrono::steady_clock;

  /// A pass of `records` records of a case of `context`.
  pass_stonewall(const case_context& context, std::uint64_t records) noexcept;

  /// The pass's timed region began at `begin`.
  void start(clock::time_point begin) noexcept;
  /// After `done` records: how many the pass does in all (its own count
  /// while the deadline is ahead; then `done`, or with wear-out what the
  /// observers agreed on).
  std::uint64_t limit_after(std::uint64_t done) {
    // Inline for the pass without a stonewall: it asks after every record.
    if (!active_ || settled_) return limit_;
    return check_deadline(done);
  }
  /// The pass ran out of records (`done` of them) before its deadline:
  /// with wear-out it still joins the agreement, once.
  void finish(std::uint64_t done);

 private:
  std::uint64_t check_deadline(std::uint64_t done);

  const case_context& context_;
  const std::uint64_t records_;
  const bool active_;
  const bool wear_out_;
  const clock::duration after_;
  clock::time_point deadline_{};
  bool settled_ = false;
  std::uint64_t limit_;
};

}  // namespace gfbench::detail
