// gfbench-bare-async: the floor gfbench's queued engine is measured against.
// Nothing but N requests kept in flight on one file: libgfapi's
// glfs_preadv_async or glfs_pwritev_async, or io_uring on a local file. Each
// request goes to a random record of the file (a fixed-seed splitmix64
// stream, uniform over the records), and each completion is replaced at once
// by a new request until the runtime is over; what is still in flight then
// is drained inside the timed span, since it was started inside it. The file
// is laid out once first, untimed (written fully, fsynced); after each
// randwrite pass it is fsynced, untimed, as gfbench's queued case does, so
// that a pass does not pay for the write-behind of the one before. Prints
// each pass's IOPS and the median.
//
//   gfbench-bare-async --volume V --server HOST [--port 24007] [--fini]
//                      --size BYTES --bs BYTES --depth N --op randread|randwrite
//                      --runtime SECONDS [--passes 1] [--path /f]
//                      [--wait futex|batch|poll] [--batch K] [--reopen]
//   gfbench-bare-async --posix DIR --size BYTES --bs BYTES --depth N
//                      --op randread|randwrite --runtime SECONDS [--passes 1]
//
// The requests go through the handle that created the file, or, with
// --reopen, through one opened after the lay-out as gfbench opens a case's
// file (read-only to read, write-only to write): on libgfapi the two can
// differ, since open-behind delays a new handle's open.
//
// How the submitter learns of a completion is what the gfapi side is for:
// the callback runs on a libgfapi thread (an epoll thread, or the submitter
// itself, inside the submit, when a translator answers at once), and handing
// the completion over can cost as much as a small request. --wait chooses:
//   futex: the callback pushes the completion under a mutex and signals a
//          condition variable every time: one wake per completion, the cost
//          gfbench's engine pays;
//   batch: the callback wakes the submitter only when K completions are
//          pending (--batch, default depth/4); the submitter also looks every
//          200 us on its own, so that a partial batch is never stranded;
//   poll:  fio's gfapi_async: the callback only sets a flag, and the
//          submitter looks at every request's flag, with usleep(100) between
//          looks.
// With --posix, io_uring_submit and io_uring_wait_cqe (then every completion
// already there) do it, and --wait does not apply.
//
// Every completion is checked: a failed or short request ends the program
// (exit 1) with its offset and errno, once the others in flight are back.
// The file is removed at the end, and on any failure after it was created.
//
// glfs_fini takes a fixed ~10 s with libgfapi 10 (docs/design.md): as
// gfbench-bare-pwrite does, this program leaves the connection to the
// process exit unless --fini is given.

#include <glusterfs/api/glfs.h>

#include <fcntl.h>
#include <liburing.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

constexpr const char* program = "gfbench-bare-async";

enum class wait_mode { futex, batch, poll };

struct options {
  std::string volume;
  std::string server;
  int port = 24007;
  std::string posix_dir;  // a local directory (io_uring) instead of a volume
  std::uint64_t size = 0;
  std::uint64_t block = 0;
  unsigned depth = 0;
  std::string op;
  bool write = false;
  double runtime = 0;
  int passes = 1;
  std::string path;
  wait_mode wait = wait_mode::futex;
  unsigned batch = 0;  // 0: not given
  bool fini = false;
  bool direct = false;  // --posix: O_DIRECT, as gfbench's --direct and fio's direct=1
  bool reopen = false;  // run on a new handle, opened as gfbench opens a case's file
};

