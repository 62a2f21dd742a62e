#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "bench/watch/watched_scope.hpp"
#include "util/log.hpp"

namespace gfbench {
namespace detail {

using clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct watched_scope::slot {
  const target* where = nullptr;
  std::string target_name;
  std::string leftover;
  std::mutex path_mutex;
  std::string path;
  // Odd while a call runs. Written by the case's thread, read by the watchdog.
  std::atomic<std::uint64_t> seq{0};
  std::atomic<const char*> operation{nullptr};
  std::atomic<std::uint64_t> offset{0};
  std::atomic<bool> has_offset{false};
  // The odd sequence number the watchdog marked hung, and for how long it
  // had run then.
  std::atomic<std::uint64_t> hung_seq{0};
  std::atomic<std::int64_t> hung_after_ms{0};
  std::uint64_t current = 0;  // the case's thread only: seq of the running call

  // The watchdog thread only.
  std::uint64_t seen_seq = 0;
  clock::time_point seen_at{};
  std::uint64_t reported_seq = 0;
  std::uint64_t gave_up_seq = 0;
};

namespace {

class watchdog_state {
 public:
  static watchdog_state& get() {
    // Never destroyed: its thread may still run while static destructors
    // run at exit, and a case may still be blocked in a call then.
    static auto* instance = new watchdog_state;
    return *instance;
  }

  void configure(watchdog_options o) {
    std::lock_guard lock(mutex_);
    options_ = std::move(o);
    wake_.notify_all();
  }
  milliseconds op_timeout() {
    std::lock_guard lock(mutex_);
    return options_.op_timeout;
  }
  bool hung(const target* where) {
    std::lock_guard lock(mutex_);
    return hung_targets_.contains(where);
  }
  void reset_hung() {
    std::lock_guard lock(mutex_);
    hung_targets_.clear();
  }

  void add(watched_scope::slot* s) {
    std::lock_guard lock(mutex_);
    slots_.push_back(s);
    if (!started_) {
      started_ = true;
      std::thread([this] { loop(); }).detach();
    }
    wake_.notify_all();
  }
  void remove(watched_scope::slot* s) {
    std::lock_guard lock(mutex_);
    slots_.erase(std::remove(slots_.begin(), slots_.end(), s), slots_.end());
    wake_.notify_all();
  }

 private:
  static milliseconds poll_interval(milliseconds op_timeout) {
    return std::clamp(op_timeout / 8, milliseconds(20), milliseconds(500));
  }

  static hang_report report_for(watched_scope::slot& s, milliseconds waited) {
    hang_report r;
    const char* op = s.operation.load(std::memory_order_relaxed);
    r.operation = op ? op : "I/O";
    r.target = s.target_name;
    {
      std::lock_guard lock(s.path_mutex);
      r.path = s.path;
    }
    if (s.has_offset.load(std::memory_order_relaxed)) r.offset = s.offset.load();
    r.leftover = s.leftover;
    r.waited = waited;
    return r;
  }

