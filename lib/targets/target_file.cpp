// target_file's default queue: depth 1 on the file's own calls, for targets
// that bring no engine of their own (a custom target, a wrapper's inner one).

#include <cerrno>

#include "client/sync_queue.hpp"
#include "gfbench/error.hpp"
#include "gfbench/target.hpp"

namespace gfbench {

std::unique_ptr<io_queue> target_file::open_queue(unsigned depth,
                                                  std::chrono::milliseconds /*drain_timeout*/) {
  if (depth != 1) {
    throw io_error(ENOTSUP, {.operation = "open_queue",
                             .hint = "this target runs one request at a time: queue depth 1"});
  }
  return std::make_unique<detail::sync_queue>(
      [this](const io_request& r) -> std::int64_t {
        try {
          switch (r.kind) {
            case io_kind::read:
              pread_all(r.buffer, r.offset);
              break;
            case io_kind::write:
              pwrite_all(r.buffer, r.offset);
              break;
            case io_kind::flush:
              fsync();
              return 0;
          }
          return static_cast<std::int64_t>(r.buffer.size());
        } catch (const io_error& e) {
          return -static_cast<std::int64_t>(e.errno_value() != 0 ? e.errno_value() : EIO);
        } catch (...) {
          return -EIO;
        }
      },
      "pread_all/pwrite_all");
}

}  // namespace gfbench
