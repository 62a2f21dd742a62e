#include "gfbench/kernels.hpp"

#include <algorithm>
#include <memory>
#include <mutex>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/health_watch.hpp"
#include "bench/pattern.hpp"
#include "bench/watched_scope.hpp"
#include "gfbench/error.hpp"
#include "gfbench/recorder.hpp"
#include "gfbench/stop.hpp"
#include "gfbench/units.hpp"
#include "util/aligned_buffer.hpp"
#include "util/log.hpp"

namespace gfbench {

namespace {

// The expected content of a file: its pattern, generated for a whole file
// before timing. Google Benchmark runs a case's body once per repetition,
// so the last pattern is kept and handed to the next repetition of the same
// case instead of allocating and filling file-size bytes again (100 MiB
// takes about 0.1 s of CPU that the volume's own threads would otherwise
// compete with between passes). Holds at most one file's bytes.
std::shared_ptr<const detail::aligned_buffer> pattern_for(std::uint64_t seed, std::uint64_t size) {
  static std::mutex mutex;
  static std::uint64_t cached_seed = 0;
  static std::shared_ptr<const detail::aligned_buffer> cached;
  std::lock_guard lock(mutex);
  if (cached && cached_seed == seed && cached->size() == size) return cached;
  cached.reset();  // free the old one before allocating the next
  auto content = std::make_shared<detail::aligned_buffer>(static_cast<std::size_t>(size));
  detail::fill_pattern(content->span(), seed, 0);
  cached_seed = seed;
  cached = std::move(content);
  return cached;
}

// The per-call state of a built-in kernel: the file's expected content, a
// buffer to read into, the record order. All allocated before timing.
class kernel_run {
 public:
  kernel_run(benchmark::State& state, case_context& context)
      : state_(state),
        context_(context),
        shape_(context.shape),
        scratch_(*context.scratch),
        content_(pattern_for(detail::file_seed(shape_.seed, context.file_name), shape_.file_size)),
        records_(shape_.file_size / shape_.block_size),
        watch_(scratch_.where(), scratch_.file_path(context.file_name), scratch_.path()),
        health_(scratch_.where(), watch_, scratch_.where().label() + " " + context.file_name) {}

  // The case between two brick health checks. A failed case removes its
  // file at once (unless kept), so failures do not pile up on a full volume.
  void run(operation op) {
    health_.check("before");
    try {
      dispatch(op);
    } catch (const std::exception& e) {
      wind_down();
      health_.rethrow_with_note();
    }
    if (state_.error_occurred()) return wind_down();
    health_.check("after");
    health_.report(state_);
  }

 private:
  void wind_down() noexcept {
    try {
      health_.check("after");
    } catch (const std::exception& e) {
      detail::logger().debug("health check after a failed case: {}", e.what());
    }
    health_.report(state_);
    if (context_.keep_files || target_hung(scratch_.where())) return;
    try {
      remove_case_file();
    } catch (const std::exception& e) {
      detail::logger().warn("after the failed case, {} stays: {}",
                            scratch_.file_path(context_.file_name), e.what());
    }
  }

  void dispatch(operation op) {
    switch (op) {
      case operation::write:
        return write_new();
      case operation::rewrite:
        return write_existing(false);
      case operation::random_write:
        return write_existing(true);
      case operation::read:
        return read_existing(false, false);
      case operation::reread:
        return read_existing(false, true);
      case operation::random_read:
        return read_existing(true, false);
    }
  }

  open_options options(access_mode access) const {
    return {.access = access, .direct = shape_.direct};
  }

  // Every call on the target goes through the watchdog (watched_file).
  std::unique_ptr<target_file> create_case_file(access_mode access) {
    return detail::open_watched(watch_, "create", [&] {
      return scratch_.create_file(context_.file_name, options(access));
    });
  }
  std::unique_ptr<target_file> open_case_file(access_mode access, bool cold = false) {
    const auto path = scratch_.file_path(context_.file_name);
    return detail::open_watched(watch_, cold ? "open (cold)" : "open", [&] {
      return cold ? scratch_.where().open_cold(path, options(access))
                  : scratch_.where().open(path, options(access));
    });
  }

