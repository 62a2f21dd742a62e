#include "common/live_line.hpp"

namespace gfbench::app {

void live_line::erase() const {
  // Carriage return, then erase to the end of the line (ANSI EL).
  if (!shown_.empty()) std::fputs("\r\033[K", out_);
}

void live_line::show(const std::string& text) {
  const std::lock_guard lock(mutex_);
  erase();
  shown_ = text;
  std::fputs(shown_.c_str(), out_);
  std::fflush(out_);
}

void live_line::finish() {
  const std::lock_guard lock(mutex_);
  if (shown_.empty()) return;
  std::fputc('\n', out_);
  std::fflush(out_);
  shown_.clear();
}

void live_line::print_above(std::string_view message) {
  const std::lock_guard lock(mutex_);
  erase();
  std::fwrite(message.data(), 1, message.size(), out_);
  std::fputs(shown_.c_str(), out_);
  std::fflush(out_);
}

void live_line_sink::sink_it_(const spdlog::details::log_msg& msg) {
  spdlog::memory_buf_t formatted;
  formatter_->format(msg, formatted);
  line_->print_above(std::string_view(formatted.data(), formatted.size()));
}

}  // namespace gfbench::app
