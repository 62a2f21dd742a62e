#pragma once
// What the client did: the client-side io-stats translator of a libgfapi
// connection or of a FUSE mount, dumped right around each timed pass
// (--fop-stats). Setting the extended attribute "trusted.io-stats-dump" to
// NAME on the volume's root makes the client's io-stats write its counters,
// synchronously, to /var/run/gluster/NAME.<volume> in the client process's
// mount namespace: ours for libgfapi, the host's for a FUSE mount made by
// the sandbox (it mounts from the host's mount namespace). The observer
// reads and removes every dump it asks for.
//
// io-stats sits at the top of the client graph, above write-behind and the
// other caches: it counts the calls the application (or the kernel, for
// FUSE) made, not what reached the bricks (brick_observer.hpp tells that).
// For FUSE it shows how the kernel cut the application's records.
//
// The client counts calls only with its io-stats options latency-measurement
// and count-fop-hits on: `volume profile start` turns them on for every
// client of the volume; a gfapi connection can also get them as xlator
// options (client_stats_xlator_options).
//
// The dumps leave traces of their own: each is a SETXATTR on "/" (left out
// of the counters), and with libgfapi resolving "/" for it may send a
// LOOKUP, counted in the next dump: fop_lookup_calls of a gfapi case
// (about one per connection and pass) are those, as the built-in kernels
// look nothing up inside a timed pass.
//
// The text dump labels latencies "us"; glusterfs 10.x measures them with
// timespec differences in nanoseconds (io-stats.c, gf_tsdiff), and so they
// are read here.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gfbench/volume.hpp"
#include "gluster/brick_counters.hpp"
#include "gluster/pass_difference.hpp"

namespace gfbench::app {

/// A client io-stats translator's cumulative counters.
struct client_stats {
  std::uint64_t bytes_read = 0;
  std::uint64_t bytes_written = 0;
  std::map<std::string, fop_counts> fops{};  ///< "WRITE", "READ", "FSYNC", ...
};

/// Parses the "=== Cumulative stats ===" block of a text io-stats dump.
/// Throws profile_error for text without one.
[[nodiscard]] client_stats parse_client_dump(std::string_view text);

/// `after` minus `before`; throws profile_error when a counter went back
/// (the client switched to a new graph, whose io-stats starts at zero).
[[nodiscard]] client_stats client_difference(const client_stats& before, const client_stats& after);

/// The io-stats options that make a gfapi client count calls and their
/// latency, for the translator named after the volume (the top of a client
/// graph): latency-measurement and count-fop-hits on.
[[nodiscard]] std::vector<xlator_option> client_stats_xlator_options(std::string_view volume);

/// A client whose io-stats can be dumped.
class client_stats_source {
 public:
  virtual ~client_stats_source() = default;
  /// Dumps, reads and removes the dump. Throws profile_error or io_error.
  virtual client_stats dump() = 0;
};

/// A gfapi target's clients: the connection `main` and the one its cold
/// reads use (uncached_volume_options), both dumped and added up.
[[nodiscard]] std::unique_ptr<client_stats_source> make_gfapi_stats_source(volume main);
/// The FUSE mount of a Gluster volume at `mountpoint` (setxattr on it).
[[nodiscard]] std::unique_ptr<client_stats_source> make_fuse_stats_source(
    std::filesystem::path mountpoint);

/// Waits until the glusterfs FUSE client of `directory` counts calls, as it
/// does once it has applied `volume profile start` (which a client gets
/// from glusterd a moment after the command returns, at a moment of its
/// own): looks up a name that does not exist in `directory` (nothing is
/// created), dumps the client's io-stats and repeats until a LOOKUP shows,
/// at most `timeout`. Returns the time it took; nullopt when the time ran
/// out. Throws io_error or profile_error when the client cannot be dumped.
[[nodiscard]] std::optional<std::chrono::milliseconds> wait_until_fuse_client_counts(
    const std::filesystem::path& directory, std::chrono::milliseconds timeout);

/// Reports, for each case on a target with a source, what its client did in
/// the timed passes: `fop_<fop>_calls` (per pass) and `fop_<fop>_avg_us`
/// (latency seen by the client's io-stats) for every operation called, but
/// SETXATTR, which the dumps themselves cause. Errors leave the counters
/// out, with a warning.
class fop_stats_observer final : public pass_difference_observer {
 public:
  /// Sources by target label.
  explicit fop_stats_observer(std::map<std::string, std::unique_ptr<client_stats_source>> sources);

 private:
  bool begin_case(const case_info& c) override;
  void take_before() override;
  void take_after() override;
  void report(const case_info& c, benchmark::State& state, double passes) override;

  std::map<std::string, std::unique_ptr<client_stats_source>> sources_;
  client_stats_source* current_ = nullptr;
  std::optional<client_stats> before_;
  client_stats total_;
  bool said_counts_off_ = false;
};

}  // namespace gfbench::app