constexpr const char* usage_text =
    "usage: gfbench-bare-async --volume V --server HOST [--port 24007] [--fini]\n"
    "                          --size BYTES --bs BYTES --depth N --op randread|randwrite\n"
    "                          --runtime SECONDS [--passes 1] [--path /file]\n"
    "                          [--wait futex|batch|poll] [--batch K] [--reopen]\n"
    "       gfbench-bare-async --posix DIR --size BYTES --bs BYTES --depth N\n"
    "                          --op randread|randwrite --runtime SECONDS [--passes 1]\n"
    "                          [--path /file] [--direct] [--reopen]\n"
    "Keeps N requests in flight at random record offsets of one file for SECONDS,\n"
    "per pass, and prints each pass's IOPS and the median. Sizes take KiB, MiB, GiB.\n"
    "  --wait futex  the gfapi callback wakes the submitter at every completion\n"
    "                (the default)\n"
    "  --wait batch  it wakes it once K completions are pending (--batch, default\n"
    "                depth/4, at least 1); the submitter also looks every 200 us\n"
    "  --wait poll   it only sets a flag; the submitter looks every 100 us (fio)\n"
    "  --posix DIR   io_uring on a file in DIR, waiting in io_uring_wait_cqe;\n"
    "                --wait and --batch are ignored there\n"
    "  --direct      with --posix: O_DIRECT (block sizes multiples of 4 KiB)\n"
    "  --reopen      after the lay-out, close the file and run on a new handle,\n"
    "                read-only for randread, write-only for randwrite (as gfbench\n"
    "                opens a case's file); else the handle that created it\n"
    "  --fini        call glfs_fini at the end (libgfapi 10: ~10 s)\n";

[[noreturn]] void usage(const std::string& message) {
  std::fprintf(stderr, "%s: %s\n%s", program, message.c_str(), usage_text);
  std::exit(2);
}

// Set once the file exists, so that a failure after that removes it.
std::function<void()> remove_file;

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "%s: %s\n", program, message.c_str());
  if (remove_file) std::exchange(remove_file, nullptr)();
  std::exit(1);
}

[[noreturn]] void fail(const char* call, const std::string& what, int err) {
  die(std::string(call) + " " + what + ": " + std::strerror(err));
}

[[noreturn]] void fail(const char* call, const std::string& what) {
  const int e = errno;
  fail(call, what, e);
}

std::optional<std::uint64_t> positive(std::string_view text, std::uint64_t max) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || stop != end || value == 0 || value > max) return std::nullopt;
  return value;
}

std::uint64_t parse_count(std::string_view flag, std::string_view text, std::uint64_t max) {
  const auto value = positive(text, max);
  if (!value) {
    usage(std::string(flag) + " takes a whole number from 1 to " + std::to_string(max) + ", not '" +
          std::string(text) + "'");
  }
  return *value;
}

// Bytes, or KiB, MiB, GiB; at most max_gib GiB.
std::uint64_t parse_bytes(std::string_view flag, std::string_view text, std::uint64_t max_gib) {
  struct unit {
    std::string_view suffix;
    std::uint64_t scale;
  };
  constexpr unit units[] = {{"KiB", 1ULL << 10}, {"MiB", 1ULL << 20}, {"GiB", 1ULL << 30}};
  std::string_view digits = text;
  std::uint64_t scale = 1;
  for (const auto& u : units) {
    if (digits.size() > u.suffix.size() && digits.ends_with(u.suffix)) {
      digits.remove_suffix(u.suffix.size());
      scale = u.scale;
      break;
    }
  }
  const auto value = positive(digits, (max_gib << 30) / scale);
  if (!value) {
    usage(std::string(flag) + " takes a size from 1 byte to " + std::to_string(max_gib) +
          "GiB, e.g. 4KiB, not '" + std::string(text) + "'");
  }
  return *value * scale;
}

double parse_seconds(std::string_view flag, const std::string& text) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(value) || value <= 0 || value > 86400) {
    usage(std::string(flag) + " takes seconds, more than 0 and at most 86400, not '" + text + "'");
  }
  return value;
}

void apply_flag(options& o, std::string_view flag, const std::string& value) {
  if (flag == "--volume") {
    o.volume = value;
  } else if (flag == "--server") {
    o.server = value;
  } else if (flag == "--port") {
    o.port = static_cast<int>(parse_count(flag, value, 65535));
  } else if (flag == "--posix") {
    o.posix_dir = value;
  } else if (flag == "--size") {
    o.size = parse_bytes(flag, value, 1ULL << 20);
  } else if (flag == "--bs") {
    // A block is one request, and one io_uring length (32 bits).
    o.block = parse_bytes(flag, value, 1);
  } else if (flag == "--depth") {
    o.depth = static_cast<unsigned>(parse_count(flag, value, 4096));
  } else if (flag == "--op") {
    if (value != "randread" && value != "randwrite") {
      usage("--op is randread or randwrite, not '" + value + "'");
    }
    o.op = value;
    o.write = value == "randwrite";
  } else if (flag == "--runtime") {
    o.runtime = parse_seconds(flag, value);
  } else if (flag == "--passes") {
    o.passes = static_cast<int>(parse_count(flag, value, 1000));
  } else if (flag == "--path") {
    if (!value.starts_with('/')) usage("--path starts with /, not '" + value + "'");
    o.path = value;
  } else if (flag == "--wait") {
    if (value == "futex") {
      o.wait = wait_mode::futex;
    } else if (value == "batch") {
      o.wait = wait_mode::batch;
    } else if (value == "poll") {
      o.wait = wait_mode::poll;
    } else {
      usage("--wait is futex, batch or poll, not '" + value + "'");
    }
  } else if (flag == "--batch") {
    o.batch = static_cast<unsigned>(parse_count(flag, value, 4096));
  } else {
    usage("unknown argument " + std::string(flag));
  }
}

