#pragma once
// What only the library may do with a case's binding (gfbench/kernels.hpp):
// the suite binds a context to its case and observers; the built-in data
// kernels count their write passes.

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "gfbench/case.hpp"
#include "gfbench/kernels.hpp"

namespace gfbench::detail {

struct case_binding_access {
  static void bind(case_context& context, const case_info& info,
                   const std::vector<case_observer*>& observers,
                   std::chrono::milliseconds timeline_interval) {
    context.binding.info_ = std::make_shared<const case_info>(info);
    context.binding.observers_ = &observers;
    context.binding.timeline_interval_ = timeline_interval;
  }
  /// The pattern generation of the case's next write pass.
  [[nodiscard]] static std::uint32_t next_write_pass(case_context& context) noexcept {
    return ++context.binding.write_passes_;
  }
};

}  // namespace gfbench::detail
