#pragma once
/// \file
/// The one error type of gfbench: every failing call on a volume, a file or a
/// directory throws it, carrying errno and where it happened.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "gfbench/export.hpp"

namespace gfbench {

/// Where an I/O error happened. Kept apart from the exception so that copying
/// an io_error never allocates (and so never throws).
struct io_error_context {
  std::string operation{};                ///< the call that failed, e.g. "glfs_pwrite"
  std::string volume{};                   ///< volume name, or the POSIX directory of a target
  std::string path{};                     ///< path inside the volume; empty when none
  std::optional<std::uint64_t> offset{};  ///< file offset for positional I/O
  std::string hint{};                     ///< what a person can do about it; may be empty
};

/// A failed operation. `code()` holds the errno in `std::generic_category()`,
/// `what()` reads like:
/// `glfs_pwrite volume=vol0 path=/run/w0 offset=1048576: Input/output error`
/// followed by a hint where one helps.
class GFBENCH_API io_error : public std::system_error {
 public:
  io_error(int errno_value, io_error_context context);

  /// The errno value, the same as `code().value()`.
  [[nodiscard]] int errno_value() const noexcept { return code().value(); }
  [[nodiscard]] const std::string& operation() const noexcept;
  [[nodiscard]] const std::string& volume() const noexcept;
  [[nodiscard]] const std::string& path() const noexcept;
  [[nodiscard]] std::optional<std::uint64_t> offset() const noexcept;
  /// The hint alone, without the rest of the message; may be empty.
  [[nodiscard]] const std::string& hint() const noexcept;
  [[nodiscard]] const char* what() const noexcept override;

 private:
  struct details;
  static std::shared_ptr<const details> make_details(int errno_value, io_error_context context);
  std::shared_ptr<const details> details_;
};

}  // namespace gfbench
