#pragma once
// Faults on a schedule (fault_spec.hpp), in every timed pass of every case,
// on a volume of gfbench's own sandbox, and self-heal followed to its end:
// an observer of the suite with a thread of its own. Each fault is struck
// at its start from the pass's start and undone at its end; the pass is
// held open (observer.hpp's holds_pass) until the last one is undone and a
// little after, or, with --until-healed, until the heal is over. Meanwhile
// the entries waiting for self-heal are sampled per brick each interval.
// Before a case removes its file, the heal is waited for and the copies of
// the file on the bricks are compared; a lost or divergent record fails the
// case, named. Whatever happens (a failed case, Ctrl-C, the watchdog giving
// up), no process stays stopped: stop() and the destructor resume them.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "gfbench/observer.hpp"
#include "gfbench/sandbox.hpp"
#include "gluster/fault_spec.hpp"

namespace gfbench::app {

class fault_schedule final : public case_observer {
 public:
  using clock = std::chrono::steady_clock;
  /// Where what happened goes: (when, kind, what) and the pending heal
  /// entries per brick.
  using event_sink = std::function<void(clock::time_point, std::string, std::string)>;
  using sample_sink = std::function<void(clock::time_point, std::vector<std::int64_t>)>;

  struct settings {
    std::vector<fault_spec> faults;
    /// The sandbox volume each target's cases run on, by target label.
    std::map<std::string, std::string> volumes;
    std::chrono::milliseconds sample_interval{1000};
    /// Hold the pass until the heal is over (bounded by heal_bound).
    bool until_healed = false;
    std::chrono::seconds heal_bound{900};
    /// How long a pass goes on after its last fault is undone.
    std::chrono::seconds settle = fault_settle;
  };

  fault_schedule(sandbox& box, settings s, event_sink events, sample_sink samples);
  ~fault_schedule() override;
  fault_schedule(const fault_schedule&) = delete;
  fault_schedule& operator=(const fault_schedule&) = delete;

  void before_case(const case_info& c) override;
  void before_pass(const case_info& c) override;
  void after_pass(const case_info& c) override;
  void before_removal(const case_info& c) override;
  void after_case(const case_info& c, benchmark::State& state) override;
  [[nodiscard]] bool holds_pass(const case_info& c) const override;

  /// Undoes every fault in force (resumes what is stopped) and ends the
  /// thread; for Ctrl-C and a watchdog that gave up. Never throws.
  void stop() noexcept;

 private:
  // What the thread does when: strike a fault, undo it, and for a slow
  // brick thaw and freeze it again in turn.
  enum class step { strike, undo, thaw, freeze };
  struct action {
    clock::time_point at;
    std::size_t fault = 0;
    step what = step::strike;
  };

  void run();
  void perform(const action& a);
  void strike(const fault_spec& f);  // with sandbox_mutex_ held
  void undo(const fault_spec& f) noexcept;
  // Undoes every fault in force, saying why.
  void undo_all(const std::string& why) noexcept;
  void sample(clock::time_point now);
  // Waits until the heal is over or `until` (the thread samples); true
  // when healed.
  bool wait_for_heal(clock::time_point until);
  void say(const std::string& kind, const std::string& what);
  void say_at(clock::time_point at, const std::string& kind, const std::string& what);
  [[nodiscard]] std::string volume() const;

  sandbox& box_;
  const settings settings_;
  event_sink events_;
  sample_sink samples_;

  std::mutex sandbox_mutex_;  // the sandbox is used from the thread and the kernel's
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<action> actions_;  // pending, of the pass running now
  std::vector<bool> in_force_;   // per fault
  bool sampling_ = false;        // a pass runs, or a heal is followed
  bool struck_in_case_ = false;  // a fault was struck in this case
  std::optional<clock::time_point> last_undone_;
  std::optional<clock::time_point> healed_;  // since the last undo
  bool stopping_ = false;
  bool interrupted_ = false;  // a stop request was seen
  bool pass_open_ = false;    // between before_pass and after_pass
  std::string volume_;        // of the case running now
  std::atomic<bool> holding_{false};
  std::thread thread_;  // last: it starts once everything else is set
};

}  // namespace gfbench::app
