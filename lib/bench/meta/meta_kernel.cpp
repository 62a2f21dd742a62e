#include "bench/meta/meta_kernel.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <exception>
#include <latch>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bench/meta/meta_content.hpp"
#include "bench/meta/meta_items.hpp"
#include "bench/meta/phase_rules.hpp"
#include "bench/record/latency_histogram.hpp"
#include "bench/record/recorder_access.hpp"
#include "bench/watch/health_watch.hpp"
#include "bench/watch/watched_scope.hpp"
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

class meta_phase {
 public:
  meta_phase(meta_operation op, const meta_shape& shape, meta_tree& tree, benchmark::State& state,
             case_context& context)
      : op_(op),
        cache_(shape.cache),
        tree_(tree),
        shape_(tree.shape()),
        state_(state),
        context_(context),
        content_(shape_.seed),
        watch_(tree.where(), tree.root(), context.scratch ? context.scratch->path() : ""),
        health_(tree.where(), watch_,
                tree.where().label() + " meta:" + std::string(to_string(op))) {}

  void run() {
    health_.check("before");
    try {
      passes();
    } catch (const std::exception&) {
      tree_.now().known = false;
      wind_down();
      health_.rethrow_with_note();
    }
    if (state_.error_occurred()) {
      tree_.now().known = false;
      return wind_down();
    }
    health_.check("after");
    health_.report(state_);
  }

 private:
  void wind_down() noexcept {
    try {
      health_.check("after");
    } catch (const std::exception& e) {
      logger().debug("health check after a failed case: {}", e.what());
    }
    health_.report(state_);
  }

  void passes() {
    case_recorder recorder(state_, context_);
    double files_per_second_sum = 0;
    std::uint64_t passes = 0;
    std::uint64_t items = 0;
    std::uint64_t items_total = 0;
    for (auto _ : state_) {
      if (stop_requested()) {
        state_.SkipWithError("interrupted: stop requested (signal) before this pass");
        break;
      }
      prepare();
      std::unique_ptr<target> cold;
      if (cache_ == cache_mode::cold) {
        watch_.call("cold view", {}, [&] { cold = tree_.where().cold_view(); });
      }
      target& where = cold ? *cold : tree_.where();
      if (op_ == meta_operation::setxattr) ++tree_.now().xattr_generation;
      recorder.begin_iteration();
      const meta_clock::time_point begin = recorder.iteration_begin();
      auto results = run_threads(where, op_, recorder_access::timeline(recorder));
      meta_clock::time_point end = begin;
      for (const auto& r : results) end = std::max(end, r.end - r.excluded);
      for (auto& r : results) r.timeline.finish(end);
      std::uint64_t pass_items = 0;
      for (const auto& r : results) {
        recorder_access::merge(recorder, r.latencies, r.bytes);
        pass_items += r.items;
      }
      recorder.end_iteration(end);
      fail_on(op_, results);
      apply_pass(op_, tree_.now(), shape_);
      // Through the client that made the changes: another one (the warm
      // connection, after a cold pass on gfapi) may still hold attributes
      // from before them for up to md-cache's timeout.
      verify(where);
      cold.reset();
      const double seconds = std::chrono::duration<double>(end - begin).count();
      files_per_second_sum += seconds > 0 ? static_cast<double>(pass_items) / seconds : 0;
      items = pass_items;
      items_total += pass_items;
      ++passes;
    }
    if (state_.error_occurred() || passes == 0) return;
    recorder.finish();
    // Google Benchmark's own items_per_second: files over the manual time.
    state_.SetItemsProcessed(static_cast<std::int64_t>(items_total));
    state_.counters[files_counter] = benchmark::Counter(static_cast<double>(items));
    state_.counters[files_per_second_counter] =
        benchmark::Counter(files_per_second_sum / static_cast<double>(passes));
    state_.counters[fsync_timed_counter] =
        benchmark::Counter(writes_data(op_) && shape_.fsync ? 1 : 0);
  }

  // Brings the tree to what the phase needs, untimed, on the target itself.
  void prepare() {
    auto& now = tree_.now();
    if (!now.known) {
      logger().info("meta:{}: removing what a failed phase left in {}", to_string(op_),
                    tree_.root());
      tree_.remove();
    }
    if (!now.skeleton) tree_.make_skeleton();
    for (const meta_operation step : steps_before(op_, now)) {
      if (step == meta_operation::setxattr) ++now.xattr_generation;
      fail_on(step, run_threads(tree_.where(), step));
      apply_pass(step, now, shape_);
    }
  }

  // After phases that change names or contents: every leaf listed and
  // checked (untimed); a stat of each thread's first and last file for
  // chmod and append.
  void verify(target& where) {
    switch (check_for(op_)) {
      case check_after::listing:
        fail_on(op_, run_threads(where, meta_operation::readdir),
                "after the pass, the tree does not hold what it should: ");
        break;
      case check_after::end_stats:
        for (unsigned k = 0; k < shape_.threads; ++k) {
          for (const std::uint64_t i : {std::uint64_t{0}, shape_.files_per_thread - 1}) {
            thread_result r;
            item_clock c(r);
            items_.stat_item(where, k, i, c);
            if (r.mismatches > 0) {
              throw io_error(EIO, {.operation = std::string("meta:") + std::string(to_string(op_)),
                                   .volume = tree_.where().describe(),
                                   .path = tree_.file(k, i, tree_.now().renamed),
                                   .hint = "after the pass: " + r.first_mismatch});
            }
          }
        }
        break;
      case check_after::nothing:
        break;
    }
  }

