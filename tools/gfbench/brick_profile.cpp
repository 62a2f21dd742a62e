#include "brick_profile.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>

#include "gfbench/sandbox.hpp"
#include "gfbench/suite.hpp"
#include "util/gluster_xml.hpp"
#include "util/log.hpp"
#include "util/child_process.hpp"
#include "util/child_process.hpp"

namespace gfbench::detail {
namespace {

std::uint64_t to_u64(std::string_view within, std::string_view tag, std::string_view what) {
  const auto text = text_of(within, tag);
  std::uint64_t value = 0;
  if (text) {
    const char* end = text->data() + text->size();
    const auto [ptr, ec] = std::from_chars(text->data(), end, value);
    if (ec == std::errc{} && ptr == end) return value;
  }
  throw profile_error("gluster output: no whole number in <" + std::string(tag) + "> of " +
                      std::string(what));
}

double to_double(std::string_view within, std::string_view tag, std::string_view what) {
  const auto text = text_of(within, tag);
  double value = 0;
  if (text) {
    const char* end = text->data() + text->size();
    const auto [ptr, ec] = std::from_chars(text->data(), end, value);
    if (ec == std::errc{} && ptr == end) return value;
  }
  throw profile_error("gluster output: no number in <" + std::string(tag) + "> of " +
                      std::string(what));
}

// opRet 0, or a profile_error with gluster's own message.
void check_op(std::string_view xml, std::string_view command) {
  const auto ret = text_of(xml, "opRet");
  if (!ret) {
    throw profile_error("`gluster " + std::string(command) +
                        " --xml` printed no <opRet>: not the XML output expected");
  }
  if (*ret != "0") {
    const std::string message = text_of(xml, "opErrstr").value_or("");
    throw profile_error("`gluster " + std::string(command) + "` failed" +
                        (message.empty() ? " (opRet " + *ret + ")" : ": " + message));
  }
}

bool truthy(std::string_view v) {
  return v == "on" || v == "yes" || v == "true" || v == "enable" || v == "1";
}

bool went_back(const brick_stats& before, const brick_stats& after) {
  if (after.duration_s < before.duration_s || after.bytes_read < before.bytes_read ||
      after.bytes_written < before.bytes_written) {
    return true;
  }
  for (const auto& [name, b] : before.fops) {
    const auto it = after.fops.find(name);
    if (it == after.fops.end() || it->second.calls < b.calls) return true;
  }
  return false;
}

// Runs `argv` with posix_spawn (spawn_capture.hpp: a fork between two
// timed passes would slow the next one down).
std::string run_gluster(const std::vector<std::string>& argv) {
  spawn_result result;
  try {
    result = spawn_capture(argv, std::chrono::seconds(60));
  } catch (const std::exception& e) {
    throw profile_error(e.what());
  }
  if (!result.ok()) throw profile_error(describe_spawn_failure(argv, result));
  return result.out;
}

// The sandbox's CLI: node 0's glusterd over its unix socket, run in that
// glusterd's mount namespace (nsenter --mount), where the sandbox puts a
// stub in place of gsyncd: the gluster CLI runs `gsyncd --version`, a
// Python start, on every call, which costs it 0.13-0.2 s instead of 0.02 s.
// sandbox_state.hpp has the layout. If the socket or glusterd's pid file is
// not where expected, sandbox::gluster (which forks) does it.
class sandbox_cli final : public gluster_cli {
 public:
  explicit sandbox_cli(sandbox& box)
      : box_(box),
        base_(box.base_dir()),
        socket_(base_ / "node0" / "glusterd" / "gd.sock"),
        log_(base_ / "node0" / "log" / "cli.log") {}
  std::string run(const std::vector<std::string>& args) override {
    const std::optional<std::string> pid = glusterd_pid();
    if (!pid) {
      try {
        return box_.gluster(args);
      } catch (const std::exception& e) {
        throw profile_error(e.what());
      }
    }
    std::vector<std::string> argv{"nsenter",
                                  "--target",
                                  *pid,
                                  "--mount",
                                  "gluster",
                                  "--mode=script",
                                  "--wignore",
                                  "--glusterd-sock=" + socket_.string(),
                                  "--log-file=" + log_.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_gluster(argv);
  }
  std::string describe() const override { return "the sandbox's gluster CLI"; }

 private:
  // Node 0's glusterd, if it runs and is the sandbox's (its command line
  // names the base directory: a reused pid would not).
  std::optional<std::string> glusterd_pid() const {
    std::error_code ec;
    if (!std::filesystem::exists(socket_, ec)) return std::nullopt;
    std::ifstream pid_file(base_ / "node0" / "glusterd.pid");
    std::string pid;
    if (!(pid_file >> pid) || pid.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
    }
    std::ifstream cmdline("/proc/" + pid + "/cmdline");
    std::string text((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
    if (text.find(base_.string() + "/") == std::string::npos) return std::nullopt;
    return pid;
  }

  sandbox& box_;
  std::filesystem::path base_;
  std::filesystem::path socket_;
  std::filesystem::path log_;
};

class command_cli final : public gluster_cli {
 public:
  explicit command_cli(std::vector<std::string> prefix) : prefix_(std::move(prefix)) {
    if (prefix_.empty()) throw std::invalid_argument("gluster CLI command is empty");
  }
  std::string run(const std::vector<std::string>& args) override {
    std::vector<std::string> argv = prefix_;
    argv.emplace_back("--mode=script");
    argv.insert(argv.end(), args.begin(), args.end());
    return run_gluster(argv);
  }
  std::string describe() const override { return "`" + quote_command_line(prefix_) + "`"; }

 private:
  std::vector<std::string> prefix_;
};

}  // namespace

brick_interval& brick_interval::operator+=(const brick_interval& other) {
  bytes_read += other.bytes_read;
  bytes_written += other.bytes_written;
  for (const auto& [name, f] : other.fops) {
    auto& mine = fops[name];
    mine.calls += f.calls;
    mine.total_latency_ns += f.total_latency_ns;
  }
  bricks = std::max(bricks, other.bricks);
  return *this;
}

profile_snapshot parse_profile_xml(std::string_view xml) {
  check_op(xml, "volume profile VOLUME info");
  const auto profile = find_element(xml, "volProfile");
  if (!profile) throw profile_error("gluster profile output has no <volProfile>");
  profile_snapshot snapshot;
  for (const std::string_view brick : find_elements(profile->inner, "brick")) {
    brick_stats b;
    b.brick = text_of(brick, "brickName").value_or("");
    if (b.brick.empty()) throw profile_error("gluster profile output: a <brick> without a name");
    auto stats = find_element(brick, "cumulativeStats");
    if (!stats) stats = find_element(brick, "intervalStats");
    if (!stats) throw profile_error("gluster profile output: no stats for brick " + b.brick);
    const std::string_view s = stats->inner;
    b.duration_s = to_u64(s, "duration", b.brick);
    b.bytes_read = to_u64(s, "totalRead", b.brick);
    b.bytes_written = to_u64(s, "totalWrite", b.brick);
    if (const auto fop_stats = find_element(s, "fopStats")) {
      for (const std::string_view fop : find_elements(fop_stats->inner, "fop")) {
        const std::string name = text_of(fop, "name").value_or("");
        if (name.empty()) throw profile_error("gluster profile output: a <fop> without a name");
        fop_counts counts;
        counts.calls = to_u64(fop, "hits", b.brick + " " + name);
        counts.total_latency_ns =
            to_double(fop, "avgLatency", b.brick + " " + name) * static_cast<double>(counts.calls);
        b.fops[name] = counts;
      }
    }
    snapshot.bricks.push_back(std::move(b));
  }
  return snapshot;
}

brick_interval profile_difference(const profile_snapshot& before, const profile_snapshot& after) {
  const auto find = [](const profile_snapshot& s, const std::string& name) {
    return std::find_if(s.bricks.begin(), s.bricks.end(),
                        [&](const brick_stats& b) { return b.brick == name; });
  };
  for (const brick_stats& b : before.bricks) {
    if (find(after, b.brick) == after.bricks.end()) {
      throw profile_error("brick " + b.brick +
                          " did not answer the second profile snapshot (offline?)");
    }
  }
  for (const brick_stats& a : after.bricks) {
    if (find(before, a.brick) == before.bricks.end()) {
      throw profile_error("brick " + a.brick +
                          " did not answer the first profile snapshot (it was offline)");
    }
  }
  brick_interval d;
  for (const brick_stats& b : before.bricks) {
    const auto it = find(after, b.brick);
    if (went_back(b, *it)) {
      throw profile_error("the counters of brick " + b.brick +
                          " went back: it restarted, or its profile was cleared, meanwhile");
    }
    d.bytes_read += it->bytes_read - b.bytes_read;
    d.bytes_written += it->bytes_written - b.bytes_written;
    for (const auto& [name, a] : it->fops) {
      const auto old = b.fops.find(name);
      const fop_counts was = old == b.fops.end() ? fop_counts{} : old->second;
      if (a.calls == was.calls) continue;
      auto& f = d.fops[name];
      f.calls += a.calls - was.calls;
      f.total_latency_ns += std::max(0.0, a.total_latency_ns - was.total_latency_ns);
    }
  }
  d.bricks = after.bricks.size();
  return d;
}

volume_layout parse_volume_info_xml(std::string_view xml, std::string_view volume) {
  check_op(xml, "volume info");
  const auto volumes = find_element(xml, "volumes");
  if (volumes) {
    for (const std::string_view v : find_elements(volumes->inner, "volume")) {
      if (text_of(v, "name").value_or("") != volume) continue;
      volume_layout layout;
      layout.type = text_of(v, "typeStr").value_or("");
      const std::string what = "volume " + std::string(volume);
      layout.bricks = to_u64(v, "brickCount", what);
      const auto replica = to_u64(v, "replicaCount", what);
      const auto disperse = text_of(v, "disperseCount") ? to_u64(v, "disperseCount", what) : 0;
      const auto redundancy =
          text_of(v, "redundancyCount") ? to_u64(v, "redundancyCount", what) : 0;
      if (disperse > redundancy && disperse > 0) {
        layout.write_copies =
            static_cast<double>(disperse) / static_cast<double>(disperse - redundancy);
      } else if (replica > 1) {
        layout.write_copies = static_cast<double>(replica);
      }
      bool latency = false;
      bool hits = false;
      if (const auto options = find_element(v, "options")) {
        for (const std::string_view o : find_elements(options->inner, "option")) {
          const std::string name = text_of(o, "name").value_or("");
          const std::string value = text_of(o, "value").value_or("");
          if (name == "diagnostics.latency-measurement") latency = truthy(value);
          if (name == "diagnostics.count-fop-hits") hits = truthy(value);
        }
      }
      layout.profiling = latency && hits;
      return layout;
    }
  }
  throw profile_error("`gluster volume info " + std::string(volume) +
                      "` does not list that volume");
}

std::unique_ptr<gluster_cli> make_sandbox_cli(sandbox& box) {
  return std::make_unique<sandbox_cli>(box);
}

std::unique_ptr<gluster_cli> make_command_cli(std::vector<std::string> prefix) {
  return std::make_unique<command_cli>(std::move(prefix));
}

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
  return parse_profile_xml(cli_->run({"volume", "profile", volume_, "info", "cumulative", "--xml"}));
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

std::string fop_counter_name(std::string_view prefix, std::string_view fop,
                             std::string_view suffix) {
  std::string name(prefix);
  for (const char c : fop) name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  name += suffix;
  return name;
}

brick_observer::brick_observer(brick_profiler& profiler, std::vector<std::string> target_labels,
                               bool fop_detail)
    : profiler_(profiler), labels_(std::move(target_labels)), fop_detail_(fop_detail) {}

void brick_observer::before_case(const case_info& c) {
  covered_ = std::find(labels_.begin(), labels_.end(), c.target_label) != labels_.end();
  before_.reset();
  total_ = {};
  passes_ = 0;
  error_.clear();
}

void brick_observer::before_pass(const case_info& /*c*/) {
  if (!covered_ || !error_.empty()) return;
  try {
    before_ = profiler_.snapshot();
  } catch (const std::exception& e) {
    error_ = e.what();
  }
}

void brick_observer::after_pass(const case_info& /*c*/) {
  if (!covered_ || !error_.empty() || !before_) return;
  try {
    const profile_snapshot after = profiler_.snapshot();
    total_ += profile_difference(*before_, after);
    ++passes_;
  } catch (const std::exception& e) {
    error_ = e.what();
  }
  before_.reset();
}

void brick_observer::after_case(const case_info& c, benchmark::State& state) {
  if (!covered_) return;
  if (!error_.empty()) {
    constexpr int loud = 3;
    if (++warnings_ <= loud) {
      logger().warn("{}: no brick counters: {}{}", c.name, error_,
                    warnings_ == loud ? " (further ones at debug level)" : "");
    } else {
      logger().debug("{}: no brick counters: {}", c.name, error_);
    }
    return;
  }
  if (passes_ == 0 || state.error_occurred()) return;
  const auto passes = static_cast<double>(passes_);
  state.counters[brick_read_bytes_counter] =
      benchmark::Counter(static_cast<double>(total_.bytes_read) / passes);
  state.counters[brick_write_bytes_counter] =
      benchmark::Counter(static_cast<double>(total_.bytes_written) / passes);
  if (profiler_.layout().write_copies != 1) {
    state.counters[brick_copies_counter] = benchmark::Counter(profiler_.layout().write_copies);
  }
  if (!fop_detail_) return;
  for (const auto& [name, f] : total_.fops) {
    if (f.calls == 0) continue;
    state.counters[fop_counter_name("brick_", name, "_calls")] =
        benchmark::Counter(static_cast<double>(f.calls) / passes);
    state.counters[fop_counter_name("brick_", name, "_avg_us")] = benchmark::Counter(f.avg_us());
  }
}

}  // namespace gfbench::detail
