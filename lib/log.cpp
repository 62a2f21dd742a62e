#include "log.hpp"

#include <mutex>

#include <spdlog/sinks/stdout_color_sinks.h>

namespace gfbench::detail {

spdlog::logger& logger() {
  static std::once_flag once;
  static std::shared_ptr<spdlog::logger> log;
  std::call_once(once, [] {
    log = spdlog::get("gfbench");
    if (!log) {
      log = spdlog::stderr_color_mt("gfbench");
      log->set_level(spdlog::level::warn);
    }
  });
  return *log;
}

}  // namespace gfbench::detail
