#include "gluster/fault_spec.hpp"

#include <array>
#include <charconv>
#include <cstdio>
#include <optional>
#include <string>

#include "common/usage_error.hpp"

namespace gfbench::app {
namespace {

struct kind_row {
  std::string_view name;
  fault_kind kind;
};

constexpr std::array<kind_row, 5> kinds{{
    {"hang-brick", fault_kind::hang_brick},
    {"kill-brick", fault_kind::kill_brick},
    {"hang-node", fault_kind::hang_node},
    {"reboot-node", fault_kind::reboot_node},
    {"slow-brick", fault_kind::slow_brick},
}};

[[noreturn]] void bad_fault(std::string_view text, const std::string& why) {
  throw usage_error(
      "invalid --fault \"" + std::string(text) + "\": " + why +
      "; expected KIND:N@START+DURATION, e.g. hang-node:2@15s+120s or slow-brick:1@10s+30s:20ms "
      "(KIND: hang-brick, kill-brick, hang-node, reboot-node, slow-brick)");
}

// "15s", "500ms", "15": a time of at most a day.
std::optional<std::chrono::milliseconds> parse_time(std::string_view text) {
  std::chrono::milliseconds::rep scale = 1000;
  if (text.ends_with("ms")) {
    scale = 1;
    text.remove_suffix(2);
  } else if (text.ends_with("s")) {
    text.remove_suffix(1);
  }
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value < 0 ||
      value * static_cast<double>(scale) > 86'400'000.0) {
    return std::nullopt;
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(value * static_cast<double>(scale)));
}

std::string seconds(std::chrono::milliseconds ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g s", static_cast<double>(ms.count()) / 1000.0);
  return buf;
}

}  // namespace

std::string_view kind_name(fault_kind kind) noexcept {
  for (const kind_row& k : kinds) {
    if (k.kind == kind) return k.name;
  }
  return "fault";
}

fault_spec parse_fault(std::string_view text) {
  fault_spec f;
  f.text = std::string(text);
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) bad_fault(text, "no ':' after the kind");
  const std::string_view kind = text.substr(0, colon);
  bool known = false;
  for (const kind_row& k : kinds) {
    if (k.name == kind) {
      f.kind = k.kind;
      known = true;
    }
  }
  if (!known) bad_fault(text, "unknown kind \"" + std::string(kind) + "\"");
  std::string_view rest = text.substr(colon + 1);
  const std::size_t at = rest.find('@');
  const std::size_t plus = rest.find('+');
  if (at == std::string_view::npos || plus == std::string_view::npos || plus < at) {
    bad_fault(text, "no @START+DURATION");
  }
  const std::string_view number = rest.substr(0, at);
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), f.number);
  if (number.empty() || ec != std::errc{} || end != number.data() + number.size() || f.number < 1 ||
      f.number > 8) {
    bad_fault(text, "the brick or node number \"" + std::string(number) + "\" is not 1 to 8");
  }
  const auto start = parse_time(rest.substr(at + 1, plus - at - 1));
  if (!start) bad_fault(text, "START is not a time such as 15s, 500ms or 15");
  f.start = *start;
  std::string_view duration = rest.substr(plus + 1);
  const std::size_t arg = duration.find(':');
  if (arg != std::string_view::npos) {
    if (f.kind != fault_kind::slow_brick) bad_fault(text, "only slow-brick takes an argument");
    const auto by = parse_time(duration.substr(arg + 1));
    if (!by || by->count() < 1 || by->count() > 10'000) {
      bad_fault(text, "slow-brick's freeze is a time from 1ms to 10s, e.g. 20ms");
    }
    f.slow_by = *by;
    duration = duration.substr(0, arg);
  } else if (f.kind == fault_kind::slow_brick) {
    bad_fault(text, "slow-brick needs how long each freeze is, e.g. :20ms");
  }
  const auto length = parse_time(duration);
  if (!length || length->count() == 0) bad_fault(text, "DURATION is not a positive time");
  f.duration = *length;
  return f;
}

std::string describe(const fault_spec& f) {
  std::string out = std::string(kind_name(f.kind)) + " " + std::to_string(f.number) + " from " +
                    seconds(f.start) + " for " + seconds(f.duration);
  if (f.kind == fault_kind::slow_brick) out += ", frozen " + seconds(f.slow_by) + " at a time";
  return out;
}

std::string meaning(const fault_spec& f) {
  const std::string n = std::to_string(f.number);
  switch (f.kind) {
    case fault_kind::hang_brick:
      return "brick " + n +
             "'s process stopped (SIGSTOP) and resumed: a brick that hangs on a dead disk or a "
             "stuck kernel call; no TCP reset, so clients wait for network.ping-timeout";
    case fault_kind::kill_brick:
      return "brick " + n +
             "'s process killed (SIGKILL), then started again (volume start force): a brick "
             "that crashed; clients see the connection close at once";
    case fault_kind::hang_node:
      return "every process of node " + n +
             " stopped and resumed: a frozen host or a pulled cable, silent to its peers and "
             "clients until network.ping-timeout";
    case fault_kind::reboot_node:
      return "every process of node " + n +
             " killed, then its glusterd started, which starts its bricks: a host that "
             "crashed and booted";
    case fault_kind::slow_brick:
      return "brick " + n + " frozen " + seconds(f.slow_by) + " in every " +
             seconds(2 * f.slow_by) +
             ": a brick on a saturated or failing disk, or a starved host; requests that reach "
             "it wait up to the freeze";
  }
  return {};
}

void check_faults(const std::vector<fault_spec>& faults, int bricks, int nodes) {
  for (const fault_spec& f : faults) {
    const int most = f.on_node() ? nodes : bricks;
    if (f.number > most) {
      throw usage_error("invalid --fault \"" + f.text + "\": the volume has " +
                        std::to_string(most) + (f.on_node() ? " node(s)" : " brick(s)") +
                        "; number them from 1");
    }
  }
  // Brick k of a sandbox volume lies on node k: a fault on either is one on
  // that host, and two at once would undo each other.
  for (std::size_t a = 0; a < faults.size(); ++a) {
    for (std::size_t b = a + 1; b < faults.size(); ++b) {
      const fault_spec& x = faults[a];
      const fault_spec& y = faults[b];
      if (x.number == y.number && x.start < y.end() && y.start < x.end()) {
        throw usage_error("--fault \"" + x.text + "\" and --fault \"" + y.text +
                          "\" strike the same host at the same time; give them apart");
      }
    }
  }
}

}  // namespace gfbench::app
