#pragma once
// The library's logger: a spdlog logger named "gfbench". A host application
// that registered its own logger under that name gets gfbench's messages in
// its own sinks; otherwise gfbench makes one that writes to stderr.

#include <spdlog/spdlog.h>

namespace gfbench::detail {

spdlog::logger& logger();

}  // namespace gfbench::detail
