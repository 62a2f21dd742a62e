#include "bench/io/io_kernels.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "bench/case/case_binding_access.hpp"
#include "bench/io/case_file.hpp"
#include "bench/io/guarded_case.hpp"
#include "bench/io/pattern.hpp"
#include "bench/io/record_order.hpp"
#include "bench/record/pass_stonewall.hpp"
#include "bench/watch/health_watch.hpp"
#include "gfbench/error.hpp"
#include "gfbench/recorder.hpp"
#include "gfbench/stop.hpp"
#include "gfbench/watchdog.hpp"
#include "util/aligned_buffer.hpp"
#include "util/log.hpp"

namespace gfbench::detail {

void stop_if_requested() {
  if (stop_requested()) {
    throw std::runtime_error("interrupted: stop requested (signal) during a pass");
  }
}

namespace {

// One run of a built-in kernel (one repetition of its case): the file, the
// health checks around it, and the passes. Memory is the pattern's period
// (1 MiB or one record, whichever is larger) and one record to read into,
// whatever the file's size.
class io_kernel final : guarded_case {
 public:
  io_kernel(benchmark::State& state, case_context& context) : guarded_case(state, context) {}

  void run(operation op) {
    guarded_case::run([&] { dispatch(op); });
  }

 private:
  void dispatch(operation op) {
    switch (op) {
      case operation::write:
        return write_passes(/*new_file=*/true, /*random=*/false);
      case operation::rewrite:
        return write_passes(false, false);
      case operation::random_write:
        return write_passes(false, true);
      case operation::read:
        return read_passes(/*random=*/false, /*warm_first=*/false);
      case operation::reread:
        return read_passes(false, true);
      case operation::random_read:
        return read_passes(true, false);
      case operation::random_rw:
        break;  // always queued (run_kernel)
    }
  }

  // Between passes: a stop request (Ctrl-C) ends the case as failed, so the
  // run winds down and cleans up instead of finishing the matrix.
  bool interrupted() {
    if (!stop_requested()) return false;
    state_.SkipWithError("interrupted: stop requested (signal) before this pass");
    return true;
  }

  [[nodiscard]] record_order order(bool random) const {
    return {records_, shape_.block_size, random, shape_.seed};
  }

  [[nodiscard]] file_content content(std::uint32_t generation) const {
    return file_content({.file_seed = seed_, .generation = generation, .period = period_});
  }

  // Opens what the read passes read. Another client's file was made by
  // then (read_from waited for it) and stays the same file through the
  // repetitions (laid out in place). Should this client still hold an
  // older entry for the name (FUSE keeps names for its entry-timeout,
  // libgfapi's md-cache for its md-cache-timeout, a second each by
  // default), an open finds a stale inode (ESTALE) or none (ENOENT): it
  // tries again for a few seconds.
  std::unique_ptr<target_file> open_source(const std::string& source, cache_mode cache) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(4);
    for (auto pause = std::chrono::milliseconds(20);; pause *= 2) {
      try {
        return file_.open_other(source, access_mode::read_only, cache);
      } catch (const io_error& e) {
        const bool stale = e.errno_value() == ESTALE || e.errno_value() == ENOENT;
        if (source == file_.path() || !stale || std::chrono::steady_clock::now() >= until) throw;
      }
      stop_if_requested();
      std::this_thread::sleep_for(std::min(pause, std::chrono::milliseconds(500)));
    }
  }

  // What another client's file of this case holds: the pattern of its name.
  [[nodiscard]] file_content content_of(const std::string& path) const {
    const std::string name = path.substr(path.rfind('/') + 1);
    return file_content(
        {.file_seed = file_seed(shape_.seed, name), .generation = 0, .period = period_});
  }

  // A pass the stonewall cut moved less than the file: bytes_per_pass says
  // how much (as queued cases say it), so that shares of it (what the
  // bricks served) are of what it moved.
  void note_cut_pass(std::uint64_t moved) {
    if (shape_.stonewall.count() > 0) {
      state_.counters["bytes_per_pass"] = benchmark::Counter(static_cast<double>(moved));
    }
  }

  void finish() {
    notify_before_removal(context_);
    if (!context_.keep_files && !context_.read_from) file_.remove();
  }

  // After a write pass, untimed: fsync (unless the pass did) and close, so
  // success is only reported for data the bricks call stable. Write-behind
  // acknowledges writes early, and glfs_close returned 0 after a brick died
  // with 2 MiB of acknowledged writes lost; fsync on the same fd reports it.
  // With --close (close timed) and no --fsync there is no fd left to fsync:
  // then only the size and content check after the case can notice a loss.
  void settle(target_file& f) const {
    if (!shape_.fsync) f.fsync();
    f.close();
  }

