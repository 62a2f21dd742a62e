// The libgfapi engines of io_queue. The asynchronous one follows what
// glusterfs 10.3's api/src/glfs-fops.c does with a request:
//   - the callback runs on whichever thread unwinds the call: an epoll
//     thread with the brick's reply, an io-threads worker, or the submitting
//     thread itself, inside glfs_*_async, when a translator answers at once
//     (write-behind acknowledging a write, an immediate error);
//   - errno is set on the callback's thread just before it runs, and means
//     something only when ret < 0 (a read that reaches the end of the file
//     succeeds with errno ENOENT);
//   - a submit that returns -1 never calls back;
//   - a callback for a file that is being closed is dropped, so everything
//     in flight is drained before the file may close;
//   - write data is copied at submit, read data at completion, so a read's
//     buffer must live until its callback.
// Completions go from the callback to the submitter through a lock-free
// stack: the callback never takes a lock, so it can run inside submit.
// With few requests in flight the submitter sleeps on a futex word the
// callback wakes; with many, it sleeps in slices and collects (below).

#include "client/gfapi_queue.hpp"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <climits>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <ctime>
#include <stdexcept>
#include <thread>
#include <vector>

#include "client/connection.hpp"
#include "client/gfapi_seam.hpp"
#include "client/sync_queue.hpp"
#include "util/log.hpp"

namespace gfbench::detail {
namespace {

using clock = io_completion::clock;

std::int64_t negative_errno(int e) noexcept { return -static_cast<std::int64_t>(e != 0 ? e : EIO); }

// Depth 1: the synchronous calls, one at a time. EINTR is not an outcome of
// the I/O, so the call is made again; anything else is what the call said.
std::int64_t run_sync(glfs_fd_t* fd, const io_request& r) noexcept {
  for (;;) {
    ssize_t n = 0;
    const auto off = static_cast<off_t>(r.offset);
    switch (r.kind) {
      case io_kind::read:
        n = seam().pread(fd, r.buffer.data(), r.buffer.size(), off, 0, nullptr);
        break;
      case io_kind::write:
        n = seam().pwrite(fd, r.buffer.data(), r.buffer.size(), off, 0, nullptr, nullptr);
        break;
      case io_kind::flush:
        n = seam().fsync(fd, nullptr, nullptr);
        break;
    }
    if (n >= 0) return r.kind == io_kind::flush ? 0 : n;
    if (errno != EINTR) return negative_errno(errno);
  }
}

long futex(std::atomic<std::uint32_t>* word, int op, std::uint32_t value,
           const struct timespec* timeout) noexcept {
  static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t));
  return ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(word), op, value, timeout, nullptr,
                   0);
}

// How the submitter waits. With many requests in flight it sleeps a slice
// and collects whatever came meanwhile, as fio's gfapi_async does: on a
// machine whose CPUs client and bricks share, that rhythm costs libgfapi's
// threads and the brick less CPU per request than a wake per completion
// (docs/performance.md). With few in flight a slice would leave the queue
// idle for most of it, so there the callback wakes the submitter.
// After poll_patience with nothing back, it waits on the futex after all.
constexpr unsigned poll_from_in_flight = 16;
constexpr std::chrono::microseconds poll_slice{100};
constexpr std::chrono::milliseconds poll_patience{2};

class async_queue final : public io_queue {
 public:
  async_queue(std::shared_ptr<connection> conn, glfs_fd_t* fd, unsigned depth,
              std::chrono::milliseconds drain_timeout)
      : state_(new state(std::move(conn), fd, depth)), drain_timeout_(drain_timeout) {}

  ~async_queue() override {
    std::vector<io_completion> dropped;
    if (state_->in_flight == 0 || drain(dropped, drain_timeout_)) {
      // A callback that published its slot may still be on its last
      // instructions (the count and the wake): the state outlives them.
      while (state_->callbacks_running.load(std::memory_order_acquire) != 0) {
        std::this_thread::yield();
      }
      delete state_;
      return;
    }
    // A completion may still come and write into a slot or a read buffer:
    // the slots stay allocated, and the caller was told (in the log) that
    // its buffers must too.
    logger().error(
        "{} asynchronous libgfapi request(s) did not complete within {} ms; their memory is "
        "left allocated so that a late completion writes nowhere it should not",
        state_->in_flight, drain_timeout_.count());
  }