void check(options& o) {
  if (!o.posix_dir.empty() && (!o.volume.empty() || !o.server.empty())) {
    usage("--posix excludes --volume and --server");
  }
  if (o.posix_dir.empty() && (o.volume.empty() || o.server.empty())) {
    usage("--volume and --server (or --posix DIR) are required");
  }
  if (o.size == 0) usage("--size is required");
  if (o.block == 0) usage("--bs is required");
  if (o.depth == 0) usage("--depth is required");
  if (o.op.empty()) usage("--op is required");
  if (o.runtime == 0) usage("--runtime is required");
  if (o.size % o.block != 0) usage("--bs must divide --size");
  if (o.direct && o.posix_dir.empty()) usage("--direct is for --posix");
  if (o.direct && o.block % 4096 != 0) usage("--direct needs --bs a multiple of 4 KiB");
  if (o.batch != 0 && o.wait != wait_mode::batch && o.posix_dir.empty()) {
    usage("--batch is for --wait batch");
  }
  // More than depth would never be pending: every wake would be the timeout.
  if (o.posix_dir.empty() && o.batch > o.depth) usage("--batch must be at most --depth");
  if (o.batch == 0) o.batch = std::max(1U, o.depth / 4);
  if (o.path.empty()) o.path = "/gfbench-bare-async-" + std::to_string(::getpid());
  if (!o.posix_dir.empty()) o.path = o.posix_dir + o.path;
}

// The flags that take no value.
bool* switch_flag(options& o, std::string_view flag) {
  if (flag == "--fini") return &o.fini;
  if (flag == "--direct") return &o.direct;
  if (flag == "--reopen") return &o.reopen;
  return nullptr;
}

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::fputs(usage_text, stdout);
      std::exit(0);
    }
    if (bool* on = switch_flag(o, flag)) {
      *on = true;
      continue;
    }
    if (!flag.starts_with("--")) usage("unknown argument " + std::string(flag));
    if (i + 1 >= argc) usage(std::string(flag) + " needs a value");
    apply_flag(o, flag, argv[++i]);
  }
  check(o);
  return o;
}

// splitmix64 over a counter from a fixed seed, so that two runs visit the
// same records; draws below 2^64 mod records are drawn again, which keeps
// the choice exactly uniform over the records.
class record_picker {
 public:
  record_picker(std::uint64_t records, std::uint64_t block)
      : records_(records), block_(block), reject_below_((0 - records) % records) {}

  std::uint64_t next_offset() noexcept {
    for (;;) {
      const std::uint64_t x = next();
      if (x >= reject_below_) return (x % records_) * block_;
    }
  }

 private:
  std::uint64_t next() noexcept {
    std::uint64_t x = state_ += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  }

  std::uint64_t records_;
  std::uint64_t block_;
  std::uint64_t reject_below_;
  std::uint64_t state_ = 0x6261726561737963ULL;
};

struct free_deleter {
  void operator()(unsigned char* p) const noexcept { std::free(p); }
};
using buffer_ptr = std::unique_ptr<unsigned char[], free_deleter>;

