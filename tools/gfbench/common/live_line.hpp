#pragma once
// One line of a terminal rewritten in place: the progress of a run
// ("[7/24] gfapi/read/size:100MiB/bs:4KiB/cache:cold  repetition 2/5").
// Log messages printed while it shows go above it (live_line_sink), so
// the line stays the last one and nothing is written over.

#include <spdlog/sinks/base_sink.h>

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace gfbench::app {

class live_line {
 public:
  explicit live_line(std::FILE* terminal) noexcept : out_(terminal) {}
  live_line(const live_line&) = delete;
  live_line& operator=(const live_line&) = delete;

  /// Shows `text` in place of what the line showed.
  void show(const std::string& text);
  /// Ends the line (a newline), so that what follows starts below it.
  void finish();
  /// Writes `message` (ending in a newline) above the line, then the line again.
  void print_above(std::string_view message);

 private:
  void erase() const;  // with mutex_ held

  std::mutex mutex_;
  std::FILE* out_;
  std::string shown_;
};

/// An spdlog sink that writes through a live_line.
class live_line_sink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit live_line_sink(std::shared_ptr<live_line> line) : line_(std::move(line)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override;
  void flush_() override {}

 private:
  std::shared_ptr<live_line> line_;
};

}  // namespace gfbench::app
