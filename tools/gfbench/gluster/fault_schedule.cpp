#include "gluster/fault_schedule.hpp"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <stdexcept>

#include "common/app_log.hpp"
#include "gfbench/case.hpp"
#include "gfbench/stop.hpp"
#include "gluster/copies.hpp"

namespace gfbench::app {
namespace {

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", s);
  return buf;
}

std::string pending_text(const std::vector<std::size_t>& pending) {
  std::string out;
  for (std::size_t b = 0; b < pending.size(); ++b) {
    out += (out.empty() ? "" : ", ") + std::string("brick ") + std::to_string(b + 1) + ": " +
           std::to_string(pending[b]);
  }
  return out;
}

}  // namespace

fault_schedule::fault_schedule(sandbox& box, settings s, event_sink events, sample_sink samples)
    : box_(box),
      settings_(std::move(s)),
      events_(std::move(events)),
      samples_(std::move(samples)),
      in_force_(settings_.faults.size(), false),
      thread_([this] { run(); }) {}

fault_schedule::~fault_schedule() { stop(); }

std::string fault_schedule::volume() const {
  const std::lock_guard lock(mutex_);
  return volume_;
}

void fault_schedule::say(const std::string& kind, const std::string& what) {
  say_at(clock::now(), kind, what);
}

void fault_schedule::say_at(clock::time_point at, const std::string& kind,
                            const std::string& what) {
  logger().info("{}: {}", kind, what);
  if (events_) events_(at, kind, what);
}

void fault_schedule::before_case(const case_info& c) {
  const auto it = settings_.volumes.find(c.target_label);
  const std::lock_guard lock(mutex_);
  struck_in_case_ = false;
  volume_ = it == settings_.volumes.end() ? std::string() : it->second;
}

void fault_schedule::before_pass(const case_info& /*c*/) {
  const auto begin = clock::now();
  const std::lock_guard lock(mutex_);
  actions_.clear();
  if (volume_.empty() || interrupted_) return;  // not a volume of the sandbox, or stopping
  for (std::size_t k = 0; k < settings_.faults.size(); ++k) {
    actions_.push_back({begin + settings_.faults[k].start, k, step::strike});
    actions_.push_back({begin + settings_.faults[k].end(), k, step::undo});
  }
  last_undone_.reset();
  healed_.reset();
  sampling_ = true;
  pass_open_ = true;
  holding_ = !actions_.empty();
  wake_.notify_all();
}

void fault_schedule::after_pass(const case_info& /*c*/) {
  // A fault that outlived the pass (it failed, or was stopped) is undone
  // now; one not struck yet never is.
  {
    const std::lock_guard lock(mutex_);
    actions_.clear();
    pass_open_ = false;
  }
  undo_all("the pass ended first");
  const std::lock_guard lock(mutex_);
  holding_ = false;
}

bool fault_schedule::holds_pass(const case_info& /*c*/) const {
  return holding_.load(std::memory_order_relaxed);
}

void fault_schedule::before_removal(const case_info& c) {
  {
    const std::lock_guard lock(mutex_);
    if (!struck_in_case_) return;
  }
  // Nothing can be compared while a copy is still being healed.
  if (!wait_for_heal(clock::now() + settings_.heal_bound)) {
    const std::lock_guard sandbox_lock(sandbox_mutex_);
    throw std::runtime_error("self-heal did not end within " +
                             std::to_string(settings_.heal_bound.count()) +
                             " s of the last fault (entries waiting: " +
                             pending_text(box_.heal_pending_per_brick(volume())) +
                             "): the copies of " + c.data_file + " were not compared");
  }
  const std::lock_guard sandbox_lock(sandbox_mutex_);
  const std::string verdict = compare_copies(box_, volume(), c.data_file, c.block_size);
  say("verified", verdict);
}

void fault_schedule::after_case(const case_info& /*c*/, benchmark::State& /*state*/) {
  const std::lock_guard lock(mutex_);
  sampling_ = false;
}