  std::vector<std::uint64_t> record_offsets(bool random) const {
    std::vector<std::uint64_t> offsets(records_);
    for (std::uint64_t i = 0; i < records_; ++i) offsets[i] = i * shape_.block_size;
    if (random) {
      std::mt19937_64 generator(shape_.seed);
      std::shuffle(offsets.begin(), offsets.end(), generator);
    }
    return offsets;
  }

  std::span<const std::byte> expected(std::uint64_t offset) const {
    return content_->span().subspan(offset, shape_.block_size);
  }

  // Between passes: a stop request (Ctrl-C) ends the case as failed, so the
  // run winds down and cleans up instead of finishing the matrix.
  bool interrupted() {
    if (!stop_requested()) return false;
    state_.SkipWithError("interrupted: stop requested (signal) before this pass");
    return true;
  }
  // Within a pass, before each record: a pass over a large file can take
  // minutes, and Ctrl-C must not wait for it. One relaxed load per record.
  static void stop_if_requested() {
    if (stop_requested()) {
      throw std::runtime_error("interrupted: stop requested (signal) during a pass");
    }
  }

  void remove_case_file() {
    if (scratch_.has_file(context_.file_name)) {
      watch_.call("unlink", {}, [&] { scratch_.remove_file(context_.file_name); });
    }
  }

  // The file a rewrite or read works on, written before timing starts in
  // large records, fsync'ed so that it is on the bricks.
  void lay_out() {
    remove_case_file();
    auto f = create_case_file(access_mode::write_only);
    const std::uint64_t chunk = std::max<std::uint64_t>(shape_.block_size, 1u << 20);
    for (std::uint64_t off = 0; off < shape_.file_size; off += chunk) {
      const auto n = std::min(chunk, shape_.file_size - off);
      f->pwrite_all(content_->span().subspan(off, n), off);
    }
    f->fsync();
    f->close();
  }

  // After a write case: the file must have exactly the size written and,
  // where checked, exactly the content. With `verify` every byte is read
  // back; otherwise the first and last records.
  void check_written_file() {
    auto f = open_case_file(access_mode::read_only);
    const auto size = f->stat().size;
    if (size != shape_.file_size) {
      throw io_error(EIO, {.operation = "check",
                           .volume = scratch_.where().describe(),
                           .path = scratch_.file_path(context_.file_name),
                           .hint = "file has " + std::to_string(size) + " bytes after the case, " +
                                   std::to_string(shape_.file_size) + " were written"});
    }
    detail::aligned_buffer back(static_cast<std::size_t>(shape_.block_size));
    auto check = [&](std::uint64_t offset) {
      f->pread_all(back.span(), offset);
      compare(back.span(), offset);
    };
    if (shape_.verify) {
      for (std::uint64_t off = 0; off < shape_.file_size; off += shape_.block_size) check(off);
    } else {
      check(0);
      check(shape_.file_size - shape_.block_size);
    }
    f->close();
  }

  void compare(std::span<const std::byte> got, std::uint64_t offset) const {
    if (std::equal(got.begin(), got.end(),
                   content_->span().begin() + static_cast<std::ptrdiff_t>(offset))) {
      return;
    }
    std::uint64_t bad = offset;
    while (got[bad - offset] == content_->span()[bad]) ++bad;
    throw io_error(EIO, {.operation = "verify",
                         .volume = scratch_.where().describe(),
                         .path = scratch_.file_path(context_.file_name),
                         .offset = bad,
                         .hint = "data read back differs from what gfbench wrote"});
  }

  void finish() {
    if (!context_.keep_files) remove_case_file();
  }

  // After a write pass, untimed: fsync (unless the pass did) and close, so
  // success is only reported for data the bricks call stable. Write-behind
  // acknowledges writes early, and glfs_close returned 0 after a brick died
  // with 2 MiB of acknowledged writes lost; fsync on the same fd reports it.
  // With --close (close timed) and no --fsync there is no fd left to fsync:
  // then only the size and content check after the case can notice a loss.
  void settle(target_file& f) {
    if (!shape_.fsync) f.fsync();
    f.close();
  }

