#include "bench/io/io_stream.hpp"

#include <sys/prctl.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <thread>
#include <utility>

#include "gfbench/error.hpp"
#include "gfbench/stop.hpp"
#include "util/log.hpp"
#include "util/mix.hpp"

namespace gfbench::detail {
namespace {

using clock = std::chrono::steady_clock;

// The tag of a flush: no buffer goes with it.
constexpr std::uint64_t flush_tag = std::numeric_limits<std::uint64_t>::max();
// How long one wait for completions lasts before it looks again; requests
// in flight complete whatever a stop request says.
constexpr std::chrono::milliseconds reap_slice{100};

const char* kind_name(io_kind kind) noexcept {
  switch (kind) {
    case io_kind::read:
      return "read";
    case io_kind::write:
      return "write";
    case io_kind::flush:
      return "flush";
  }
  return "request";
}

// While a paced stream waits for a request's due time, the kernel may
// wake it up to its timer slack late (50 us by default), and that
// lateness would count as latency from the due time. The slack is this
// thread's; it is put back when the phase ends.
class fine_timer_slack {
 public:
  fine_timer_slack() noexcept : before_(::prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0)) {
    static_cast<void>(::prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0));
  }
  ~fine_timer_slack() {
    if (before_ > 0)
      static_cast<void>(::prctl(PR_SET_TIMERSLACK, static_cast<unsigned long>(before_), 0, 0, 0));
  }
  fine_timer_slack(const fine_timer_slack&) = delete;
  fine_timer_slack& operator=(const fine_timer_slack&) = delete;

 private:
  int before_;
};

bool reads_in(operation op) noexcept {
  return op == operation::read || op == operation::reread || op == operation::random_read;
}

// random_rw: whether the record at order index `index` is read in this
// pass. A hash of both: over a sweep of thousands of records the share is
// within a percent or so of read_percent, and every run mixes the same way.
bool read_this(const stream_plan& plan, std::uint64_t index) noexcept {
  if (plan.op != operation::random_rw) return reads_in(plan.op);
  return mix(plan.mix_seed ^ mix(index)) % 100 < plan.read_percent;
}

}  // namespace

std::uint64_t stream_result::error_count() const noexcept {
  std::uint64_t n = 0;
  for (const auto& [e, count] : errors) n += count;
  return n;
}

io_stream::io_stream(std::unique_ptr<target_file> file, watched_scope& watch, unsigned depth,
                     std::uint64_t block_size, std::chrono::milliseconds drain_timeout)
    : file_(std::move(file)), watch_(watch), drain_timeout_(drain_timeout) {
  watch_.call("open_queue", {}, [&] { queue_ = file_->open_queue(depth, drain_timeout_); });
  buffers_->reserve(depth);
  offsets_.resize(depth);
  due_.resize(depth);
  share_index_.resize(depth);
  for (unsigned i = 0; i < depth; ++i) {
    buffers_->emplace_back(static_cast<std::size_t>(block_size));
    free_buffers_.push_back(i);
  }
}

io_stream::~io_stream() { end_queue(); }

void io_stream::end_queue() noexcept {
  if (!queue_) return;
  if (queue_->in_flight() > 0) {
    std::vector<io_completion> late;
    bool drained = false;
    try {
      drained = queue_->drain(late, drain_timeout_);
    } catch (const std::exception& e) {
      logger().debug("draining a queue: {}", e.what());
    }
    if (!drained) {
      logger().error(
          "{} request(s) on {} did not complete within {} ms; their queue and buffers stay "
          "allocated, so that a late completion writes nowhere it should not",
          queue_->in_flight(), queue_->engine(), drain_timeout_.count());
      static_cast<void>(queue_.release());
      static_cast<void>(buffers_.release());
      return;
    }
  }
  queue_.reset();
}

void io_stream::run(const stream_plan& plan, file_content* content, written_records& written) {
  std::vector<io_completion> done;
  done.reserve(queue_->depth());
  stop_submitting_ = false;
  busy_.assign(plan.count, 0);
  next_ = 0;
  next_flush_ = clock::now() + plan.flush_interval;
  sampler_.reset();
  if (plan.distribution != nullptr)
    sampler_.emplace(*plan.distribution, plan.count, plan.draw_seed);
  std::optional<pacer> pace;
  std::optional<fine_timer_slack> slack;
  if (plan.pace) {
    pace.emplace(plan.pace->start, plan.pace->per_second, plan.pace->poisson, plan.pace->seed);
    slack.emplace();
  }
  for (;;) {
    const auto due = fill(plan, content, pace ? &*pace : nullptr);
    if (queue_->in_flight() == 0) {
      if (!due) break;
      // Nothing in flight, the next request not due: sleep until it is, a
      // slice at a time, so that a stop request is heard.
      std::this_thread::sleep_until(std::min(*due, clock::now() + reap_slice));
      continue;
    }
    done.clear();
    wait_for_completions(done, due);
    for (const io_completion& c : done) account(c, plan, written);
  }
  if (pace) {
    // A pass of one sweep sends its whole share, however late: nothing
    // due is left unsent, and no request falls due beyond the share.
    const clock::time_point end = plan.deadline.value_or(clock::now());
    const std::uint64_t unsent = plan.deadline ? pace->backlog(end, end) : 0;
    result_.backlog_end += unsent;
    result_.due += pace->sent() + unsent;
    result_.backlog_max = std::max(result_.backlog_max, pace->most());
    // What was left unsent is the backlog at the pass's end.
    if (plan.timeline != nullptr) plan.timeline->backlog(unsent);
  }
}

