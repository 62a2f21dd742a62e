#pragma once
// struct stat / statvfs to gfbench's value types, shared by the gfapi and
// POSIX back ends so both report the same units.

#include <sys/stat.h>
#include <sys/statvfs.h>

#include "gfbench/fs_types.hpp"

namespace gfbench::detail {

file_status to_file_status(const struct stat& st) noexcept;
space_info to_space_info(const struct statvfs& sv) noexcept;
file_type to_file_type(unsigned mode) noexcept;

}  // namespace gfbench::detail
