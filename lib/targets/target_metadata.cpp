// The defaults of target's metadata calls, for targets that bring none of
// their own (a custom target): each is refused with ENOTSUP, except the
// listing with status, which lists and then stats each entry.

#include <cerrno>
#include <string>

#include "gfbench/error.hpp"
#include "gfbench/target.hpp"

namespace gfbench {
namespace {

[[noreturn]] void not_supported(const target& where, const char* operation, std::string_view path) {
  throw io_error(ENOTSUP, {.operation = operation,
                           .volume = where.describe(),
                           .path = std::string(path),
                           .hint = "this target has no such call"});
}

std::string child(std::string_view dir, std::string_view name) {
  std::string path(dir);
  if (path.empty() || path.back() != '/') path += '/';
  path += name;
  return path;
}

}  // namespace

void target::rename(std::string_view from, std::string_view /*to*/) {
  not_supported(*this, "rename", from);
}

void target::chmod(std::string_view path, unsigned /*permissions*/) {
  not_supported(*this, "chmod", path);
}

void target::set_xattr(std::string_view path, std::string_view /*name*/,
                       std::span<const std::byte> /*value*/) {
  not_supported(*this, "setxattr", path);
}

std::vector<std::byte> target::get_xattr(std::string_view path, std::string_view /*name*/) {
  not_supported(*this, "getxattr", path);
}

std::vector<dir_entry_status> target::list_with_status(std::string_view path) {
  std::vector<dir_entry_status> entries;
  for (auto& e : list(path)) {
    file_status st = stat(child(path, e.name));
    entries.push_back({std::move(e.name), st});
  }
  return entries;
}

std::unique_ptr<target> target::cold_view() { not_supported(*this, "cold view", ""); }

}  // namespace gfbench