bool fault_schedule::wait_for_heal(clock::time_point until) {
  for (;;) {
    {
      const std::lock_guard lock(mutex_);
      if (healed_) return true;
      if (last_undone_ && !sampling_) sampling_ = true;
      wake_.notify_all();
    }
    if (clock::now() >= until) return false;
    std::this_thread::sleep_for(
        std::min<clock::duration>(settings_.sample_interval, std::chrono::milliseconds(200)));
  }
}

void fault_schedule::run() {
  std::unique_lock lock(mutex_);
  auto next_sample = clock::now();
  while (!stopping_) {
    if (stop_requested() && !interrupted_) {
      // Ctrl-C: what is stopped resumes now, so that calls waiting on it
      // return and the run can end and clean up.
      interrupted_ = true;
      actions_.clear();
      lock.unlock();
      undo_all("the run was interrupted");
      lock.lock();
      continue;
    }
    const auto now = clock::now();
    // The first action due, one at a time: another may be added or
    // cancelled while one runs unlocked.
    const auto due = std::find_if(actions_.begin(), actions_.end(),
                                  [&](const action& a) { return a.at <= now; });
    if (due != actions_.end()) {
      const action a = *due;
      actions_.erase(due);
      lock.unlock();
      perform(a);
      lock.lock();
      continue;
    }
    if (sampling_ && now >= next_sample) {
      lock.unlock();
      sample(now);
      lock.lock();
      next_sample = now + settings_.sample_interval;
    }
    const bool in_force = std::find(in_force_.begin(), in_force_.end(), true) != in_force_.end();
    const bool settling = last_undone_ && now < *last_undone_ + settings_.settle;
    const bool healing = settings_.until_healed && last_undone_ && !healed_ &&
                         now < *last_undone_ + settings_.heal_bound;
    holding_ = !actions_.empty() || in_force || settling || healing;
    auto wake_at = now + std::chrono::seconds(1);
    for (const action& a : actions_) wake_at = std::min(wake_at, a.at);
    if (sampling_) wake_at = std::min(wake_at, next_sample);
    wake_.wait_until(lock, wake_at);
  }
}

void fault_schedule::perform(const action& a) {
  const fault_spec& f = settings_.faults[a.fault];
  try {
    switch (a.what) {
      case step::strike: {
        // Claimed under both locks: a pass that ended meanwhile gets no
        // fault, and one struck now is seen by the pass's end, which undoes
        // it once the sandbox is free again.
        const std::lock_guard sandbox_lock(sandbox_mutex_);
        {
          const std::lock_guard lock(mutex_);
          if (!pass_open_) break;
          in_force_[a.fault] = true;
          struck_in_case_ = true;
        }
        // On the timeline when it was struck; said once it is done.
        const auto at = clock::now();
        strike(f);
        say_at(at, "fault", describe(f) + ": " + meaning(f));
        const std::lock_guard lock(mutex_);
        if (f.kind == fault_kind::slow_brick && in_force_[a.fault]) {
          actions_.push_back({clock::now() + f.slow_by, a.fault, step::thaw});
        }
        break;
      }
      case step::undo: {
        {
          const std::lock_guard lock(mutex_);
          if (!in_force_[a.fault]) break;  // undone already
          in_force_[a.fault] = false;
        }
        undo(f);
        const std::lock_guard lock(mutex_);
        last_undone_ = clock::now();
        healed_.reset();
        // A slow brick's next freeze or thaw is void.
        std::erase_if(actions_, [&](const action& x) { return x.fault == a.fault; });
        break;
      }
      case step::thaw:
      case step::freeze: {
        const std::lock_guard sandbox_lock(sandbox_mutex_);
        {
          const std::lock_guard lock(mutex_);
          if (!in_force_[a.fault]) break;  // undone meanwhile: no freeze after it
        }
        const auto brick = static_cast<std::size_t>(f.number - 1);
        if (a.what == step::thaw) {
          box_.resume_brick(volume(), brick);
        } else {
          box_.pause_brick(volume(), brick);
        }
        const std::lock_guard lock(mutex_);
        if (in_force_[a.fault]) {
          actions_.push_back({clock::now() + f.slow_by, a.fault,
                              a.what == step::thaw ? step::freeze : step::thaw});
        }
        break;
      }
    }
  } catch (const std::exception& e) {
    // A fault that cannot be struck or undone is news of its own.
    say("error", describe(f) + ": " + e.what());
  }
}

