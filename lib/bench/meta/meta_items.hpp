#pragma once
// One item of a metadata phase: what a thread does to one file (one leaf
// directory, for the listings), timed, and what it checks of the answer,
// untimed.

#include <cstdint>
#include <string>

#include "bench/meta/meta_content.hpp"
#include "bench/meta/meta_tree.hpp"
#include "gfbench/metadata.hpp"
#include "gfbench/target.hpp"
#include "util/aligned_buffer.hpp"

namespace gfbench::detail {

class phase_items {
 public:
  phase_items(meta_tree& tree, const meta_content& content)
      : tree_(tree), shape_(tree.shape()), content_(content) {}

  /// Item `n` of thread `k` in a pass of `op` on `where` (the tree's target
  /// or a cold view of it); `buffer` holds at most one period of data.
  void item(meta_operation op, target& where, unsigned k, std::uint64_t n, item_clock& c,
            aligned_buffer& buffer);
  /// A stat of file `n` of thread `k`, checked against the tree's state.
  void stat_item(target& where, unsigned k, std::uint64_t n, item_clock& c);

 private:
  void create_item(target& where, unsigned k, std::uint64_t n, item_clock& c,
                   aligned_buffer& buffer);
  void append_item(target& where, unsigned k, std::uint64_t n, item_clock& c,
                   aligned_buffer& buffer);
  void write_range(target_file& f, unsigned k, std::uint64_t n, std::uint64_t offset,
                   std::uint64_t length, std::uint64_t created, item_clock& c,
                   aligned_buffer& buffer) const;
  void read_item(target& where, unsigned k, std::uint64_t n, item_clock& c, aligned_buffer& buffer);
  void check_status(const std::string& path, const file_status& st, item_clock& c) const;
  void getxattr_item(target& where, unsigned k, std::uint64_t n, item_clock& c);
  void list_leaf(meta_operation op, target& where, unsigned k, std::uint64_t leaf, item_clock& c);

  meta_tree& tree_;
  const meta_shape& shape_;
  const meta_content& content_;
};

}  // namespace gfbench::detail
