#pragma once
// --fault SPEC: what to do to the sandbox's cluster, to which brick or node,
// when in each timed pass and for how long, and what in a real cluster it
// stands for. docs/failures.md has the scenarios.
//
//   KIND:N@START+DURATION[:ARG]
//   hang-brick:2@15s+90s      brick 2 stopped (SIGSTOP), then resumed
//   kill-brick:2@15s+30s      brick 2 killed (SIGKILL), then `volume start force`
//   hang-node:2@15s+120s      every process of node 2 stopped, then resumed
//   reboot-node:2@15s+30s     every process of node 2 killed, then glusterd started
//   slow-brick:2@15s+60s:20ms brick 2 frozen 20 ms in every 40 ms
//
// N counts from 1: bricks in the volume's order (brick k of a sandbox volume
// lies on node k), nodes as 127.1.1.N. START counts from the start of each
// timed pass; times take s or ms (bare numbers are seconds).

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace gfbench::app {

/// How long a pass goes on after its last fault is undone, so that what
/// follows (reconnects, the heal's start) is on its timeline.
inline constexpr std::chrono::seconds fault_settle{10};
/// With faults, --op-timeout defaults to twice the ping-timeout (the
/// longest a silent brick can stall a call) and this much.
inline constexpr std::chrono::seconds fault_op_timeout_margin{30};

enum class fault_kind {
  hang_brick,
  kill_brick,
  hang_node,
  reboot_node,
  slow_brick,
};

struct fault_spec {
  fault_kind kind = fault_kind::hang_brick;
  int number = 1;  ///< 1-based: a brick or a node, by kind
  std::chrono::milliseconds start{0};
  std::chrono::milliseconds duration{0};
  std::chrono::milliseconds slow_by{0};  ///< slow-brick: each freeze
  std::string text;                      ///< as given

  [[nodiscard]] bool on_node() const noexcept {
    return kind == fault_kind::hang_node || kind == fault_kind::reboot_node;
  }
  [[nodiscard]] std::chrono::milliseconds end() const noexcept { return start + duration; }
};

/// Reads --fault's value; throws usage_error naming it and what is expected.
[[nodiscard]] fault_spec parse_fault(std::string_view text);

/// "hang-node 2 from 15 s for 120 s"
[[nodiscard]] std::string describe(const fault_spec& f);
/// What it stands for in a real cluster, in a sentence.
[[nodiscard]] std::string meaning(const fault_spec& f);
/// "hang-node", "kill-brick", ...
[[nodiscard]] std::string_view kind_name(fault_kind kind) noexcept;

/// Refuses faults that cannot run on a volume of `bricks` bricks on
/// `nodes` nodes, or that overlap in time on the same brick or node.
/// Throws usage_error.
void check_faults(const std::vector<fault_spec>& faults, int bricks, int nodes);

}  // namespace gfbench::app
