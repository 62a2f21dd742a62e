#include "bench/meta/meta_items.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>
#include <vector>

#include "bench/meta/phase_rules.hpp"

namespace gfbench::detail {

void phase_items::item(meta_operation op, target& where, unsigned k, std::uint64_t n, item_clock& c,
                       aligned_buffer& buffer) {
  const auto& now = tree_.now();
  switch (op) {
    case meta_operation::create:
      return create_item(where, k, n, c, buffer);
    case meta_operation::stat:
      return stat_item(where, k, n, c);
    case meta_operation::read:
      return read_item(where, k, n, c, buffer);
    case meta_operation::append:
      return append_item(where, k, n, c, buffer);
    case meta_operation::chmod: {
      const unsigned mode = now.mode == mode_a ? mode_b : mode_a;
      c.timed(0, [&] { where.chmod(tree_.file(k, n, now.renamed), mode); });
      return c.add_items(1);
    }
    case meta_operation::setxattr: {
      const auto v = content_.xattr_value(k, n, tree_.now().xattr_generation);
      c.timed(0, [&] { where.set_xattr(tree_.file(k, n, now.renamed), meta_xattr_name, v); });
      return c.add_items(1);
    }
    case meta_operation::getxattr:
      return getxattr_item(where, k, n, c);
    case meta_operation::readdir:
    case meta_operation::readdir_stat:
      return list_leaf(op, where, k, n, c);
    case meta_operation::rename:
      c.timed(0,
              [&] { where.rename(tree_.file(k, n, now.renamed), tree_.file(k, n, !now.renamed)); });
      return c.add_items(1);
    case meta_operation::unlink:
      c.timed(0, [&] { where.unlink(tree_.file(k, n, now.renamed)); });
      return c.add_items(1);
    case meta_operation::mkdir:
      c.timed(0, [&] { where.mkdir(tree_.dir(k, n)); });
      return c.add_items(1);
    case meta_operation::rmdir:
      c.timed(0, [&] { where.rmdir(tree_.dir(k, n)); });
      return c.add_items(1);
  }
}

void phase_items::create_item(target& where, unsigned k, std::uint64_t n, item_clock& c,
                              aligned_buffer& buffer) {
  const std::uint64_t size = shape_.file_size;
  c.timed(size, [&] {
    auto f = where.create(tree_.file(k, n, false),
                          {.access = access_mode::write_only, .exclusive = true});
    write_range(*f, k, n, 0, size, size, c, buffer);
    if (shape_.fsync) f->fsync();
    f->close();
  });
  c.add_items(1);
}

void phase_items::append_item(target& where, unsigned k, std::uint64_t n, item_clock& c,
                              aligned_buffer& buffer) {
  const auto& now = tree_.now();
  const std::uint64_t add = append_bytes(shape_);
  c.timed(add, [&] {
    auto f = where.open(tree_.file(k, n, now.renamed), {.access = access_mode::write_only});
    write_range(*f, k, n, now.size, add, shape_.file_size, c, buffer);
    if (shape_.fsync) f->fsync();
    f->close();
  });
  c.add_items(1);
}

// Writes [offset, offset + length) of the file's content from `buffer`,
// which is filled (untimed) before each write.
void phase_items::write_range(target_file& f, unsigned k, std::uint64_t n, std::uint64_t offset,
                              std::uint64_t length, std::uint64_t created, item_clock& c,
                              aligned_buffer& buffer) const {
  std::uint64_t done = 0;
  while (done < length) {
    const auto chunk =
        static_cast<std::size_t>(std::min<std::uint64_t>(length - done, buffer.size()));
    auto data = buffer.slice(0, chunk);
    c.untimed([&] { content_.fill(data, offset + done, k, n, created); });
    f.pwrite_all(data, offset + done);
    done += chunk;
  }
}

void phase_items::read_item(target& where, unsigned k, std::uint64_t n, item_clock& c,
                            aligned_buffer& buffer) {
  const auto& now = tree_.now();
  const std::string path = tree_.file(k, n, now.renamed);
  std::vector<std::byte> expected;
  c.timed(now.size, [&] {
    auto f = where.open(path, {.access = access_mode::read_only});
    std::uint64_t done = 0;
    while (done < now.size) {
      const auto chunk =
          static_cast<std::size_t>(std::min<std::uint64_t>(now.size - done, buffer.size()));
      auto got = buffer.slice(0, chunk);
      f->pread_all(got, done);
      c.untimed([&] {
        expected.resize(chunk);
        content_.fill(expected, done, k, n, shape_.file_size);
        if (std::memcmp(expected.data(), got.data(), chunk) != 0) {
          c.mismatch(path + ": the bytes read at " + std::to_string(done) +
                     " are not what gfbench wrote");
        }
      });
      done += chunk;
    }
    f->close();
  });
  c.add_items(1);
}

void phase_items::stat_item(target& where, unsigned k, std::uint64_t n, item_clock& c) {
  const auto& now = tree_.now();
  const std::string path = tree_.file(k, n, now.renamed);
  file_status st;
  c.timed(0, [&] { st = where.stat(path); });
  c.untimed([&] { check_status(path, st, c); });
  c.add_items(1);
}

void phase_items::check_status(const std::string& path, const file_status& st,
                               item_clock& c) const {
  const auto& now = tree_.now();
  if (st.type != file_type::regular) {
    c.mismatch(path + " is not a regular file");
  } else if (st.size != now.size) {
    c.mismatch(path + " has " + std::to_string(st.size) + " bytes, not " +
               std::to_string(now.size));
  } else if ((st.permissions & 0777u) != now.mode) {
    c.mismatch(path + " has mode " + std::to_string(st.permissions & 0777u) + " (decimal), not " +
               std::to_string(now.mode));
  }
}

void phase_items::getxattr_item(target& where, unsigned k, std::uint64_t n, item_clock& c) {
  const auto& now = tree_.now();
  const std::string path = tree_.file(k, n, now.renamed);
  std::vector<std::byte> got;
  c.timed(0, [&] { got = where.get_xattr(path, meta_xattr_name); });
  c.untimed([&] {
    const auto want = content_.xattr_value(k, n, tree_.now().xattr_generation);
    if (got.size() != want.size() || std::memcmp(got.data(), want.data(), want.size()) != 0) {
      c.mismatch(path + ": " + meta_xattr_name + " is not the value gfbench set");
    }
  });
  c.add_items(1);
}

// One leaf directory: listed (with status for readdir_stat) and checked
// against what the tree holds: every file under its current name, the
// mkdir phase's directories if they exist, nothing else.
void phase_items::list_leaf(meta_operation op, target& where, unsigned k, std::uint64_t leaf,
                            item_clock& c) {
  const auto& now = tree_.now();
  const std::string dir = tree_.leaf_dir(k, leaf);
  std::vector<dir_entry> plain;
  std::vector<dir_entry_status> with_status;
  const bool status = op == meta_operation::readdir_stat;
  c.timed(0, [&] {
    if (status) {
      with_status = where.list_with_status(dir);
    } else {
      plain = where.list(dir);
    }
  });
  c.untimed([&] {
    const std::uint64_t first = tree_.leaf_first(leaf);
    const std::uint64_t end = tree_.leaf_end(leaf);
    std::vector<bool> files(end - first, false);
    std::vector<bool> dirs(end - first, false);
    std::uint64_t bad = 0;
    std::string first_bad;
    const auto note = [&](std::string_view name, const file_status* st) {
      const auto e = meta_tree::parse_entry(name);
      const bool in_range = e && e->item >= first && e->item < end;
      bool ok = false;
      if (in_range && e->what == meta_tree::entry_name::kind::dir) {
        ok = now.dirs && !dirs[e->item - first];
        if (ok) dirs[e->item - first] = true;
      } else if (in_range) {
        const bool renamed = e->what == meta_tree::entry_name::kind::renamed_file;
        ok = now.files && renamed == now.renamed && !files[e->item - first];
        if (ok) files[e->item - first] = true;
        if (ok && st != nullptr) check_status(dir + "/" + std::string(name), *st, c);
      }
      if (!ok && bad++ == 0) first_bad = std::string(name);
    };
    for (const auto& e : plain) note(e.name, nullptr);
    for (const auto& e : with_status) note(e.name, &e.status);
    const std::uint64_t listed = plain.size() + with_status.size();
    const std::uint64_t expected = (now.files ? end - first : 0) + (now.dirs ? end - first : 0);
    if (bad > 0) {
      c.mismatch(dir + " lists '" + first_bad + "', which should not be there (" +
                 std::to_string(bad) + " such)");
    } else if (listed != expected) {
      c.mismatch(dir + " lists " + std::to_string(listed) + " entries, not " +
                 std::to_string(expected));
    }
    c.add_items(listed);
  });
}

}  // namespace gfbench::detail
