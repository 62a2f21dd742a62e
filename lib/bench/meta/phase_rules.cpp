#include "bench/meta/phase_rules.hpp"

#include <array>
#include <cstddef>

namespace gfbench::detail {

std::vector<meta_operation> steps_before(meta_operation op, const meta_tree::state& now) {
  switch (op) {
    case meta_operation::create:
      if (now.files) return {meta_operation::unlink};
      return {};
    case meta_operation::mkdir:
      if (now.dirs) return {meta_operation::rmdir};
      return {};
    case meta_operation::rmdir:
      if (!now.dirs) return {meta_operation::mkdir};
      return {};
    case meta_operation::getxattr: {
      std::vector<meta_operation> steps;
      if (!now.files) steps.push_back(meta_operation::create);
      if (!now.xattr) steps.push_back(meta_operation::setxattr);
      return steps;
    }
    default:
      if (!now.files) return {meta_operation::create};
      return {};
  }
}

void apply_pass(meta_operation op, meta_tree::state& now, const meta_shape& shape) {
  switch (op) {
    case meta_operation::create:
      now.files = true;
      now.renamed = false;
      now.size = shape.file_size;
      now.mode = mode_a;
      now.xattr = false;
      break;
    case meta_operation::append:
      now.size += append_bytes(shape);
      break;
    case meta_operation::chmod:
      now.mode = now.mode == mode_a ? mode_b : mode_a;
      break;
    case meta_operation::setxattr:
      now.xattr = true;
      break;
    case meta_operation::rename:
      now.renamed = !now.renamed;
      break;
    case meta_operation::unlink:
      now.files = false;
      now.xattr = false;
      break;
    case meta_operation::mkdir:
      now.dirs = true;
      break;
    case meta_operation::rmdir:
      now.dirs = false;
      break;
    default:
      break;
  }
}

check_after check_for(meta_operation op) noexcept {
  switch (op) {
    case meta_operation::create:
    case meta_operation::rename:
    case meta_operation::unlink:
    case meta_operation::mkdir:
    case meta_operation::rmdir:
      return check_after::listing;
    case meta_operation::chmod:
    case meta_operation::append:
      return check_after::end_stats;
    default:
      return check_after::nothing;
  }
}

bool per_leaf(meta_operation op) noexcept {
  return op == meta_operation::readdir || op == meta_operation::readdir_stat;
}

bool writes_data(meta_operation op) noexcept {
  return op == meta_operation::create || op == meta_operation::append;
}

const char* call_name(meta_operation op) noexcept {
  // In meta_operation's order.
  static constexpr std::array<const char*, 13> names{
      "create",  "stat",        "open and read", "append", "chmod", "setxattr", "getxattr",
      "readdir", "readdirplus", "rename",        "unlink", "mkdir", "rmdir"};
  const auto at = static_cast<std::size_t>(op);
  return at < names.size() ? names[at] : "meta";
}

}  // namespace gfbench::detail
