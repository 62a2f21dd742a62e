#include "cli/sandbox_flags.hpp"

#include <algorithm>
#include <charconv>
#include <string>

#include "cli/flag_values.hpp"

namespace gfbench::app {
namespace {

// The longest network.ping-timeout of the run's volumes, in seconds.
int longest_ping_timeout(const std::vector<volume_variant>& variants) {
  int longest = 0;
  for (const volume_variant& v : variants) {
    const std::string text =
        option_value(v, ping_timeout_key, std::to_string(default_ping_timeout_s));
    int seconds = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (ec != std::errc{} || end != text.data() + text.size() || seconds < 1) {
      throw usage_error("invalid --volume-set " + std::string(ping_timeout_key) + "=" + text +
                        ": expected whole seconds, at least 1");
    }
    longest = std::max(longest, seconds);
  }
  return longest;
}

void check_faults_fit(const cli_options& o, const sandbox_layout& layout) {
  try {
    check_faults(o.faults, layout.nodes, layout.nodes);
  } catch (const usage_error& e) {
    throw usage_error(std::string(e.what()) + " (--sandbox " + std::string(layout.name) +
                      "; --sandbox replica2, replica3, arbiter or disperse has more)");
  }
  if (o.metadata()) {
    throw usage_error(
        "--fault does not go with --file-count: faults strike time-based passes of the I/O "
        "cases; give --workload NAME or --runtime SECONDS");
  }
  if (o.read_only) {
    throw usage_error("--fault does not go with --read-only: faults need files gfbench wrote");
  }
  if (o.runtime.count() == 0 && o.workload.empty()) {
    throw usage_error(
        "--fault needs time-based passes to strike in: add --runtime SECONDS (with "
        "--queue-depth or --threads) or --workload NAME, e.g. --workload oltp-4k");
  }
}

// --compare-options: a volume per configuration in the sandbox; on a
// user's volume, set in turn, so nothing that changes how files lie on the
// bricks (sharding, which group=virt turns on, cannot be undone under
// existing files).
void check_option_sets_fit(const cli_options& o) {
  check_option_sets(o.option_sets);
  for (const volume_setting& s : o.volume_settings) {
    if (s.values.size() > 1) {
      throw usage_error(
          "--compare-options makes the volumes compared: give --volume-set one "
          "value (" +
          s.key + " has " + std::to_string(s.values.size()) + ")");
    }
  }
  if (o.zero_config()) return;
  if (o.gluster_cli.empty() || o.volume.empty()) {
    throw usage_error(
        "--compare-options on a volume gfbench did not make sets the options on it in turn: "
        "give --volume NAME and --gluster-cli \"CMD\" (the gluster CLI of a node), or leave "
        "out --volume, --posix and --pve-storage for the sandbox");
  }
  for (const option_set& set : o.option_sets) {
    for (const auto& [key, value] : set.options) {
      if (key == "group" || key.starts_with("features.shard")) {
        throw usage_error("--compare-options " + set.name + ": " + key + "=" + value +
                          " cannot be set and undone on a volume that holds files (" +
                          (key == "group" ? std::string("a group may turn sharding on")
                                          : std::string("sharding changes how files lie")) +
                          "); compare it on the sandbox (leave out --volume), or set the "
                          "group's other options one by one");
      }
    }
  }
}

}  // namespace

void check_sandbox_flags(parse_state& state) {
  cli_options& o = state.o;
  const std::set<std::string>& given = state.given;
  if (!o.zero_config()) {
    for (const std::string_view flag : {"--sandbox", "--volume-set", "--fault"}) {
      if (given.contains(std::string(flag))) {
        throw usage_error(
            std::string(flag) +
            " is for the volume gfbench's own sandbox makes: leave out --volume, --pve-storage "
            "and --posix (gfbench then starts it); on another volume gfbench injects nothing, "
            "but --gluster-cli marks on the timeline what gluster reports");
      }
    }
  }
  if (o.faults.empty()) {
    for (const std::string_view flag : {"--until-healed", "--heal-timeout"}) {
      if (given.contains(std::string(flag))) {
        throw usage_error(std::string(flag) + " follows the heal after a fault: add --fault SPEC");
      }
    }
  }
  check_volume_settings(o.volume_settings);
  if (!o.option_sets.empty()) check_option_sets_fit(o);
  const std::vector<volume_variant> variants =
      o.option_sets.empty() ? volume_variants(o.volume_settings)
                            : option_set_variants(o.volume_settings, o.option_sets);
  const int ping_timeout = longest_ping_timeout(variants);
  if (o.faults.empty()) return;
  const sandbox_layout* layout = find_sandbox_layout(o.sandbox_layout);
  check_faults_fit(o, *layout);
  // What a fault run is for: the data checked after it, and the call that
  // waits out a silent brick not taken for a hung one.
  o.verify = true;
  if (!given.contains("--op-timeout")) {
    o.op_timeout = std::max<std::chrono::milliseconds>(
        o.op_timeout, 2 * std::chrono::seconds(ping_timeout) + fault_op_timeout_margin);
  }
}

}  // namespace gfbench::app
