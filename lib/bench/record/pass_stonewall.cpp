#include "bench/record/pass_stonewall.hpp"

#include <algorithm>

#include "gfbench/observer.hpp"

namespace gfbench::detail {

pass_stonewall::pass_stonewall(const case_context& context, std::uint64_t records) noexcept
    : context_(context),
      records_(records),
      active_(context.shape.stonewall.count() > 0),
      wear_out_(context.shape.wear_out),
      after_(context.shape.stonewall),
      limit_(records) {}

void pass_stonewall::start(clock::time_point begin) noexcept {
  deadline_ = begin + after_;
  settled_ = false;
  limit_ = records_;
}

std::uint64_t pass_stonewall::check_deadline(std::uint64_t done) {
  if (clock::now() < deadline_) return limit_;
  settled_ = true;
  limit_ = done;
  if (wear_out_) limit_ = std::clamp(notify_stonewall(context_, done), done, records_);
  return limit_;
}

void pass_stonewall::finish(std::uint64_t done) {
  if (!active_ || settled_ || !wear_out_) return;
  settled_ = true;
  static_cast<void>(notify_stonewall(context_, done));
}

}  // namespace gfbench::detail
