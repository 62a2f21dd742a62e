#include "util/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

#include <mutex>

namespace gfbench::detail {

spdlog::logger& logger() {
  // Never destroyed: volumes, files and sandboxes held by other statics may
  // log from their destructors after this function's statics would be gone.
  static std::once_flag once;
  static std::shared_ptr<spdlog::logger>* log = nullptr;
  std::call_once(once, [] {
    auto existing = spdlog::get("gfbench");
    if (!existing) {
      existing = spdlog::stderr_color_mt("gfbench");
      existing->set_level(spdlog::level::warn);
    }
    log = new std::shared_ptr<spdlog::logger>(std::move(existing));
  });
  return **log;
}

}  // namespace gfbench::detail
