#include "gluster/fop_stats.hpp"

#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <utility>

#include "common/app_log.hpp"
#include "common/counter_names.hpp"
#include "gfbench/error.hpp"
#include "gfbench/suite.hpp"
#include "gfbench/target.hpp"

namespace gfbench::app {
namespace {

// Where io-stats writes a dump asked for by setxattr: glusterfs's
// DEFAULT_VAR_RUN_DIRECTORY, in the client process's mount namespace.
constexpr const char* dump_dir = "/var/run/gluster";
constexpr const char* dump_xattr = "trusted.io-stats-dump";

// Unique per process and dump, so that concurrent runs never read each
// other's dumps. io-stats appends ".<its translator name>".
std::string next_dump_name() {
  static std::atomic<unsigned> counter{0};
  return "gfbench-fop-" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1));
}

// Reads and removes the dump(s) named `name`.*.
client_stats take_dump(const std::string& name) {
  namespace fs = std::filesystem;
  std::vector<fs::path> found;
  std::error_code ec;
  for (fs::directory_iterator it(dump_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string file = it->path().filename().string();
    if (file.size() > name.size() && file.starts_with(name + ".")) found.push_back(it->path());
  }
  if (found.empty()) {
    throw profile_error("the client wrote no io-stats dump " + std::string(dump_dir) + "/" + name +
                        ".* (is " + dump_dir + " there, in the client's mount namespace?)");
  }
  std::sort(found.begin(), found.end());
  std::ifstream in(found.front());
  std::stringstream text;
  text << in.rdbuf();
  for (const auto& f : found) fs::remove(f, ec);
  return parse_client_dump(text.str());
}

client_stats& operator+=(client_stats& a, const client_stats& b) {
  a.bytes_read += b.bytes_read;
  a.bytes_written += b.bytes_written;
  for (const auto& [name, f] : b.fops) {
    auto& mine = a.fops[name];
    mine.calls += f.calls;
    mine.total_latency_ns += f.total_latency_ns;
  }
  return a;
}

class gfapi_source final : public client_stats_source {
 public:
  explicit gfapi_source(volume main)
      : main_(std::move(main)), cold_(volume::connect(uncached_volume_options(main_.options()))) {}

  client_stats dump() override {
    client_stats total = dump_one(main_);
    total += dump_one(cold_);
    return total;
  }

 private:
  static client_stats dump_one(volume& v) {
    const std::string name = next_dump_name();
    v.set_xattr("/", dump_xattr, name);
    return take_dump(name);
  }

  volume main_;
  volume cold_;  // the same glfs_t as the target's cold reads (equal options)
};

class fuse_source final : public client_stats_source {
 public:
  explicit fuse_source(std::filesystem::path mountpoint) : mountpoint_(std::move(mountpoint)) {}

  client_stats dump() override {
    const std::string name = next_dump_name();
    if (::setxattr(mountpoint_.c_str(), dump_xattr, name.data(), name.size(), 0) != 0) {
      const int e = errno;
      throw io_error(e, {.operation = "setxattr",
                         .volume = mountpoint_.string(),
                         .path = "/",
                         .hint = std::string("attribute ") + dump_xattr +
                                 ": is this a GlusterFS FUSE mount, and are we root?"});
    }
    return take_dump(name);
  }

 private:
  std::filesystem::path mountpoint_;
};

}  // namespace

client_stats parse_client_dump(std::string_view text) {
  const std::size_t start = text.find("=== Cumulative stats ===");
  if (start == std::string_view::npos) {
    throw profile_error("io-stats dump without a \"=== Cumulative stats ===\" block");
  }
  std::string_view block = text.substr(start);
  if (const std::size_t next = block.find("=== Interval", 1); next != std::string_view::npos) {
    block = block.substr(0, next);
  }
  client_stats stats;
  bool in_table = false;
  bool saw_bytes = false;
  std::istringstream lines{std::string(block)};
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string first;
    if (!(words >> first)) continue;
    if (!in_table) {
      std::string colon;
      std::uint64_t value = 0;
      if ((first == "BytesRead" || first == "BytesWritten") && (words >> colon >> value) &&
          colon == ":") {
        (first == "BytesRead" ? stats.bytes_read : stats.bytes_written) = value;
        saw_bytes = true;
      }
      if (first == "---") in_table = true;  // the dashes under "Fop  Call Count ..."
      continue;
    }
    if (first.starts_with("------")) break;  // end of the table
    std::uint64_t calls = 0;
    double avg = 0;
    std::string unit;
    if (!(words >> calls >> avg >> unit)) {
      throw profile_error("io-stats dump: cannot read the line \"" + line + "\"");
    }
    // Latencies are nanoseconds, whatever the "us" after them says.
    stats.fops[first] = {calls, avg * static_cast<double>(calls)};
  }
  if (!saw_bytes) throw profile_error("io-stats dump: no BytesRead / BytesWritten lines");
  return stats;
}

