#pragma once
// The steps of a run that every rank takes together under mpirun
// (client_group.hpp): one scratch directory for the job, made by rank 0
// and holding each rank's own; the ranks' scratch areas shared, for
// reordered reads and for rank 0 to sweep what a rank could not remove;
// the ranks' failures gathered for rank 0 to report; one exit status.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "gfbench/scratch.hpp"
#include "gfbench/suite.hpp"
#include "gfbench/target.hpp"
#include "group/client_group.hpp"
#include "results/results_collector.hpp"

namespace gfbench::app {

/// Runs `step` on every rank and agrees on how it went: throws
/// std::runtime_error naming each rank whose step failed (and its error)
/// on every rank.
void step_together(client_group& group, const std::function<void()>& step);

/// The scratch root of every rank's areas: `<root>/job-<host>-<pid>-<time>`,
/// named by rank 0 and made there when rank 0 registers its cases (the
/// scratch areas record it and remove it once empty).
[[nodiscard]] std::string job_scratch_root(client_group& group, const std::string& root);

/// The file tag of a rank's cases: "rank<N>".
[[nodiscard]] std::string rank_tag(int rank);

/// Every rank's scratch area on each target, by target label.
struct rank_areas {
  struct area {
    std::string file_system;  ///< target_file_system() of the target
    std::string path;         ///< inside the target
  };
  std::vector<std::map<std::string, area>> by_rank;
};

/// What a target's paths are paths of, the same on every rank that reaches
/// the same files: "gluster:VOLUME:/SUBDIR" for libgfapi (SUBDIR empty) and
/// for a directory on a Gluster FUSE mount, whatever the mount point;
/// "dir:HOST:PATH" for any other directory.
[[nodiscard]] std::string target_file_system(const std::string& host, const std::string& volume,
                                             const std::string& posix_directory);

/// Shares the scratch areas the suite made on `targets` (after registering);
/// `file_systems` are target_file_system() of each, by label.
[[nodiscard]] rank_areas share_areas(client_group& group, suite& cases,
                                     const std::vector<target*>& targets,
                                     const std::map<std::string, std::string>& file_systems);

/// For suite::set_client: the file of rank (rank + shift) mod size of the
/// same case, once every rank has laid out its own (it waits for them).
[[nodiscard]] std::function<std::string(const scratch_area&, const std::string&)> reordered_reads(
    client_group& group, const rank_areas& areas, unsigned shift);

/// Rank 0: what failed on the other ranks, "rank R (host): CASE: MESSAGE";
/// the others get nothing back.
[[nodiscard]] std::vector<std::string> gather_failures(client_group& group,
                                                       const results_collector& reporter);

/// Removes the scratch areas, the other ranks' before rank 0's (which
/// holds the job's directory); rank 0 then sweeps what a rank could not
/// remove (it failed, or the group broke): the files of that rank's cases
/// in its area, and the area. Returns false when something stayed.
bool clean_up_together(client_group& group, suite* cases, const rank_areas& areas,
                       const std::vector<target*>& targets);

/// The exit status of the run: the largest of the ranks' own.
[[nodiscard]] int agree_status(client_group& group, int status);

}  // namespace gfbench::app
