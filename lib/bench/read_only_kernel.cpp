// The read-only kernel: times reads of a file that is already there, without
// laying it out, writing or removing anything (gfbench --read-only).

#include <algorithm>
#include <cerrno>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/health_watch.hpp"
#include "bench/pattern.hpp"
#include "gfbench/error.hpp"
#include "gfbench/recorder.hpp"
#include "gfbench/stop.hpp"
#include "util/aligned_buffer.hpp"
#include "util/log.hpp"

namespace gfbench::detail {
namespace {

std::string_view base_name(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Does the file carry gfbench's pattern for its name? Three probes of up to
// 64 bytes (start, middle, end); one full match cannot be chance, and one
// damaged byte leaves the other probes matching, so it is then found by the
// check of every record.
bool carries_pattern(target_file& f, std::uint64_t size, std::uint64_t seed) {
  constexpr std::uint64_t probe = 64;
  const std::uint64_t n = std::min(probe, size);
  aligned_buffer buf(static_cast<std::size_t>(n));
  for (const std::uint64_t at : {std::uint64_t{0}, (size / 2) & ~std::uint64_t{7}, size - n}) {
    const std::uint64_t len = std::min(n, size - at);
    auto part = buf.slice(0, static_cast<std::size_t>(len));
    f.pread_all(part, at);
    if (!find_mismatch(part, seed, at)) return true;
  }
  return false;
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
      read(op == operation::random_read, op == operation::reread);
    } catch (const std::exception& e) {
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
  open_options options(bool direct) const {
    return {.access = access_mode::read_only, .direct = direct};
  }

  [[noreturn]] void fail(int errno_value, const char* operation, std::string hint) const {
    throw io_error(errno_value, {.operation = operation,
                                 .volume = where_.describe(),
                                 .path = path_,
                                 .hint = std::move(hint)});
  }

  // Size, and whether to verify: before any timing, through a plain
  // (not O_DIRECT) open so that the probes need no alignment.
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
    seed_ = file_seed(shape_.seed, base_name(path_));
    verified_ = carries_pattern(*f, size_, seed_);
    if (shape_.verify && !verified_) {
      fail(EILSEQ, "verify",
           "--verify: the file does not carry gfbench's pattern for the name '" +
               std::string(base_name(path_)) +
               "' (was it written by gfbench, under this name?); run without --verify to time "
               "the reads without checking the data");
    }
    f->close();
    logger().debug("read-only {}: {} bytes, {}", path_, size_,
                   verified_ ? "carries gfbench's pattern: every byte is checked"
                             : "not gfbench's pattern: data not checked");
  }

  void check(std::span<const std::byte> got, std::uint64_t offset) const {
    if (const auto bad = find_mismatch(got, seed_, offset)) {
      throw io_error(EIO, {.operation = "verify",
                           .volume = where_.describe(),
                           .path = path_,
                           .offset = *bad,
                           .hint = "data read differs from the pattern gfbench wrote into this "
                                   "file: it was changed or damaged since"});
    }
  }

  bool interrupted() {
    if (!stop_requested()) return false;
    state_.SkipWithError("interrupted: stop requested (signal) before this pass");
    return true;
  }

  void read(bool random, bool warm_first) {
    if (shape_.block_size == 0) throw std::invalid_argument("block size must be at least 1 byte");
    inspect();
    const std::uint64_t block = shape_.block_size;
    std::vector<std::uint64_t> offsets;
    for (std::uint64_t off = 0; off < size_; off += block) offsets.push_back(off);
    if (random) {
      std::mt19937_64 generator(shape_.seed);
      std::shuffle(offsets.begin(), offsets.end(), generator);
    }
    aligned_buffer buf(static_cast<std::size_t>(block));
    const auto record = [&](std::uint64_t off) {
      return buf.slice(0, static_cast<std::size_t>(std::min(block, size_ - off)));
    };
    const bool cold = shape_.cache == cache_mode::cold && !warm_first;
    case_recorder recorder(state_, context_);
    for (auto _ : state_) {
      if (interrupted()) break;
      auto f = open_watched(watch_, cold ? "open (cold)" : "open", [&] {
        return cold ? where_.open_cold(path_, options(shape_.direct))
                    : where_.open(path_, options(shape_.direct));
      });
      if (warm_first) {
        for (const auto off : offsets) f->pread_all(record(off), off);
      }
      recorder.begin_iteration();
      for (const auto off : offsets) {
        if (stop_requested()) {
          throw std::runtime_error("interrupted: stop requested (signal) during a pass");
        }
        auto part = record(off);
        recorder.record(part.size(), [&] { f->pread_all(part, off); });
        if (verified_) recorder.untimed([&] { check(part, off); });
      }
      if (shape_.include_close) f->close();
      recorder.end_iteration();
      if (!shape_.include_close) f->close();
    }
    state_.counters[verified_counter] = verified_ ? 1 : 0;
    if (state_.error_occurred()) return;
    recorder.finish();
  }

  benchmark::State& state_;
  const case_context& context_;
  const io_shape shape_;
  target& where_;
  const std::string path_;
  watched_scope watch_;
  health_watch health_;
  std::uint64_t size_ = 0;
  std::uint64_t seed_ = 0;
  bool verified_ = false;
};

}  // namespace

void read_existing_file(operation op, benchmark::State& state, case_context& context) {
  if (context.where == nullptr) throw std::invalid_argument("read-only case without a target");
  existing_read(state, context).run(op);
}

}  // namespace gfbench::detail
