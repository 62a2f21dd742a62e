#pragma once
// A target's file whose every call runs under the watchdog
// (watched_scope.hpp): how the built-in kernels make every call they make.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <utility>

#include "bench/watch/watched_scope.hpp"
#include "gfbench/target.hpp"
#include "gfbench/target_wrapper.hpp"

namespace gfbench::detail {

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

}  // namespace gfbench::detail
