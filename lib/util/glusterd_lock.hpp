#pragma once
// glusterd runs one transaction per volume at a time (and cluster-wide
// ones alone). A gluster CLI call that arrives while another holds the
// lock is refused at once: "Another transaction is in progress for VOL.
// Please try again after some time." (across peers: "Locking failed on
// HOST"). gfbench's own threads do that to each other (the heal follower's
// `volume heal VOL statistics heal-count` beside the brick profiler's
// `volume profile VOL info`), and so does any admin on a production
// cluster, so every runner of the CLI retries such a refusal for a while.

#include <algorithm>
#include <chrono>
#include <string_view>
#include <thread>

namespace gfbench::detail {

/// True when the CLI's output says that glusterd refused the call because
/// another transaction holds the lock (worth retrying), not because the
/// call itself is wrong.
inline bool glusterd_lock_busy(std::string_view output) {
  return output.find("Another transaction is in progress") != std::string_view::npos ||
         output.find("Locking failed on") != std::string_view::npos;
}

/// How long a CLI call keeps retrying a busy lock. glusterd's transactions
/// take milliseconds to a few seconds (a volume start); a lock that stays
/// longer belongs to a stuck peer, which glusterd frees after 180 s, too
/// long to wait in a run.
inline constexpr std::chrono::seconds glusterd_lock_patience{20};

/// Calls `attempt()` (a runner returning a result with out and err) again
/// while its output says the lock was busy, sleeping 50 ms, doubling to 1 s,
/// for at most `patience`; returns the last result. The output decides, not
/// the exit code: with --xml the CLI exits 0 and puts the refusal in
/// <opErrstr>.
template <class Attempt>
auto retry_while_glusterd_busy(Attempt attempt,
                               std::chrono::milliseconds patience = glusterd_lock_patience) {
  using clock = std::chrono::steady_clock;
  const auto give_up = clock::now() + patience;
  std::chrono::milliseconds pause{50};
  for (;;) {
    auto result = attempt();
    const bool busy = glusterd_lock_busy(result.err) || glusterd_lock_busy(result.out);
    if (!busy || clock::now() + pause > give_up) return result;
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(1000));
  }
}

}  // namespace gfbench::detail
