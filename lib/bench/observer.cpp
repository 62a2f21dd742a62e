#include "gfbench/observer.hpp"

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

}  // namespace gfbench
