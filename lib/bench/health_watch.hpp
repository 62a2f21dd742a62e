#pragma once
// What the built-in kernels share beyond kernels.cpp: the brick health
// checks around a case, and the read-only kernel over existing files
// (kernels_existing.cpp).

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>

#include "bench/watched_scope.hpp"
#include "gfbench/kernels.hpp"
#include "gfbench/target.hpp"
#include "gfbench/target_wrapper.hpp"

namespace gfbench::detail {

/// Asks a target which bricks answer (target::health()), before and after a
/// case, outside its timed region and under the watchdog, and marks the case
/// `degraded` when a brick was missing either time. Targets that cannot
/// tell (POSIX directories) are never marked. A check that fails for
/// another reason than a hang or ENOTCONN is logged and ignored.
class health_watch {
 public:
  health_watch(target& where, watched_scope& watch, std::string case_label)
      : where_(where), watch_(watch), label_(std::move(case_label)) {}
  /// `when` is "before" or "after", for the log. Throws only the
  /// watchdog's ETIMEDOUT.
  void check(const char* when);
  /// Sets the `degraded` counter when a check saw a missing brick.
  void report(benchmark::State& state) const;
  [[nodiscard]] bool degraded() const noexcept { return degraded_; }
  /// What the first degraded check saw, e.g. "volume v degraded after the
  /// case: 1 of 2 bricks answer"; empty when none was degraded. Google
  /// Benchmark reports no counters for a failed case, so failed cases carry
  /// this in their error message instead (rethrow_with_note).
  [[nodiscard]] const std::string& note() const noexcept { return note_; }
  /// Rethrows the exception being handled, with the note added when there
  /// is one: an io_error stays an io_error (its errno, operation, path and
  /// offset unchanged, the note after its hint); anything else becomes a
  /// std::runtime_error with the note after its message. Call it only from
  /// a catch block.
  [[noreturn]] void rethrow_with_note() const;

 private:
  target& where_;
  watched_scope& watch_;
  std::string label_;
  bool degraded_ = false;
  std::string note_;
};

/// A target_file whose every call runs under the watchdog.
class watched_file final : public target_file_wrapper {
 public:
  watched_file(std::unique_ptr<target_file> file, watched_scope& watch)
      : target_file_wrapper(std::move(file)), watch_(watch) {}
  void pwrite_all(std::span<const std::byte> data, std::uint64_t offset) override {
    watch_.call("pwrite", offset, [&] { target_file_wrapper::pwrite_all(data, offset); });
  }
  void pread_all(std::span<std::byte> buffer, std::uint64_t offset) override {
    watch_.call("pread", offset, [&] { target_file_wrapper::pread_all(buffer, offset); });
  }
  void fsync() override {
    watch_.call("fsync", {}, [&] { target_file_wrapper::fsync(); });
  }
  file_status stat() override {
    file_status st;
    watch_.call("fstat", {}, [&] { st = target_file_wrapper::stat(); });
    return st;
  }
  void close() override {
    watch_.call("close", {}, [&] { target_file_wrapper::close(); });
  }

 private:
  watched_scope& watch_;
};

/// Runs `open` (returning a target_file) under the watchdog as `operation`
/// and wraps what it returns in a watched_file.
template <class Open>
std::unique_ptr<target_file> open_watched(watched_scope& watch, const char* operation,
                                          Open&& open) {
  std::unique_ptr<target_file> f;
  watch.call(operation, {}, [&] { f = open(); });
  return std::make_unique<watched_file>(std::move(f), watch);
}

/// The read-only kernel: read, reread or random_read over
/// `context.existing_file` on `context.where`. Throws; run_kernel catches.
void read_existing_file(operation op, benchmark::State& state, case_context& context);

}  // namespace gfbench::detail