// Page-aligned, so that nothing below copies to align it. Any bytes will do
// (no layer compresses); they are touched once here, before any timing.
buffer_ptr make_buffer(std::uint64_t bytes) {
  const std::uint64_t rounded = (bytes + 4095) / 4096 * 4096;
  buffer_ptr buffer(static_cast<unsigned char*>(std::aligned_alloc(4096, rounded)));
  if (buffer == nullptr) fail("aligned_alloc", std::to_string(rounded) + " bytes", ENOMEM);
  std::uint64_t x = 0x6261726561737963ULL;
  for (std::uint64_t i = 0; i < rounded; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    buffer[i] = static_cast<unsigned char>(x >> 56);
  }
  return buffer;
}

// The file through libgfapi or through POSIX calls, for what is not timed:
// creating it, laying it out, opening it again, fsync, close and unlink.
struct gfapi_files {
  using handle = glfs_fd_t*;
  glfs_t* fs;
  std::string path;
  handle create() const {
    glfs_fd_t* fd = glfs_creat(fs, path.c_str(), O_RDWR | O_EXCL, 0644);
    if (fd == nullptr) fail("glfs_creat", path);
    return fd;
  }
  handle open(bool write) const {
    glfs_fd_t* fd = glfs_open(fs, path.c_str(), write ? O_WRONLY : O_RDONLY);
    if (fd == nullptr) fail("glfs_open", path);
    return fd;
  }
  void pwrite(handle fd, const unsigned char* data, std::uint64_t n, std::uint64_t off) const {
    if (glfs_pwrite(fd, data, n, static_cast<off_t>(off), 0, nullptr, nullptr) !=
        static_cast<ssize_t>(n)) {
      fail("glfs_pwrite", path + " offset=" + std::to_string(off));
    }
  }
  void fsync(handle fd) const {
    if (glfs_fsync(fd, nullptr, nullptr) != 0) fail("glfs_fsync", path);
  }
  void close(handle fd) const {
    if (glfs_close(fd) != 0) fail("glfs_close", path);
  }
  void unlink() const {
    if (glfs_unlink(fs, path.c_str()) != 0) fail("glfs_unlink", path);
  }
  void unlink_quietly() const noexcept {
    if (glfs_unlink(fs, path.c_str()) != 0) {
      std::fprintf(stderr, "%s: glfs_unlink %s: %s\n", program, path.c_str(), std::strerror(errno));
    }
  }
};

struct posix_files {
  using handle = int;
  std::string path;
  bool direct = false;
  handle create() const {
    // The lay-out goes through O_DIRECT too: its buffer and chunks are
    // page-aligned, and nothing of the file is left in the page cache.
    const int fd =
        ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | (direct ? O_DIRECT : 0), 0644);
    if (fd < 0) fail("open", path);
    return fd;
  }
  handle open(bool write) const {
    const int fd =
        ::open(path.c_str(), (write ? O_WRONLY : O_RDONLY) | O_CLOEXEC | (direct ? O_DIRECT : 0));
    if (fd < 0) fail("open", path);
    return fd;
  }
  void pwrite(handle fd, const unsigned char* data, std::uint64_t n, std::uint64_t off) const {
    if (::pwrite(fd, data, n, static_cast<off_t>(off)) != static_cast<ssize_t>(n)) {
      fail("pwrite", path + " offset=" + std::to_string(off));
    }
  }
  void fsync(handle fd) const {
    if (::fsync(fd) != 0) fail("fsync", path);
  }
  void close(handle fd) const {
    if (::close(fd) != 0) fail("close", path);
  }
  void unlink() const {
    if (::unlink(path.c_str()) != 0) fail("unlink", path);
  }
  void unlink_quietly() const noexcept {
    if (::unlink(path.c_str()) != 0) {
      std::fprintf(stderr, "%s: unlink %s: %s\n", program, path.c_str(), std::strerror(errno));
    }
  }
};

template <class Files>
void lay_out(const options& o, const Files& files, typename Files::handle fd) {
  const std::uint64_t chunk = std::min<std::uint64_t>(o.size, 1ULL << 20);
  const buffer_ptr data = make_buffer(chunk);
  for (std::uint64_t off = 0; off < o.size; off += chunk) {
    files.pwrite(fd, data.get(), std::min(chunk, o.size - off), off);
  }
  files.fsync(fd);
}

struct completion_channel;

// One request's place: its buffer (a read's must live until its
// completion), where it went and what came back.
struct slot {
  unsigned char* buffer = nullptr;
  std::uint64_t offset = 0;
  struct iovec iov {};
  ssize_t result = 0;
  int error = 0;
  completion_channel* channel = nullptr;
  std::atomic<bool> done{false};  // --wait poll
};

