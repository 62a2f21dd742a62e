#pragma once
// One thread's part of a queued pass (io_shape::queued): its own open file
// and io_queue, its share of the pass's records, a buffer per request in
// flight, and what came back, request by request. The thread keeps the
// queue full until its share is done (size-based) or the deadline passes
// (time-based), then waits for what is still in flight.
//
// Every completion is checked: a failed request counts by errno, a short
// one as short; unless the case continues on errors, either stops the
// stream from submitting more (what is in flight still completes). A read
// is checked as it arrives (its first stamp: the right file, offset and a
// generation that can be there), outside any clock: the pass's time runs
// from the release of the threads to the last completion.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bench/io/access_sampler.hpp"
#include "bench/io/arrival_schedule.hpp"
#include "bench/io/pattern.hpp"
#include "bench/io/record_order.hpp"
#include "bench/record/latency_histogram.hpp"
#include "bench/record/timeline_builder.hpp"
#include "bench/watch/watched_scope.hpp"
#include "gfbench/case.hpp"
#include "gfbench/io_queue.hpp"
#include "gfbench/target.hpp"
#include "util/aligned_buffer.hpp"

namespace gfbench::detail {

/// Which records of a file a pass has written, one bit per record, set by
/// many threads at once (on different records).
class written_records {
 public:
  explicit written_records(std::uint64_t records)
      : words_((records + 63) / 64), unsure_((records + 63) / 64) {}
  void mark(std::uint64_t record) noexcept { set(words_, record); }
  [[nodiscard]] bool marked(std::uint64_t record) const noexcept { return test(words_, record); }
  /// A write that failed or came back short (counted, with
  /// continue_on_error): the record may hold old bytes, new ones or both,
  /// so its check is left out.
  void mark_unsure(std::uint64_t record) noexcept { set(unsure_, record); }
  [[nodiscard]] bool unsure(std::uint64_t record) const noexcept { return test(unsure_, record); }
  void clear() noexcept {
    for (auto& w : words_) w.store(0, std::memory_order_relaxed);
    for (auto& w : unsure_) w.store(0, std::memory_order_relaxed);
  }

 private:
  using bits = std::vector<std::atomic<std::uint64_t>>;
  static void set(bits& b, std::uint64_t record) noexcept {
    b[record / 64].fetch_or(std::uint64_t{1} << (record % 64), std::memory_order_relaxed);
  }
  static bool test(const bits& b, std::uint64_t record) noexcept {
    return (b[record / 64].load(std::memory_order_relaxed) >> (record % 64)) & 1u;
  }
  bits words_;
  bits unsure_;
};

/// A paced stream's schedule (io_shape::rate_iops, this thread's share).
struct stream_pace {
  double per_second = 0;
  bool poisson = false;
  std::uint64_t seed = 0;
  std::chrono::steady_clock::time_point start{};  ///< the phase's start
};

/// What one phase of one stream asks for.
struct stream_plan {
  operation op = operation::read;
  std::uint64_t block_size = 4096;
  const record_order* order = nullptr;  ///< the pass's order over all records
  std::uint64_t first = 0;              ///< this stream's share: order indexes
  std::uint64_t count = 0;              ///< [first, first + count)
  /// Time-based: submit until then, going round the share again and again;
  /// nullopt: one round.
  std::optional<std::chrono::steady_clock::time_point> deadline{};
  unsigned read_percent = 70;  ///< random_rw
  std::uint64_t mix_seed = 0;  ///< random_rw: which records are read
  std::chrono::milliseconds flush_interval{0};
  bool continue_on_error = false;
  std::uint64_t file_seed = 0;
  /// Writes carry this generation; reads may find any generation up to it
  /// (random_rw), or exactly `laid_out_generation` (pure reads).
  std::uint32_t generation = 0;
  std::uint32_t laid_out_generation = 0;
  /// The timed pass's timeline, this stream's side of it; null in a ramp-up.
  timeline_writer* timeline = nullptr;
  /// Time-based: whether the pass goes on past `deadline` (an observer holds
  /// it: observer.hpp's holds_pass); null: it never does.
  std::function<bool()> held{};
  /// Paced: requests fall due on this schedule, and their latency counts
  /// from then; nullopt: as many as the queue holds.
  std::optional<stream_pace> pace{};
  /// Drawn: requests go to ranks of the share drawn from this distribution
  /// (rank r is order index first + r), `draw_seed` seeding the draws;
  /// null: the share in order, round and round.
  const access_distribution* distribution = nullptr;
  std::uint64_t draw_seed = 0;
};

/// What one stream saw, over every phase it ran.
struct stream_result {
  /// Reads and writes that moved all their bytes: from submit to
  /// completion, or from the due time when paced.
  latency_histogram latencies;
  /// Paced: the same requests from submit to completion, and how late
  /// each was sent after it fell due (the wait for a slot, and gfbench's
  /// own wake-up).
  latency_histogram sent_latencies;
  latency_histogram send_lag;
  /// Paced: the most requests due and not yet sent at once, and those due
  /// before the phase's deadline that were never sent.
  std::uint64_t backlog_max = 0;
  std::uint64_t backlog_end = 0;
  /// Paced: requests due in the phase (sent, or left unsent at its end).
  std::uint64_t due = 0;
  /// Drawn: requests sent to each tenth of the share's ranks (hottest
  /// first); draws that landed on a record in flight and were drawn again;
  /// requests that took the next free record after every redraw did.
  std::array<std::uint64_t, 10> sent_by_decile{};
  std::uint64_t redraws = 0;
  std::uint64_t took_next = 0;
  std::uint64_t bytes = 0;  ///< moved by those
  std::uint64_t reads = 0;
  std::uint64_t writes = 0;
  std::uint64_t flushes = 0;
  std::uint64_t flush_max_ns = 0;
  std::uint64_t short_transfers = 0;
  std::uint64_t inline_completions = 0;
  std::map<int, std::uint64_t> errors;  ///< by errno
  std::uint64_t misread = 0;            ///< reads whose data was not the file's
  std::optional<std::uint64_t> first_misread_offset;
  std::string first_error;  ///< the first failure, as a sentence
  std::chrono::steady_clock::time_point last_completion{};
  bool interrupted = false;  ///< a stop request ended it early

