#pragma once
// Text helpers shared by the parsers of what other programs print
// (the gluster CLI, glfsheal, client volfiles, Proxmox's storage.cfg), and
// errno's names for what gfbench prints.

#include <cstring>
#include <string>
#include <string_view>

namespace gfbench::detail {

/// errno's name as errno.h spells it ("ENOTCONN"), or "errno N" for one
/// glibc has no name for.
inline std::string errno_name(int e) {
  const char* name = strerrorname_np(e);
  return name != nullptr ? std::string(name) : "errno " + std::to_string(e);
}

/// `s` without leading and trailing spaces, tabs and carriage returns.
inline std::string_view trim(std::string_view s) {
  constexpr std::string_view blanks = " \t\r";
  const std::size_t first = s.find_first_not_of(blanks);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(blanks) - first + 1);
}

}  // namespace gfbench::detail