  [[nodiscard]] unsigned depth() const noexcept override {
    return static_cast<unsigned>(state_->slots.size());
  }
  [[nodiscard]] unsigned in_flight() const noexcept override { return state_->in_flight; }
  [[nodiscard]] const char* engine() const noexcept override {
    return "glfs_preadv_async/glfs_pwritev_async";
  }

  void submit(const io_request& request) override {
    state& st = *state_;
    if (st.free.empty()) throw std::logic_error("io_queue: submit on a full queue");
    slot* s = st.free.back();
    st.free.pop_back();
    ++st.in_flight;
    s->request = request;
    s->iov = {request.buffer.data(), request.buffer.size()};
    s->inline_completion = false;
    s->submitter = std::this_thread::get_id();
    s->submitted = clock::now();
    s->in_submit.store(true, std::memory_order_relaxed);
    int rc = 0;
    const auto off = static_cast<off_t>(request.offset);
    switch (request.kind) {
      case io_kind::read:
        rc = seam().preadv_async(st.fd, &s->iov, 1, off, 0, &on_done, s);
        break;
      case io_kind::write:
        rc = seam().pwritev_async(st.fd, &s->iov, 1, off, 0, &on_done, s);
        break;
      case io_kind::flush:
        rc = seam().fsync_async(st.fd, &on_done, s);
        break;
    }
    const int e = errno;
    s->in_submit.store(false, std::memory_order_relaxed);
    if (rc != 0) {
      // Refused at once: no callback will come.
      s->result = negative_errno(e);
      s->completed = clock::now();
      st.refused.push_back(s);
    }
  }

