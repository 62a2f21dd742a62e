#include "bench/io/queued_kernel.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <exception>
#include <latch>
#include <map>
#include <optional>
#include <string>
#include <thread>

#include "bench/case/case_binding_access.hpp"
#include "bench/io/case_file.hpp"
#include "bench/io/guarded_case.hpp"
#include "bench/io/io_stream.hpp"
#include "bench/io/pattern.hpp"
#include "bench/io/record_order.hpp"
#include "bench/record/recorder_access.hpp"
#include "bench/watch/health_watch.hpp"
#include "gfbench/error.hpp"
#include "gfbench/recorder.hpp"
#include "gfbench/stop.hpp"
#include "gfbench/watchdog.hpp"
#include "util/aligned_buffer.hpp"
#include "util/log.hpp"
#include "util/mix.hpp"
#include "util/text.hpp"

namespace gfbench::detail {
namespace {

using clock = std::chrono::steady_clock;

bool writes_in(operation op) noexcept {
  return op == operation::write || op == operation::rewrite || op == operation::random_write ||
         op == operation::random_rw;
}

bool random_in(operation op) noexcept {
  return op == operation::random_read || op == operation::random_write ||
         op == operation::random_rw;
}

// "EIO x3, ENOTCONN x1" (the names errno.h uses where glibc knows one).
std::string errors_by_name(const std::map<int, std::uint64_t>& errors) {
  std::string out;
  for (const auto& [e, n] : errors) {
    if (!out.empty()) out += ", ";
    out += errno_name(e) + " x" + std::to_string(n);
  }
  return out;
}

// Contents by generation, for checking a file whose records hold several
// (a time-based pass writes some records and leaves the others): each is
// one period of memory, so only a few are kept.
class content_cache {
 public:
  content_cache(std::uint64_t file_seed, std::uint64_t period)
      : seed_(file_seed), period_(period) {}
  const file_content& get(std::uint32_t generation) {
    auto it = cache_.find(generation);
    if (it != cache_.end()) return it->second;
    if (cache_.size() >= 4) cache_.erase(cache_.begin());
    return cache_
        .emplace(generation,
                 file_content({.file_seed = seed_, .generation = generation, .period = period_}))
        .first->second;
  }

 private:
  std::uint64_t seed_;
  std::uint64_t period_;
  std::map<std::uint32_t, file_content> cache_;
};

class queued_kernel final : guarded_case {
 public:
  queued_kernel(benchmark::State& state, case_context& context)
      : guarded_case(state, context), written_(records_) {}

  void run(operation op) {
    guarded_case::run([&] { passes(op); });
  }

 private:
  [[nodiscard]] file_content content(std::uint32_t generation) const {
    return file_content({.file_seed = seed_, .generation = generation, .period = period_});
  }

  // The threads' shares of a pass's order: contiguous, as equal as can be.
  [[nodiscard]] std::pair<std::uint64_t, std::uint64_t> share(unsigned t) const noexcept {
    const std::uint64_t base = records_ / shape_.threads;
    const std::uint64_t extra = records_ % shape_.threads;
    const std::uint64_t first = t * base + std::min<std::uint64_t>(t, extra);
    return {first, base + (t < extra ? 1 : 0)};
  }

  // What one pass runs: every thread's stream (its file, queue and
  // buffers), the content it writes, and the plan they share.
  struct pass_streams {
    std::vector<std::unique_ptr<watched_scope>> watches;
    std::vector<std::unique_ptr<io_stream>> streams;
    std::vector<std::optional<file_content>> contents;
    stream_plan plan;
  };

  void passes(operation op) {
    op_ = op;
    const bool writes = writes_in(op);
    writes_in_case_ = writes && op != operation::random_rw;
    if (op != operation::write) {
      auto laid_out = content(0);
      file_.lay_out(laid_out, shape_.file_size);
    }
    const record_order visit(records_, shape_.block_size, random_in(op), shape_.seed);
    case_recorder recorder(state_, context_);
    stream_result total;
    std::int64_t passes = 0;
    std::string engine;
    for (auto _ : state_) {
      if (stop_requested()) {
        state_.SkipWithError("interrupted: stop requested (signal) before this pass");
        break;
      }
      const std::uint32_t generation = writes ? case_binding_access::next_write_pass(context_) : 0;
      written_.clear();
      if (op == operation::write) {
        file_.remove();
        file_.create(access_mode::write_only)->close();
      }
      if (op == operation::reread) read_once_untimed();
      pass_streams run = open_streams(op, visit, generation);
      engine = run.streams.front()->engine();
      if (!ramp_up(run, writes)) break;
      const stream_result pass = timed_pass(recorder, run, writes);
      add(total, pass);
      ++passes;
      if (pass.interrupted) {
        state_.SkipWithError("interrupted: stop requested (signal) during a pass");
        break;
      }
      fail_on_errors(pass);
      // As the IOzone loop does: reads check every byte after each pass,
      // writes the first and last record (every byte with --verify).
      check(generation, writes,
            shape_.verify || !writes ? check_extent::every : check_extent::ends);
    }
    if (state_.error_occurred() || passes == 0) return;
    recorder.finish();
    report(total, engine);
    // Every stream's file is closed: what the observers check of it (the
    // copies on the bricks after a fault) is what the case wrote.
    notify_before_removal(context_);
    if (!context_.keep_files) file_.remove();
  }

