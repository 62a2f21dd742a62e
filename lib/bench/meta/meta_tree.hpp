#pragma once
// The tree a group of metadata phases works on (metadata.hpp), and what
// the phases so far have left in it. Its manifest is its shape, not a list
// of names: `<root>/t<k>/d<j>/f<i>` (or `f<i>.r` once renamed) for file i
// of thread k, in leaf directory j = i / files_per_dir, and `m<i>` beside
// them for the mkdir phase's directories. Removal lists each leaf directory
// and removes only the names of that pattern, so it removes exactly what
// the phases created, however far a failed or interrupted phase got, in
// time proportional to what is there.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gfbench/metadata.hpp"
#include "gfbench/scratch.hpp"
#include "gfbench/target.hpp"

namespace gfbench::detail {

// Exported for the test suite, which checks the names it parses.
class meta_tree {
 public:
  /// What the phases left. `known` false: a phase failed or was stopped
  /// part-way, so what exists is unknown until the tree is removed.
  struct state {
    bool known = true;
    bool skeleton = false;  ///< the root, thread and leaf directories exist
    bool files = false;     ///< every file exists
    bool renamed = false;   ///< under its `.r` name
    std::uint64_t size = 0;
    unsigned mode = 0644;
    bool xattr = false;                  ///< every file has the attribute
    std::uint32_t xattr_generation = 0;  ///< which value each setxattr pass set
    bool dirs = false;                   ///< every m<i> directory exists
  };

  /// A tree named `name` in `scratch`'s directory (not created yet).
  meta_tree(scratch_area& scratch, std::string_view name, const meta_shape& shape);
  meta_tree(const meta_tree&) = delete;
  meta_tree& operator=(const meta_tree&) = delete;

  [[nodiscard]] target& where() const noexcept { return scratch_.where(); }
  [[nodiscard]] const meta_shape& shape() const noexcept { return shape_; }
  [[nodiscard]] const std::string& root() const noexcept { return root_; }
  [[nodiscard]] state& now() noexcept { return state_; }

  [[nodiscard]] std::uint64_t leaves_per_thread() const noexcept;
  /// The items of leaf j of every thread: [first, end).
  [[nodiscard]] std::uint64_t leaf_first(std::uint64_t leaf) const noexcept;
  [[nodiscard]] std::uint64_t leaf_end(std::uint64_t leaf) const noexcept;
  [[nodiscard]] std::string thread_dir(unsigned thread) const;
  [[nodiscard]] std::string leaf_dir(unsigned thread, std::uint64_t leaf) const;
  /// File `item` of `thread` under its name before (or after) a rename.
  [[nodiscard]] std::string file(unsigned thread, std::uint64_t item, bool renamed) const;
  [[nodiscard]] std::string dir(unsigned thread, std::uint64_t item) const;
  /// Which item a leaf entry is, and what kind: nullopt for a name the
  /// phases never make.
  struct entry_name {
    enum class kind { file, renamed_file, dir } what;
    std::uint64_t item;
  };
  [[nodiscard]] static std::optional<entry_name> parse_entry(std::string_view name) noexcept;

  /// Makes the root, thread and leaf directories that do not exist yet.
  void make_skeleton();
  /// Removes everything of the pattern, using up to 8 threads over the leaf
  /// directories; missing parts are fine. Leaves a name it did not make,
  /// and then its directory (said in the exception). Throws io_error after
  /// trying everything. The state is then empty and known.
  void remove();
  void keep(bool yes) noexcept { keep_ = yes; }
  [[nodiscard]] bool kept() const noexcept { return keep_; }

 private:
  scratch_area& scratch_;
  std::string root_;
  meta_shape shape_;
  state state_;
  bool keep_ = false;
};

}  // namespace gfbench::detail