client_stats client_difference(const client_stats& before, const client_stats& after) {
  const auto back = [] {
    return profile_error(
        "the client's io-stats counters went back: it switched to a new graph meanwhile (a "
        "volume option changed?)");
  };
  if (after.bytes_read < before.bytes_read || after.bytes_written < before.bytes_written) {
    throw back();
  }
  client_stats d;
  d.bytes_read = after.bytes_read - before.bytes_read;
  d.bytes_written = after.bytes_written - before.bytes_written;
  for (const auto& [name, b] : before.fops) {
    const auto it = after.fops.find(name);
    if (it == after.fops.end() || it->second.calls < b.calls) throw back();
  }
  for (const auto& [name, a] : after.fops) {
    const auto old = before.fops.find(name);
    const fop_counts was = old == before.fops.end() ? fop_counts{} : old->second;
    if (a.calls == was.calls) continue;
    d.fops[name] = {a.calls - was.calls, std::max(0.0, a.total_latency_ns - was.total_latency_ns)};
  }
  return d;
}

std::vector<xlator_option> client_stats_xlator_options(std::string_view volume) {
  return {{std::string(volume), "latency-measurement", "on"},
          {std::string(volume), "count-fop-hits", "on"}};
}

std::unique_ptr<client_stats_source> make_gfapi_stats_source(volume main) {
  return std::make_unique<gfapi_source>(std::move(main));
}

std::unique_ptr<client_stats_source> make_fuse_stats_source(std::filesystem::path mountpoint) {
  return std::make_unique<fuse_source>(std::move(mountpoint));
}

std::optional<std::chrono::milliseconds> wait_until_fuse_client_counts(
    const std::filesystem::path& directory, std::chrono::milliseconds timeout) {
  using clock = std::chrono::steady_clock;
  fuse_source client(directory);
  const auto started = clock::now();
  for (unsigned probe = 0;; ++probe) {
    // A new name each time: the kernel may remember that a name it looked
    // up does not exist, and then the client never sees the lookup.
    const auto name = directory / (".gfbench-profile-probe-" + std::to_string(::getpid()) + "-" +
                                   std::to_string(probe));
    struct stat st {};
    (void)::lstat(name.c_str(), &st);  // ENOENT: the lookup is what counts
    const client_stats now = client.dump();
    if (const auto it = now.fops.find("LOOKUP"); it != now.fops.end() && it->second.calls > 0) {
      return std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - started);
    }
    if (clock::now() - started >= timeout) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

fop_stats_observer::fop_stats_observer(
    std::map<std::string, std::unique_ptr<client_stats_source>> sources)
    : pass_difference_observer("client FOP counters"), sources_(std::move(sources)) {}

bool fop_stats_observer::begin_case(const case_info& c) {
  const auto it = sources_.find(c.target_label);
  current_ = it == sources_.end() ? nullptr : it->second.get();
  before_.reset();
  total_ = {};
  return current_ != nullptr;
}

void fop_stats_observer::take_before() { before_ = current_->dump(); }

void fop_stats_observer::take_after() {
  total_ += client_difference(*before_, current_->dump());
  before_.reset();
}

void fop_stats_observer::report(const case_info& c, benchmark::State& state, double passes) {
  if (total_.fops.empty() && total_.bytes_read + total_.bytes_written > 0 && !said_counts_off_) {
    said_counts_off_ = true;
    logger().warn(
        "{}: the client's io-stats moved bytes but counted no calls: its latency-measurement and "
        "count-fop-hits options are off (`gluster volume profile VOLUME start` turns them on)",
        c.name);
  }
  for (const auto& [name, f] : total_.fops) {
    if (f.calls == 0 || name == "SETXATTR") continue;
    state.counters[fop_counter_name("fop_", name, "_calls")] =
        benchmark::Counter(static_cast<double>(f.calls) / passes);
    state.counters[fop_counter_name("fop_", name, "_avg_us")] = benchmark::Counter(f.avg_us());
  }
}

}  // namespace gfbench::app