  // Untimed: every thread's file, queue, buffers and content.
  pass_streams open_streams(operation op, const record_order& visit, std::uint32_t generation) {
    const bool writes = writes_in(op);
    const access_mode access = op == operation::random_rw ? access_mode::read_write
                               : writes                   ? access_mode::write_only
                                                          : access_mode::read_only;
    // reread: the file read once untimed first, as the IOzone loop does.
    const cache_mode cache =
        op == operation::reread ? cache_mode::warm : (writes ? cache_mode::warm : shape_.cache);
    pass_streams run;
    run.contents.resize(shape_.threads);
    for (unsigned t = 0; t < shape_.threads; ++t) {
      run.watches.push_back(
          std::make_unique<watched_scope>(file_.where(), file_.path(), file_.path()));
      run.streams.push_back(std::make_unique<io_stream>(file_.open(access, cache),
                                                        *run.watches.back(), shape_.queue_depth,
                                                        shape_.block_size, operation_timeout()));
      if (writes) run.contents[t].emplace(content(generation));
    }
    run.plan = {.op = op,
                .block_size = shape_.block_size,
                .order = &visit,
                .read_percent = shape_.read_percent,
                .mix_seed = mix(shape_.seed ^ generation),
                .flush_interval = shape_.flush_interval,
                .continue_on_error = shape_.continue_on_error,
                .file_seed = seed_,
                .generation = generation,
                .laid_out_generation = 0};
    return run;
  }

  // The ramp-up's requests are not counted; a failure in it is. Returns
  // false when a stop request ended it (the case is then failed).
  bool ramp_up(pass_streams& run, bool writes) {
    if (shape_.ramp_up.count() == 0 || shape_.runtime.count() == 0) return true;
    const clock::time_point start = clock::now();
    run_streams(run.streams, run.contents, run.plan, start, start + shape_.ramp_up);
    stream_result ramp;
    for (auto& s : run.streams) add(ramp, s->result());
    if (ramp.interrupted) {
      finish_quietly(run.streams, writes);
      state_.SkipWithError("interrupted: stop requested (signal) during the ramp-up");
      return false;
    }
    if (failed(ramp)) {
      finish_quietly(run.streams, writes);
      fail_on_errors(ramp);
    }
    for (auto& s : run.streams) s->result() = stream_result{};
    return true;
  }

  // The timed pass: from the threads' release to the last completion (to
  // the last fsync with --fsync); then, untimed, each thread's queue ends
  // and its file is fsynced and closed, so that an error write-behind held
  // back is still seen. Returns what every thread did.
  stream_result timed_pass(case_recorder& recorder, pass_streams& run, bool writes) {
    recorder.begin_iteration();
    const clock::time_point begin = recorder.iteration_begin();
    std::optional<clock::time_point> deadline;
    if (shape_.runtime.count() > 0) deadline = begin + shape_.runtime;
    // Each thread's side of the pass's timeline; its latencies are those
    // its stream's histogram gains (io_stream::account times every
    // completion there), taken once per interval.
    std::vector<timeline_writer> writers;
    writers.reserve(run.streams.size());
    for (std::size_t t = 0; t < run.streams.size(); ++t) {
      writers.emplace_back(recorder_access::timeline(recorder),
                           &run.streams[t]->result().latencies);
    }
    // An observer following a fault may hold the pass past its runtime.
    run.plan.held = [this] { return notify_holds_pass(context_); };
    run_streams(run.streams, run.contents, run.plan, begin, deadline, &writers);
    // Paced, the pass lasts its runtime even when its last request
    // completed early: the rate achieved is over the time it was asked for.
    clock::time_point end = shape_.rate_iops > 0 && deadline ? *deadline : begin;
    stream_result pass;
    for (const auto& s : run.streams) {
      end = std::max(end, s->result().last_completion);
      add(pass, s->result());
    }
    if (failed(pass)) {
      // The failed requests are the news, not what closing the files
      // says after them (the same ENOTCONN, usually). The timeline up to
      // here still tells when they failed.
      const clock::time_point gave_up = clock::now();
      for (auto& w : writers) w.finish(gave_up);
      recorder_access::abandon_pass(recorder, gave_up);
      finish_quietly(run.streams, writes);
      fail_on_errors(pass);
    }
    if (shape_.fsync && writes) {
      // --fsync (IOzone -e): the time includes every thread's fsync.
      for (auto& s : run.streams) s->finish(true);
      end = clock::now();
    }
    for (auto& w : writers) w.finish(end);
    // Before the pass ends, so that observers hear what it moved.
    for (auto& s : run.streams) {
      recorder_access::merge(recorder, s->result().latencies, s->result().bytes);
    }
    recorder.end_iteration(end);
    if (pass.interrupted) {
      finish_quietly(run.streams, writes);  // the stop request is the news
    } else if (!(shape_.fsync && writes)) {
      for (auto& s : run.streams) s->finish(writes);
    }
    run.streams.clear();
    return pass;
  }

