#include "util/mount_table.hpp"

#include <libmount/libmount.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <system_error>

namespace gfbench::detail {
namespace {

namespace fs = std::filesystem;

struct table_deleter {
  void operator()(libmnt_table* t) const noexcept { mnt_unref_table(t); }
};
struct iter_deleter {
  void operator()(libmnt_iter* i) const noexcept { mnt_free_iter(i); }
};
using table_ptr = std::unique_ptr<libmnt_table, table_deleter>;

std::string text_or_empty(const char* s) { return s != nullptr ? s : ""; }

std::vector<mount_entry> entries_of(libmnt_table* table) {
  std::vector<mount_entry> out;
  const std::unique_ptr<libmnt_iter, iter_deleter> it(mnt_new_iter(MNT_ITER_FORWARD));
  if (!it) throw std::system_error(ENOMEM, std::generic_category(), "mnt_new_iter");
  libmnt_fs* entry = nullptr;
  while (mnt_table_next_fs(table, it.get(), &entry) == 0) {
    out.push_back({.target = text_or_empty(mnt_fs_get_target(entry)),
                   .type = text_or_empty(mnt_fs_get_fstype(entry)),
                   .source = text_or_empty(mnt_fs_get_source(entry))});
  }
  return out;
}

table_ptr new_table() {
  table_ptr table(mnt_new_table());
  if (!table) throw std::system_error(ENOMEM, std::generic_category(), "mnt_new_table");
  return table;
}

// `dir` is `mount` or below it, component by component.
bool at_or_below(const fs::path& dir, const fs::path& mount) {
  const auto rel = dir.lexically_relative(mount);
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

std::vector<mount_entry> read_mount_table() {
  const table_ptr table = new_table();
  if (const int rc = mnt_table_parse_file(table.get(), "/proc/self/mountinfo"); rc != 0) {
    throw std::system_error(rc < 0 ? -rc : EIO, std::generic_category(),
                            "reading /proc/self/mountinfo");
  }
  return entries_of(table.get());
}

std::vector<mount_entry> parse_mount_table(std::string_view mountinfo) {
  const table_ptr table = new_table();
  if (mountinfo.empty()) return {};
  std::string text(mountinfo);
  const std::unique_ptr<FILE, int (*)(FILE*)> in(::fmemopen(text.data(), text.size(), "r"),
                                                 &std::fclose);
  if (!in) throw std::system_error(errno, std::generic_category(), "fmemopen");
  if (const int rc = mnt_table_parse_stream(table.get(), in.get(), "mountinfo"); rc != 0) {
    throw std::system_error(rc < 0 ? -rc : EINVAL, std::generic_category(),
                            "parsing a mount table");
  }
  return entries_of(table.get());
}

std::optional<mount_entry> mount_of(const std::vector<mount_entry>& table,
                                    const fs::path& directory) {
  const fs::path dir = directory.lexically_normal();
  const mount_entry* best = nullptr;
  for (const mount_entry& m : table) {
    if (!at_or_below(dir, m.target)) continue;
    // Later entries stack over earlier ones on the same point.
    if (best == nullptr || m.target.native().size() >= best->target.native().size()) best = &m;
  }
  if (best == nullptr) return std::nullopt;
  return *best;
}

std::vector<fs::path> mounts_at_or_below(const std::vector<mount_entry>& table,
                                         const fs::path& directory) {
  std::vector<fs::path> found;
  for (const mount_entry& m : table) {
    if (at_or_below(m.target, directory)) found.push_back(m.target);
  }
  std::stable_sort(found.begin(), found.end(), [](const fs::path& a, const fs::path& b) {
    return a.native().size() > b.native().size();
  });
  return found;
}

}  // namespace gfbench::detail