  std::size_t reap(std::vector<io_completion>& out, std::chrono::nanoseconds timeout) override {
    state& st = *state_;
    std::size_t got = collect(out);
    if (got > 0 || st.in_flight == 0 || timeout <= std::chrono::nanoseconds::zero()) return got;
    const auto deadline = clock::now() + timeout;
    if (st.in_flight >= poll_from_in_flight) {
      got = poll(out, std::min(deadline, clock::now() + poll_patience));
      if (got > 0) return got;
      // Nothing for that long: a slow or hung brick. The futex below
      // sleeps until a completion or the deadline instead of a wake-up
      // every slice.
    }
    for (;;) {
      const std::uint32_t seen = st.completions.load(std::memory_order_acquire);
      st.waiting.store(true, std::memory_order_seq_cst);
      got = collect(out);
      if (got > 0) {
        st.waiting.store(false, std::memory_order_relaxed);
        return got;
      }
      const auto now = clock::now();
      if (now >= deadline) {
        st.waiting.store(false, std::memory_order_relaxed);
        return 0;
      }
      const auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline - now);
      struct timespec ts {};
      ts.tv_sec = static_cast<time_t>(left.count() / 1'000'000'000);
      ts.tv_nsec = static_cast<long>(left.count() % 1'000'000'000);
      futex(&st.completions, FUTEX_WAIT_PRIVATE, seen, &ts);
      st.waiting.store(false, std::memory_order_relaxed);
    }
  }

 private:
  struct state;

  struct slot {
    state* owner = nullptr;
    io_request request{};
    struct iovec iov {};
    clock::time_point submitted{};
    // Written by the callback before it publishes the slot.
    clock::time_point completed{};
    std::int64_t result = 0;
    bool inline_completion = false;
    std::thread::id submitter{};
    // True while the submitting thread is inside glfs_*_async for it.
    std::atomic<bool> in_submit{false};
    slot* next = nullptr;  // in the completed stack
  };

  struct state {
    state(std::shared_ptr<connection> c, glfs_fd_t* f, unsigned depth)
        : conn(std::move(c)), fd(f), slots(depth) {
      free.reserve(depth);
      refused.reserve(depth);
      for (auto& s : slots) {
        s.owner = this;
        free.push_back(&s);
      }
    }
    std::shared_ptr<connection> conn;  // the glfs_t outlives every request
    glfs_fd_t* fd;
    std::vector<slot> slots;
    // The submitter's thread only.
    std::vector<slot*> free;
    std::vector<slot*> refused;
    unsigned in_flight = 0;
    // Written by the callbacks, on a cache line of its own: the submitter
    // writes the fields above at every submit.
    alignas(64) std::atomic<slot*> completed{nullptr};
    std::atomic<std::uint32_t> completions{0};
    // Callbacks between their first and last touch of this state.
    std::atomic<unsigned> callbacks_running{0};
    // Written by the submitter as it goes to sleep, read by the callbacks.
    alignas(64) std::atomic<bool> waiting{false};
  };

  // Runs on whatever thread libgfapi unwinds on; takes no lock.
  static void on_done(glfs_fd_t* /*fd*/, ssize_t ret, struct glfs_stat* /*pre*/,
                      struct glfs_stat* /*post*/, void* data) {
    const int e = errno;  // first: anything else may change it
    auto* s = static_cast<slot*>(data);
    state& st = *s->owner;
    st.callbacks_running.fetch_add(1, std::memory_order_acq_rel);
    s->completed = clock::now();
    s->result = ret < 0 ? negative_errno(e)
                        : (s->request.kind == io_kind::flush ? 0 : static_cast<std::int64_t>(ret));
    s->inline_completion =
        s->in_submit.load(std::memory_order_relaxed) && std::this_thread::get_id() == s->submitter;
    slot* head = st.completed.load(std::memory_order_relaxed);
    do {
      s->next = head;
    } while (!st.completed.compare_exchange_weak(head, s, std::memory_order_release,
                                                 std::memory_order_relaxed));
    st.completions.fetch_add(1, std::memory_order_seq_cst);
    // One wake per sleep: the callback that takes the flag wakes the
    // submitter; the others, finishing meanwhile, leave it be (it collects
    // everything published when it runs).
    if (st.waiting.load(std::memory_order_seq_cst) &&
        st.waiting.exchange(false, std::memory_order_seq_cst)) {
      futex(&st.completions, FUTEX_WAKE_PRIVATE, 1, nullptr);
    }
    st.callbacks_running.fetch_sub(1, std::memory_order_release);  // the last touch
  }

  // Sleeps a slice at a time until a completion has arrived or the
  // deadline passed; the callbacks, finding `waiting` false, never wake it.
  std::size_t poll(std::vector<io_completion>& out, clock::time_point deadline) {
    for (;;) {
      if (const std::size_t got = collect(out); got > 0) return got;
      const auto now = clock::now();
      if (now >= deadline) return 0;
      const auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline - now);
      const auto nap = std::min<std::chrono::nanoseconds>(left, poll_slice);
      struct timespec ts {};
      ts.tv_nsec = static_cast<long>(nap.count());
      ::nanosleep(&ts, nullptr);
    }
  }

  // Moves every completion that arrived into `out`, frees their slots.
  std::size_t collect(std::vector<io_completion>& out) {
    state& st = *state_;
    std::size_t n = 0;
    const auto give = [&](slot* s) {
      out.push_back({.tag = s->request.tag,
                     .kind = s->request.kind,
                     .result = s->result,
                     .requested = requested_bytes(s->request),
                     .submitted = s->submitted,
                     .completed = s->completed,
                     .completed_inline = s->inline_completion});
      st.free.push_back(s);
      --st.in_flight;
      ++n;
    };
    for (slot* s : st.refused) give(s);
    st.refused.clear();
    for (slot* s = st.completed.exchange(nullptr, std::memory_order_acquire); s != nullptr;) {
      slot* next = s->next;
      give(s);
      s = next;
    }
    return n;
  }

  state* state_;  // deleted unless a request never came back
  std::chrono::milliseconds drain_timeout_;
};

}  // namespace

std::unique_ptr<io_queue> make_gfapi_queue(std::shared_ptr<connection> conn, glfs_fd_t* fd,
                                           unsigned depth,
                                           std::chrono::milliseconds drain_timeout) {
  if (depth == 0) throw std::invalid_argument("io_queue: depth 0");
  if (depth == 1) {
    return std::make_unique<sync_queue>(
        [conn = std::move(conn), fd](const io_request& r) { return run_sync(fd, r); },
        "glfs_pread/glfs_pwrite");
  }
  return std::make_unique<async_queue>(std::move(conn), fd, depth, drain_timeout);
}

}  // namespace gfbench::detail
