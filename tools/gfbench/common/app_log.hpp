#pragma once
// The program's logger: spdlog's "gfbench", made here as a host
// application would make it, so that the library finds it by name and one
// --log-level governs both. On a terminal it writes above the live
// progress line.

#include <spdlog/spdlog.h>

#include "common/live_line.hpp"

namespace gfbench::app {

/// The "gfbench" logger (made on first use).
[[nodiscard]] spdlog::logger& logger();

/// The live progress line when stderr is a terminal, else null.
[[nodiscard]] live_line* terminal_line() noexcept;

}  // namespace gfbench::app
