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

namespace gfbench::detail {
namespace {

using clock = std::chrono::steady_clock;

constexpr const char* xattr_name = "user.gfbench";
// File data repeats with this period; a file's first 16 bytes (its stamp)
// say which file it is.
constexpr std::size_t period = std::size_t{64} * 1024;
constexpr std::size_t stamp_bytes = 16;
constexpr unsigned mode_a = 0644;
constexpr unsigned mode_b = 0600;

// What one thread did in one pass.
struct thread_result {
  latency_histogram latencies;
  std::uint64_t records = 0;
  std::uint64_t items = 0;  // files (or entries listed) the pass covered
  std::uint64_t bytes = 0;
  std::map<int, std::uint64_t> errors;
  std::string first_error;
  std::uint64_t mismatches = 0;
  std::string first_mismatch;
  bool interrupted = false;
  clock::time_point end{};
  clock::duration excluded{};  // checks between calls, not part of the pass
};

// The clock of one thread: a record is the time of its calls, less any
// check made inside it; checks count toward neither the record nor the pass.
class item_clock {
 public:
  explicit item_clock(thread_result& r) : r_(r) {}
  template <class F>
  void timed(std::uint64_t bytes, F&& f) {
    const auto excluded_before = r_.excluded;
    const auto start = clock::now();
    f();
    const auto took = clock::now() - start - (r_.excluded - excluded_before);
    r_.latencies.add(static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(took).count()));
    ++r_.records;
    r_.bytes += bytes;
  }
  template <class F>
  void untimed(F&& f) {
    const auto start = clock::now();
    f();
    r_.excluded += clock::now() - start;
  }
  void add_items(std::uint64_t n) noexcept { r_.items += n; }
  void mismatch(std::string what) {
    if (r_.mismatches++ == 0) r_.first_mismatch = std::move(what);
  }

 private:
  thread_result& r_;
};

std::string errno_label(int e) {
  const char* name = strerrorname_np(e);
  return name != nullptr ? name : "errno " + std::to_string(e);
}

// File content: a 64 KiB period of the seed's words, with the file's stamp
// over its first 16 bytes; appends continue the period where the file ends.
class meta_content {
 public:
  explicit meta_content(std::uint64_t seed) : bytes_(period) {
    for (std::size_t w = 0; w < period / 8; ++w) {
      const std::uint64_t v = mix(seed + w);
      std::memcpy(bytes_.data() + w * 8, &v, 8);
    }
    seed_ = seed;
  }
  [[nodiscard]] std::array<std::byte, stamp_bytes> stamp(unsigned thread,
                                                         std::uint64_t item) const noexcept {
    std::array<std::byte, stamp_bytes> s{};
    const std::uint64_t a = mix(seed_ ^ (std::uint64_t{thread} << 48) ^ item);
    const std::uint64_t b = mix(a);
    std::memcpy(s.data(), &a, 8);
    std::memcpy(s.data() + 8, &b, 8);
    return s;
  }
  // Fills `out` with the bytes at [offset, offset + out.size()) of a file
  // of `thread` and `item` that was created `created` bytes long.
  void fill(std::span<std::byte> out, std::uint64_t offset, unsigned thread, std::uint64_t item,
            std::uint64_t created) const noexcept {
    std::size_t done = 0;
    while (done < out.size()) {
      const std::size_t at = static_cast<std::size_t>((offset + done) % period);
      const std::size_t n = std::min(out.size() - done, period - at);
      std::memcpy(out.data() + done, bytes_.data() + at, n);
      done += n;
    }
    const std::uint64_t stamped = std::min<std::uint64_t>(stamp_bytes, created);
    if (offset < stamped) {
      const auto s = stamp(thread, item);
      const std::size_t n =
          static_cast<std::size_t>(std::min<std::uint64_t>(stamped - offset, out.size()));
      std::memcpy(out.data(), s.data() + offset, n);
    }
  }
  [[nodiscard]] std::array<std::byte, 16> xattr_value(unsigned thread, std::uint64_t item,
                                                      std::uint32_t generation) const noexcept {
    return stamp(thread, item ^ (std::uint64_t{generation} << 32));
  }

