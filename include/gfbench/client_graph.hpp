#pragma once
/// \file
/// A libgfapi client's graph of translators, as its volfile describes it,
/// and the tuning that matters for a benchmark read back from it. The
/// volfile holds only the options someone set; the rest have their
/// translators' defaults (glusterfs 10.3's, below), so every reader of an
/// option names the default it falls back on.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gfbench/export.hpp"

namespace gfbench {

/// One translator of a client graph.
struct translator {
  std::string name{};                            ///< e.g. "vol-write-behind"
  std::string type{};                            ///< e.g. "performance/write-behind"
  std::map<std::string, std::string> options{};  ///< as set in the volfile (or by the client)
  std::vector<std::string> subvolumes{};
};

struct client_graph {
  std::vector<translator> translators{};

  /// The first translator of `type`, or null when the graph has none (a
  /// performance translator that is off is left out of the volfile).
  [[nodiscard]] GFBENCH_API const translator* find(std::string_view type) const noexcept;
  /// Option `key` of the first translator of `type`: as set, else
  /// `fallback` (the translator's default); nullopt without such a translator.
  [[nodiscard]] GFBENCH_API std::optional<std::string> option(std::string_view type,
                                                              std::string_view key,
                                                              std::string_view fallback) const;
};

/// Parses a client volfile ("volume NAME / type T / option K V /
/// subvolumes ... / end-volume" blocks).
[[nodiscard]] GFBENCH_API client_graph parse_client_volfile(std::string_view volfile);

/// What a client does with the I/O a benchmark sends, read from its graph.
/// Each field says what the graph says, with glusterfs 10.3's defaults for
/// what it leaves unset.
struct client_tuning {
  int event_threads = 2;           ///< client.event-threads
  bool client_io_threads = false;  ///< performance.client-io-threads
  bool write_behind = false;       ///< performance.write-behind
  bool strict_o_direct = false;    ///< performance.strict-o-direct (write-behind honours O_DIRECT)
  bool remote_dio = false;         ///< network.remote-dio (O_DIRECT stripped before the bricks)
  bool read_ahead = false;         ///< performance.read-ahead
  bool io_cache = false;           ///< performance.io-cache
  bool quick_read = false;         ///< performance.quick-read
  std::uint64_t quick_read_max_file_size = 65536;  ///< files it keeps whole (bytes)
  bool open_behind = false;                        ///< performance.open-behind
  bool md_cache = false;                           ///< performance.stat-prefetch

  /// True when O_DIRECT I/O reaches the bricks as O_DIRECT: write-behind
  /// honours it (strict-o-direct on, or no write-behind) and the client does
  /// not strip it (remote-dio off).
  [[nodiscard]] bool o_direct_reaches_bricks() const noexcept {
    return (!write_behind || strict_o_direct) && !remote_dio;
  }
  /// True when a translator keeps file data between reads of a file of
  /// `file_size` bytes: io-cache, read-ahead, or quick-read for files it
  /// keeps whole.
  [[nodiscard]] bool caches_data(std::uint64_t file_size) const noexcept {
    return io_cache || read_ahead || (quick_read && file_size <= quick_read_max_file_size);
  }
  /// "event-threads 2, client-io-threads off, write-behind on (strict-o-direct off),
  /// remote-dio off, read-ahead off, io-cache off, quick-read on (64KiB),
  /// open-behind on, md-cache on".
  [[nodiscard]] GFBENCH_API std::string describe() const;
};

/// The tuning a graph describes.
[[nodiscard]] GFBENCH_API client_tuning tuning_of(const client_graph& graph);

}  // namespace gfbench
