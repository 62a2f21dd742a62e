#include "util/stat_conversion.hpp"

namespace gfbench::detail {

file_type to_file_type(unsigned mode) noexcept {
  if (S_ISREG(mode)) return file_type::regular;
  if (S_ISDIR(mode)) return file_type::directory;
  if (S_ISLNK(mode)) return file_type::symlink;
  return file_type::other;
}

file_status to_file_status(const struct stat& st) noexcept {
  file_status s;
  s.type = to_file_type(st.st_mode);
  s.size = static_cast<std::uint64_t>(st.st_size);
  s.allocated = static_cast<std::uint64_t>(st.st_blocks) * 512u;  // st_blocks counts 512 B units
  s.inode = st.st_ino;
  s.permissions = st.st_mode & 07777u;
  s.links = st.st_nlink;
  s.modified = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec)));
  return s;
}

space_info to_space_info(const struct statvfs& sv) noexcept {
  const std::uint64_t unit = sv.f_frsize ? sv.f_frsize : sv.f_bsize;
  return {.total_bytes = sv.f_blocks * unit,
          .free_bytes = sv.f_bfree * unit,
          .available_bytes = sv.f_bavail * unit,
          .total_files = sv.f_files,
          .free_files = sv.f_ffree};
}

}  // namespace gfbench::detail
