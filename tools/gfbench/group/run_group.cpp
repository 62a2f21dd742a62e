#include "group/run_group.hpp"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <ctime>
#include <exception>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "common/app_log.hpp"
#include "gfbench/error.hpp"
#include "gluster/mounts.hpp"

namespace gfbench::app {
namespace {

namespace fs = std::filesystem;

std::string describe(const std::vector<rank_failure>& failed) {
  std::string out;
  for (const auto& f : failed) {
    out += (out.empty() ? "" : "; ") + std::string("rank ") + std::to_string(f.rank) + " (" +
           f.host + "): " + f.message;
  }
  return out;
}

// Fields of shared records: unit and record separators, which no path,
// label or message holds.
constexpr char field_end = '\x1f';
constexpr char record_end = '\x1e';

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (from < text.size()) {
    const std::size_t at = text.find(separator, from);
    out.push_back(text.substr(from, at == std::string::npos ? std::string::npos : at - from));
    if (at == std::string::npos) break;
    from = at + 1;
  }
  return out;
}

bool is_errno(const std::exception& e, int value) {
  const auto* io = dynamic_cast<const io_error*>(&e);
  return io != nullptr && io->code().value() == value;
}

// Rank 0's sweep of one rank's area, by manifest as every removal is:
// the files that rank's cases make (rank 0's own names with the rank's
// tag), then the directory, which a rank still winding down may keep busy
// a little longer. Nothing is listed to decide what to remove.
bool sweep_area(target& where, const std::string& path, const std::vector<std::string>& names) {
  auto& log = logger();
  for (int attempt = 0;; ++attempt) {
    try {
      for (const std::string& name : names) {
        try {
          where.unlink(path + "/" + name);
        } catch (const io_error& gone) {
          if (gone.errno_value() != ENOENT) throw;
        }
      }
      where.rmdir(path);
      log.info("removed {} on {}, which its rank left", path, where.label());
      return true;
    } catch (const std::exception& e) {
      if (is_errno(e, ENOENT)) return true;  // the rank removed it itself
      if (attempt >= 5) {
        log.error("could not remove {} on {}: {}", path, where.label(), e.what());
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

// Rank 0's case file names on `where`, as rank `rank` names them.
std::vector<std::string> names_of_rank(const suite& cases, const target& where, int rank) {
  const std::string own = "." + rank_tag(0);
  std::vector<std::string> names;
  for (const std::string& name : cases.case_file_names(where)) {
    if (name.ends_with(own)) {
      names.push_back(name.substr(0, name.size() - own.size()) + "." + rank_tag(rank));
    }
  }
  return names;
}

}  // namespace

void step_together(client_group& group, const std::function<void()>& step) {
  std::string error;
  try {
    step();
  } catch (const std::exception& e) {
    error = e.what()[0] != '\0' ? e.what() : "failed";
  } catch (...) {
    error = "interrupted: stop requested (signal)";
  }
  const auto failed = group.agree(error);
  if (!failed.empty()) throw std::runtime_error(describe(failed));
}

std::string job_scratch_root(client_group& group, const std::string& root) {
  std::string name;
  if (group.rank() == 0) {
    name = "job-" + group.host() + "-" + std::to_string(::getpid()) + "-" +
           std::to_string(static_cast<long long>(std::time(nullptr)));
  }
  name = group.broadcast(name);
  return (root == "/" ? std::string() : root) + "/" + name;
}

std::string rank_tag(int rank) { return "rank" + std::to_string(rank); }

std::string target_file_system(const std::string& host, const std::string& volume,
                               const std::string& posix_directory) {
  if (posix_directory.empty()) return "gluster:" + volume + ":/";
  std::error_code ec;
  const fs::path dir = fs::weakly_canonical(posix_directory, ec);
  if (!ec) {
    if (const auto mount = find_gluster_fuse_mount(dir)) {
      const fs::path inside = dir.lexically_relative(mount->mount_point);
      return "gluster:" + mount->volume + ":/" + (inside == "." ? std::string() : inside.string());
    }
  }
  return "dir:" + host + ":" + (ec ? posix_directory : dir.string());
}

rank_areas share_areas(client_group& group, suite& cases, const std::vector<target*>& targets,
                       const std::map<std::string, std::string>& file_systems) {
  std::string mine;
  for (target* t : targets) {
    const scratch_area& area = cases.scratch_for(*t);
    const auto fs_of = file_systems.find(t->label());
    const std::string file_system =
        fs_of != file_systems.end() ? fs_of->second : "target:" + t->describe();
    mine += t->label() + field_end + file_system + field_end + area.path() + record_end;
  }
  rank_areas out;
  for (const std::string& text : group.share(mine)) {
    auto& areas = out.by_rank.emplace_back();
    for (const std::string& record : split(text, record_end)) {
      const auto fields = split(record, field_end);
      if (fields.size() == 3) areas[fields[0]] = {fields[1], fields[2]};
    }
  }
  return out;
}

std::function<std::string(const scratch_area&, const std::string&)> reordered_reads(
    client_group& group, const rank_areas& areas, unsigned shift) {
  const int peer = static_cast<int>((static_cast<unsigned>(group.rank()) + shift) %
                                    static_cast<unsigned>(group.size()));
  const std::string own_suffix = "." + rank_tag(group.rank());
  const std::string peer_suffix = "." + rank_tag(peer);
  return [&group, &areas, peer, own_suffix, peer_suffix](const scratch_area& own,
                                                         const std::string& name) {
    const auto& theirs = areas.by_rank.at(static_cast<std::size_t>(peer));
    const auto it = theirs.find(own.where().label());
    if (it == theirs.end()) {
      throw std::runtime_error("rank " + std::to_string(peer) + " has no target " +
                               own.where().label() + " to read from");
    }
    if (!name.ends_with(own_suffix)) {
      throw std::logic_error("case file " + name + " does not carry its rank's tag");
    }
    // Their lay-out is done once every rank has reached this point.
    group.wait_for_peers();
    return it->second.path + "/" + name.substr(0, name.size() - own_suffix.size()) + peer_suffix;
  };
}

std::vector<std::string> gather_failures(client_group& group, const results_collector& reporter) {
  std::string mine;
  for (const case_failure& f : reporter.failures()) {
    mine += f.name + field_end + f.message + record_end;
  }
  const auto all = group.share(mine);
  std::vector<std::string> out;
  if (group.rank() != 0) return out;
  for (std::size_t r = 1; r < all.size(); ++r) {
    std::size_t stopped = 0;
    for (const std::string& record : split(all[r], record_end)) {
      const auto fields = split(record, field_end);
      if (fields.size() != 2) continue;
      // A rank that failed a case because another did says nothing new;
      // after a stop request, how many is what counts.
      if (fields[1].find(followed_marker) != std::string::npos) continue;
      if (fields[1].starts_with("interrupted")) {
        ++stopped;
        continue;
      }
      out.push_back("rank " + std::to_string(r) + ": " + fields[0] + ": " + fields[1]);
    }
    if (stopped > 0) {
      out.push_back("rank " + std::to_string(r) + ": " + std::to_string(stopped) +
                    " repetitions not run or cut short after the stop request");
    }
  }
  return out;
}

bool clean_up_together(client_group& group, suite* cases, const rank_areas& areas,
                       const std::vector<target*>& targets) {
  auto& log = logger();
  bool ok = true;
  std::string error;
  if (group.rank() != 0 && cases != nullptr) {
    try {
      cases->cleanup();
    } catch (const std::exception& e) {
      error = e.what();
      log.error("{}", error);
      ok = false;
    }
  }
  std::vector<bool> swept(areas.by_rank.size(), group.broken());
  if (!group.broken()) {
    try {
      for (const auto& f : group.agree(error)) swept.at(static_cast<std::size_t>(f.rank)) = true;
    } catch (const std::exception& e) {
      log.warn("the ranks did not all report their clean-up ({}): rank 0 sweeps their areas",
               e.what());
      swept.assign(swept.size(), true);
    }
  }
  if (group.rank() != 0) return ok;
  // Rank 0's target on each file system: the way to another rank's area
  // there, whatever that rank's own target was called.
  const auto& own = areas.by_rank.front();
  const auto reach = [&](const std::string& file_system) -> target* {
    for (target* t : targets) {
      const auto it = own.find(t->label());
      if (it != own.end() && it->second.file_system == file_system) return t;
    }
    return nullptr;
  };
  for (std::size_t r = 1; r < areas.by_rank.size(); ++r) {
    if (!swept[r]) continue;
    for (target* t : targets) {
      const auto theirs = areas.by_rank[r].find(t->label());
      if (theirs == areas.by_rank[r].end()) continue;
      target* way = reach(theirs->second.file_system);
      if (way == nullptr) {
        log.warn("rank {}'s area {} on {} is not reachable from rank 0: remove it there", r,
                 theirs->second.path, theirs->second.file_system);
        ok = false;
        continue;
      }
      const auto names = cases != nullptr ? names_of_rank(*cases, *t, static_cast<int>(r))
                                          : std::vector<std::string>{};
      ok = sweep_area(*way, theirs->second.path, names) && ok;
    }
  }
  if (cases != nullptr) {
    try {
      cases->cleanup();
    } catch (const std::exception& e) {
      log.error("{}", e.what());
      ok = false;
    }
  }
  return ok;
}

int agree_status(client_group& group, int status) {
  if (group.broken()) return status;
  try {
    int most = status;
    for (const std::string& s : group.share(std::to_string(status))) {
      most = std::max(most, std::stoi(s));
    }
    return most;
  } catch (const std::exception&) {
    return status == 0 ? 1 : status;
  }
}

}  // namespace gfbench::app