struct completion_channel {
  std::mutex mutex;
  std::condition_variable wake;
  std::vector<slot*> pending;
  std::size_t batch = 1;
};

void take_result(slot* s, ssize_t ret) noexcept {
  // errno is this thread's, set just before the callback, and means
  // something only when ret < 0.
  s->error = ret < 0 ? errno : 0;
  s->result = ret;
}

void on_done_futex(glfs_fd_t*, ssize_t ret, struct glfs_stat*, struct glfs_stat*, void* data) {
  auto* s = static_cast<slot*>(data);
  take_result(s, ret);
  completion_channel& ch = *s->channel;
  {
    const std::lock_guard lock(ch.mutex);
    ch.pending.push_back(s);
  }
  // After the unlock, so that the woken submitter does not block on the
  // mutex this thread still holds.
  ch.wake.notify_one();
}

void on_done_batch(glfs_fd_t*, ssize_t ret, struct glfs_stat*, struct glfs_stat*, void* data) {
  auto* s = static_cast<slot*>(data);
  take_result(s, ret);
  completion_channel& ch = *s->channel;
  bool full = false;
  {
    const std::lock_guard lock(ch.mutex);
    ch.pending.push_back(s);
    // Only the completion that fills the batch wakes: the submitter looks
    // at the count under the mutex before it sleeps, so none is lost.
    full = ch.pending.size() == ch.batch;
  }
  if (full) ch.wake.notify_one();
}

void on_done_poll(glfs_fd_t*, ssize_t ret, struct glfs_stat*, struct glfs_stat*, void* data) {
  auto* s = static_cast<slot*>(data);
  take_result(s, ret);
  s->done.store(true, std::memory_order_release);
}

// glfs_preadv_async and glfs_pwritev_async, and one of the --wait ways to
// hear of their completions. A request refused at submit never calls back.
class gfapi_engine {
 public:
  gfapi_engine(glfs_fd_t* fd, const options& o, std::vector<slot>& slots)
      : fd_(fd),
        write_(o.write),
        block_(o.block),
        wait_(o.wait),
        slots_(slots),
        // Never freed: a callback may still be inside notify_one after the
        // submitter has taken its completion, and nothing says when it has
        // left; the process ends soon after the passes.
        channel_(new completion_channel) {
    channel_->batch = o.batch;
    channel_->pending.reserve(slots.size());
    for (auto& s : slots) s.channel = channel_;
    callback_ = wait_ == wait_mode::futex   ? &on_done_futex
                : wait_ == wait_mode::batch ? &on_done_batch
                                            : &on_done_poll;
  }

  [[nodiscard]] const char* call() const noexcept {
    return write_ ? "glfs_pwritev_async" : "glfs_preadv_async";
  }

  bool submit(slot& s) noexcept {
    s.iov = {s.buffer, block_};
    const auto off = static_cast<off_t>(s.offset);
    const int rc = write_ ? glfs_pwritev_async(fd_, &s.iov, 1, off, 0, callback_, &s)
                          : glfs_preadv_async(fd_, &s.iov, 1, off, 0, callback_, &s);
    if (rc == 0) return true;
    s.error = errno;
    s.result = -1;
    return false;
  }

  void commit() noexcept {}

  // At least one completion into `out` (empty, with room for every slot),
  // except after a batch wait's timeout, which may bring none.
  void reap(std::vector<slot*>& out) {
    completion_channel& ch = *channel_;
    if (wait_ == wait_mode::poll) return poll(out);
    std::unique_lock lock(ch.mutex);
    if (wait_ == wait_mode::futex) {
      ch.wake.wait(lock, [&ch] { return !ch.pending.empty(); });
    } else {
      ch.wake.wait_for(lock, std::chrono::microseconds(200),
                       [&ch] { return ch.pending.size() >= ch.batch; });
    }
    // Both vectors have room for every slot: no callback allocates.
    std::swap(out, ch.pending);
  }

 private:
  void poll(std::vector<slot*>& out) const {
    for (;;) {
      for (auto& s : slots_) {
        if (s.done.load(std::memory_order_acquire)) {
          s.done.store(false, std::memory_order_relaxed);
          out.push_back(&s);
        }
      }
      if (!out.empty()) return;
      ::usleep(100);
    }
  }