void fault_schedule::strike(const fault_spec& f) {
  const auto brick = static_cast<std::size_t>(f.number - 1);
  const int node = f.number - 1;
  switch (f.kind) {
    case fault_kind::hang_brick:
    case fault_kind::slow_brick:
      box_.pause_brick(volume(), brick);
      break;
    case fault_kind::kill_brick:
      box_.kill_brick(volume(), brick);
      break;
    case fault_kind::hang_node:
      box_.pause_node(node);
      break;
    case fault_kind::reboot_node:
      box_.kill_node(node);
      break;
  }
}

void fault_schedule::undo(const fault_spec& f) noexcept {
  try {
    const std::lock_guard sandbox_lock(sandbox_mutex_);
    const auto brick = static_cast<std::size_t>(f.number - 1);
    const int node = f.number - 1;
    switch (f.kind) {
      case fault_kind::hang_brick:
      case fault_kind::slow_brick:
        box_.resume_brick(volume(), brick);
        break;
      case fault_kind::kill_brick:
        box_.restart_bricks(volume());
        break;
      case fault_kind::hang_node:
        box_.resume_node(node);
        break;
      case fault_kind::reboot_node:
        box_.start_node(node);
        break;
    }
    say("clear", describe(f) + ": undone");
  } catch (const std::exception& e) {
    say("error", "undoing " + describe(f) + ": " + e.what());
  }
}

void fault_schedule::sample(clock::time_point now) {
  std::vector<std::size_t> pending;
  try {
    const std::lock_guard sandbox_lock(sandbox_mutex_);
    pending = box_.heal_pending_per_brick(volume());
  } catch (const std::exception& e) {
    logger().debug("heal entries of {}: {}", volume(), e.what());
    return;
  }
  if (samples_) samples_(now, std::vector<std::int64_t>(pending.begin(), pending.end()));
  const bool none = std::all_of(pending.begin(), pending.end(), [](auto n) { return n == 0; });
  std::optional<double> took;
  {
    const std::lock_guard lock(mutex_);
    const bool in_force = std::find(in_force_.begin(), in_force_.end(), true) != in_force_.end();
    if (none && last_undone_ && !healed_ && !in_force) {
      healed_ = now;
      took = std::chrono::duration<double>(now - *last_undone_).count();
    }
  }
  if (took) {
    say("healed", "no entry waits for self-heal, " + seconds_text(*took) +
                      " after the last fault was undone");
  }
}

void fault_schedule::undo_all(const std::string& why) noexcept {
  // Each claimed under the lock, so that the thread and the kernel's
  // thread never undo one twice.
  std::vector<std::size_t> claimed;
  {
    const std::lock_guard lock(mutex_);
    for (std::size_t k = 0; k < in_force_.size(); ++k) {
      if (in_force_[k]) claimed.push_back(k);
      in_force_[k] = false;
    }
  }
  for (const std::size_t k : claimed) {
    say("clear", describe(settings_.faults[k]) + ": " + why + ", so it ends now");
    undo(settings_.faults[k]);
    const std::lock_guard lock(mutex_);
    last_undone_ = clock::now();
    healed_.reset();
  }
}

void fault_schedule::stop() noexcept {
  {
    const std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    actions_.clear();
    holding_ = false;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  // Nothing stays stopped, and a killed brick is started again, so that
  // the scratch files can be removed before the sandbox goes.
  undo_all("gfbench is ending");
}

}  // namespace gfbench::app
