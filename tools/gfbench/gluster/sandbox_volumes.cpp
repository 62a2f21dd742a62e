#include "gluster/sandbox_volumes.hpp"

#include <algorithm>
#include <array>

#include "common/usage_error.hpp"

namespace gfbench::app {
namespace {

constexpr std::array<sandbox_layout, 6> layouts{{
    {"single", 1, volume_layout::distribute, 0, "1 node, 1 brick"},
    {"distribute2", 2, volume_layout::distribute, 0, "2 nodes, files spread over both"},
    {"replica2", 2, volume_layout::replicate, 2, "2 nodes, a copy on each (the seed's)"},
    {"replica3", 3, volume_layout::replicate, 3, "3 nodes, a copy on each"},
    {"arbiter", 3, volume_layout::arbiter, 3, "replica 3 arbiter 1: 2 copies, 1 arbiter"},
    {"disperse", 3, volume_layout::disperse, 0, "3 bricks erasure-coded, 1 may be lost"},
}};

bool is_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

[[noreturn]] void bad_setting(std::string_view text, const std::string& why) {
  throw usage_error("invalid --volume-set \"" + std::string(text) + "\": " + why +
                    "; expected KEY=VALUE or KEY=VALUE1,VALUE2 (one volume per value), e.g. "
                    "network.ping-timeout=10 or group=virt");
}

// The part of a key after its last dot: "ping-timeout" of
// "network.ping-timeout".
std::string_view short_key(std::string_view key) {
  const std::size_t dot = key.rfind('.');
  return dot == std::string_view::npos ? key : key.substr(dot + 1);
}

}  // namespace

std::span<const sandbox_layout> sandbox_layouts() noexcept { return layouts; }

const sandbox_layout* find_sandbox_layout(std::string_view name) noexcept {
  for (const sandbox_layout& l : layouts) {
    if (l.name == name) return &l;
  }
  return nullptr;
}

volume_setting parse_volume_setting(std::string_view text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string_view::npos) bad_setting(text, "no '='");
  volume_setting s{.key = std::string(text.substr(0, eq)), .values = {}};
  if (s.key.empty() || !std::all_of(s.key.begin(), s.key.end(), is_key_char)) {
    bad_setting(text, "the key must be an option name of letters, digits, '.', '-' and '_'");
  }
  if (s.key != "group" && s.key.find('.') == std::string::npos) {
    bad_setting(text, "\"" + s.key +
                          "\" is not a volume option: options are named SECTION.NAME (gluster "
                          "volume set help lists them), or group");
  }
  std::string_view values = text.substr(eq + 1);
  for (;;) {
    const std::size_t comma = values.find(',');
    const std::string_view value = values.substr(0, comma);
    if (value.empty() || value.find_first_of(" \t\n") != std::string_view::npos) {
      bad_setting(text, "a value is empty or holds a blank");
    }
    if (std::find(s.values.begin(), s.values.end(), value) != s.values.end()) {
      bad_setting(text, "the value \"" + std::string(value) + "\" is listed twice");
    }
    s.values.emplace_back(value);
    if (comma == std::string_view::npos) break;
    values.remove_prefix(comma + 1);
  }
  return s;
}

void check_volume_settings(const std::vector<volume_setting>& settings) {
  std::size_t combinations = 1;
  for (std::size_t a = 0; a < settings.size(); ++a) {
    combinations *= settings[a].values.size();
    for (std::size_t b = a + 1; b < settings.size(); ++b) {
      if (settings[a].key == settings[b].key) {
        throw usage_error("--volume-set " + settings[a].key +
                          " is given twice; list its values in one: " + settings[a].key +
                          "=VALUE1,VALUE2");
      }
    }
  }
  if (combinations > max_volume_variants) {
    throw usage_error("--volume-set: " + std::to_string(combinations) +
                      " combinations of values would make as many volumes; at most " +
                      std::to_string(max_volume_variants));
  }
}

std::vector<volume_variant> volume_variants(const std::vector<volume_setting>& settings) {
  std::vector<volume_variant> out{volume_variant{}};
  for (const volume_setting& s : settings) {
    std::vector<volume_variant> next;
    for (const volume_variant& v : out) {
      for (const std::string& value : s.values) {
        volume_variant w = v;
        w.options.emplace_back(s.key, value);
        if (s.values.size() > 1) {
          w.tag += (w.tag.empty() ? "" : ",") + std::string(short_key(s.key)) + "=" + value;
        }
        next.push_back(std::move(w));
      }
    }
    out = std::move(next);
  }
  return out;
}

option_set parse_option_set(std::string_view text) {
  const auto bad = [&](const std::string& why) {
    throw usage_error("invalid --compare-options \"" + std::string(text) + "\": " + why +
                      "; expected NAME=KEY=VALUE[,KEY=VALUE...], e.g. virt=group=virt or "
                      "defaults= (nothing set)");
  };
  const std::size_t eq = text.find('=');
  if (eq == std::string_view::npos) bad("no '=' after the configuration's name");
  option_set set{.name = std::string(text.substr(0, eq)), .options = {}};
  const auto name_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  };
  if (set.name.empty() || !std::all_of(set.name.begin(), set.name.end(), name_char)) {
    bad("the name must be letters, digits, '-' or '_'");
  }
  std::string_view rest = text.substr(eq + 1);
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view pair = rest.substr(0, comma);
    const volume_setting one = parse_volume_setting(pair);
    if (one.values.size() != 1) bad("one value per option");
    for (const auto& [key, value] : set.options) {
      if (key == one.key) bad(one.key + " is set twice");
    }
    set.options.emplace_back(one.key, one.values.front());
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
  }
  return set;
}

void check_option_sets(const std::vector<option_set>& sets) {
  if (sets.size() < 2) {
    throw usage_error(
        "--compare-options needs two configurations or more to compare, e.g. "
        "--compare-options defaults= --compare-options virt=group=virt");
  }
  if (sets.size() > max_volume_variants) {
    throw usage_error("--compare-options: at most " + std::to_string(max_volume_variants) +
                      " configurations");
  }
  for (std::size_t a = 0; a < sets.size(); ++a) {
    for (std::size_t b = a + 1; b < sets.size(); ++b) {
      if (sets[a].name == sets[b].name) {
        throw usage_error("--compare-options: two configurations are called " + sets[a].name);
      }
    }
  }
}

std::vector<volume_variant> option_set_variants(const std::vector<volume_setting>& settings,
                                                const std::vector<option_set>& sets) {
  std::vector<volume_variant> out;
  for (const option_set& set : sets) {
    volume_variant v{.options = {}, .tag = set.name};
    for (const volume_setting& s : settings) v.options.emplace_back(s.key, s.values.front());
    for (const auto& option : set.options) v.options.push_back(option);
    out.push_back(std::move(v));
  }
  return out;
}

std::string option_value(const volume_variant& variant, std::string_view key,
                         std::string_view otherwise) {
  for (const auto& [k, v] : variant.options) {
    if (k == key) return v;
  }
  return std::string(otherwise);
}

sandbox_volume_spec volume_spec(const sandbox_layout& layout, std::string name,
                                const volume_variant& variant) {
  return sandbox_volume_spec{.name = std::move(name),
                             .bricks = layout.nodes,
                             .layout = layout.layout,
                             .replica = layout.replica,
                             .redundancy = 1,
                             .brick_size_bytes = {},
                             .options = variant.options};
}

std::string variant_label(std::string_view target, const volume_variant& variant) {
  if (variant.tag.empty()) return std::string(target);
  return std::string(target) + "@" + variant.tag;
}

}  // namespace gfbench::app
