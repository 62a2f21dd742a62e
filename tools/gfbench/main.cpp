// gfbench: IOzone's write/rewrite/read measurement of a Gluster volume,
// through libgfapi and through a FUSE mount (or any directory), as Google
// Benchmark cases, with an IOzone-style summary table at the end. This file
// reads the command line; run.cpp runs it.
//
// Exit status: 0 every case ran; 1 a case failed or set-up failed; 2 a bad
// command line; 128+N interrupted by signal N (after cleaning up).
// `gfbench compare` sets two runs' reports side by side (compare_command.hpp).

#include <benchmark/benchmark.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "cli/benchmark_flags.hpp"
#include "cli/cli.hpp"
#include "common/app_log.hpp"
#include "gluster/mounts.hpp"
#include "gluster/pve_storage.hpp"
#include "group/client_group.hpp"
#include "results/report.hpp"
#include "run/compare_command.hpp"
#include "run/malloc_arenas.hpp"
#include "run/run.hpp"
#include "run/run_output.hpp"
#include "run/signals.hpp"

namespace {

using gfbench::app::cli_options;
using gfbench::app::usage_error;

void print_help() {
  std::fputs(gfbench::app::help_text().c_str(), stdout);
  benchmark::PrintDefaultHelp();
}

// --pve-storage: the volume, servers and transport of a glusterfs storage
// of Proxmox VE's storage.cfg, read before anything starts (so a wrong ID
// costs no sandbox or connection, and exits 2). Returns lines for the log.
std::vector<std::string> apply_pve_storage(cli_options& opts) {
  if (opts.pve_storage.empty()) return {};
  const std::filesystem::path file =
      opts.pve_config.empty() ? std::filesystem::path(gfbench::app::default_pve_storage_config)
                              : std::filesystem::path(opts.pve_config);
  gfbench::app::pve_gluster_storage storage;
  try {
    storage = gfbench::app::load_pve_gluster_storage(file, opts.pve_storage);
    if (!storage.dir_path.empty()) {
      std::ifstream in("/proc/self/mountinfo");
      const std::string mountinfo{std::istreambuf_iterator<char>(in),
                                  std::istreambuf_iterator<char>()};
      gfbench::app::resolve_pve_dir_storage(storage, mountinfo);
      // The same images through the mount Proxmox VE 9 uses and through
      // libgfapi (Proxmox VE 8's way): what the move costs.
      std::error_code ec;
      if (!std::filesystem::is_directory(storage.dir_path, ec)) {
        throw gfbench::app::pve_storage_error("storage " + storage.id + ": its path " +
                                              storage.dir_path.string() + " is not a directory");
      }
      opts.posix_targets.push_back({storage.dir_path, {}});
    }
  } catch (const gfbench::app::pve_storage_error& e) {
    throw usage_error(std::string("--pve-storage: ") + e.what());
  }
  opts.volume = storage.volume;
  opts.servers = storage.servers;
  opts.transport = storage.servers.front().transport;
  std::string servers;
  for (const auto& server : storage.servers) {
    if (!servers.empty()) servers += ", then ";
    servers += server.host;
    if (server.transport == gfbench::transport_kind::tcp) {
      servers += ":" + std::to_string(server.port);
    }
  }
  std::vector<std::string> lines{"Proxmox storage " + storage.id + " (" + file.string() +
                                 "): volume " + storage.volume + " via " + servers};
  for (const auto& note : storage.notes) {
    lines.push_back("Proxmox storage " + storage.id + ": " + note);
  }
  return lines;
}

// --report DIR: made now, so that a directory that cannot be written costs
// no sandbox or benchmark run; absolute, since the sandbox may change
// nothing about the working directory but gnuplot's script needs full paths.
void prepare_report_dir(cli_options& opts) {
  std::error_code ec;
  const std::filesystem::path dir = std::filesystem::absolute(opts.report_dir, ec);
  if (!ec) std::filesystem::create_directories(dir, ec);
  if (ec) throw usage_error("--report " + opts.report_dir + ": " + ec.message());
  if (::access(dir.c_str(), W_OK) != 0) {
    throw usage_error("--report " + dir.string() + ": not writable");
  }
  opts.report_dir = dir.string();
}

// Checked before anything starts, so a typo costs no sandbox or connection.
void check_posix_directories(cli_options& opts) {
  for (auto& p : opts.posix_targets) {
    std::error_code ec;
    p.directory = std::filesystem::absolute(p.directory, ec);
    if (!ec && std::filesystem::is_directory(p.directory, ec)) continue;
    throw usage_error(
        "--posix " + p.directory.string() +
        (std::filesystem::exists(p.directory, ec) ? ": not a directory" : ": no such directory"));
  }
}

// The run's own command line, read and checked before anything starts (so
// a typo costs no connection). Under mpirun every rank reads it and the
// ranks agree on the outcome, so that all of them stop at a bad one and
// only rank 0 says so, naming a rank whose own paths are wrong.
int run_main(int argc, char** argv, gfbench::app::client_mode& mode, int malloc_arenas) {
  gfbench::app::run_request request;
  request.mode = &mode;
  // For summary.json, before Initialize takes the --benchmark_* flags out.
  request.command_line = gfbench::app::format_command_line(argc, argv);
  gfbench::app::benchmark_arguments seen;
  std::string usage_problem;
  try {
    seen = gfbench::app::check_benchmark_arguments(argc, argv);
  } catch (const usage_error& e) {
    usage_problem = e.what();
  }
  cli_options& opts = request.options;
  std::vector<std::string> pve_notes;
  if (usage_problem.empty()) {
    // Takes out the --benchmark_* flags; --help prints ours and its own, then exits.
    benchmark::Initialize(&argc, argv, print_help);
    try {
      request.benchmark = gfbench::app::take_benchmark_settings(seen);
      opts = gfbench::app::parse_cli(argc, argv);
      if (opts.help) {
        if (mode.speaks()) print_help();
        return 0;
      }
      mode.adapt(opts);
      check_posix_directories(opts);
      pve_notes = apply_pve_storage(opts);
      if (!opts.report_dir.empty()) prepare_report_dir(opts);
      gfbench::app::assign_target_labels(opts, gfbench::app::on_fuse_filesystem);
    } catch (const usage_error& e) {
      usage_problem = e.what();
    }
  }
  if (mode.stop_for(usage_problem)) return gfbench::app::usage_exit_code;

  auto& log = gfbench::app::logger();
  log.set_level(spdlog::level::from_str(opts.log_level));
  mode.configure(log);
  log.info("{}", gfbench::app::build_note());
  if (malloc_arenas > 0) {
    log.info("malloc keeps at most {} arenas, two per CPU (MALLOC_ARENA_MAX overrides)",
             malloc_arenas);
  }
  for (const auto& note : pve_notes) log.info("{}", note);

  try {
    // Before any thread exists (libgfapi's, the sandbox's), so all share them.
    gfbench::app::install_signal_handlers();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gfbench: %s\n", e.what());
    return 1;
  }
  const int status = gfbench::app::run(request);
  benchmark::Shutdown();
  std::fflush(stdout);
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  const int malloc_arenas = gfbench::app::limit_malloc_arenas();
  // gfbench compare BEFORE.json AFTER.json: no benchmark, no cluster.
  if (argc >= 2 && std::string_view(argv[1]) == "compare") {
    return gfbench::app::compare_command(std::vector<std::string>(argv + 2, argv + argc));
  }
  // Under mpirun: join the ranks first, so that only rank 0 speaks.
  std::unique_ptr<gfbench::app::client_group> group;
  if (gfbench::app::launched_by_mpirun()) {
    try {
      group = gfbench::app::join_client_group(&argc, &argv);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "gfbench: %s\n", e.what());
      return 1;
    }
    if (!group) {
      std::fprintf(stderr,
                   "gfbench: started by mpirun, but this gfbench was built without MPI; build it "
                   "with libopenmpi-dev installed (GFBENCH_WITH_MPI=ON)\n");
      return gfbench::app::usage_exit_code;
    }
    // Rank 0 prints the results; the others' output would only repeat it.
    if (group->rank() != 0 && std::freopen("/dev/null", "w", stdout) == nullptr) return 1;
  }
  const auto mode = gfbench::app::make_client_mode(group.get());
  return run_main(argc, argv, *mode, malloc_arenas);
}