  // Every thread over its items (leaves, for the listings), released
  // together; returns what each did.
  // `timeline`: a timed pass's, each thread writing its side of it.
  std::vector<thread_result> run_threads(target& where, meta_operation op,
                                         timeline_builder* timeline = nullptr) {
    const unsigned threads = shape_.threads;
    std::vector<thread_result> results(threads);
    for (auto& r : results) r.timeline = timeline_writer(timeline);
    std::vector<std::unique_ptr<watched_scope>> watches;
    for (unsigned k = 0; k < threads; ++k) {
      watches.push_back(std::make_unique<watched_scope>(
          where, tree_.thread_dir(k), context_.scratch ? context_.scratch->path() : tree_.root()));
    }
    std::atomic<bool> abort{false};
    std::latch go(1);
    std::vector<std::exception_ptr> failures(threads);
    {
      // Released (and joined) however the loop below ends, so that a
      // thread that could not be started leaves none of the others waiting.
      std::vector<std::jthread> pool;
      struct release_all {
        std::latch& go;
        ~release_all() { go.count_down(); }
      } released{go};
      pool.reserve(threads);
      for (unsigned k = 0; k < threads; ++k) {
        pool.emplace_back([&, k] {
          go.wait();
          try {
            thread_pass(op, where, k, *watches[k], results[k], abort);
          } catch (...) {
            failures[k] = std::current_exception();
            abort.store(true);
          }
        });
      }
    }
    for (auto& f : failures) {
      if (f) std::rethrow_exception(f);
    }
    return results;
  }

  void thread_pass(meta_operation op, target& where, unsigned k, watched_scope& watch,
                   thread_result& r, const std::atomic<bool>& abort) {
    item_clock c(r);
    const std::uint64_t count = per_leaf(op) ? tree_.leaves_per_thread() : shape_.files_per_thread;
    aligned_buffer buffer(static_cast<std::size_t>(
        std::min<std::uint64_t>(std::max(shape_.file_size, append_bytes(shape_)), meta_period)));
    for (std::uint64_t n = 0; n < count; ++n) {
      if (stop_requested()) {
        r.interrupted = true;
        break;
      }
      if (abort.load(std::memory_order_relaxed)) break;
      try {
        watch.call(call_name(op), {}, [&] { items_.item(op, where, k, n, c, buffer); });
      } catch (const io_error& e) {
        if (r.errors.empty()) r.first_error = e.what();
        ++r.errors[e.errno_value()];
        // The first failure ends the thread's pass; what it did so far is
        // unknown to the tree, which is removed before the next phase.
        break;
      }
    }
    r.end = meta_clock::now();
  }

  // A pass with failed calls or wrong results fails the case, with the
  // counts by errno, since a failed case reports no counters.
  void fail_on(meta_operation op, const std::vector<thread_result>& results,
               const std::string& prefix = {}) const {
    std::map<int, std::uint64_t> errors;
    std::uint64_t mismatches = 0;
    std::string first_error;
    std::string first_mismatch;
    bool interrupted = false;
    for (const auto& r : results) {
      for (const auto& [e, count] : r.errors) errors[e] += count;
      if (first_error.empty()) first_error = r.first_error;
      if (first_mismatch.empty()) first_mismatch = r.first_mismatch;
      mismatches += r.mismatches;
      interrupted = interrupted || r.interrupted;
    }
    const std::string phase = "meta:" + std::string(to_string(op));
    if (interrupted) {
      throw std::runtime_error("interrupted: stop requested (signal) during " + phase);
    }
    if (!errors.empty()) {
      std::string counts;
      for (const auto& [e, count] : errors) {
        if (!counts.empty()) counts += ", ";
        counts += errno_name(e) + " " + std::to_string(count);
      }
      throw std::runtime_error(prefix + phase + ": calls failed (" + counts + "): " + first_error);
    }
    if (mismatches > 0) {
      throw std::runtime_error(prefix + phase + ": " + std::to_string(mismatches) +
                               " wrong results; the first: " + first_mismatch);
    }
  }

  const meta_operation op_;
  const cache_mode cache_;
  meta_tree& tree_;
  const meta_shape& shape_;
  benchmark::State& state_;
  case_context& context_;
  const meta_content content_;
  phase_items items_{tree_, content_};
  watched_scope watch_;
  health_watch health_;
};

}  // namespace

void run_meta_kernel(meta_operation op, const meta_shape& shape, meta_tree& tree,
                     benchmark::State& state, case_context& context) {
  try {
    if (stop_requested()) {
      state.SkipWithError("interrupted: stop requested (signal) before this case");
      return;
    }
    if (target_hung(tree.where())) {
      state.SkipWithError(("skipped: a call on " + tree.where().describe() +
                           " hung in an earlier case (see the log)")
                              .c_str());
      return;
    }
    meta_phase(op, shape, tree, state, context).run();
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
}

}  // namespace gfbench::detail
