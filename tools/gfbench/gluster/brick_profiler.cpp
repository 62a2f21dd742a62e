#include "gluster/brick_profiler.hpp"

#include "common/app_log.hpp"
#include "gluster/profile_xml.hpp"

namespace gfbench::app {

brick_profiler::brick_profiler(std::unique_ptr<gluster_cli> cli, std::string volume)
    : cli_(std::move(cli)), volume_(std::move(volume)) {}

brick_profiler::~brick_profiler() {
  if (!keep_running_) stop();
}

void brick_profiler::start() {
  layout_ = parse_volume_info_xml(cli_->run({"volume", "info", volume_, "--xml"}), volume_);
  if (layout_.profiling) {
    logger().info("profiling of volume {} is on already; gfbench leaves it on", volume_);
    return;
  }
  cli_->run({"volume", "profile", volume_, "start"});
  started_ = true;
  logger().info("started `gluster volume profile {}` ({}): brick counters per case", volume_,
                cli_->describe());
}

profile_snapshot brick_profiler::snapshot() {
  return parse_profile_xml(
      cli_->run({"volume", "profile", volume_, "info", "cumulative", "--xml"}));
}

void brick_profiler::stop() noexcept {
  if (!started_) return;
  started_ = false;
  try {
    cli_->run({"volume", "profile", volume_, "stop"});
    logger().info("stopped `gluster volume profile {}`", volume_);
  } catch (const std::exception& e) {
    logger().warn("could not stop profiling of volume {}: {}; run `gluster volume profile {} stop`",
                  volume_, e.what(), volume_);
  }
}

}  // namespace gfbench::app