  // Runs every stream on a thread of its own, released together, until
  // each is done; then rethrows the first thread's exception. Paced, each
  // thread's schedule starts at `start`.
  void run_streams(std::vector<std::unique_ptr<io_stream>>& streams,
                   std::vector<std::optional<file_content>>& contents, const stream_plan& base,
                   clock::time_point start, std::optional<clock::time_point> deadline,
                   std::vector<timeline_writer>* writers = nullptr) {
    std::latch go(1);
    std::vector<std::exception_ptr> failures(streams.size());
    std::vector<std::thread> threads;
    threads.reserve(streams.size());
    for (unsigned t = 0; t < streams.size(); ++t) {
      stream_plan plan = base;
      std::tie(plan.first, plan.count) = share(t);
      plan.deadline = deadline;
      if (writers != nullptr) plan.timeline = &(*writers)[t];
      if (drawn()) {
        plan.distribution = &shape_.distribution;
        plan.draw_seed = mix(shape_.seed ^ 0x6472617773ULL ^ (std::uint64_t{t} << 32));
      }
      if (shape_.rate_iops > 0) {
        plan.pace = stream_pace{.per_second = shape_.rate_iops / shape_.threads,
                                .poisson = shape_.arrival == arrivals::poisson,
                                .seed = mix(shape_.seed ^ (std::uint64_t{t} + 1)),
                                .start = start};
      }
      threads.emplace_back([&, t, plan] {
        go.wait();
        try {
          streams[t]->run(plan, contents[t] ? &*contents[t] : nullptr, written_);
        } catch (...) {
          failures[t] = std::current_exception();
        }
      });
    }
    go.count_down();
    for (auto& th : threads) th.join();
    for (auto& f : failures) {
      if (f) std::rethrow_exception(f);
    }
  }

  static void add(stream_result& into, const stream_result& r) {
    into.latencies.merge(r.latencies);
    into.sent_latencies.merge(r.sent_latencies);
    into.send_lag.merge(r.send_lag);
    into.backlog_max += r.backlog_max;
    into.backlog_end += r.backlog_end;
    into.due += r.due;
    for (std::size_t i = 0; i < r.sent_by_decile.size(); ++i) {
      into.sent_by_decile[i] += r.sent_by_decile[i];
    }
    into.redraws += r.redraws;
    into.took_next += r.took_next;
    into.bytes += r.bytes;
    into.reads += r.reads;
    into.writes += r.writes;
    into.flushes += r.flushes;
    into.flush_max_ns = std::max(into.flush_max_ns, r.flush_max_ns);
    into.short_transfers += r.short_transfers;
    into.inline_completions += r.inline_completions;
    for (const auto& [e, n] : r.errors) into.errors[e] += n;
    if (r.misread > 0 && into.misread == 0) into.first_misread_offset = r.first_misread_offset;
    into.misread += r.misread;
    if (into.first_error.empty()) into.first_error = r.first_error;
    into.interrupted = into.interrupted || r.interrupted;
  }

  [[nodiscard]] bool failed(const stream_result& pass) const noexcept {
    return pass.misread > 0 ||
           (!shape_.continue_on_error && (pass.error_count() > 0 || pass.short_transfers > 0));
  }

