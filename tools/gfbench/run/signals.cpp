#include "run/signals.hpp"

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <system_error>

#include "gfbench/stop.hpp"
#include "util/sigpipe.hpp"

namespace gfbench::app {
namespace {

void write_stderr(const char* text) noexcept {
  // write(2) is async-signal-safe; stdio and spdlog are not. A short or
  // failed write of a courtesy message is not worth handling.
  const auto ignored = ::write(STDERR_FILENO, text, std::strlen(text));
  static_cast<void>(ignored);
}

extern "C" void on_stop_signal(int signal_number) {
  const int saved_errno = errno;
  if (stop_requested()) {
    write_stderr("\ngfbench: second interrupt, exiting now without cleaning up\n");
    ::_exit(128 + signal_number);
  }
  request_stop(signal_number);
  write_stderr(
      "\ngfbench: interrupted; stopping the case that runs, then cleaning up "
      "(interrupt again to exit at once, leaving everything behind)\n");
  errno = saved_errno;
}

}  // namespace

void install_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  // SA_RESTART: a signal during tear-down must not turn a waitpid or a read
  // in progress into an EINTR failure; the flag is enough.
  action.sa_flags = SA_RESTART;
  for (int signal_number : {SIGINT, SIGTERM}) {
    if (::sigaction(signal_number, &action, nullptr) != 0) {
      throw std::system_error(errno, std::generic_category(), "sigaction");
    }
  }
  // A closed output pipe must not end the run before it cleans up (see
  // sigpipe.hpp). Only SIG_IGN survives exec, so this always ignores it.
  detail::ignore_sigpipe_unless_chosen();
}

}  // namespace gfbench::app