  void loop() {
    std::unique_lock lock(mutex_);
    for (;;) {
      // Nothing to watch: the thread ends (the next case starts another), so
      // that none is left running at exit.
      if (slots_.empty()) {
        started_ = false;
        return;
      }
      wake_.wait_for(lock, poll_interval(options_.op_timeout));
      const auto now = clock::now();
      std::vector<std::pair<hang_report, bool>> due;  // report, give up
      for (auto* s : slots_) {
        const std::uint64_t seq = s->seq.load(std::memory_order_acquire);
        if (seq % 2 == 0) continue;
        if (seq != s->seen_seq) {
          s->seen_seq = seq;
          s->seen_at = now;
          continue;
        }
        const auto waited = std::chrono::duration_cast<milliseconds>(now - s->seen_at);
        if (waited >= options_.op_timeout && s->reported_seq != seq) {
          s->reported_seq = seq;
          s->hung_after_ms.store(waited.count());
          s->hung_seq.store(seq, std::memory_order_release);
          hung_targets_.insert(s->where);
          due.emplace_back(report_for(*s, waited), false);
        }
        if (options_.give_up_after > milliseconds::zero() && waited >= options_.give_up_after &&
            s->gave_up_seq != seq) {
          s->gave_up_seq = seq;
          due.emplace_back(report_for(*s, waited), true);
        }
      }
      if (due.empty()) continue;
      // Callbacks run unlocked: one may call back into the library.
      const auto on_hang = options_.on_hang;
      const auto on_give_up = options_.on_give_up;
      const auto bound = options_.op_timeout;
      lock.unlock();
      for (const auto& [r, give_up] : due) {
        const double s = static_cast<double>(r.waited.count()) / 1000.0;
        if (give_up) {
          logger().error("{} on {} path={} has not returned after {:.1f} s: giving up on it",
                         r.operation, r.target, r.path, s);
          if (on_give_up) on_give_up(r);
        } else {
          logger().error(
              "{} on {} path={} has not returned after {:.1f} s (operation timeout {:.1f} s): "
              "marking the case hung; a brick does not answer (network.ping-timeout decides "
              "when libgfapi gives up on it)",
              r.operation, r.target, r.path, s, static_cast<double>(bound.count()) / 1000.0);
          if (on_hang) on_hang(r);
        }
      }
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  watchdog_options options_;
  std::vector<watched_scope::slot*> slots_;
  std::set<const target*> hung_targets_;
  bool started_ = false;
};

std::string seconds_text(std::int64_t ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(ms) / 1000.0);
  return buf;
}

}  // namespace

watched_scope::watched_scope(const target& where, std::string path, std::string leftover)
    : slot_(new slot) {
  slot_->where = &where;
  slot_->target_name = where.describe();
  slot_->leftover = std::move(leftover);
  slot_->path = std::move(path);
  watchdog_state::get().add(slot_);
}

watched_scope::~watched_scope() {
  watchdog_state::get().remove(slot_);
  delete slot_;
}

void watched_scope::set_path(std::string path) {
  std::lock_guard lock(slot_->path_mutex);
  slot_->path = std::move(path);
}

void watched_scope::begin(const char* operation, std::optional<std::uint64_t> offset) noexcept {
  slot_->operation.store(operation, std::memory_order_relaxed);
  slot_->has_offset.store(offset.has_value(), std::memory_order_relaxed);
  if (offset) slot_->offset.store(*offset, std::memory_order_relaxed);
  slot_->current = slot_->seq.fetch_add(1, std::memory_order_acq_rel) + 1;
}

bool watched_scope::end() noexcept {
  slot_->seq.fetch_add(1, std::memory_order_acq_rel);
  return slot_->hung_seq.load(std::memory_order_acquire) == slot_->current;
}

void watched_scope::fail_hung(const char* operation, std::optional<std::uint64_t> offset,
                              const char* own_error) const {
  std::string path;
  {
    std::lock_guard lock(slot_->path_mutex);
    path = slot_->path;
  }
  std::string hint = "hung: did not return within " + seconds_text(slot_->hung_after_ms.load()) +
                     " (the operation timeout, --op-timeout); a brick does not answer";
  hint += own_error ? std::string("; it then failed: ") + own_error
                    : std::string("; it returned later, but too late to count");
  throw io_error(ETIMEDOUT, {.operation = operation,
                             .volume = slot_->target_name,
                             .path = std::move(path),
                             .offset = offset,
                             .hint = std::move(hint)});
}

void reset_hung_targets() { watchdog_state::get().reset_hung(); }

}  // namespace detail

void configure_watchdog(watchdog_options options) {
  detail::watchdog_state::get().configure(std::move(options));
}

std::chrono::milliseconds operation_timeout() { return detail::watchdog_state::get().op_timeout(); }

bool target_hung(const target& where) { return detail::watchdog_state::get().hung(&where); }

}  // namespace gfbench
