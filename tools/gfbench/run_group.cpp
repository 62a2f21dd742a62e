#include "run_group.hpp"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <ctime>
#include <exception>
#include <stdexcept>
#include <thread>

#include "app_log.hpp"
#include "gfbench/error.hpp"

namespace gfbench::app {
namespace {

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

// Rank 0's sweep of one rank's area: the files its cases make (named with
// its tag), then the directory, which a rank still winding down may keep
// busy a little longer.
bool sweep_area(target& where, const std::string& path, const std::string& tag) {
  auto& log = logger();
  const std::string suffix = "." + tag;
  for (int attempt = 0;; ++attempt) {
    try {
      for (const dir_entry& e : where.list(path)) {
        if (e.type != file_type::regular || !e.name.ends_with(suffix)) continue;
        try {
          where.unlink(path + "/" + e.name);
        } catch (const io_error& gone) {
          if (gone.code().value() != ENOENT) throw;
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

}  // namespace

void step_together(client_group* group, const std::function<void()>& step) {
  if (group == nullptr) return step();
  std::string error;
  try {
    step();
  } catch (const std::exception& e) {
    error = e.what()[0] != '\0' ? e.what() : "failed";
  } catch (...) {
    error = "interrupted: stop requested (signal)";
  }
  const auto failed = group->agree(error);
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

rank_areas share_areas(client_group& group, suite& cases, const std::vector<target*>& targets) {
  std::string mine;
  for (target* t : targets) {
    const scratch_area& area = cases.scratch_for(*t);
    mine += t->label() + field_end + t->describe() + field_end + area.path() + record_end;
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
  for (std::size_t r = 1; r < areas.by_rank.size(); ++r) {
    if (!swept[r]) continue;
    for (target* t : targets) {
      const auto& own = areas.by_rank.front();
      const auto mine = own.find(t->label());
      const auto theirs = areas.by_rank[r].find(t->label());
      if (theirs == areas.by_rank[r].end()) continue;
      if (mine == own.end() || mine->second.target != theirs->second.target) {
        log.warn("rank {}'s area {} on {} is not reachable from rank 0: remove it there", r,
                 theirs->second.path, t->label());
        ok = false;
        continue;
      }
      ok = sweep_area(*t, theirs->second.path, rank_tag(static_cast<int>(r))) && ok;
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
