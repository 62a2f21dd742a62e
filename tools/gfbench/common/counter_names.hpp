#pragma once
// The names of the counters gfbench's observers add to a case
// (brick_observer, fop_stats_observer, io_workers_observer), which the summary and the report
// read back. One list, so that a reader never depends on an observer.

#include <string>
#include <string_view>

namespace gfbench::app {

// Counter names the observers set and the summary reads.
inline constexpr const char* brick_read_bytes_counter = "brick_read_bytes";
inline constexpr const char* brick_write_bytes_counter = "brick_write_bytes";
inline constexpr const char* brick_copies_counter = "brick_copies";
/// Queued cases: the bytes a pass read or wrote (a time-based pass's are
/// not the file size); random_rw: the bytes it wrote.
inline constexpr const char* bytes_per_pass_counter = "bytes_per_pass";
/// gfapi cases: libgfapi io-threads workers the process had when the case
/// started (gluster/client_io_workers.hpp).
inline constexpr const char* client_io_workers_counter = "client_io_workers";

/// `brick_<fop>_calls` / `fop_<fop>_calls`: "WRITE" -> prefix + "write" + suffix.
[[nodiscard]] std::string fop_counter_name(std::string_view prefix, std::string_view fop,
                                           std::string_view suffix);

}  // namespace gfbench::app
