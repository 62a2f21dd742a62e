// The two client modes: gfbench alone, and gfbench as one rank of many.

#include "run/client_mode.hpp"

#include <cstdio>
#include <cstdlib>
#include <map>

#include "common/app_log.hpp"
#include "group/run_group.hpp"
#include "results/client_passes.hpp"

namespace gfbench::app {
namespace {

// Alone: every step is the plain one.
class one_client final : public client_mode {
 public:
  [[nodiscard]] bool speaks() const noexcept override { return true; }
  void adapt(cli_options& options) override {
    if (options.reorder_reads > 0) {
      throw usage_error(
          "--reorder-reads needs many clients: run gfbench under mpirun -np 2 or more");
    }
  }
  bool stop_for(const std::string& usage_problem) override {
    if (usage_problem.empty()) return false;
    std::fprintf(stderr, "gfbench: %s\n", usage_problem.c_str());
    return true;
  }
  void configure(spdlog::logger& /*log*/) const override {}
  void warn_early() const override {}
  void together(const std::function<void()>& step) override { step(); }
  [[nodiscard]] std::string scratch_root(const std::string& root) override { return root; }
  void register_all(suite& /*cases*/, const std::vector<target*>& /*targets*/,
                    const std::vector<target_place>& /*places*/,
                    const std::function<void()>& register_cases) override {
    register_cases();
  }
  void observe(suite& /*cases*/) override {}
  bool after_cases(const results_collector& /*reporter*/, suite* /*cases*/,
                   const std::vector<target*>& /*targets*/) override {
    return true;
  }
  [[nodiscard]] std::string summary() const override { return {}; }
  [[nodiscard]] std::vector<case_timeline> timelines() const override { return {}; }
  [[nodiscard]] std::string agree_on(const std::string& value) override { return value; }
  [[nodiscard]] bool failed_elsewhere() const noexcept override { return false; }
  bool before_tear_down(suite* /*cases*/, const std::vector<target*>& /*targets*/) override {
    return true;
  }
  void describe(report_context& /*context*/) const override {}
  [[nodiscard]] int exit_status(int own) override { return own; }
};

// One rank of many: the steps every rank takes together.
class many_clients final : public client_mode {
 public:
  explicit many_clients(client_group& group) : group_(group) {}

  [[nodiscard]] bool speaks() const noexcept override { return group_.rank() == 0; }

  void adapt(cli_options& options) override {
    expand_rank_paths(options);
    if (options.zero_config()) {
      throw usage_error(
          "under mpirun every rank needs the same volume: give --volume NAME --server HOST and/or "
          "--posix DIR (gfbench-sandbox --nodes 4 --replica-count 2 --fuse makes one to try)");
    }
    if (options.reorder_reads > 0 &&
        (group_.size() < 2 || options.reorder_reads % static_cast<unsigned>(group_.size()) == 0)) {
      throw usage_error("--reorder-reads " + std::to_string(options.reorder_reads) + " with " +
                        std::to_string(group_.size()) +
                        " ranks has every rank read its own files; use a shift that is not a "
                        "multiple of the rank count (mpirun -np 2 or more)");
    }
    reorder_reads_ = options.reorder_reads;
    if (group_.rank() != 0) {
      // Rank 0 writes the report and counts what reached the bricks: its
      // profile snapshots, taken outside the ranks' barriers, see every
      // rank's passes.
      options.report_dir.clear();
      options.profile = false;
      options.gluster_cli.clear();
      options.fop_stats = false;
    }
  }

  bool stop_for(const std::string& usage_problem) override {
    const auto failed = group_.agree(usage_problem);
    if (failed.empty()) return false;
    if (speaks()) {
      for (const auto& f : failed) {
        std::fprintf(stderr, "gfbench: rank %d (%s): %s\n", f.rank, f.host.c_str(),
                     f.message.c_str());
      }
    }
    return true;
  }

  void configure(spdlog::logger& log) const override {
    // Every rank's lines name it; the others say only what goes wrong.
    log.set_pattern("[%Y-%m-%d %H:%M:%S.%e] [gfbench rank " + std::to_string(group_.rank()) +
                    "] [%l] %v");
    if (!speaks() && log.level() < spdlog::level::warn) log.set_level(spdlog::level::warn);
  }

