#pragma once
// What gluster itself says about a volume gfbench did not make, over the
// run: bricks going down and up (`volume status`) and the entries waiting
// for self-heal per brick (`volume heal VOL statistics heal-count`), asked
// through --gluster-cli from a thread of its own, so that a person who pulls
// a cable by hand gets the same timeline as a fault gfbench injects. Each
// question is a gluster CLI process on a node (0.02-0.2 s of its CPU and
// glusterd's); while a peer is silent, glusterd may take long to answer,
// and the samples then come late.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "gluster/gluster_cli.hpp"

namespace gfbench::app {

/// One brick of `volume status VOL --xml`: "HOST:PATH" and whether it runs.
struct watched_brick {
  std::string name;
  bool online = false;
};

/// The bricks of `gluster volume status VOL --xml` output (not the
/// self-heal daemons). Throws profile_error on output that is not that.
[[nodiscard]] std::vector<watched_brick> parse_brick_status(std::string_view xml);

/// The entries of `gluster volume heal VOL statistics heal-count` output,
/// per brick in its order; -1 where a brick did not answer ("-").
[[nodiscard]] std::vector<std::int64_t> parse_heal_count(std::string_view text);

class volume_watch {
 public:
  using clock = std::chrono::steady_clock;
  using event_sink = std::function<void(clock::time_point, std::string, std::string)>;
  using sample_sink = std::function<void(clock::time_point, std::vector<std::int64_t>)>;

  /// Starts asking about `volume` every `interval`.
  volume_watch(std::unique_ptr<gluster_cli> cli, std::string volume,
               std::chrono::milliseconds interval, event_sink events, sample_sink samples);
  ~volume_watch();
  volume_watch(const volume_watch&) = delete;
  volume_watch& operator=(const volume_watch&) = delete;

  /// Ends the thread (after the question it is asking, if any).
  void stop() noexcept;

 private:
  void run();
  void look(clock::time_point now);

  std::unique_ptr<gluster_cli> cli_;
  const std::string volume_;
  const std::chrono::milliseconds interval_;
  event_sink events_;
  sample_sink samples_;
  std::map<std::string, bool> online_;  // last seen, by brick
  bool heal_known_ = true;              // false once gluster said the volume has no heal
  std::int64_t last_pending_ = 0;
  bool status_failing_ = false;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: it starts once everything else is set
};

}  // namespace gfbench::app