  static void finish_quietly(std::vector<std::unique_ptr<io_stream>>& streams,
                             bool wrote) noexcept {
    for (auto& s : streams) {
      try {
        s->finish(wrote);
      } catch (const std::exception& e) {
        logger().debug("closing a thread's file after failed requests: {}", e.what());
      }
    }
  }

  // A failed or short request, or a read of other data than the file's,
  // fails the case unless it continues on errors; the counts by errno are
  // in the message, since a failed case reports no counters.
  void fail_on_errors(const stream_result& pass) const {
    if (pass.misread > 0) {
      throw io_error(EIO,
                     {.operation = "verify",
                      .volume = file_.where().describe(),
                      .path = file_.path(),
                      .offset = pass.first_misread_offset,
                      .hint = std::to_string(pass.misread) +
                              " read(s) returned data that is not this file's at that offset"});
    }
    if (shape_.continue_on_error) return;
    const std::uint64_t errors = pass.error_count();
    if (errors == 0 && pass.short_transfers == 0) return;
    std::string what = std::to_string(errors) + " request(s) failed";
    if (errors > 0) what += " (" + errors_by_name(pass.errors) + ")";
    what += ", " + std::to_string(pass.short_transfers) + " short; first: " + pass.first_error;
    const int e = pass.errors.empty() ? EIO : pass.errors.begin()->first;
    throw io_error(e, {.operation = "queued pass",
                       .volume = file_.where().describe(),
                       .path = file_.path(),
                       .hint = what});
  }

  void read_once_untimed() {
    auto f = file_.open(access_mode::read_only);
    aligned_buffer chunk(static_cast<std::size_t>(std::min<std::uint64_t>(
        shape_.file_size,
        shape_.block_size * std::max<std::uint64_t>(1, (4u << 20) / shape_.block_size))));
    for (std::uint64_t off = 0; off < shape_.file_size; off += chunk.size()) {
      f->pread_all(chunk.slice(0, static_cast<std::size_t>(std::min<std::uint64_t>(
                                      chunk.size(), shape_.file_size - off))),
                   off);
    }
    f->close();
  }

  // Untimed: the file's size, and its records (the first and last, or
  // all): a record written in this pass holds its generation, any other
  // the generation it had (the lay-out's, or an earlier pass's; its stamp
  // says which, and its bytes must be that generation's).
  void check(std::uint32_t generation, bool writes, check_extent extent) {
    constexpr const char* hint = "data read back differs from what gfbench wrote";
    auto f = file_.open(access_mode::read_only);
    const auto found = f->stat().size;
    if (found != shape_.file_size) {
      throw io_error(EIO, {.operation = "check",
                           .volume = file_.where().describe(),
                           .path = file_.path(),
                           .hint = "file has " + std::to_string(found) + " bytes after the pass, " +
                                   std::to_string(shape_.file_size) + " expected"});
    }
    content_cache contents(seed_, period_);
    const std::uint64_t block = shape_.block_size;
    const std::uint64_t per_chunk = std::max<std::uint64_t>(1, (4u << 20) / block);
    aligned_buffer chunk(static_cast<std::size_t>(block * std::min(per_chunk, records_)));
    const auto check_records = [&](std::uint64_t first, std::uint64_t count) {
      auto part = chunk.slice(0, static_cast<std::size_t>(count * block));
      f->pread_all(part, first * block);
      for (std::uint64_t i = 0; i < count; ++i) {
        const std::uint64_t r = first + i;
        if (written_.unsure(r)) continue;  // a failed write, counted
        const std::uint64_t off = r * block;
        const auto got =
            part.subspan(static_cast<std::size_t>(i * block), static_cast<std::size_t>(block));
        std::uint32_t expected = 0;
        if (writes && written_.marked(r)) {
          expected = generation;
        } else {
          const auto id = identify(got, seed_, off / sector_size);
          if (!id || id->period != period_ || (writes && id->generation >= generation) ||
              (!writes && id->generation != 0)) {
            throw io_error(EIO, {.operation = "verify",
                                 .volume = file_.where().describe(),
                                 .path = file_.path(),
                                 .offset = off,
                                 .hint = std::string(hint) +
                                         ": the record holds no generation gfbench left there"});
          }
          expected = id->generation;
        }
        require_content(contents.get(expected), got, off, file_.where(), file_.path(), hint);
      }
    };
    if (extent == check_extent::every) {
      for (std::uint64_t r = 0; r < records_; r += per_chunk) {
        check_records(r, std::min(per_chunk, records_ - r));
      }
    } else {
      check_records(0, 1);
      if (records_ > 1) check_records(records_ - 1, 1);
    }
    f->close();
  }