bool io_stream::more(const stream_plan& plan) const {
  if (stop_submitting_) return false;
  if (plan.deadline) return clock::now() < *plan.deadline || (plan.held && plan.held());
  return next_ < plan.count;
}

std::optional<clock::time_point> io_stream::fill(const stream_plan& plan, file_content* content,
                                                 pacer* pace) {
  const bool flushing = plan.flush_interval.count() > 0;
  while (queue_->in_flight() < queue_->depth() && !free_buffers_.empty()) {
    if (stop_requested()) {
      result_.interrupted = true;
      stop_submitting_ = true;
    }
    if (!more(plan)) return std::nullopt;
    if (flushing && clock::now() >= next_flush_) {
      next_flush_ = clock::now() + plan.flush_interval;
      queue_->submit({.kind = io_kind::flush, .tag = flush_tag});
      if (plan.timeline != nullptr) plan.timeline->submitted();
      continue;
    }
    clock::time_point due{};
    if (pace != nullptr) {
      // A request due at the deadline or after it belongs to no pass.
      if (plan.deadline && pace->next_due() >= *plan.deadline && !(plan.held && plan.held())) {
        return std::nullopt;
      }
      if (pace->next_due() > clock::now()) {
        note_backlog(plan, *pace);
        return pace->next_due();
      }
      due = pace->send();
    }
    send_record(plan, content, due);
  }
  if (pace != nullptr) note_backlog(plan, *pace);
  return std::nullopt;
}

void io_stream::note_backlog(const stream_plan& plan, pacer& pace) {
  std::uint64_t waiting =
      pace.backlog(clock::now(), plan.deadline.value_or(clock::time_point::max()));
  // A pass of one sweep has no more to send than what is left of its share.
  if (!plan.deadline) waiting = std::min(waiting, plan.count - std::min(next_, plan.count));
  if (plan.timeline != nullptr) plan.timeline->backlog(waiting);
}

std::uint64_t io_stream::next_rank(const stream_plan& plan) {
  if (!sampler_) {
    // Going round the share again (time-based), a record whose last
    // request has not completed yet is passed over: no two requests in
    // flight ever touch the same record.
    while (busy_[next_ % plan.count] != 0) ++next_;
    return next_ % plan.count;
  }
  std::uint64_t rank = sampler_->draw();
  for (int again = 0; busy_[rank] != 0 && again < distribution_redraws; ++again) {
    ++result_.redraws;
    rank = sampler_->draw();
  }
  if (busy_[rank] != 0) {
    // A free record exists: fewer are in flight than the share holds.
    ++result_.took_next;
    while (busy_[rank] != 0) rank = rank + 1 == plan.count ? 0 : rank + 1;
  }
  ++result_.sent_by_decile[decile_of(rank, plan.count)];
  return rank;
}

void io_stream::send_record(const stream_plan& plan, file_content* content, clock::time_point due) {
  const std::uint64_t rank = next_rank(plan);
  const std::uint64_t index = plan.first + rank;
  busy_[rank] = 1;
  ++next_;
  const std::uint64_t off = plan.order->offset(index);
  const std::uint64_t b = free_buffers_.back();
  free_buffers_.pop_back();
  offsets_[b] = off;
  share_index_[b] = index - plan.first;
  due_[b] = due;
  auto buffer = (*buffers_)[b].span();
  if (read_this(plan, index)) {
    queue_->submit({.kind = io_kind::read, .offset = off, .buffer = buffer, .tag = b});
  } else {
    // The request owns its buffer until it completes (io_uring reads it
    // then); the period's record is stamped in place, so it is copied:
    // 4 KiB take about a tenth of a microsecond.
    const auto data = content->record(off, buffer.size());
    std::memcpy(buffer.data(), data.data(), buffer.size());
    queue_->submit({.kind = io_kind::write, .offset = off, .buffer = buffer, .tag = b});
  }
  if (plan.timeline != nullptr) plan.timeline->submitted();
}

