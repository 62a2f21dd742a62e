#include "gfbench/observer.hpp"

#include <algorithm>

#include "gfbench/kernels.hpp"
#include "gfbench/suite.hpp"

namespace gfbench {

// A throwing hook propagates: the kernel's catch turns it into SkipWithError.
void notify_pass_begins(const case_context& context) {
  if (context.observers == nullptr || !context.info) return;
  for (case_observer* o : *context.observers) o->before_pass(*context.info);
}

void notify_pass_ended(const case_context& context) {
  if (context.observers == nullptr || !context.info) return;
  const auto& list = *context.observers;
  for (auto it = list.rbegin(); it != list.rend(); ++it) (*it)->after_pass(*context.info);
}

void notify_pass_ended(const case_context& context, const pass_totals& moved) {
  if (context.observers == nullptr || !context.info) return;
  const auto& list = *context.observers;
  for (auto it = list.rbegin(); it != list.rend(); ++it) (*it)->pass_moved(*context.info, moved);
  notify_pass_ended(context);
}

std::uint64_t notify_stonewall(const case_context& context, std::uint64_t records) {
  std::uint64_t most = records;
  if (context.observers == nullptr || !context.info) return most;
  for (case_observer* o : *context.observers) {
    most = std::max(most, o->stonewall_reached(*context.info, records));
  }
  return most;
}

void notify_before_removal(const case_context& context) {
  if (context.observers == nullptr || !context.info) return;
  for (case_observer* o : *context.observers) o->before_removal(*context.info);
}

}  // namespace gfbench