  glfs_fd_t* fd_;
  bool write_;
  std::size_t block_;
  wait_mode wait_;
  std::vector<slot>& slots_;
  completion_channel* channel_;
  glfs_io_cbk callback_ = nullptr;
};

// io_uring: requests queue in the ring and go to the kernel in one
// io_uring_submit per round; a round waits for one completion and takes
// every other one already there.
class uring_engine {
 public:
  uring_engine(int fd, const options& o)
      : fd_(fd), write_(o.write), block_(static_cast<unsigned>(o.block)), path_(o.path) {
    if (const int rc = io_uring_queue_init(o.depth, &ring_, 0); rc < 0) {
      fail("io_uring_queue_init", "(is /proc/sys/kernel/io_uring_disabled set?)", -rc);
    }
    cqes_.resize(o.depth);
  }
  ~uring_engine() { io_uring_queue_exit(&ring_); }
  uring_engine(const uring_engine&) = delete;
  uring_engine& operator=(const uring_engine&) = delete;

  [[nodiscard]] const char* call() const noexcept {
    return write_ ? "io_uring write" : "io_uring read";
  }

  bool submit(slot& s) noexcept {
    io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
    if (sqe == nullptr) {  // cannot happen: the ring has a place for every slot
      s.error = EBUSY;
      s.result = -1;
      return false;
    }
    if (write_) {
      io_uring_prep_write(sqe, fd_, s.buffer, block_, s.offset);
    } else {
      io_uring_prep_read(sqe, fd_, s.buffer, block_, s.offset);
    }
    io_uring_sqe_set_data(sqe, &s);
    return true;
  }

  void commit() {
    int rc = 0;
    do {
      rc = io_uring_submit(&ring_);
    } while (rc == -EINTR);
    if (rc < 0) fail("io_uring_submit", path_, -rc);
  }

  void reap(std::vector<slot*>& out) {
    io_uring_cqe* first = nullptr;
    int rc = 0;
    do {
      rc = io_uring_wait_cqe(&ring_, &first);
    } while (rc == -EINTR);
    if (rc < 0) fail("io_uring_wait_cqe", path_, -rc);
    const unsigned n =
        io_uring_peek_batch_cqe(&ring_, cqes_.data(), static_cast<unsigned>(cqes_.size()));
    for (unsigned i = 0; i < n; ++i) {
      auto* s = static_cast<slot*>(io_uring_cqe_get_data(cqes_[i]));
      s->result = cqes_[i]->res;
      s->error = cqes_[i]->res < 0 ? -cqes_[i]->res : 0;
      out.push_back(s);
    }
    io_uring_cq_advance(&ring_, n);
  }

 private:
  int fd_;
  bool write_;
  unsigned block_;
  std::string path_;
  struct io_uring ring_ {};
  std::vector<io_uring_cqe*> cqes_;
};

struct outcome {
  std::uint64_t offset = 0;
  ssize_t result = 0;
  int error = 0;
};

[[noreturn]] void fail_request(const char* call, const options& o, const outcome& r) {
  const std::string where = o.path + " offset=" + std::to_string(r.offset);
  if (r.result < 0) fail(call, where, r.error);
  die(std::string(call) + " " + where + ": short, " + std::to_string(r.result) + " of " +
      std::to_string(o.block) + " bytes");
}

struct pass_result {
  std::uint64_t requests = 0;
  double seconds = 0;
};