  [[nodiscard]] std::uint64_t error_count() const noexcept;
};

class io_stream {
 public:
  /// A stream on `file` (opened for it, untimed), whose calls run under
  /// `watch`, with `depth` requests in flight of `block_size` bytes each.
  io_stream(std::unique_ptr<target_file> file, watched_scope& watch, unsigned depth,
            std::uint64_t block_size, std::chrono::milliseconds drain_timeout);
  ~io_stream();
  io_stream(const io_stream&) = delete;
  io_stream& operator=(const io_stream&) = delete;

  /// Runs one phase (a ramp-up or the timed part). `content` is this
  /// stream's own copy of the generation it writes (record() stamps it in
  /// place, so threads must not share one); `written` is marked for each
  /// record written. Never throws for a request's failure (that is in
  /// result()); throws io_error when the target hung (the watchdog's
  /// ETIMEDOUT) or requests did not drain within the operation timeout.
  void run(const stream_plan& plan, file_content* content, written_records& written);

  [[nodiscard]] const stream_result& result() const noexcept { return result_; }
  [[nodiscard]] stream_result& result() noexcept { return result_; }
  [[nodiscard]] const char* engine() const noexcept { return queue_->engine(); }

  /// Ends the queue (nothing is in flight after run()), then fsyncs the file
  /// when `wrote` and closes it: untimed, so an error write-behind held
  /// back is still seen.
  void finish(bool wrote);

 private:
  // Whether the phase sends more requests: not after a failure or a stop
  // request, nor past its deadline or share.
  [[nodiscard]] bool more(const stream_plan& plan) const;
  // Sends requests until the queue is full or the phase has no more to
  // send; paced, also until the next request is not due yet, and then
  // returns when it is.
  std::optional<std::chrono::steady_clock::time_point> fill(const stream_plan& plan,
                                                            file_content* content, pacer* pace);
  // The share's next rank: drawn (redrawn, or the next free one, while
  // the record is in flight), or the next in order.
  std::uint64_t next_rank(const stream_plan& plan);
  // Sends the next record of the share, due at `due` (paced).
  void send_record(const stream_plan& plan, file_content* content,
                   std::chrono::steady_clock::time_point due);
  void account(const io_completion& c, const stream_plan& plan, written_records& written);
  // Waits for at least one completion (or a stop request), under the
  // watchdog: a target that never answers is marked hung as a call would
  // be. With `until` (a paced request falls due then), returns by then
  // with or without one.
  void wait_for_completions(std::vector<io_completion>& out,
                            std::optional<std::chrono::steady_clock::time_point> until);
  // Paced: the backlog now, kept and told to the timeline.
  void note_backlog(const stream_plan& plan, pacer& pace);

  // Ends the queue while its buffers and file are still there; when
  // requests did not drain, leaks the queue and the buffers rather than let
  // a late completion write into freed memory.
  void end_queue() noexcept;

  std::unique_ptr<target_file> file_;
  watched_scope& watch_;
  // Before queue_, which goes first; on the heap, so that it can be left
  // allocated when requests do not drain.
  std::unique_ptr<std::vector<aligned_buffer>> buffers_ =
      std::make_unique<std::vector<aligned_buffer>>();
  std::vector<std::uint64_t> offsets_;                      // of the request each buffer serves
  std::vector<std::uint64_t> share_index_;                  // its index in the share
  std::vector<std::chrono::steady_clock::time_point> due_;  // paced: when it fell due
  std::vector<std::uint8_t> busy_;                          // per share index: a request in flight
  std::vector<std::uint64_t> free_buffers_;
  bool stop_submitting_ = false;
  std::uint64_t next_ = 0;  // requests sent this phase: the next in order, undrawn
  std::optional<access_sampler> sampler_;
  std::chrono::steady_clock::time_point next_flush_{};
  stream_result result_;
  std::chrono::milliseconds drain_timeout_;
  std::unique_ptr<io_queue> queue_;
};

}  // namespace gfbench::detail
