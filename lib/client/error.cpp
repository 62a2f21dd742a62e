#include "gfbench/error.hpp"

#include <cstring>
#include <string>

namespace gfbench {

struct io_error::details {
  io_error_context context;
  std::string message;
};

namespace {

std::string describe(int errno_value, const io_error_context& c) {
  std::string s = c.operation;
  // A volume's name has no spaces; a target's description ("volume v
  // (libgfapi)", "directory /mnt/x (POSIX)") already says what it is.
  if (!c.volume.empty()) {
    s += c.volume.find(' ') == std::string::npos ? " volume=" + c.volume : " " + c.volume;
  }
  if (!c.path.empty()) s += " path=" + c.path;
  if (c.offset) s += " offset=" + std::to_string(*c.offset);
  s += ": ";
  s += std::generic_category().message(errno_value);
  if (!c.hint.empty()) s += " (" + c.hint + ")";
  return s;
}

}  // namespace

std::shared_ptr<const io_error::details> io_error::make_details(int errno_value,
                                                                io_error_context context) {
  std::string message = describe(errno_value, context);
  return std::make_shared<const details>(details{std::move(context), std::move(message)});
}

// The message is composed once and shared, so that copying the exception (as
// std::exception_ptr and catch-by-value do) never allocates.
io_error::io_error(int errno_value, io_error_context context)
    : std::system_error(errno_value, std::generic_category()),
      details_(make_details(errno_value, std::move(context))) {}

const char* io_error::what() const noexcept { return details_->message.c_str(); }
const std::string& io_error::operation() const noexcept { return details_->context.operation; }
const std::string& io_error::volume() const noexcept { return details_->context.volume; }
const std::string& io_error::path() const noexcept { return details_->context.path; }
const std::string& io_error::hint() const noexcept { return details_->context.hint; }
std::optional<std::uint64_t> io_error::offset() const noexcept { return details_->context.offset; }

}  // namespace gfbench
