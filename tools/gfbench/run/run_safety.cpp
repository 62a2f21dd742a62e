#include "run/run_safety.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "gfbench/units.hpp"
#include "gfbench/watchdog.hpp"

namespace gfbench::app {

std::string describe_bytes(std::uint64_t bytes) {
  static constexpr const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024.0 && unit < 6) {
    value /= 1024.0;
    ++unit;
  }
  char buf[64];
  if (unit == 0) {
    std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(bytes));
  } else {
    std::snprintf(buf, sizeof buf, "%.1f %s (%llu bytes)", value, units[unit],
                  static_cast<unsigned long long>(bytes));
  }
  return buf;
}

std::vector<space_verdict> assess_free_space(const std::vector<target*>& targets,
                                             const benchmark_matrix& matrix, bool keep) {
  const std::uint64_t per_target = bytes_needed(matrix, keep);
  struct group {
    space_info space;
    space_verdict verdict;
  };
  std::vector<group> groups;
  for (target* t : targets) {
    const space_info space = t->statvfs();
    group* same = nullptr;
    if (keep) {
      for (auto& g : groups) {
        if (g.space.total_bytes == space.total_bytes && g.space.total_files == space.total_files) {
          same = &g;
        }
      }
    }
    if (same != nullptr) {
      same->verdict.targets += ", " + t->describe();
      same->verdict.need = same->verdict.need > UINT64_MAX - per_target
                               ? UINT64_MAX
                               : same->verdict.need + per_target;
      same->space.available_bytes = std::min(same->space.available_bytes, space.available_bytes);
      same->verdict.available = same->space.available_bytes;
      continue;
    }
    groups.push_back({space, {t->describe(), per_target, 0, space.available_bytes}});
  }
  std::vector<space_verdict> verdicts;
  for (auto& g : groups) {
    g.verdict.required = free_space_required(g.verdict.need);
    verdicts.push_back(g.verdict);
  }
  return verdicts;
}

void check_free_space(const std::vector<target*>& targets, const benchmark_matrix& matrix,
                      bool keep) {
  if (bytes_needed(matrix, keep) == 0) return;
  for (const auto& v : assess_free_space(targets, matrix, keep)) {
    if (v.enough()) continue;
    throw std::runtime_error(
        "not enough free space on " + v.targets + ": the run needs " + describe_bytes(v.need) +
        " of files" + (keep ? " (--keep: every case's file stays)" : " (its largest file)") + ", " +
        describe_bytes(v.required) + " with the margin, and " + describe_bytes(v.available) +
        " is available; nothing was written. Use smaller --sizes, fewer cases" +
        (keep ? ", no --keep" : "") + ", or free some space");
  }
}

void check_free_space(const std::vector<target*>& targets, const metadata_matrix& matrix) {
  const std::uint64_t each = bytes_needed(matrix);
  const std::uint64_t inodes = inodes_needed(matrix);
  const std::uint64_t bytes = free_space_required(each * targets.size());
  const std::uint64_t files = inodes * targets.size();
  for (target* t : targets) {
    const space_info space = t->statvfs();
    if (space.available_bytes < bytes) {
      throw std::runtime_error("not enough free space on " + t->describe() +
                               ": the metadata phases need " + describe_bytes(bytes) +
                               " with the margin (every target's tree at once), and " +
                               describe_bytes(space.available_bytes) +
                               " is available; nothing was written. Use fewer --file-count, "
                               "smaller --sizes, or free some space");
    }
    if (space.total_files > 0 && space.free_files < files) {
      throw std::runtime_error("not enough free inodes on " + t->describe() +
                               ": the metadata phases need " + std::to_string(files) + ", and " +
                               std::to_string(space.free_files) +
                               " are free; nothing was written. Use fewer --file-count or "
                               "--threads");
    }
  }
}

namespace {
std::function<void()>& exit_hook() {
  static auto* hook = new std::function<void()>;  // read on the watchdog thread at exit
  return *hook;
}
}  // namespace

void watch_operations(std::chrono::milliseconds op_timeout, std::function<void()> before_exit) {
  exit_hook() = std::move(before_exit);
  watchdog_options o;
  o.op_timeout = op_timeout;
  o.give_up_after = op_timeout * 2;
  o.on_give_up = [](const hang_report& r) {
    std::fflush(stdout);
    std::string where = r.path.empty() ? std::string() : " path=" + r.path;
    if (r.offset) where += " offset=" + std::to_string(*r.offset);
    std::fprintf(stderr,
                 "gfbench: giving up: %s on %s%s has not returned after %.1f s (twice the "
                 "operation timeout); a brick does not answer. Exiting with status 1 without "
                 "cleaning up that target.\n",
                 r.operation.c_str(), r.target.c_str(), where.c_str(),
                 static_cast<double>(r.waited.count()) / 1000.0);
    if (!r.leftover.empty()) {
      std::fprintf(stderr, "gfbench: left behind on %s: %s (remove it once the volume answers)\n",
                   r.target.c_str(), r.leftover.c_str());
    }
    std::fflush(stderr);
    if (exit_hook()) exit_hook()();
    std::_Exit(1);
  };
  configure_watchdog(std::move(o));
}

}  // namespace gfbench::app