  // When a rank dies (or Ctrl-C reaches mpirun), mpirun sends the others
  // SIGTERM and, odls_base_sigkill_timeout seconds later (1 by default),
  // SIGKILL. The ranks remove their areas in between; one second is enough
  // after Ctrl-C, but not always for rank 0 to also remove what a dead rank
  // left. mpirun passes its --mca settings to the ranks as OMPI_MCA_*.
  void warn_early() const override {
    if (!speaks()) return;
    const char* value = std::getenv("OMPI_MCA_odls_base_sigkill_timeout");
    if (value != nullptr && std::atoi(value) >= 5) return;
    logger().warn(
        "mpirun kills the ranks {} s after a rank dies or Ctrl-C: too soon, at times, to remove "
        "what a dead rank left; run mpirun with --mca odls_base_sigkill_timeout 10",
        value != nullptr ? value : "1");
  }

  void together(const std::function<void()>& step) override { step_together(group_, step); }

  // Each rank has its own area in one directory of the job.
  [[nodiscard]] std::string scratch_root(const std::string& root) override {
    return job_scratch_root(group_, root);
  }

  void register_all(suite& cases, const std::vector<target*>& targets,
                    const std::vector<target_place>& places,
                    const std::function<void()>& register_cases) override {
    cases.set_client(rank_tag(group_.rank()), reorder_reads_ > 0
                                                  ? reordered_reads(group_, areas_, reorder_reads_)
                                                  : nullptr);
    // Rank 0 first: its areas make the job's directory the others' go in.
    together([&] {
      if (group_.rank() == 0) register_cases();
    });
    together([&] {
      if (group_.rank() != 0) register_cases();
    });
    std::map<std::string, std::string> file_systems;
    for (const target_place& p : places) {
      file_systems[p.label] = target_file_system(group_.host(), p.volume, p.posix_directory);
    }
    areas_ = share_areas(group_, cases, targets, file_systems);
  }

  // Last, so that its barriers are the closest to the timed passes.
  void observe(suite& cases) override { cases.add_observer(group_.pass_observer()); }
  [[nodiscard]] std::string agree_on(const std::string& value) override {
    return group_.broadcast(value);
  }
  [[nodiscard]] std::vector<case_timeline> timelines() const override {
    return group_.rank() == 0 ? group_.timelines() : std::vector<case_timeline>{};
  }

  // Before the summary: after Ctrl-C, mpirun gives the ranks a second
  // before SIGKILL, and the areas matter more than the table.
  bool after_cases(const results_collector& reporter, suite* cases,
                   const std::vector<target*>& targets) override {
    failed_ = gather_failures(group_, reporter);
    cleaned_up_ = true;
    return clean_up_together(group_, cases, areas_, targets);
  }

  // What every rank's passes add up to, and what failed on the other ranks
  // (rank 0's own failures are in its summary).
  [[nodiscard]] std::string summary() const override {
    std::string out = format_client_table(group_.passes(), group_.size(), group_.host_count(),
                                          group_.clock_note());
    if (!failed_.empty()) {
      out += "\nfailed on other ranks:\n";
      for (const std::string& line : failed_) out += "  " + line + "\n";
    }
    return out;
  }

  [[nodiscard]] bool failed_elsewhere() const noexcept override { return !failed_.empty(); }

  bool before_tear_down(suite* cases, const std::vector<target*>& targets) override {
    if (cleaned_up_) return true;
    cleaned_up_ = true;
    return clean_up_together(group_, cases, areas_, targets);
  }

  void describe(report_context& context) const override {
    context.ranks = group_.size();
    context.hosts = group_.host_count();
    context.clock_note = group_.clock_note();
    context.rank_passes = group_.passes();
  }

  [[nodiscard]] int exit_status(int own) override { return agree_status(group_, own); }

 private:
  // --posix DIR may differ per rank: %r in it becomes the rank, %h the
  // host's name (each hypervisor's own mount path).
  void expand_rank_paths(cli_options& options) const {
    for (auto& p : options.posix_targets) {
      const std::string text = p.directory.string();
      std::string out;
      for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 1 < text.size() && (text[i + 1] == 'r' || text[i + 1] == 'h')) {
          out += text[i + 1] == 'r' ? std::to_string(group_.rank()) : group_.host();
          ++i;
        } else {
          out += text[i];
        }
      }
      p.directory = out;
    }
  }

  client_group& group_;
  unsigned reorder_reads_ = 0;
  rank_areas areas_;
  std::vector<std::string> failed_;
  bool cleaned_up_ = false;  // the ranks' areas, removed together
};

}  // namespace

std::unique_ptr<client_mode> make_client_mode(client_group* group) {
  if (group == nullptr) return std::make_unique<one_client>();
  return std::make_unique<many_clients>(*group);
}

}  // namespace gfbench::app
