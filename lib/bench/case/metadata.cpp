// The metadata phases' names and shape checks (gfbench/metadata.hpp).

#include "gfbench/metadata.hpp"

#include <array>
#include <cstdint>
#include <stdexcept>
#include <utility>

namespace gfbench {
namespace {

constexpr std::array<std::pair<meta_operation, std::string_view>, 13> names{{
    {meta_operation::create, "create"},
    {meta_operation::stat, "stat"},
    {meta_operation::read, "read"},
    {meta_operation::append, "append"},
    {meta_operation::chmod, "chmod"},
    {meta_operation::setxattr, "setxattr"},
    {meta_operation::getxattr, "getxattr"},
    {meta_operation::readdir, "readdir"},
    {meta_operation::readdir_stat, "readdir_stat"},
    {meta_operation::rename, "rename"},
    {meta_operation::unlink, "unlink"},
    {meta_operation::mkdir, "mkdir"},
    {meta_operation::rmdir, "rmdir"},
}};

}  // namespace

std::string_view to_string(meta_operation op) noexcept {
  for (const auto& [o, name] : names) {
    if (o == op) return name;
  }
  return "meta";
}

std::optional<meta_operation> parse_meta_operation(std::string_view name) noexcept {
  if (name == "ls-l") return meta_operation::readdir_stat;
  if (name == "delete") return meta_operation::unlink;
  for (const auto& [o, n] : names) {
    if (n == name) return o;
  }
  return std::nullopt;
}

std::vector<meta_operation> all_meta_operations() {
  std::vector<meta_operation> all;
  all.reserve(names.size());
  for (const auto& [o, name] : names) all.push_back(o);
  return all;
}

std::uint64_t append_bytes(const meta_shape& shape) noexcept {
  return shape.file_size > 0 ? shape.file_size : 4096;
}

void validate_meta_shape(const meta_shape& shape) {
  if (shape.files_per_thread == 0) {
    throw std::invalid_argument("a metadata phase needs at least one file per thread");
  }
  if (shape.threads == 0) throw std::invalid_argument("a metadata phase needs at least one thread");
  if (shape.files_per_dir == 0) {
    throw std::invalid_argument("a metadata tree needs at least one file per directory");
  }
  if (shape.cache == cache_mode::uncached) {
    throw std::invalid_argument("metadata phases run warm or cold, not uncached");
  }
}

namespace {

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) noexcept {
  return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}
std::uint64_t saturating_mul(std::uint64_t a, std::uint64_t b) noexcept {
  return b != 0 && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

bool has(const metadata_matrix& m, meta_operation op) {
  for (const auto o : m.operations) {
    if (o == op) return true;
  }
  return false;
}

}  // namespace

std::uint64_t bytes_needed(const metadata_matrix& matrix) {
  const std::uint64_t appends =
      has(matrix, meta_operation::append)
          ? static_cast<std::uint64_t>(matrix.repetitions > 0 ? matrix.repetitions : 5) *
                matrix.cache_modes.size()
          : 0;
  std::uint64_t need = 0;
  for (const auto files : matrix.files_per_thread) {
    for (const auto size : matrix.file_sizes) {
      meta_shape shape = matrix.options;
      shape.file_size = size;
      const std::uint64_t per_file =
          saturating_add(size, saturating_mul(appends, append_bytes(shape)));
      for (const auto threads : matrix.thread_counts) {
        need = saturating_add(need, saturating_mul(saturating_mul(files, threads), per_file));
      }
    }
  }
  return need;
}

std::uint64_t inodes_needed(const metadata_matrix& matrix) {
  const bool dirs = has(matrix, meta_operation::mkdir) || has(matrix, meta_operation::rmdir);
  const std::uint64_t per_dir = matrix.options.files_per_dir > 0 ? matrix.options.files_per_dir : 1;
  std::uint64_t need = 0;
  for (const auto files : matrix.files_per_thread) {
    const std::uint64_t per_thread = files * (dirs ? 2 : 1) + (files + per_dir - 1) / per_dir + 1;
    for (const auto threads : matrix.thread_counts) {
      need =
          saturating_add(need, saturating_mul(per_thread, threads) * matrix.file_sizes.size() + 1);
    }
  }
  return need;
}

}  // namespace gfbench
