#include "run_observers.hpp"

#include "brick_observer.hpp"

#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

#include "util/log.hpp"

namespace gfbench::detail {
namespace {

// mountinfo escapes space, tab, newline and backslash as \ooo.
std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size()) {
      const std::string_view oct = s.substr(i + 1, 3);
      if (oct.find_first_not_of("01234567") == std::string_view::npos) {
        out += static_cast<char>((oct[0] - '0') * 64 + (oct[1] - '0') * 8 + (oct[2] - '0'));
        i += 3;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

// `dir` is `mount` or below it, component by component.
bool is_under(const std::string& dir, const std::string& mount) {
  if (mount == "/") return true;
  return dir == mount || (dir.starts_with(mount) && dir[mount.size()] == '/');
}

}  // namespace

std::optional<std::string> gluster_fuse_volume_in(std::string_view mountinfo,
                                                  const std::filesystem::path& directory) {
  const std::string dir = directory.lexically_normal().string();
  std::string best_mount;
  std::string best_type;
  std::string best_source;
  std::istringstream lines{std::string(mountinfo)};
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::vector<std::string> fields;
    for (std::string w; words >> w;) fields.push_back(w);
    if (fields.size() < 7) continue;
    std::size_t dash = 6;
    while (dash < fields.size() && fields[dash] != "-") ++dash;
    if (dash + 2 >= fields.size()) continue;
    const std::string mount = unescape(fields[4]);
    if (!is_under(dir, mount) || mount.size() < best_mount.size()) continue;
    best_mount = mount;  // later lines stack over earlier ones on the same point
    best_type = fields[dash + 1];
    best_source = unescape(fields[dash + 2]);
  }
  if (best_type != "fuse.glusterfs") return std::nullopt;
  const std::size_t colon = best_source.find(':');
  if (colon == std::string::npos) return std::nullopt;
  std::string volume = best_source.substr(colon + 1);
  while (!volume.empty() && volume.front() == '/') volume.erase(0, 1);
  volume = volume.substr(0, volume.find('/'));  // HOST:/VOLUME/subdir
  if (volume.empty()) return std::nullopt;
  return volume;
}

std::optional<std::string> gluster_fuse_volume(const std::filesystem::path& directory) {
  std::error_code ec;
  const auto canonical = std::filesystem::canonical(directory, ec);
  std::ifstream in("/proc/self/mountinfo");
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return gluster_fuse_volume_in(text.str(), ec ? directory : canonical);
}

run_observers::~run_observers() { release(); }

void run_observers::start_profiler(std::unique_ptr<gluster_cli> cli, std::string volume,
                                   bool keep_running) {
  auto profiler = std::make_unique<brick_profiler>(std::move(cli), std::move(volume));
  if (keep_running) profiler->keep_running();
  profiler->start();
  profiler_ = std::move(profiler);
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
  if (profiler_ && options.volume == profiler_->volume()) brick_labels_.push_back(label);
  if (fop_stats_) fop_sources_[label] = make_gfapi_stats_source(volume::connect(options));
}

void run_observers::add_posix_target(const std::string& label,
                                     const std::filesystem::path& directory) {
  const auto volume = gluster_fuse_volume(directory);
  if (profiler_ && volume == profiler_->volume()) brick_labels_.push_back(label);
  if (!fop_stats_) return;
  if (volume) {
    fop_sources_[label] = make_fuse_stats_source(directory);
  } else {
    logger().info("--fop-stats: {} ({}) is no Gluster FUSE mount: no client counters for it",
                  label, directory.string());
  }
}

void run_observers::attach(suite& cases) {
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

}  // namespace gfbench::detail
