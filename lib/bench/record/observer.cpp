#include "gfbench/observer.hpp"

#include <algorithm>

#include "gfbench/kernels.hpp"
#include "gfbench/suite.hpp"
#include "gfbench/timeline.hpp"

namespace gfbench {

// A throwing hook propagates: the kernel's catch turns it into SkipWithError.
void notify_pass_begins(const case_context& context) {
  if (context.binding.observers() == nullptr || context.binding.info() == nullptr) return;
  for (case_observer* o : *context.binding.observers()) o->before_pass(*context.binding.info());
}

void notify_pass_ended(const case_context& context) {
  if (context.binding.observers() == nullptr || context.binding.info() == nullptr) return;
  const auto& list = *context.binding.observers();
  for (auto it = list.rbegin(); it != list.rend(); ++it) (*it)->after_pass(*context.binding.info());
}

void notify_pass_ended(const case_context& context, const pass_totals& moved) {
  if (context.binding.observers() == nullptr || context.binding.info() == nullptr) return;
  const auto& list = *context.binding.observers();
  for (auto it = list.rbegin(); it != list.rend(); ++it)
    (*it)->pass_moved(*context.binding.info(), moved);
  notify_pass_ended(context);
}

void notify_pass_timeline(const case_context& context, const pass_timeline& timeline) {
  if (context.binding.observers() == nullptr || context.binding.info() == nullptr) return;
  const auto& list = *context.binding.observers();
  for (auto it = list.rbegin(); it != list.rend(); ++it) {
    (*it)->pass_timeline(*context.binding.info(), timeline);
  }
}

void notify_pass_ended(const case_context& context, const pass_totals& moved,
                       const pass_timeline& timeline) {
  if (context.binding.observers() == nullptr || context.binding.info() == nullptr) return;
  const auto& list = *context.binding.observers();
  for (auto it = list.rbegin(); it != list.rend(); ++it) {
    (*it)->pass_moved(*context.binding.info(), moved);
  }
  notify_pass_timeline(context, timeline);
  notify_pass_ended(context);
}

std::uint64_t notify_stonewall(const case_context& context, std::uint64_t records) {
  std::uint64_t most = records;
  if (context.binding.observers() == nullptr || context.binding.info() == nullptr) return most;
  for (case_observer* o : *context.binding.observers()) {
    most = std::max(most, o->stonewall_reached(*context.binding.info(), records));
  }
  return most;
}

bool notify_holds_pass(const case_context& context) {
  if (context.binding.observers() == nullptr || context.binding.info() == nullptr) return false;
  for (const case_observer* o : *context.binding.observers()) {
    if (o->holds_pass(*context.binding.info())) return true;
  }
  return false;
}

void notify_before_removal(const case_context& context) {
  if (context.binding.observers() == nullptr || context.binding.info() == nullptr) return;
  for (case_observer* o : *context.binding.observers()) o->before_removal(*context.binding.info());
}

}  // namespace gfbench
