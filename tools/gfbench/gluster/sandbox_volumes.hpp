#pragma once
// The volumes a zero-config run asks its sandbox for: their layout
// (--sandbox: one brick, replica 2 as the seed's cluster, replica 3,
// arbiter, disperse) and the options set on them before they start
// (--volume-set KEY=VALUE). A list of values makes one volume per value
// (per combination, with several lists), each benchmarked as targets of its
// own, so that the cases of an option's values run side by side in one run.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gfbench/sandbox.hpp"

namespace gfbench::app {

/// A layout --sandbox names: one brick per node.
struct sandbox_layout {
  std::string_view name;
  int nodes = 1;
  volume_layout layout = volume_layout::distribute;
  int replica = 0;  ///< replicate and arbiter: bricks per set
  std::string_view description;
};

/// Every layout, the default (one node, one brick) first.
[[nodiscard]] std::span<const sandbox_layout> sandbox_layouts() noexcept;
/// The layout called `name`; null when there is none.
[[nodiscard]] const sandbox_layout* find_sandbox_layout(std::string_view name) noexcept;

/// One --volume-set: a volume option and its values, one volume each.
struct volume_setting {
  std::string key;
  std::vector<std::string> values;
};

/// Reads --volume-set's KEY=VALUE[,VALUE...]; throws usage_error naming
/// the value and what is expected.
[[nodiscard]] volume_setting parse_volume_setting(std::string_view text);

/// Refuses a key given twice; throws usage_error.
void check_volume_settings(const std::vector<volume_setting>& settings);

/// One sandbox volume of a run: the options it starts with, and what tells
/// its targets apart ("ping-timeout=10"; empty when there is one volume).
struct volume_variant {
  std::vector<std::pair<std::string, std::string>> options;
  std::string tag;
};

/// Every combination of the settings' values, the first value of each
/// first; at most max_volume_variants.
[[nodiscard]] std::vector<volume_variant> volume_variants(
    const std::vector<volume_setting>& settings);

/// One --compare-options configuration: its name and the options it sets.
struct option_set {
  std::string name;
  std::vector<std::pair<std::string, std::string>> options;
};

/// Reads NAME=KEY=VALUE[,KEY=VALUE...] ("defaults=" sets nothing); throws
/// usage_error naming the value and what is expected.
[[nodiscard]] option_set parse_option_set(std::string_view text);

/// Refuses two configurations of one name, fewer than two, or more than
/// max_volume_variants; throws usage_error.
void check_option_sets(const std::vector<option_set>& sets);

/// One volume per configuration, each with the settings' (single) values
/// and its own options, tagged with its name.
[[nodiscard]] std::vector<volume_variant> option_set_variants(
    const std::vector<volume_setting>& settings, const std::vector<option_set>& sets);
inline constexpr std::size_t max_volume_variants = 8;

/// The value `key` has in `variant` (as set), or `otherwise`.
[[nodiscard]] std::string option_value(const volume_variant& variant, std::string_view key,
                                       std::string_view otherwise);

/// What the sandbox makes for a layout and a variant.
[[nodiscard]] sandbox_volume_spec volume_spec(const sandbox_layout& layout, std::string name,
                                              const volume_variant& variant);

/// "gfapi" for the one volume of a run; "gfapi@ping-timeout=10" for one of
/// several.
[[nodiscard]] std::string variant_label(std::string_view target, const volume_variant& variant);

}  // namespace gfbench::app