// One timed pass: every slot in flight, each completion checked and
// replaced until the runtime is over, then the rest drained. After a
// failure nothing new is submitted; the rest is drained before the program
// ends, so that no request outlives the file.
template <class Engine>
pass_result run_pass(const options& o, Engine& engine, std::vector<slot>& slots,
                     record_picker& pick) {
  using clock = std::chrono::steady_clock;
  std::optional<outcome> failed;
  std::size_t in_flight = 0;
  std::uint64_t completed = 0;
  const auto issue = [&](slot& s) {
    s.offset = pick.next_offset();
    if (engine.submit(s)) {
      ++in_flight;
    } else {
      failed = outcome{s.offset, s.result, s.error};
    }
  };
  std::vector<slot*> ready;
  ready.reserve(slots.size());
  const auto start = clock::now();
  const auto deadline =
      start + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(o.runtime));
  for (auto& s : slots) {
    if (!failed) issue(s);
  }
  engine.commit();
  while (in_flight > 0) {
    ready.clear();
    engine.reap(ready);
    in_flight -= ready.size();
    const bool more = clock::now() < deadline;
    for (slot* s : ready) {
      if (s->result != static_cast<ssize_t>(o.block)) {
        if (!failed) failed = outcome{s->offset, s->result, s->error};
        continue;
      }
      ++completed;
      if (more && !failed) issue(*s);
    }
    engine.commit();
  }
  const double seconds = std::chrono::duration<double>(clock::now() - start).count();
  if (failed) fail_request(engine.call(), o, *failed);
  return {completed, seconds};
}

double mib_per_second(const options& o, double iops) {
  return iops * static_cast<double>(o.block) / (1 << 20);
}

template <class Files, class Engine>
std::vector<double> run_passes(const options& o, const Files& files, typename Files::handle fd,
                               Engine& engine, std::vector<slot>& slots) {
  record_picker pick(o.size / o.block, o.block);
  std::vector<double> rates;
  for (int pass = 1; pass <= o.passes; ++pass) {
    const pass_result r = run_pass(o, engine, slots, pick);
    if (o.write) files.fsync(fd);
    const double iops = static_cast<double>(r.requests) / r.seconds;
    rates.push_back(iops);
    std::printf("pass %d: %llu requests in %.6f s: iops %.0f (%.1f MiB/s)\n", pass,
                static_cast<unsigned long long>(r.requests), r.seconds, iops,
                mib_per_second(o, iops));
    std::fflush(stdout);
  }
  return rates;
}

void print_median(const options& o, std::vector<double> rates) {
  std::sort(rates.begin(), rates.end());
  const std::size_t n = rates.size();
  const double median = n % 2 ? rates[n / 2] : (rates[n / 2 - 1] + rates[n / 2]) / 2;
  std::printf("median iops %.0f (%.1f MiB/s) over %zu passes\n", median, mib_per_second(o, median),
              n);
  std::fflush(stdout);
}

// The file is created, laid out, run on and removed; `make_engine` gives
// the engine for its handle.
template <class Files, class MakeEngine>
void run(const options& o, const Files& files, MakeEngine make_engine) {
  auto fd = files.create();
  remove_file = [&files] { files.unlink_quietly(); };
  lay_out(o, files, fd);
  if (o.reopen) {
    files.close(fd);
    fd = files.open(o.write);
  }
  std::vector<slot> slots(o.depth);
  const buffer_ptr buffers = make_buffer(o.block * o.depth);
  for (std::size_t i = 0; i < slots.size(); ++i) slots[i].buffer = buffers.get() + i * o.block;
  std::vector<double> rates;
  {
    auto engine = make_engine(fd, slots);
    rates = run_passes(o, files, fd, engine, slots);
  }
  files.close(fd);
  remove_file = nullptr;
  files.unlink();
  print_median(o, std::move(rates));
}

glfs_t* connect(const options& o) {
  glfs_t* fs = glfs_new(o.volume.c_str());
  if (fs == nullptr) fail("glfs_new", o.volume);
  if (glfs_set_volfile_server(fs, "tcp", o.server.c_str(), o.port) != 0) {
    fail("glfs_set_volfile_server", o.server);
  }
  if (glfs_set_logging(fs, "/dev/null", 4) != 0) fail("glfs_set_logging", "/dev/null");
  if (glfs_init(fs) != 0) fail("glfs_init", o.volume);
  return fs;
}

}  // namespace

int main(int argc, char** argv) {
  const options o = parse(argc, argv);
  if (!o.posix_dir.empty()) {
    run(o, posix_files{o.path, o.direct},
        [&o](int fd, std::vector<slot>&) { return uring_engine(fd, o); });
    return 0;
  }
  glfs_t* fs = connect(o);
  run(o, gfapi_files{fs, o.path},
      [&o](glfs_fd_t* fd, std::vector<slot>& slots) { return gfapi_engine(fd, o, slots); });
  if (o.fini) glfs_fini(fs);
  return 0;
}
