#include "util/sigpipe.hpp"

#include <csignal>

#include "util/log.hpp"

namespace gfbench::detail {

void ignore_sigpipe_unless_chosen() noexcept {
  struct sigaction current {};
  if (::sigaction(SIGPIPE, nullptr, &current) != 0) return;
  const bool chosen = (current.sa_flags & SA_SIGINFO) != 0 || current.sa_handler != SIG_DFL;
  if (chosen) return;
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  if (::sigaction(SIGPIPE, &ignore, nullptr) == 0)
    logger().debug("SIGPIPE is now ignored: a broken pipe or connection is a write error");
}

}  // namespace gfbench::detail