  void report(const stream_result& total, const std::string& engine) {
    using benchmark::Counter;
    auto& c = state_.counters;
    const auto per_pass = [](std::uint64_t n) {
      return Counter(static_cast<double>(n), Counter::kAvgIterations);
    };
    c["qd"] = Counter(shape_.queue_depth);
    c["threads"] = Counter(shape_.threads);
    c["reads"] = per_pass(total.reads);
    c["writes"] = per_pass(total.writes);
    c["flushes"] = per_pass(total.flushes);
    c["flush_max_us"] = Counter(static_cast<double>(total.flush_max_ns) / 1000.0);
    c["errors"] = per_pass(total.error_count());
    for (const auto& [e, n] : total.errors) {
      // errors_ENOTCONN; errors_<N> for an errno without a name.
      const std::string name = errno_name(e);
      c["errors_" + (name.starts_with("errno ") ? name.substr(6) : name)] = per_pass(n);
    }
    // What a pass moved, for the shares of brick bytes: a time-based pass's
    // is not the file size; random_rw's counts its writes (what the bricks'
    // write bytes are compared with).
    c["bytes_per_pass"] =
        per_pass(op_ == operation::random_rw ? total.writes * shape_.block_size : total.bytes);
    c["short_transfers"] = per_pass(total.short_transfers);
    c["inline_completions"] = per_pass(total.inline_completions);
    c[fsync_timed_counter] = Counter(shape_.fsync && writes_in_case_ ? 1 : 0);
    if (shape_.rate_iops > 0) report_pace(total);
    if (drawn()) report_distribution(total);
    state_.SetLabel(engine);
  }

  // Whether this case draws its records from the shape's distribution.
  [[nodiscard]] bool drawn() const noexcept { return draws_records(op_, shape_); }

  // Drawn: how far the requests sent are from the distribution asked
  // for, by tenths of each thread's share (hottest first): the hottest
  // tenth's share asked and sent, and the total variation distance (half
  // the sum of the tenths' differences: 0 when they agree, 1 at most).
  void report_distribution(const stream_result& total) {
    using benchmark::Counter;
    const auto asked = decile_shares(shape_.distribution, share(0).second);
    std::uint64_t sent = 0;
    for (const auto n : total.sent_by_decile) sent += n;
    if (sent == 0) return;
    double distance = 0;
    for (std::size_t i = 0; i < asked.size(); ++i) {
      distance += std::abs(
          static_cast<double>(total.sent_by_decile[i]) / static_cast<double>(sent) - asked[i]);
    }
    auto& c = state_.counters;
    c["dist_hot10_asked"] = Counter(asked[0]);
    c["dist_hot10_sent"] =
        Counter(static_cast<double>(total.sent_by_decile[0]) / static_cast<double>(sent));
    c["dist_deviation"] = Counter(distance / 2);
    c["dist_redraws"] = Counter(static_cast<double>(total.redraws), Counter::kAvgIterations);
    c["dist_took_next"] = Counter(static_cast<double>(total.took_next), Counter::kAvgIterations);
  }

  // Paced: what was asked, what waited, and the latency from sending
  // beside the recorder's (from the due time). The backlog's peak is the
  // sum of the threads' peaks: at most what waited at once.
  void report_pace(const stream_result& total) {
    using benchmark::Counter;
    auto& c = state_.counters;
    c["rate_asked_iops"] = Counter(shape_.rate_iops);
    c["backlog_max"] = Counter(static_cast<double>(total.backlog_max), Counter::kAvgIterations);
    c["backlog_end"] = Counter(static_cast<double>(total.backlog_end), Counter::kAvgIterations);
    c["requests_due"] = Counter(static_cast<double>(total.due), Counter::kAvgIterations);
    const auto us = [](std::uint64_t ns) { return static_cast<double>(ns) / 1000.0; };
    c["sent_p50_us"] = Counter(us(total.sent_latencies.quantile(0.50)));
    c["sent_p99_us"] = Counter(us(total.sent_latencies.quantile(0.99)));
    c["sent_max_us"] = Counter(us(total.sent_latencies.max()));
    c["send_lag_p50_us"] = Counter(us(total.send_lag.quantile(0.50)));
    c["send_lag_p99_us"] = Counter(us(total.send_lag.quantile(0.99)));
  }

  operation op_ = operation::write;
  written_records written_;
  bool writes_in_case_ = false;
};

}  // namespace

void run_queued_kernel(operation op, benchmark::State& state, case_context& context) {
  queued_kernel(state, context).run(op);
}

}  // namespace gfbench::detail
