#pragma once
// The case a suite is running on this thread. Google Benchmark runs a
// case's body on the thread that calls RunSpecifiedBenchmarks; the suite
// sets this around the body, so that a case_recorder made without a
// context (a custom kernel written before recorders took one) still tells
// the case's observers of each pass.

namespace gfbench {
struct case_context;
}

namespace gfbench::detail {

/// The running case, or null outside a suite's case.
[[nodiscard]] const case_context* running_case() noexcept;

/// Sets the running case for its lifetime (restoring the one before).
class running_case_scope {
 public:
  explicit running_case_scope(const case_context& context) noexcept;
  ~running_case_scope();
  running_case_scope(const running_case_scope&) = delete;
  running_case_scope& operator=(const running_case_scope&) = delete;

 private:
  const case_context* previous_;
};

}  // namespace gfbench::detail