  void write_new() {
    const auto offsets = record_offsets(false);
    case_recorder recorder(state_, context_);
    for (auto _ : state_) {
      if (interrupted()) break;
      remove_case_file();
      auto f = create_case_file(access_mode::write_only);
      recorder.begin_iteration();
      for (const auto off : offsets) {
        stop_if_requested();
        recorder.record(shape_.block_size, [&] { f->pwrite_all(expected(off), off); });
      }
      if (shape_.fsync) f->fsync();
      if (shape_.include_close) f->close();
      recorder.end_iteration();
      if (!shape_.include_close) settle(*f);
    }
    if (state_.error_occurred()) return;
    check_written_file();
    recorder.finish();
    state_.counters[fsync_timed_counter] = benchmark::Counter(shape_.fsync ? 1 : 0);
    finish();
  }

  void write_existing(bool random) {
    lay_out();
    const auto offsets = record_offsets(random);
    case_recorder recorder(state_, context_);
    for (auto _ : state_) {
      if (interrupted()) break;
      auto f = open_case_file(access_mode::write_only);
      recorder.begin_iteration();
      for (const auto off : offsets) {
        stop_if_requested();
        recorder.record(shape_.block_size, [&] { f->pwrite_all(expected(off), off); });
      }
      if (shape_.fsync) f->fsync();
      if (shape_.include_close) f->close();
      recorder.end_iteration();
      if (!shape_.include_close) settle(*f);
    }
    if (state_.error_occurred()) return;
    check_written_file();
    recorder.finish();
    state_.counters[fsync_timed_counter] = benchmark::Counter(shape_.fsync ? 1 : 0);
    finish();
  }

  void read_existing(bool random, bool warm_first) {
    lay_out();
    const auto offsets = record_offsets(random);
    detail::aligned_buffer landing(static_cast<std::size_t>(shape_.file_size));
    case_recorder recorder(state_, context_);
    const bool cold = shape_.cache == cache_mode::cold && !warm_first;
    for (auto _ : state_) {
      if (interrupted()) break;
      auto f = open_case_file(access_mode::read_only, cold);
      if (warm_first) {
        for (const auto off : offsets) f->pread_all(landing.slice(off, shape_.block_size), off);
      }
      recorder.begin_iteration();
      for (const auto off : offsets) {
        stop_if_requested();
        recorder.record(shape_.block_size,
                        [&] { f->pread_all(landing.slice(off, shape_.block_size), off); });
      }
      if (shape_.include_close) f->close();
      recorder.end_iteration();
      if (!shape_.include_close) f->close();
      // Every byte read is checked, after the timed region.
      for (std::uint64_t off = 0; off < shape_.file_size; off += shape_.block_size) {
        compare(landing.slice(off, shape_.block_size), off);
      }
    }
    if (state_.error_occurred()) return;
    recorder.finish();
    finish();
  }

  benchmark::State& state_;
  case_context& context_;
  const io_shape shape_;
  scratch_area& scratch_;
  std::shared_ptr<const detail::aligned_buffer> content_;
  const std::uint64_t records_;
  detail::watched_scope watch_;
  detail::health_watch health_;
};

}  // namespace

void run_kernel(operation op, benchmark::State& state, case_context& context) {
  try {
    if (stop_requested()) {
      state.SkipWithError("interrupted: stop requested (signal) before this case");
      return;
    }
    target* where = context.existing_file.empty()
                        ? (context.scratch ? &context.scratch->where() : nullptr)
                        : context.where;
    if (where == nullptr) throw std::invalid_argument("case has no scratch area and no target");
    if (target_hung(*where)) {
      state.SkipWithError(
          ("skipped: a call on " + where->describe() + " hung in an earlier case (see the log)")
              .c_str());
      return;
    }
    if (!context.existing_file.empty()) return detail::read_existing_file(op, state, context);
    validate_shape(context.shape);
    kernel_run(state, context).run(op);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
}

}  // namespace gfbench
