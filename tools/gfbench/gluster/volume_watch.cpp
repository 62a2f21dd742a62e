#include "gluster/volume_watch.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <charconv>
#include <exception>
#include <numeric>

#include "common/app_log.hpp"
#include "gluster/brick_counters.hpp"
#include "util/text.hpp"

namespace gfbench::app {

std::vector<watched_brick> parse_brick_status(std::string_view xml) {
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size()) || !doc.child("cliOutput")) {
    throw profile_error("`gluster volume status --xml` printed no <cliOutput>");
  }
  const pugi::xml_node out = doc.child("cliOutput");
  if (std::string_view(out.child("opRet").text().as_string()) != "0") {
    throw profile_error("`gluster volume status` failed: " +
                        std::string(detail::trim(out.child("opErrstr").text().as_string())));
  }
  std::vector<watched_brick> bricks;
  for (const pugi::xpath_node& found : doc.select_nodes("/cliOutput/volStatus//volume/node")) {
    const pugi::xml_node node = found.node();
    const std::string path(detail::trim(node.child("path").text().as_string()));
    if (path.empty() || path.front() != '/') continue;  // a self-heal daemon
    bricks.push_back(
        {std::string(detail::trim(node.child("hostname").text().as_string())) + ":" + path,
         std::string_view(node.child("status").text().as_string()) == "1"});
  }
  return bricks;
}

std::vector<std::int64_t> parse_heal_count(std::string_view text) {
  std::vector<std::int64_t> entries;
  constexpr std::string_view marker = "Number of entries:";
  for (std::size_t at = text.find(marker); at != std::string_view::npos;
       at = text.find(marker, at + marker.size())) {
    std::string_view value = text.substr(at + marker.size());
    value = detail::trim(value.substr(0, value.find('\n')));
    std::int64_t n = -1;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    entries.push_back(ec == std::errc{} && end == value.data() + value.size() ? n : -1);
  }
  return entries;
}

volume_watch::volume_watch(std::unique_ptr<gluster_cli> cli, std::string volume,
                           std::chrono::milliseconds interval, event_sink events,
                           sample_sink samples)
    : cli_(std::move(cli)),
      volume_(std::move(volume)),
      interval_(interval),
      events_(std::move(events)),
      samples_(std::move(samples)),
      thread_([this] { run(); }) {}

volume_watch::~volume_watch() { stop(); }

void volume_watch::stop() noexcept {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void volume_watch::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const auto now = clock::now();
    lock.unlock();
    look(now);
    lock.lock();
    wake_.wait_until(lock, now + interval_, [this] { return stopping_; });
  }
}

void volume_watch::look(clock::time_point now) {
  try {
    const auto bricks = parse_brick_status(cli_->run({"volume", "status", volume_, "--xml"}));
    status_failing_ = false;
    for (const watched_brick& b : bricks) {
      const auto known = online_.find(b.name);
      if (known != online_.end() && known->second != b.online) {
        events_(clock::now(), b.online ? "brick-up" : "brick-down",
                "gluster says brick " + b.name + (b.online ? " is online" : " is offline"));
      }
      online_[b.name] = b.online;
    }
  } catch (const std::exception& e) {
    if (!status_failing_) {
      events_(clock::now(), "gluster",
              "gluster did not answer `volume status`: " + std::string(e.what()));
    }
    status_failing_ = true;
  }
  if (!heal_known_) return;
  try {
    const auto pending =
        parse_heal_count(cli_->run({"volume", "heal", volume_, "statistics", "heal-count"}));
    if (pending.empty()) return;
    samples_(now, pending);
    const std::int64_t sum = std::accumulate(
        pending.begin(), pending.end(), std::int64_t{0},
        [](std::int64_t a, std::int64_t b) { return a + std::max<std::int64_t>(b, 0); });
    const bool all_answered =
        std::none_of(pending.begin(), pending.end(), [](std::int64_t n) { return n < 0; });
    if (last_pending_ > 0 && sum == 0 && all_answered) {
      events_(clock::now(), "healed", "gluster counts no entry waiting for self-heal");
    }
    last_pending_ = sum;
  } catch (const std::exception& e) {
    // A volume without copies to heal (distribute) says so once.
    logger().info("not following self-heal of {}: {}", volume_, e.what());
    heal_known_ = false;
  }
}

}  // namespace gfbench::app
