#include "bench/record/running_case.hpp"

namespace gfbench::detail {
namespace {
thread_local const case_context* current = nullptr;
}  // namespace

const case_context* running_case() noexcept { return current; }

running_case_scope::running_case_scope(const case_context& context) noexcept : previous_(current) {
  current = &context;
}

running_case_scope::~running_case_scope() { current = previous_; }

}  // namespace gfbench::detail
