#pragma once
// What reached the bricks: `gluster volume profile` snapshots taken right
// around each timed pass of a case, so that a case can say how many bytes
// its pass read from and wrote to the bricks (and how many calls of each
// kind the bricks served, and how long they took there).
//
// The bricks' io-stats translator sits at the top of each brick's graph,
// above the posix translator: a read the brick serves from the server's
// page cache still counts as a brick read. It counts what reached the
// brick process, which is what "not served by a client-side cache" means.
//
// Snapshots are cumulative (`info cumulative`), and an interval is the
// difference of two: unlike `info incremental`, that leaves the bricks'
// interval counters alone for anyone else watching the volume, and a brick
// that restarted (its counters start again at zero) is noticed instead of
// being read as a quiet interval.
//
// Everything the bricks did between two snapshots counts, whoever did it:
// on a volume other clients use at the same time, their traffic is in the
// figures too. The zero-config sandbox volume has no other client.
//
// This file holds the counters themselves and their arithmetic;
// profile_xml.hpp reads them from the gluster CLI, brick_profiler.hpp
// takes the snapshots, brick_observer.hpp turns them into case counters.

#include <cstddef>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace gfbench::app {

/// A profile could not be taken or does not add up.
class profile_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Calls of one file operation and their summed latency. Gluster reports an
/// average per operation; average x calls gives the sum, and sums subtract.
struct fop_counts {
  std::uint64_t calls = 0;
  double total_latency_ns = 0;

  [[nodiscard]] double avg_us() const noexcept {
    return calls == 0 ? 0.0 : total_latency_ns / static_cast<double>(calls) / 1000.0;
  }
};

/// One brick's cumulative io-stats since it started (or profiling began).
struct brick_stats {
  std::string brick{};  ///< "host:/path", as gluster names it
  std::uint64_t duration_s = 0;
  std::uint64_t bytes_read = 0;
  std::uint64_t bytes_written = 0;
  std::map<std::string, fop_counts> fops{};  ///< by gluster's name: "WRITE", "READ", "FSYNC", ...
};

/// `gluster volume profile VOL info cumulative --xml`, per brick that answered.
struct profile_snapshot {
  std::vector<brick_stats> bricks{};
};

/// What the bricks did between two snapshots, summed over bricks.
struct brick_interval {
  std::uint64_t bytes_read = 0;
  std::uint64_t bytes_written = 0;
  std::map<std::string, fop_counts> fops{};
  std::size_t bricks = 0;

  brick_interval& operator+=(const brick_interval& other);
};

/// `after` minus `before`. Throws profile_error when a brick is in one and
/// not the other (it went offline or came back) or its counters went back
/// (it restarted, or someone ran `profile info clear`).
[[nodiscard]] brick_interval profile_difference(const profile_snapshot& before,
                                                const profile_snapshot& after);

/// What `gluster volume info VOL --xml` says that matters here.
struct volume_layout {
  std::string type{};  ///< "Distribute", "Replicate", "Disperse", ...
  std::size_t bricks = 0;
  /// Bytes arriving at the bricks per byte a client writes: the replica
  /// count (an arbiter brick counts too: its io-stats sits above the
  /// arbiter translator that drops the data; not checked here), (k+r)/k
  /// for a disperse volume of k+r, else 1.
  double write_copies = 1;
  /// diagnostics.latency-measurement and diagnostics.count-fop-hits are
  /// both on: `volume profile start` was run (or set them by hand).
  bool profiling = false;
};

}  // namespace gfbench::app