void io_stream::wait_for_completions(std::vector<io_completion>& out,
                                     std::optional<clock::time_point> until) {
  const auto started = clock::now();
  bool gave_up = false;
  watch_.call("io_queue completion", {}, [&] {
    if (until) {
      const auto left = std::max(*until - clock::now(), clock::duration::zero());
      static_cast<void>(queue_->reap(out, std::min<clock::duration>(left, reap_slice)));
      return;
    }
    while (queue_->reap(out, reap_slice) == 0) {
      // The watchdog marks a wait this long hung (after the operation
      // timeout) well before this; the bound only keeps a library user
      // without a watchdog give-up from waiting forever.
      if (clock::now() - started > 2 * drain_timeout_) {
        gave_up = true;
        return;
      }
    }
  });
  if (gave_up) {
    throw io_error(ETIMEDOUT,
                   {.operation = "io_queue completion",
                    .hint = std::to_string(queue_->in_flight()) + " request(s) in flight on " +
                            std::string(queue_->engine()) + " got no completion for " +
                            std::to_string(2 * drain_timeout_.count()) + " ms"});
  }
}

void io_stream::account(const io_completion& c, const stream_plan& plan, written_records& written) {
  if (c.completed_inline) ++result_.inline_completions;
  result_.last_completion = std::max(result_.last_completion, c.completed);
  const auto ns = [](clock::duration d) {
    return static_cast<std::uint64_t>(
        std::max(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count(), std::int64_t{0}));
  };
  const std::uint64_t sent_took = ns(c.completed - c.submitted);
  // Paced, a request's latency runs from when it fell due: the time it
  // waited for a slot in the queue is the volume's doing too.
  const bool paced = plan.pace.has_value() && c.tag != flush_tag;
  const std::uint64_t took = paced ? ns(c.completed - due_[c.tag]) : sent_took;
  if (plan.timeline != nullptr) {
    // A flush leaves the requests in flight; the others count, failed or
    // not. Before the stream's histogram takes this latency: an interval
    // the writer closes now takes what the histogram gained before it.
    plan.timeline->completed(c.completed, took,
                             c.failed() ? 0 : static_cast<std::uint64_t>(c.result),
                             c.failed() ? static_cast<int>(-c.result) : 0, c.tag != flush_tag);
  }
  const auto note_failure = [&](const std::string& what) {
    if (result_.first_error.empty()) result_.first_error = what;
    if (!plan.continue_on_error) stop_submitting_ = true;
  };
  if (c.tag == flush_tag) {
    ++result_.flushes;
    result_.flush_max_ns = std::max(result_.flush_max_ns, sent_took);
    if (c.failed()) {
      ++result_.errors[static_cast<int>(-c.result)];
      note_failure(std::string("flush: ") + std::strerror(static_cast<int>(-c.result)));
    }
    return;
  }
  const std::uint64_t off = offsets_[c.tag];
  busy_[share_index_[c.tag]] = 0;
  free_buffers_.push_back(c.tag);
  if (c.kind == io_kind::write && (c.failed() || c.short_transfer())) {
    written.mark_unsure(off / plan.block_size);
  }
  if (c.failed()) {
    ++result_.errors[static_cast<int>(-c.result)];
    note_failure(std::string(kind_name(c.kind)) + " of " + std::to_string(c.requested) +
                 " bytes at offset " + std::to_string(off) + " (" + queue_->engine() +
                 "): " + std::strerror(static_cast<int>(-c.result)));
    return;
  }
  if (c.short_transfer()) {
    ++result_.short_transfers;
    note_failure(std::string(kind_name(c.kind)) + " of " + std::to_string(c.requested) +
                 " bytes at offset " + std::to_string(off) + " (" + queue_->engine() + ") moved " +
                 std::to_string(c.result) + " bytes");
    return;
  }
  result_.latencies.add(took);
  if (paced) {
    result_.sent_latencies.add(sent_took);
    result_.send_lag.add(ns(c.submitted - due_[c.tag]));
  }
  result_.bytes += static_cast<std::uint64_t>(c.result);
  if (c.kind == io_kind::write) {
    ++result_.writes;
    written.mark(off / plan.block_size);
    return;
  }
  ++result_.reads;
  // The record's first stamp, when it holds one: this file, this offset,
  // and a generation that can be there.
  if (off % sector_size != 0 || plan.block_size < stamp_size) return;
  const auto got = (*buffers_)[c.tag].span();
  const auto id = identify(got, plan.file_seed, off / sector_size);
  const bool ok = id.has_value() &&
                  (plan.op == operation::random_rw ? id->generation <= plan.generation
                                                   : id->generation == plan.laid_out_generation);
  if (!ok && result_.misread++ == 0) result_.first_misread_offset = off;
}

void io_stream::finish(bool wrote) {
  end_queue();
  if (wrote) file_->fsync();
  file_->close();
}

}  // namespace gfbench::detail
