#include "bench/meta/meta_tree.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "gfbench/error.hpp"
#include "util/log.hpp"

namespace gfbench::detail {
namespace {

// Leaf directories removed at once: enough to overlap a volume's round
// trips, few enough not to swamp a shared one.
constexpr unsigned removal_threads = 8;

bool missing(const io_error& e) noexcept { return e.errno_value() == ENOENT; }

}  // namespace

meta_tree::meta_tree(scratch_area& scratch, std::string_view name, const meta_shape& shape)
    : scratch_(scratch), root_(scratch.file_path(name)), shape_(shape) {}

std::uint64_t meta_tree::leaves_per_thread() const noexcept {
  return (shape_.files_per_thread + shape_.files_per_dir - 1) / shape_.files_per_dir;
}

std::uint64_t meta_tree::leaf_first(std::uint64_t leaf) const noexcept {
  return leaf * shape_.files_per_dir;
}

std::uint64_t meta_tree::leaf_end(std::uint64_t leaf) const noexcept {
  return std::min(shape_.files_per_thread, (leaf + 1) * shape_.files_per_dir);
}

std::string meta_tree::thread_dir(unsigned thread) const {
  return root_ + "/t" + std::to_string(thread);
}

std::string meta_tree::leaf_dir(unsigned thread, std::uint64_t leaf) const {
  return thread_dir(thread) + "/d" + std::to_string(leaf);
}

std::string meta_tree::file(unsigned thread, std::uint64_t item, bool renamed) const {
  std::string p = leaf_dir(thread, item / shape_.files_per_dir) + "/f" + std::to_string(item);
  if (renamed) p += ".r";
  return p;
}

std::string meta_tree::dir(unsigned thread, std::uint64_t item) const {
  return leaf_dir(thread, item / shape_.files_per_dir) + "/m" + std::to_string(item);
}

std::optional<meta_tree::entry_name> meta_tree::parse_entry(std::string_view name) noexcept {
  if (name.size() < 2 || (name[0] != 'f' && name[0] != 'm')) return std::nullopt;
  auto kind = name[0] == 'f' ? entry_name::kind::file : entry_name::kind::dir;
  std::string_view digits = name.substr(1);
  if (kind == entry_name::kind::file && digits.ends_with(".r")) {
    kind = entry_name::kind::renamed_file;
    digits.remove_suffix(2);
  }
  if (digits.empty() || (digits.size() > 1 && digits[0] == '0')) return std::nullopt;
  std::uint64_t item = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), item);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return entry_name{kind, item};
}

void meta_tree::make_skeleton() {
  target& t = where();
  const auto make = [&](const std::string& path) {
    try {
      t.mkdir(path);
    } catch (const io_error& e) {
      // Made by an earlier phase (the state forgot after a failure).
      if (e.errno_value() != EEXIST) throw;
    }
  };
  make(root_);
  for (unsigned k = 0; k < shape_.threads; ++k) {
    make(thread_dir(k));
    for (std::uint64_t j = 0; j < leaves_per_thread(); ++j) make(leaf_dir(k, j));
  }
  state_.skeleton = true;
}

void meta_tree::remove() {
  target& t = where();
  const std::uint64_t leaves = leaves_per_thread();
  const std::uint64_t total = leaves * shape_.threads;
  std::atomic<std::uint64_t> next{0};
  std::mutex failure_lock;
  std::optional<io_error> first_failure;
  std::atomic<std::uint64_t> foreign{0};
  const auto note = [&](const io_error& e) {
    const std::lock_guard lock(failure_lock);
    if (!first_failure) first_failure = e;
  };
  const auto clear_leaf = [&](unsigned k, std::uint64_t j) {
    const std::string leaf = leaf_dir(k, j);
    std::vector<dir_entry> entries;
    try {
      entries = t.list(leaf);
    } catch (const io_error& e) {
      if (!missing(e)) note(e);
      return;
    }
    bool all_ours = true;
    for (const auto& e : entries) {
      const auto parsed = parse_entry(e.name);
      const std::string path = leaf + "/" + e.name;
      try {
        if (!parsed) {
          all_ours = false;
          foreign.fetch_add(1);
          logger().warn("{} on {} was not made by gfbench: left alone", path, t.describe());
        } else if (parsed->what == entry_name::kind::dir) {
          t.rmdir(path);
        } else {
          t.unlink(path);
        }
      } catch (const io_error& err) {
        if (!missing(err)) note(err);
      }
    }
    if (!all_ours) return;
    try {
      t.rmdir(leaf);
    } catch (const io_error& e) {
      if (!missing(e)) note(e);
    }
  };
  const auto worker = [&] {
    for (std::uint64_t n = next.fetch_add(1); n < total; n = next.fetch_add(1)) {
      clear_leaf(static_cast<unsigned>(n / leaves), n % leaves);
    }
  };
  {
    const auto workers = static_cast<unsigned>(
        std::min<std::uint64_t>(removal_threads, std::max<std::uint64_t>(total, 1)));
    std::vector<std::jthread> pool;
    for (unsigned w = 1; w < workers; ++w) pool.emplace_back(worker);
    worker();
  }
  if (foreign.load() == 0) {
    const auto remove_dir = [&](const std::string& path) {
      try {
        t.rmdir(path);
      } catch (const io_error& e) {
        if (!missing(e)) note(e);
      }
    };
    for (unsigned k = 0; k < shape_.threads; ++k) remove_dir(thread_dir(k));
    remove_dir(root_);
  }
  state_ = state{};
  if (first_failure) throw *first_failure;
  if (foreign.load() > 0) {
    throw io_error(ENOTEMPTY,
                   {.operation = "remove",
                    .volume = t.describe(),
                    .path = root_,
                    .hint = std::to_string(foreign.load()) +
                            " entries gfbench did not make are in it (see the log); it stays"});
  }
}

}  // namespace gfbench::detail