  // write (a new file each pass), rewrite and random_write (the laid-out
  // file, in place). Each pass writes a generation of its own, so no two
  // passes write the same bytes; every record is the pattern's period
  // stamped in place (a few stores per 512 bytes), so nothing is copied
  // or generated inside the timed region.
  void write_passes(bool new_file, bool random) {
    if (random && shape_.stonewall.count() > 0) {
      // What a cut pass of scattered records left could not be checked.
      throw std::invalid_argument(
          "a stonewall cuts write, rewrite and read passes, not random_write's");
    }
    if (!new_file) {
      auto laid_out = content(0);
      file_.lay_out(laid_out, shape_.file_size);
    }
    const record_order visit = order(random);
    const std::uint64_t block = shape_.block_size;
    std::optional<file_content> written;
    pass_stonewall wall(context_, visit.records());
    std::uint64_t done = visit.records();  // records the last pass wrote
    case_recorder recorder(state_, context_);
    for (auto _ : state_) {
      if (interrupted()) break;
      written.reset();  // one period in memory at a time
      written.emplace(content(case_binding_access::next_write_pass(context_)));
      std::unique_ptr<target_file> f;
      if (new_file) {
        file_.remove();
        f = file_.create(access_mode::write_only);
      } else {
        f = file_.open(access_mode::write_only);
      }
      recorder.begin_iteration();
      wall.start(recorder.iteration_begin());
      std::uint64_t limit = visit.records();
      for (done = 0; done < limit; ++done) {
        stop_if_requested();
        const std::uint64_t off = visit.offset(done);
        const auto data = written->record(off, static_cast<std::size_t>(block));
        recorder.record(block, [&] { f->pwrite_all(data, off); });
        limit = wall.limit_after(done + 1);
      }
      wall.finish(done);
      if (shape_.fsync) f->fsync();
      if (shape_.include_close) f->close();
      recorder.end_iteration();
      if (!shape_.include_close) settle(*f);
    }
    if (state_.error_occurred() || !written) return;
    // The file holds what the last pass wrote: its size exactly, and the
    // bytes (the first and last records; every byte with --verify). A pass
    // a stonewall cut wrote its first `done` records: a new file is that
    // long, a rewritten one keeps its size.
    const std::uint64_t written_bytes = done * block;
    file_.check(*written, new_file ? written_bytes : shape_.file_size, block,
                shape_.verify ? check_extent::every : check_extent::ends, written_bytes);
    recorder.finish();
    state_.counters[fsync_timed_counter] = benchmark::Counter(shape_.fsync ? 1 : 0);
    note_cut_pass(written_bytes);
    finish();
  }

  // read, reread (the whole file read once untimed first, so caches are
  // warm) and random_read, of the laid-out file. Records land in one
  // record-sized buffer, as IOzone's and fio's do. Each record's first
  // stamp is checked as it arrives (the right file, offset and generation:
  // one mix and a 16-byte compare; no clock is stopped for it), and after
  // the pass every byte of the file is read again, untimed, and compared.
  void read_passes(bool random, bool warm_first) {
    {
      // Read by another client (read_from): made once and written over in
      // place by later repetitions, so that the name another client looked
      // up keeps naming the same file. Removed with the scratch area.
      auto own = content(0);
      file_.lay_out(own, shape_.file_size, /*in_place=*/static_cast<bool>(context_.read_from));
    }
    // What the passes read: the file just laid out, or another client's
    // (read_from), whose data follows the pattern of its own name.
    const std::string source = context_.read_from
                                   ? context_.read_from(*context_.scratch, context_.file_name)
                                   : file_.path();
    file_content laid_out = source == file_.path() ? content(0) : content_of(source);
    const record_order visit = order(random);
    const std::uint64_t block = shape_.block_size;
    aligned_buffer landing(static_cast<std::size_t>(block));
    const cache_mode cache = warm_first ? cache_mode::warm : shape_.cache;
    constexpr const char* hint = "data read back differs from what gfbench wrote";
    pass_stonewall wall(context_, visit.records());
    std::uint64_t read_bytes = shape_.file_size;  // what the last pass read
    case_recorder recorder(state_, context_);
    for (auto _ : state_) {
      if (interrupted()) break;
      auto f = open_source(source, cache);
      if (warm_first) {
        for (std::uint64_t i = 0; i < visit.records(); ++i) {
          f->pread_all(landing.span(), visit.offset(i));
        }
      }
      misread_records misread;
      recorder.begin_iteration();
      wall.start(recorder.iteration_begin());
      std::uint64_t limit = visit.records();
      std::uint64_t done = 0;
      for (; done < limit; ++done) {
        stop_if_requested();
        const std::uint64_t off = visit.offset(done);
        recorder.record(block, [&] { f->pread_all(landing.span(), off); });
        misread.note(laid_out.first_stamp_matches(landing.span(), off), off);
        limit = wall.limit_after(done + 1);
      }
      wall.finish(done);
      read_bytes = done * block;
      if (shape_.include_close) f->close();
      recorder.end_iteration();
      // Untimed: the last record read, then the whole file.
      require_content(laid_out, landing.span(), visit.offset(done - 1), file_.where(), source,
                      hint);
      if (shape_.include_close) {
        f = open_source(source, cache_mode::warm);
      }
      check_whole_file(*f, laid_out, shape_.file_size, block, file_.where(), source, hint);
      f->close();
      misread.throw_if_any();
    }
    if (state_.error_occurred()) return;
    recorder.finish();
    state_.counters[fsync_timed_counter] = 0;  // reads: the same counters as writes
    note_cut_pass(read_bytes);
    finish();
  }
};

}  // namespace

void run_io_kernel(operation op, benchmark::State& state, case_context& context) {
  io_kernel(state, context).run(op);
}

}  // namespace gfbench::detail
