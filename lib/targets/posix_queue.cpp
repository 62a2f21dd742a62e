#include "targets/posix_queue.hpp"

#include <liburing.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <vector>

#include "client/sync_queue.hpp"
#include "gfbench/error.hpp"
#include "util/log.hpp"

namespace gfbench::detail {
namespace {

using clock = io_completion::clock;

std::int64_t run_sync(int fd, const io_request& r) noexcept {
  for (;;) {
    ssize_t n = 0;
    const auto off = static_cast<off_t>(r.offset);
    switch (r.kind) {
      case io_kind::read:
        n = ::pread(fd, r.buffer.data(), r.buffer.size(), off);
        break;
      case io_kind::write:
        n = ::pwrite(fd, r.buffer.data(), r.buffer.size(), off);
        break;
      case io_kind::flush:
        n = ::fsync(fd);
        break;
    }
    if (n >= 0) return r.kind == io_kind::flush ? 0 : n;
    if (errno != EINTR) return -static_cast<std::int64_t>(errno);
  }
}

class uring_queue final : public io_queue {
 public:
  uring_queue(int fd, unsigned depth, std::chrono::milliseconds drain_timeout)
      : fd_(fd), slots_(depth), drain_timeout_(drain_timeout) {
    if (const int rc = io_uring_queue_init(depth, &ring_, 0); rc < 0) {
      throw io_error(-rc, {.operation = "io_uring_queue_init",
                           .hint = "is io_uring disabled (/proc/sys/kernel/io_uring_disabled)?"});
    }
    free_.reserve(depth);
    refused_.reserve(depth);
    for (auto& s : slots_) free_.push_back(&s);
  }

  ~uring_queue() override {
    std::vector<io_completion> dropped;
    bool drained = in_flight_ == 0;
    try {
      drained = drained || drain(dropped, drain_timeout_);
    } catch (const std::exception& e) {
      logger().debug("draining io_uring: {}", e.what());
    }
    if (!drained) {
      // Tearing the ring down cancels what it can, but a kernel worker
      // blocked in the file system may still finish a request later: the
      // owner of the buffers must keep them (io_stream does).
      logger().error("{} io_uring request(s) did not complete within {} ms; cancelling them",
                     in_flight_, drain_timeout_.count());
    }
    io_uring_queue_exit(&ring_);
  }

  [[nodiscard]] unsigned depth() const noexcept override {
    return static_cast<unsigned>(slots_.size());
  }
  [[nodiscard]] unsigned in_flight() const noexcept override { return in_flight_; }
  [[nodiscard]] const char* engine() const noexcept override { return "io_uring"; }

  void submit(const io_request& request) override {
    if (free_.empty()) throw std::logic_error("io_queue: submit on a full queue");
    slot* s = free_.back();
    free_.pop_back();
    ++in_flight_;
    s->request = request;
    s->submitted = clock::now();
    io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
    if (sqe == nullptr) return refuse(s, EAGAIN);  // cannot happen: depth sqes for depth slots
    const auto len = static_cast<unsigned>(request.buffer.size());
    switch (request.kind) {
      case io_kind::read:
        io_uring_prep_read(sqe, fd_, request.buffer.data(), len, request.offset);
        break;
      case io_kind::write:
        io_uring_prep_write(sqe, fd_, request.buffer.data(), len, request.offset);
        break;
      case io_kind::flush:
        io_uring_prep_fsync(sqe, fd_, 0);
        break;
    }
    io_uring_sqe_set_data(sqe, s);
    push_to_kernel();
  }

  std::size_t reap(std::vector<io_completion>& out, std::chrono::nanoseconds timeout) override {
    if (unsubmitted_) push_to_kernel();
    std::size_t got = take_refused(out);
    got += take_ready(out);
    if (got > 0 || in_flight_ == 0 || timeout <= std::chrono::nanoseconds::zero()) return got;
    struct __kernel_timespec ts {};
    ts.tv_sec = timeout.count() / 1'000'000'000;
    ts.tv_nsec = timeout.count() % 1'000'000'000;
    io_uring_cqe* cqe = nullptr;
    const int rc = io_uring_wait_cqe_timeout(&ring_, &cqe, &ts);
    if (rc < 0 && rc != -ETIME && rc != -EINTR) {
      throw io_error(-rc, {.operation = "io_uring_wait_cqe_timeout"});
    }
    return take_ready(out);
  }

 private:
  struct slot {
    io_request request{};
    clock::time_point submitted{};
    clock::time_point completed{};
    std::int64_t result = 0;
  };

  // liburing publishes a request in the ring before it enters the kernel:
  // a submit that fails leaves it there, in flight, to be entered again
  // (the kernel's EAGAIN and EBUSY pass); any other failure fails the queue.
  void push_to_kernel() {
    int rc = 0;
    do {
      rc = io_uring_submit(&ring_);
    } while (rc == -EINTR);
    unsubmitted_ = rc == -EAGAIN || rc == -EBUSY;
    if (rc < 0 && !unsubmitted_) throw io_error(-rc, {.operation = "io_uring_submit"});
  }

  void refuse(slot* s, int e) {
    s->result = -static_cast<std::int64_t>(e);
    s->completed = clock::now();
    refused_.push_back(s);
  }

  void give(std::vector<io_completion>& out, slot* s) {
    out.push_back({.tag = s->request.tag,
                   .kind = s->request.kind,
                   .result = s->result,
                   .requested = requested_bytes(s->request),
                   .submitted = s->submitted,
                   .completed = s->completed});
    free_.push_back(s);
    --in_flight_;
  }

  std::size_t take_refused(std::vector<io_completion>& out) {
    const std::size_t n = refused_.size();
    for (slot* s : refused_) give(out, s);
    refused_.clear();
    return n;
  }

  std::size_t take_ready(std::vector<io_completion>& out) {
    std::size_t n = 0;
    io_uring_cqe* cqe = nullptr;
    while (io_uring_peek_cqe(&ring_, &cqe) == 0 && cqe != nullptr) {
      auto* s = static_cast<slot*>(io_uring_cqe_get_data(cqe));
      // The kernel's completion time is not in the CQE: it is when this
      // thread sees it, as for every user of io_uring.
      s->completed = clock::now();
      s->result = s->request.kind == io_kind::flush && cqe->res >= 0 ? 0 : cqe->res;
      io_uring_cqe_seen(&ring_, cqe);
      give(out, s);
      ++n;
    }
    return n;
  }

  int fd_;
  io_uring ring_{};
  std::vector<slot> slots_;
  std::vector<slot*> free_;
  std::vector<slot*> refused_;
  unsigned in_flight_ = 0;
  bool unsubmitted_ = false;  // requests in the ring the kernel has not taken yet
  std::chrono::milliseconds drain_timeout_;
};

}  // namespace

std::unique_ptr<io_queue> make_posix_queue(int fd, unsigned depth,
                                           std::chrono::milliseconds drain_timeout) {
  if (depth == 0) throw std::invalid_argument("io_queue: depth 0");
  if (depth == 1) {
    return std::make_unique<sync_queue>([fd](const io_request& r) { return run_sync(fd, r); },
                                        "pread/pwrite");
  }
  return std::make_unique<uring_queue>(fd, depth, drain_timeout);
}

}  // namespace gfbench::detail
