#include "bench/io/case_file.hpp"

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <string>

#include "bench/io/io_kernels.hpp"
#include "bench/watch/watched_file.hpp"
#include "gfbench/error.hpp"
#include "util/aligned_buffer.hpp"

namespace gfbench::detail {
namespace {

// The bytes a lay-out or a check moves per call: large, so that they take
// little of the run's time, and bounded, so that memory does not grow with
// the file.
constexpr std::uint64_t bulk_bytes = 4u << 20;

// Records of `block_size` bytes adding up to about bulk_bytes.
std::uint64_t bulk_records(std::uint64_t block_size) {
  return std::max<std::uint64_t>(1, bulk_bytes / std::max<std::uint64_t>(block_size, 1));
}

}  // namespace

void misread_records::throw_if_any() const {
  if (count_ == 0) return;
  throw std::runtime_error("verify: " + std::to_string(count_) +
                           " records read in the pass did not carry their stamps (the first at "
                           "offset " +
                           std::to_string(first_) +
                           "), but the file reads back right: the read returned other data than "
                           "the file holds");
}

void require_content(const file_content& content, std::span<const std::byte> got,
                     std::uint64_t offset, const target& where, const std::string& path,
                     const char* hint) {
  if (const auto bad = content.find_mismatch(got, offset)) {
    throw io_error(EIO, {.operation = "verify",
                         .volume = where.describe(),
                         .path = path,
                         .offset = *bad,
                         .hint = hint});
  }
}

void check_whole_file(target_file& f, const file_content& content, std::uint64_t size,
                      std::uint64_t block_size, const target& where, const std::string& path,
                      const char* hint) {
  const std::uint64_t chunk = block_size * bulk_records(block_size);
  aligned_buffer buffer(static_cast<std::size_t>(std::min(chunk, size)));
  for (std::uint64_t off = 0; off < size; off += chunk) {
    stop_if_requested();
    auto part = buffer.slice(0, static_cast<std::size_t>(std::min(chunk, size - off)));
    f.pread_all(part, off);
    require_content(content, part, off, where, path, hint);
  }
}

case_file::case_file(scratch_area& scratch, std::string name, bool direct)
    : scratch_(scratch),
      name_(std::move(name)),
      path_(scratch.file_path(name_)),
      direct_(direct),
      watch_(scratch.where(), path_, scratch.path()) {}

open_options case_file::options(access_mode access) const {
  return {.access = access, .direct = direct_};
}

std::unique_ptr<target_file> case_file::create(access_mode access) {
  return open_watched(watch_, "create",
                      [&] { return scratch_.create_file(name_, options(access)); });
}

std::unique_ptr<target_file> case_file::open(access_mode access, cache_mode cache) {
  return open_other(path_, access, cache);
}

std::unique_ptr<target_file> case_file::open_other(const std::string& path, access_mode access,
                                                   cache_mode cache) {
  if (cache == cache_mode::cold) {
    return open_watched(watch_, "open (cold)",
                        [&] { return where().open_cold(path, options(access)); });
  }
  if (cache == cache_mode::uncached) {
    return open_watched(watch_, "open (uncached)",
                        [&] { return where().open_uncached(path, options(access)); });
  }
  return open_watched(watch_, "open", [&] { return where().open(path, options(access)); });
}

void case_file::remove() {
  if (scratch_.has_file(name_)) watch_.call("unlink", {}, [&] { scratch_.remove_file(name_); });
}

void case_file::lay_out(file_content& content, std::uint64_t size, bool in_place) {
  std::unique_ptr<target_file> f;
  if (in_place && scratch_.has_file(name_)) {
    f = open(access_mode::write_only);
  } else {
    remove();
    f = create(access_mode::write_only);
  }
  // Whole periods where they fit: record() serves any range within one.
  const std::uint64_t period = content.id().period;
  for (std::uint64_t off = 0; off < size;) {
    stop_if_requested();  // a lay-out of gigabytes takes long; Ctrl-C should not
    const std::uint64_t n = std::min({bulk_bytes, size - off, period - off % period});
    f->pwrite_all(content.record(off, static_cast<std::size_t>(n)), off);
    off += n;
  }
  f->fsync();
  f->close();
}

void case_file::check(const file_content& content, std::uint64_t size, std::uint64_t block_size,
                      check_extent extent, std::optional<std::uint64_t> written) {
  constexpr const char* hint = "data read back differs from what gfbench wrote";
  auto f = open(access_mode::read_only);
  const auto found = f->stat().size;
  if (found != size) {
    throw io_error(EIO, {.operation = "check",
                         .volume = where().describe(),
                         .path = path_,
                         .hint = "file has " + std::to_string(found) + " bytes after the case, " +
                                 std::to_string(size) + " were written"});
  }
  const std::uint64_t checked = std::min(written.value_or(size), size);
  if (checked < block_size) {
    // Nothing written (a pass cut before its first record ended): nothing to compare.
  } else if (extent == check_extent::every) {
    check_whole_file(*f, content, checked, block_size, where(), path_, hint);
  } else {
    aligned_buffer back(static_cast<std::size_t>(block_size));
    for (const std::uint64_t off : {std::uint64_t{0}, checked - block_size}) {
      f->pread_all(back.span(), off);
      require_content(content, back.span(), off, where(), path_, hint);
    }
  }
  f->close();
}

}  // namespace gfbench::detail
