// The read-only kernel: times reads of a file that is already there, without
// laying it out, writing or removing anything (gfbench --read-only).

#include "bench/io/read_only_kernel.hpp"

#include <algorithm>
#include <cerrno>
#include <optional>
#include <stdexcept>
#include <string>

#include "bench/io/case_file.hpp"
#include "bench/io/io_kernels.hpp"
#include "bench/io/pattern.hpp"
#include "bench/io/record_order.hpp"
#include "bench/watch/health_watch.hpp"
#include "bench/watch/watched_file.hpp"
#include "gfbench/error.hpp"
#include "gfbench/recorder.hpp"
#include "gfbench/stop.hpp"
#include "util/aligned_buffer.hpp"
#include "util/log.hpp"

namespace gfbench::detail {
namespace {

constexpr const char* damaged_hint =
    "data read differs from the pattern gfbench wrote into this file: it was changed or damaged "
    "since";

std::string_view base_name(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Which of gfbench's contents the file holds, if any: the stamps of its
// first, middle and last sectors are asked in turn, so that one damaged
// stamp does not hide the file's pattern (and with it the damage, which the
// check of every byte then finds).
std::optional<content_id> identify_file(target_file& f, std::uint64_t size, std::uint64_t seed) {
  if (size < stamp_size) return std::nullopt;
  const std::uint64_t last = (size - stamp_size) / sector_size;
  aligned_buffer stamp(static_cast<std::size_t>(stamp_size));
  for (const std::uint64_t sector : {std::uint64_t{0}, last / 2, last}) {
    f.pread_all(stamp.span(), sector * sector_size);
    if (const auto id = identify(stamp.span(), seed, sector)) return id;
  }
  return std::nullopt;
}

class existing_read {
 public:
  existing_read(benchmark::State& state, case_context& context)
      : state_(state),
        context_(context),
        shape_(context.shape),
        where_(*context.where),
        path_(context.existing_file),
        watch_(where_, path_, {}),
        health_(where_, watch_, where_.label() + " " + path_) {}

  void run(operation op) {
    if (!is_read(op)) {
      throw std::invalid_argument("read-only mode runs read, reread and random_read, not " +
                                  std::string(to_string(op)));
    }
    health_.check("before");
    try {
      read(op == operation::random_read);
    } catch (const std::exception&) {
      try {
        health_.check("after");
      } catch (const std::exception&) {
        // the case's own error says more
      }
      health_.report(state_);
      health_.rethrow_with_note();
    }
    if (!state_.error_occurred()) health_.check("after");
    health_.report(state_);
  }

 private:
  [[nodiscard]] open_options options(bool direct) const {
    return {.access = access_mode::read_only, .direct = direct};
  }

  [[noreturn]] void fail(int errno_value, const char* operation, std::string hint) const {
    throw io_error(errno_value, {.operation = operation,
                                 .volume = where_.describe(),
                                 .path = path_,
                                 .hint = std::move(hint)});
  }

  // Size, and whether the data can be checked: before any timing, through a
  // plain (not O_DIRECT) open so that the probes need no alignment.
  void inspect() {
    auto f = open_watched(watch_, "open", [&] { return where_.open(path_, options(false)); });
    const auto st = f->stat();
    if (st.type != file_type::regular) fail(EINVAL, "read-only", "not a regular file");
    size_ = st.size;
    if (size_ == 0) fail(EINVAL, "read-only", "the file is empty: there is nothing to read");
    if (shape_.file_size != 0 && shape_.file_size != size_) {
      fail(EAGAIN, "read-only",
           "the file has " + std::to_string(size_) + " bytes now, " +
               std::to_string(shape_.file_size) + " when the run was set up: is it being written?");
    }
    if (shape_.direct &&
        (size_ % direct_io_alignment != 0 || shape_.block_size % direct_io_alignment != 0)) {
      fail(EINVAL, "read-only",
           "O_DIRECT needs a file size and block size that are multiples of 4KiB; the file has " +
               std::to_string(size_) + " bytes");
    }
    const auto id = identify_file(*f, size_, file_seed(shape_.seed, base_name(path_)));
    if (shape_.verify && !id) {
      fail(EILSEQ, "verify",
           "--verify: the file does not carry gfbench's pattern for the name '" +
               std::string(base_name(path_)) +
               "' (was it written by gfbench, under this name?); run without --verify to time "
               "the reads without checking the data");
    }
    f->close();
    if (id) content_.emplace(*id);
    logger().debug("read-only {}: {} bytes, {}", path_, size_,
                   content_ ? "carries gfbench's pattern: every byte is checked"
                            : "not gfbench's pattern: data not checked");
  }

  bool interrupted() {
    if (!stop_requested()) return false;
    state_.SkipWithError("interrupted: stop requested (signal) before this pass");
    return true;
  }

  // A warm pass is preceded by an untimed read of the whole file (nobody
  // wrote it just now, so that is what warms the caches); a cold one opens
  // through target::open_cold. Records land in one record-sized buffer;
  // the last may be shorter. The data is checked as the normal read kernel
  // checks it: each record's first stamp as it arrives, every byte after
  // the pass, untimed, so that no clock stops inside a pass while
  // read-ahead keeps fetching.
  void read(bool random) {
    if (shape_.block_size == 0) throw std::invalid_argument("block size must be at least 1 byte");
    inspect();
    const std::uint64_t block = shape_.block_size;
    const record_order visit((size_ + block - 1) / block, block, random, shape_.seed);
    aligned_buffer landing(static_cast<std::size_t>(block));
    const auto record = [&](std::uint64_t off) {
      return landing.slice(0, static_cast<std::size_t>(std::min(block, size_ - off)));
    };
    const cache_mode cache = shape_.cache;
    case_recorder recorder(state_, context_);
    for (auto _ : state_) {
      if (interrupted()) break;
      // The watchdog keeps the name of the call: a string literal.
      const char* what = cache == cache_mode::cold       ? "open (cold)"
                         : cache == cache_mode::uncached ? "open (uncached)"
                                                         : "open";
      auto f = open_watched(watch_, what, [&] {
        switch (cache) {
          case cache_mode::cold:
            return where_.open_cold(path_, options(shape_.direct));
          case cache_mode::uncached:
            return where_.open_uncached(path_, options(shape_.direct));
          case cache_mode::warm:
            break;
        }
        return where_.open(path_, options(shape_.direct));
      });
      if (cache == cache_mode::warm) {
        for (std::uint64_t i = 0; i < visit.records(); ++i) {
          const std::uint64_t off = visit.offset(i);
          f->pread_all(record(off), off);
        }
      }
      misread_records misread;
      recorder.begin_iteration();
      for (std::uint64_t i = 0; i < visit.records(); ++i) {
        stop_if_requested();
        const std::uint64_t off = visit.offset(i);
        const auto part = record(off);
        recorder.record(part.size(), [&] { f->pread_all(part, off); });
        if (content_) misread.note(content_->first_stamp_matches(part, off), off);
      }
      if (shape_.include_close) f->close();
      recorder.end_iteration();
      if (content_) {
        if (shape_.include_close) {
          f = open_watched(watch_, "open", [&] { return where_.open(path_, options(false)); });
        }
        const std::uint64_t last = visit.offset(visit.records() - 1);
        require_content(*content_, record(last), last, where_, path_, damaged_hint);
        check_whole_file(*f, *content_, size_, shape_.direct ? block : 1, where_, path_,
                         damaged_hint);
        misread.throw_if_any();
      }
      if (!shape_.include_close || content_) f->close();
    }
    state_.counters[verified_counter] = content_ ? 1 : 0;
    if (state_.error_occurred()) return;
    recorder.finish();
    state_.counters[fsync_timed_counter] = 0;  // the same counters as writes
  }

  benchmark::State& state_;
  const case_context& context_;
  const io_shape shape_;
  target& where_;
  const std::string path_;
  watched_scope watch_;
  health_watch health_;
  std::uint64_t size_ = 0;
  std::optional<file_content> content_;
};

}  // namespace

void read_existing_file(operation op, benchmark::State& state, case_context& context) {
  if (context.where == nullptr) throw std::invalid_argument("read-only case without a target");
  existing_read(state, context).run(op);
}

}  // namespace gfbench::detail
