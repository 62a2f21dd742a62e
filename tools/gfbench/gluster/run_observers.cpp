#include "gluster/run_observers.hpp"

#include <chrono>
#include <utility>

#include "common/app_log.hpp"
#include "gluster/brick_observer.hpp"
#include "gluster/client_io_workers.hpp"
#include "gluster/mounts.hpp"

namespace gfbench::app {

run_observers::~run_observers() { release(); }

void run_observers::start_profiler(std::unique_ptr<gluster_cli> cli, std::string volume,
                                   bool keep_running) {
  auto profiler = std::make_unique<brick_profiler>(std::move(cli), std::move(volume));
  if (keep_running) profiler->keep_running();
  profiler->start();
  profiler_ = std::move(profiler);
  profile_started_under_clients_ = !keep_running;
}

volume_options run_observers::client_options(volume_options options) const {
  if (fop_stats_) {
    for (auto& o : client_stats_xlator_options(options.volume)) {
      options.xlator_options.push_back(std::move(o));
    }
  }
  return options;
}

void run_observers::add_gfapi_target(const std::string& label, const volume_options& options) {
  gfapi_labels_.insert(label);
  if (profiler_ && options.volume == profiler_->volume()) brick_labels_.push_back(label);
  if (fop_stats_) fop_sources_[label] = make_gfapi_stats_source(volume::connect(options));
}

void run_observers::add_posix_target(const std::string& label,
                                     const std::filesystem::path& directory) {
  const auto volume = gluster_fuse_volume(directory);
  if (profiler_ && volume == profiler_->volume()) {
    brick_labels_.push_back(label);
    if (profile_started_under_clients_) wait_for_profile(label, directory);
  }
  if (!fop_stats_) return;
  if (volume) {
    fop_sources_[label] = make_fuse_stats_source(directory);
  } else {
    logger().info("--fop-stats: {} ({}) is no Gluster FUSE mount: no client counters for it", label,
                  directory.string());
  }
}

void run_observers::wait_for_profile(const std::string& label,
                                     const std::filesystem::path& directory) {
  constexpr std::chrono::seconds limit{15};
  auto& log = logger();
  try {
    if (const auto took = wait_until_fuse_client_counts(directory, limit)) {
      log.info("{}: the FUSE client applied `volume profile start` after {:.1f} s", label,
               std::chrono::duration<double>(*took).count());
    } else {
      log.warn(
          "{}: the FUSE client on {} did not apply `volume profile start` within {} s; it may "
          "switch during a timed pass",
          label, directory.string(), limit.count());
    }
  } catch (const std::exception& e) {
    log.warn("{}: cannot tell when the FUSE client applies `volume profile start`: {}", label,
             e.what());
  }
}

void run_observers::attach(suite& cases) {
  if (!gfapi_labels_.empty()) {
    observers_.push_back(std::make_unique<io_workers_observer>(gfapi_labels_));
    cases.add_observer(*observers_.back());
  }
  if (!fop_sources_.empty()) {
    observers_.push_back(std::make_unique<fop_stats_observer>(std::move(fop_sources_)));
    cases.add_observer(*observers_.back());
  }
  if (profiler_) {
    if (brick_labels_.empty()) {
      logger().warn("profiling volume {}, but no target is on it: no brick counters",
                    profiler_->volume());
      return;
    }
    observers_.push_back(
        std::make_unique<brick_observer>(*profiler_, brick_labels_, /*fop_detail=*/fop_stats_));
    cases.add_observer(*observers_.back());
  }
}

void run_observers::release() noexcept {
  observers_.clear();
  fop_sources_.clear();
  profiler_.reset();  // stops profiling unless kept running
}

}  // namespace gfbench::app