 private:
  std::vector<std::byte> bytes_;
  std::uint64_t seed_ = 0;
};

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
      const clock::time_point begin = recorder.iteration_begin();
      auto results = run_threads(where);
      clock::time_point end = begin;
      for (const auto& r : results) end = std::max(end, r.end - r.excluded);
      std::uint64_t pass_items = 0;
      for (const auto& r : results) {
        recorder_access::merge(recorder, r.latencies, r.bytes);
        pass_items += r.items;
      }
      recorder.end_iteration(end);
      fail_on(results);
      after_pass();
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
    const bool writes = op_ == meta_operation::create || op_ == meta_operation::append;
    state_.counters[fsync_timed_counter] = benchmark::Counter(writes && shape_.fsync ? 1 : 0);
  }

  [[nodiscard]] bool per_leaf() const noexcept {
    return op_ == meta_operation::readdir || op_ == meta_operation::readdir_stat;
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
    const auto untimed = [&](meta_operation step) {
      const meta_operation saved = op_;
      op_ = step;
      try {
        auto results = run_threads(tree_.where());
        fail_on(results);
      } catch (...) {
        op_ = saved;
        throw;
      }
      after_pass();
      op_ = saved;
    };
    switch (op_) {
      case meta_operation::create:
        if (now.files) untimed(meta_operation::unlink);
        break;
      case meta_operation::mkdir:
        if (now.dirs) untimed(meta_operation::rmdir);
        break;
      case meta_operation::rmdir:
        if (!now.dirs) untimed(meta_operation::mkdir);
        break;
      case meta_operation::getxattr:
        if (!now.files) untimed(meta_operation::create);
        if (!now.xattr) {
          ++tree_.now().xattr_generation;
          untimed(meta_operation::setxattr);
        }
        break;
      default:
        if (!now.files) untimed(meta_operation::create);
        break;
    }
  }

  // What a successful pass of op_ changed.
  void after_pass() {
    auto& now = tree_.now();
    switch (op_) {
      case meta_operation::create:
        now.files = true;
        now.renamed = false;
        now.size = shape_.file_size;
        now.mode = mode_a;
        now.xattr = false;
        break;
      case meta_operation::append:
        now.size += append_bytes(shape_);
        break;
      case meta_operation::chmod:
        now.mode = now.mode == mode_a ? mode_b : mode_a;
        break;
      case meta_operation::setxattr:
        now.xattr = true;
        break;
      case meta_operation::rename:
        now.renamed = !now.renamed;
        break;
      case meta_operation::unlink:
        now.files = false;
        now.xattr = false;
        break;
      case meta_operation::mkdir:
        now.dirs = true;
        break;
      case meta_operation::rmdir:
        now.dirs = false;
        break;
      default:
        break;
    }
  }

  // After phases that change names or contents: every leaf listed and
  // checked (untimed); a stat of each thread's first and last file for
  // chmod and append.
  void verify(target& where) {
    switch (op_) {
      case meta_operation::create:
      case meta_operation::rename:
      case meta_operation::unlink:
      case meta_operation::mkdir:
      case meta_operation::rmdir: {
        const meta_operation saved = op_;
        op_ = meta_operation::readdir;
        auto results = run_threads(where);
        op_ = saved;
        fail_on(results, "after the pass, the tree does not hold what it should: ");
        break;
      }
      case meta_operation::chmod:
      case meta_operation::append:
        for (unsigned k = 0; k < shape_.threads; ++k) {
          for (const std::uint64_t i : {std::uint64_t{0}, shape_.files_per_thread - 1}) {
            thread_result r;
            item_clock c(r);
            stat_item(where, k, i, c);
            if (r.mismatches > 0) {
              throw io_error(EIO, {.operation = std::string("meta:") + std::string(to_string(op_)),
                                   .volume = tree_.where().describe(),
                                   .path = tree_.file(k, i, tree_.now().renamed),
                                   .hint = "after the pass: " + r.first_mismatch});
            }
          }
        }
        break;
      default:
        break;
    }
  }

  // Every thread over its items (leaves, for the listings), released
  // together; returns what each did.
  std::vector<thread_result> run_threads(target& where) {
    const unsigned threads = shape_.threads;
    std::vector<thread_result> results(threads);
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
            thread_pass(where, k, *watches[k], results[k], abort);
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

  void thread_pass(target& where, unsigned k, watched_scope& watch, thread_result& r,
                   const std::atomic<bool>& abort) {
    item_clock c(r);
    const std::uint64_t count = per_leaf() ? tree_.leaves_per_thread() : shape_.files_per_thread;
    aligned_buffer buffer(static_cast<std::size_t>(
        std::min<std::uint64_t>(std::max(shape_.file_size, append_bytes(shape_)), period)));
    for (std::uint64_t n = 0; n < count; ++n) {
      if (stop_requested()) {
        r.interrupted = true;
        break;
      }
      if (abort.load(std::memory_order_relaxed)) break;
      try {
        watch.call(call_name(), {}, [&] { item(where, k, n, c, buffer); });
      } catch (const io_error& e) {
        if (r.errors.empty()) r.first_error = e.what();
        ++r.errors[e.errno_value()];
        // The first failure ends the thread's pass; what it did so far is
        // unknown to the tree, which is removed before the next phase.
        break;
      }
    }
    r.end = clock::now();
  }

  [[nodiscard]] const char* call_name() const noexcept {
    switch (op_) {
      case meta_operation::create:
        return "create";
      case meta_operation::stat:
        return "stat";
      case meta_operation::read:
        return "open and read";
      case meta_operation::append:
        return "append";
      case meta_operation::chmod:
        return "chmod";
      case meta_operation::setxattr:
        return "setxattr";
      case meta_operation::getxattr:
        return "getxattr";
      case meta_operation::readdir:
        return "readdir";
      case meta_operation::readdir_stat:
        return "readdirplus";
      case meta_operation::rename:
        return "rename";
      case meta_operation::unlink:
        return "unlink";
      case meta_operation::mkdir:
        return "mkdir";
      case meta_operation::rmdir:
        return "rmdir";
    }
    return "meta";
  }

  void item(target& where, unsigned k, std::uint64_t n, item_clock& c, aligned_buffer& buffer) {
    const auto& now = tree_.now();
    switch (op_) {
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
        return count_item(c);
      }
      case meta_operation::setxattr: {
        const auto v = content_.xattr_value(k, n, tree_.now().xattr_generation);
        c.timed(0, [&] { where.set_xattr(tree_.file(k, n, now.renamed), xattr_name, v); });
        return count_item(c);
      }
      case meta_operation::getxattr:
        return getxattr_item(where, k, n, c);
      case meta_operation::readdir:
      case meta_operation::readdir_stat:
        return list_leaf(where, k, n, c);
      case meta_operation::rename:
        c.timed(0, [&] {
          where.rename(tree_.file(k, n, now.renamed), tree_.file(k, n, !now.renamed));
        });
        return count_item(c);
      case meta_operation::unlink:
        c.timed(0, [&] { where.unlink(tree_.file(k, n, now.renamed)); });
        return count_item(c);
      case meta_operation::mkdir:
        c.timed(0, [&] { where.mkdir(tree_.dir(k, n)); });
        return count_item(c);
      case meta_operation::rmdir:
        c.timed(0, [&] { where.rmdir(tree_.dir(k, n)); });
        return count_item(c);
    }
  }

  static void count_item(item_clock& c) { c.add_items(1); }

  void create_item(target& where, unsigned k, std::uint64_t n, item_clock& c,
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

  void append_item(target& where, unsigned k, std::uint64_t n, item_clock& c,
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
  void write_range(target_file& f, unsigned k, std::uint64_t n, std::uint64_t offset,
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

  void read_item(target& where, unsigned k, std::uint64_t n, item_clock& c,
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

  void stat_item(target& where, unsigned k, std::uint64_t n, item_clock& c) {
    const auto& now = tree_.now();
    const std::string path = tree_.file(k, n, now.renamed);
    file_status st;
    c.timed(0, [&] { st = where.stat(path); });
    c.untimed([&] { check_status(path, st, c); });
    c.add_items(1);
  }

  void check_status(const std::string& path, const file_status& st, item_clock& c) const {
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

  void getxattr_item(target& where, unsigned k, std::uint64_t n, item_clock& c) {
    const auto& now = tree_.now();
    const std::string path = tree_.file(k, n, now.renamed);
    std::vector<std::byte> got;
    c.timed(0, [&] { got = where.get_xattr(path, xattr_name); });
    c.untimed([&] {
      const auto want = content_.xattr_value(k, n, tree_.now().xattr_generation);
      if (got.size() != want.size() || std::memcmp(got.data(), want.data(), want.size()) != 0) {
        c.mismatch(path + ": " + xattr_name + " is not the value gfbench set");
      }
    });
    c.add_items(1);
  }

  // One leaf directory: listed (with status for readdir_stat) and checked
  // against what the tree holds: every file under its current name, the
  // mkdir phase's directories if they exist, nothing else.
  void list_leaf(target& where, unsigned k, std::uint64_t leaf, item_clock& c) {
    const auto& now = tree_.now();
    const std::string dir = tree_.leaf_dir(k, leaf);
    std::vector<dir_entry> plain;
    std::vector<dir_entry_status> with_status;
    const bool status = op_ == meta_operation::readdir_stat;
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

  // A pass with failed calls or wrong results fails the case, with the
  // counts by errno, since a failed case reports no counters.
  void fail_on(const std::vector<thread_result>& results, const std::string& prefix = {}) const {
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
    const std::string phase = "meta:" + std::string(to_string(op_));
    if (interrupted) {
      throw std::runtime_error("interrupted: stop requested (signal) during " + phase);
    }
    if (!errors.empty()) {
      std::string counts;
      for (const auto& [e, count] : errors) {
        if (!counts.empty()) counts += ", ";
        counts += errno_label(e) + " " + std::to_string(count);
      }
      throw std::runtime_error(prefix + phase + ": calls failed (" + counts + "): " + first_error);
    }
    if (mismatches > 0) {
      throw std::runtime_error(prefix + phase + ": " + std::to_string(mismatches) +
                               " wrong results; the first: " + first_mismatch);
    }
  }

  meta_operation op_;
  const cache_mode cache_;
  meta_tree& tree_;
  const meta_shape& shape_;
  benchmark::State& state_;
  case_context& context_;
  const meta_content content_;
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
