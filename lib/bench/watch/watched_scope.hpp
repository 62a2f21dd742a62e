#pragma once
// The kernels' side of the watchdog (gfbench/watchdog.hpp): a slot per
// running case that says which call is in flight. The hot path is two
// atomic increments of a sequence number (odd: a call is running); the
// watchdog thread samples it and measures how long one odd value lasts, so
// no clock is read per call.

#include <atomic>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>

#include "gfbench/error.hpp"
#include "gfbench/target.hpp"
#include "gfbench/watchdog.hpp"

namespace gfbench::detail {

class watched_scope {
 public:
  /// Registers a slot for calls on `where` (about `path`; `leftover` is what
  /// the case would leave behind if given up on).
  watched_scope(const target& where, std::string path, std::string leftover);
  ~watched_scope();
  watched_scope(const watched_scope&) = delete;
  watched_scope& operator=(const watched_scope&) = delete;

  /// Runs `f` as the call `operation` (a string literal) at `offset`. If the
  /// watchdog marked it hung meanwhile, throws io_error ETIMEDOUT saying so
  /// (with the call's own error, if it failed, in the hint).
  template <class F>
  void call(const char* operation, std::optional<std::uint64_t> offset, F&& f) {
    begin(operation, offset);
    try {
      f();
    } catch (const std::exception& e) {
      if (end()) fail_hung(operation, offset, e.what());
      throw;
    }
    if (end()) fail_hung(operation, offset, nullptr);
  }

  /// Sets the path reported for later calls (a case's file).
  void set_path(std::string path);

  struct slot;

 private:
  void begin(const char* operation, std::optional<std::uint64_t> offset) noexcept;
  /// True when the call just ended was marked hung.
  bool end() noexcept;
  [[noreturn]] void fail_hung(const char* operation, std::optional<std::uint64_t> offset,
                              const char* own_error) const;

  slot* slot_;
};

/// Forgets which targets hung (for tests).
void reset_hung_targets();

}  // namespace gfbench::detail
