// The targets of a run (set_up_targets.hpp): the zero-config sandbox and
// its volumes, or the volume and directories the flags name.

#include "run/set_up_targets.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "common/app_log.hpp"
#include "gfbench/stop.hpp"
#include "gfbench/volume.hpp"
#include "gluster/mounts.hpp"

namespace gfbench::app {
namespace {

// What decides how a failure goes: how long a silent brick stalls its
// clients, when the self-heal daemon looks without being told, whether
// a write needs a majority of copies, and whether copies are in shards.
constexpr std::array<std::string_view, 5> decisive_options{
    "network.ping-timeout", "cluster.heal-timeout", "cluster.quorum-type",
    "cluster.server-quorum-type", "features.shard"};

// Where libgfapi's own log goes unless --gfapi-log says: next to the
// report, else with the sandbox's other logs; never the terminal.
std::string gfapi_log_file(const cli_options& opts, const run_state& state) {
  if (!opts.gfapi_log.empty()) return opts.gfapi_log;
  if (!opts.report_dir.empty()) {
    return (std::filesystem::path(opts.report_dir) / "gfapi.log").string();
  }
  if (state.box) return (state.box->base_dir() / "gfapi.log").string();
  return "/dev/null";
}

volume_options finish_connect_options(volume_options v, const cli_options& opts,
                                      const run_state& state) {
  v.connect_timeout = opts.connect_timeout;
  v.log_file = gfapi_log_file(opts, state);
  if (v.log_file != "/dev/null") logger().info("libgfapi's log: {}", v.log_file);
  v.log_level = opts.gfapi_log_level;
  // gfbench exits right after the run. glfs_fini costs a fixed ~10 s
  // (libgfapi's rpc-clnt timer), and by the time the connection goes every
  // file has been closed (glfs_close waits for write-behind to flush) and,
  // where a case asked for it, fsynced; the scratch files are unlinked. So
  // the glfs_t and its threads are left to process exit, which closes the
  // sockets. Do not copy this into code that keeps running afterwards.
  v.skip_fini = true;
  return v;
}

// --profile on a volume gfbench did not start: through the gluster CLI of a
// node of its cluster (--gluster-cli). The volume is --volume's, else the
// one a --posix Gluster FUSE mount serves.
void start_external_profiler(run_state& state, const cli_options& opts) {
  std::string volume = opts.volume;
  for (const auto& p : opts.posix_targets) {
    if (!volume.empty()) break;
    volume = gluster_fuse_volume(p.directory).value_or("");
  }
  if (volume.empty()) {
    throw usage_error(
        "--profile needs a Gluster volume: --volume, or a --posix directory on a Gluster FUSE "
        "mount");
  }
  auto cli = make_command_cli(opts.gluster_cli.empty() ? std::vector<std::string>{"gluster"}
                                                       : opts.gluster_cli);
  try {
    state.observers.start_profiler(std::move(cli), volume, /*keep_running=*/false);
  } catch (const profile_error& e) {
    throw std::runtime_error(std::string("--profile: ") + e.what() +
                             "; run gfbench on a node of the cluster, or give --gluster-cli "
                             "\"ssh NODE gluster\"");
  }
}

// A gfapi target's client, from the graph its connection runs on.
target_client gfapi_client(const std::string& label, const volume& vol) {
  target_client client{.target = label, .kind = client_kind::gfapi};
  try {
    client.tuning = tuning_of(vol.graph());
  } catch (const std::exception& e) {
    client.unknown_reason = e.what();
  }
  return client;
}

// A POSIX target's client. A glusterfs FUSE mount of the volume the gfapi
// target uses runs the volfile glusterd serves for it, as gfapi does; the
// gfapi connection has just fetched it. Another FUSE mount shows the graph
// it built in its meta directory, whose options are those of when it was
// built: `volume set` of an option that keeps the translators changes a
// running client in place and leaves that copy as it was.
target_client posix_client(const std::string& label, const std::filesystem::path& directory,
                           const std::string& gfapi_volume, const target_client* gfapi) {
  target_client client{.target = label, .kind = client_kind::other};
  const auto mount = find_gluster_fuse_mount(directory);
  if (!mount) return client;
  client.kind = client_kind::gluster_fuse;
  if (gfapi != nullptr && gfapi->tuning && mount->volume == gfapi_volume) {
    client.tuning = gfapi->tuning;
    client.source_note = "glusterd's volfile of " + gfapi_volume + ", as gfapi's";
    return client;
  }
  const std::string volfile = fuse_client_volfile(*mount);
  if (volfile.empty()) {
    client.unknown_reason =
        "no readable " + (mount->mount_point / ".meta/graphs/active/volfile").string();
  } else {
    client.tuning = tuning_of(parse_client_volfile(volfile));
    client.source_note =
        "the graph the mount built; options changed in place since by `volume set` do not "
        "show here";
  }
  return client;
}

// The options that decide what a failure costs, as a sandbox volume has
// them now (`volume get VOL all`: one call); those gluster does not list
// are left out.
std::vector<std::pair<std::string, std::string>> options_in_force(sandbox& box,
                                                                  const std::string& volume) {
  std::vector<std::pair<std::string, std::string>> found;
  try {
    const std::string out = box.gluster({"volume", "get", volume, "all"});
    for (const std::string_view key : decisive_options) {
      const std::string prefix = "\n" + std::string(key) + " ";
      const std::size_t line = ("\n" + out).find(prefix);
      if (line == std::string::npos) continue;
      const std::size_t value = out.find_first_not_of(' ', line + key.size());
      const std::size_t end = out.find_first_of(" \n", value);
      if (value != std::string::npos) found.emplace_back(key, out.substr(value, end - value));
    }
  } catch (const std::exception& e) {
    logger().debug("volume get {} all: {}", volume, e.what());
  }
  return found;
}

// Creates the sandbox's volumes, one per combination of --volume-set's
// values; an option gluster refuses is a bad command line.
void create_sandbox_volumes(run_state& state, const cli_options& opts,
                            const sandbox_layout& layout) {
  const std::vector<volume_variant> variants =
      opts.option_sets.empty() ? volume_variants(opts.volume_settings)
                               : option_set_variants(opts.volume_settings, opts.option_sets);
  for (std::size_t i = 0; i < variants.size(); ++i) {
    const std::string name = variants.size() == 1
                                 ? std::string(sandbox_volume_name)
                                 : std::string(sandbox_volume_name) + "-" + std::to_string(i + 1);
    try {
      state.box->create_volume(volume_spec(layout, name, variants[i]));
    } catch (const sandbox_option_error& e) {
      throw usage_error(
          std::string(opts.option_sets.empty() ? "--volume-set " : "--compare-options ") + e.key() +
          "=" + e.value() + ": " + e.what());
    }
    sandbox_target_volume v{
        .name = name,
        .layout = std::string(layout.name) + ": " + std::string(layout.description),
        .variant = variants[i],
        .labels = {},
        .in_force = options_in_force(*state.box, name)};
    std::string options;
    for (const auto& [key, value] : variants[i].options) options += " " + key + "=" + value;
    logger().info("sandbox volume {}: {}{}{}; in force: {}", name, layout.description,
                  options.empty() ? "" : ", set:", options, describe_in_force(v));
    state.volumes.push_back(std::move(v));
    check_interrupt();
  }
}

void set_up_sandbox(run_state& state, const cli_options& opts) {
  auto& log = logger();
  const sandbox_layout& layout = *find_sandbox_layout(opts.sandbox_layout);
  log.info(
      "no --volume, --pve-storage or --posix given: starting a private Gluster sandbox of {} "
      "node(s) ({})",
      layout.nodes, layout.name);
  sandbox_options sandbox_opts;
  sandbox_opts.nodes = layout.nodes;
  sandbox_opts.keep_files = opts.keep;
  state.box.emplace(sandbox::start(sandbox_opts));
  check_interrupt();
  create_sandbox_volumes(state, opts, layout);
  state.observers.count_client_calls(opts.fop_stats);
  if (!opts.no_profile && state.volumes.size() == 1) {
    // Before any client connects: starting a profile switches clients to
    // a new graph. The sandbox is deleted at the end, profile and all.
    state.observers.start_profiler(make_sandbox_cli(*state.box), state.volumes.front().name,
                                   /*keep_running=*/true);
  } else if (!opts.no_profile) {
    log.info("{} sandbox volumes: no brick counters (one volume is profiled per run)",
             state.volumes.size());
  }
  // The volumes are reachable only inside the sandbox's network namespace.
  // libgfapi's threads inherit the namespace of the thread that creates
  // them, so the main thread moves there before connecting.
  state.box->enter_network();
  for (sandbox_target_volume& v : state.volumes) {
    const std::string label = variant_label("gfapi", v.variant);
    const auto connect_opts = state.observers.client_options(
        finish_connect_options(state.box->client_options(v.name), opts, state));
    auto vol = volume::connect(connect_opts);
    state.clients.push_back(gfapi_client(label, vol));
    state.targets.push_back(make_gfapi_target(std::move(vol), label));
    state.observers.add_gfapi_target(label, connect_opts);
    v.labels.push_back(label);
    check_interrupt();
  }
  for (std::size_t i = 0; i < state.volumes.size(); ++i) {
    sandbox_target_volume& v = state.volumes[i];
    const std::string label = variant_label("fuse", v.variant);
    const std::filesystem::path mountpoint = state.box->fuse_mount(v.name);
    log.info("sandbox volume {} in {}, FUSE-mounted on {}", v.name, state.box->base_dir().string(),
             mountpoint.string());
    state.targets.push_back(make_posix_target(mountpoint, label));
    const target_client gfapi = state.clients.at(i);
    state.clients.push_back(posix_client(label, mountpoint, v.name, &gfapi));
    state.observers.add_posix_target(label, mountpoint);
    v.labels.push_back(label);
    check_interrupt();
  }
  if (opts.keep) {
    log.info("--keep: the sandbox is stopped at the end but {} (bricks, logs) stays",
             state.box->base_dir().string());
  }
}

// Every client graph of the configurations' connections, as text: what
// changes when a switch of options reaches them.
std::string graphs_of(std::vector<volume>& volumes) {
  std::string out;
  for (const volume& v : volumes) {
    try {
      for (const translator& t : v.graph().translators) {
        out += t.name + " " + t.type + "\n";
        for (const auto& [key, value] : t.options) out += "  " + key + "=" + value + "\n";
      }
    } catch (const std::exception& e) {
      out += std::string("? ") + e.what() + "\n";
    }
  }
  return out;
}

// --compare-options on --volume: the options as they are go into the
// journal (what a killed run left is put back first), and each
// configuration gets targets of its own on the same volume, labelled
// gfapi@NAME, fuse@NAME; the switcher sets its options before its cases.
void set_up_option_sets(run_state& state, const cli_options& opts) {
  auto& log = logger();
  state.option_cli = make_command_cli(opts.gluster_cli);
  for (const std::string& line : option_journal::recover(*state.option_cli, opts.volume)) {
    log.warn(
        "volume {}: a run that was stopped before putting its options back left a "
        "journal: {}",
        opts.volume, line);
  }
  std::vector<std::string> keys;
  for (const option_set& set : opts.option_sets) {
    for (const auto& [key, value] : set.options) {
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
    }
  }
  state.journal = std::make_unique<option_journal>(*state.option_cli, opts.volume, keys);
  for (const option_set& set : opts.option_sets) {
    const std::string label = "gfapi@" + set.name;
    const auto connect_opts =
        state.observers.client_options(finish_connect_options(opts.connect_options(), opts, state));
    auto vol = volume::connect(connect_opts);
    state.option_volumes.push_back(vol);
    state.clients.push_back(gfapi_client(label, vol));
    state.targets.push_back(make_gfapi_target(std::move(vol), label));
    state.observers.add_gfapi_target(label, connect_opts);
    check_interrupt();
  }
  for (const auto& p : opts.posix_targets) {
    for (const option_set& set : opts.option_sets) {
      const std::string label = p.label + "@" + set.name;
      state.targets.push_back(make_posix_target(p.directory, label));
      state.clients.push_back(
          posix_client(label, p.directory, opts.volume, &state.clients.front()));
      state.observers.add_posix_target(label, p.directory);
    }
  }
  state.switcher = std::make_unique<option_switcher>(
      *state.option_cli, opts.volume, opts.option_sets, *state.journal,
      [&state] { return graphs_of(state.option_volumes); });
  log.info(
      "volume {}: {} configurations compared, their options set in turn before each case "
      "and put back at the end (journal {})",
      opts.volume, opts.option_sets.size(), option_journal::file_for(opts.volume).string());
}

}  // namespace

std::string describe_in_force(const sandbox_target_volume& v) {
  std::string out;
  for (const auto& [key, value] : v.in_force) {
    out += (out.empty() ? "" : ", ") + key + " " + value;
  }
  return out.empty() ? "?" : out;
}

std::string describe_sandbox_volumes(const std::vector<sandbox_target_volume>& volumes) {
  std::string out;
  for (const sandbox_target_volume& v : volumes) {
    std::string options;
    for (const auto& [key, value] : v.variant.options) {
      options += (options.empty() ? "" : ", ") + key + "=" + value;
    }
    out += "  " + v.name + " (" + v.layout +
           "): " + (options.empty() ? std::string("no option set") : "set " + options) +
           "\n    in force: " + describe_in_force(v) + "\n";
  }
  return out.empty() ? out : "Sandbox volumes:\n" + out;
}

void check_interrupt() {
  if (stop_requested()) throw run_interrupted{};
}

bool run_state::tear_down() noexcept {
  if (faults) faults->stop();
  watch.reset();
  if (journal) journal->restore();
  bool ok = true;
  if (cases) {
    try {
      cases->cleanup();
    } catch (const std::exception& e) {
      logger().error("{}", e.what());
      ok = false;
    }
    cases.reset();
  }
  observers.release();
  targets.clear();
  faults.reset();
  if (box) {
    box->stop();
    box.reset();
  }
  return ok;
}

void set_up_targets(run_state& state, const cli_options& opts) {
  auto& log = logger();
  if (opts.zero_config()) {
    set_up_sandbox(state, opts);
    return;
  }

  state.observers.count_client_calls(opts.fop_stats);
  if (opts.profile) start_external_profiler(state, opts);
  if (!opts.option_sets.empty()) {
    set_up_option_sets(state, opts);
    return;
  }
  if (!opts.volume.empty()) {
    const auto connect_opts =
        state.observers.client_options(finish_connect_options(opts.connect_options(), opts, state));
    auto vol = volume::connect(connect_opts);
    state.observers.add_gfapi_target("gfapi", connect_opts);
    log.info("connected to volume {} in {:.1f} ms", vol.name(),
             std::chrono::duration<double, std::milli>(vol.connect_duration()).count());
    state.clients.push_back(gfapi_client("gfapi", vol));
    state.targets.push_back(make_gfapi_target(std::move(vol), "gfapi"));
    check_interrupt();
  }
  for (const auto& p : opts.posix_targets) {
    state.targets.push_back(make_posix_target(p.directory, p.label));
    state.clients.push_back(posix_client(p.label, p.directory, opts.volume,
                                         opts.volume.empty() ? nullptr : &state.clients.front()));
    state.observers.add_posix_target(p.label, p.directory);
  }
}

}  // namespace gfbench::app
