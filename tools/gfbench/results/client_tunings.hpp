#pragma once
// What each target's client does with the I/O gfbench sends, as the client
// graph it runs says: printed under the summary and kept in the report, so
// a reader knows which caches and which O_DIRECT handling were in play.
// With --direct it says, per target, whether O_DIRECT reached the bricks:
// on Gluster it often does not (write-behind ignores it unless
// performance.strict-o-direct is on; network.remote-dio strips it).

#include <optional>
#include <string>
#include <vector>

#include "gfbench/client_graph.hpp"

namespace gfbench::app {

/// What kind of client serves a target.
enum class client_kind {
  gfapi,         ///< a libgfapi connection
  gluster_fuse,  ///< a glusterfs FUSE mount
  other,         ///< any other file system (a local disk, NFS, ...)
};

/// One target's client, as far as it can be read.
struct target_client {
  std::string target{};  ///< the target's label
  client_kind kind = client_kind::other;
  /// From the client's graph; nullopt for `other`, or when the graph could
  /// not be read (then `unknown_reason` says why).
  std::optional<client_tuning> tuning{};
  std::string unknown_reason{};
  /// Where `tuning` was read when that is not the client's own current
  /// graph, with what that may miss; printed after it in parentheses.
  std::string source_note{};
};

/// "client graphs:" and one line per target; with `direct`, a line per
/// target on whether O_DIRECT reached the bricks, and why not. Empty when
/// `clients` is.
[[nodiscard]] std::string format_client_tunings(const std::vector<target_client>& clients,
                                                bool direct);

/// "gfapi", "gluster-fuse", "other".
[[nodiscard]] const char* client_kind_name(client_kind kind) noexcept;

}  // namespace gfbench::app
