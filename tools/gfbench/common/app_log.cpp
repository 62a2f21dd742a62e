#include "common/app_log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <unistd.h>

#include <memory>

namespace gfbench::app {
namespace {

struct terminal_log {
  std::shared_ptr<live_line> line;
  std::shared_ptr<spdlog::logger> log;
};

const terminal_log& the_log() {
  static const terminal_log made = [] {
    terminal_log t;
    if (auto existing = spdlog::get("gfbench")) {
      t.log = existing;  // a host made it: its sinks stay
      return t;
    }
    if (::isatty(STDERR_FILENO) == 1) {
      t.line = std::make_shared<live_line>(stderr);
      t.log = std::make_shared<spdlog::logger>("gfbench", std::make_shared<live_line_sink>(t.line));
      spdlog::register_logger(t.log);
    } else {
      t.log = spdlog::stderr_color_mt("gfbench");
    }
    return t;
  }();
  return made;
}

}  // namespace

spdlog::logger& logger() { return *the_log().log; }

live_line* terminal_line() noexcept { return the_log().line.get(); }

}  // namespace gfbench::app
