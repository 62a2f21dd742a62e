#include "results/option_comparison.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

#include "common/text_table.hpp"
#include "results/confidence.hpp"
#include "results/statistics.hpp"

namespace gfbench::app {
namespace {

struct labelled {
  std::string client;  // "gfapi"
  std::string config;  // "virt"
};

std::optional<labelled> split_label(const std::string& target) {
  const std::size_t at = target.find('@');
  if (at == std::string::npos) return std::nullopt;
  return labelled{target.substr(0, at), target.substr(at + 1)};
}

std::string case_of(const case_summary& c) {
  const std::string prefix = c.target + "/";
  return c.name.starts_with(prefix) ? c.name.substr(prefix.size()) : c.name;
}

}  // namespace

std::string format_option_comparison(const std::vector<case_summary>& cases) {
  std::vector<std::string> configs, clients, rows;
  // (client, config, case) -> result
  std::map<std::tuple<std::string, std::string, std::string>, const case_summary*> cells;
  for (const case_summary& c : cases) {
    const auto l = split_label(c.target);
    if (!l) continue;
    if (std::find(configs.begin(), configs.end(), l->config) == configs.end()) {
      configs.push_back(l->config);
    }
    if (std::find(clients.begin(), clients.end(), l->client) == clients.end()) {
      clients.push_back(l->client);
    }
    if (std::find(rows.begin(), rows.end(), case_of(c)) == rows.end()) rows.push_back(case_of(c));
    cells[{l->client, l->config, case_of(c)}] = &c;
  }
  if (configs.size() < 2) return {};
  const std::string& baseline = configs.front();
  // Every comparison first, so that they are corrected together.
  std::map<std::tuple<std::string, std::string, std::string>, comparison> found;
  for (const std::string& row : rows) {
    for (const std::string& client : clients) {
      const auto base = cells.find({client, baseline, row});
      if (base == cells.end()) continue;
      for (std::size_t k = 1; k < configs.size(); ++k) {
        const auto other = cells.find({client, configs[k], row});
        if (other == cells.end()) continue;
        const auto [x, y] = paired_rounds(*other->second, *base->second);
        if (!x.empty())
          found.emplace(std::make_tuple(client, configs[k], row), compare_paired(x, y));
      }
    }
  }
  if (found.empty()) return {};
  std::vector<comparison*> family;
  family.reserve(found.size());
  for (auto& [key, c] : found) family.push_back(&c);
  adjust_holm(family);
  std::vector<std::vector<std::string>> table;
  std::vector<std::string> header{"case"};
  for (const std::string& client : clients) {
    for (std::size_t k = 1; k < configs.size(); ++k) {
      header.push_back(client + ": " + configs[k] + " / " + baseline);
    }
  }
  table.push_back(header);
  for (const std::string& row : rows) {
    std::vector<std::string> line{row};
    for (const std::string& client : clients) {
      for (std::size_t k = 1; k < configs.size(); ++k) {
        const auto it = found.find({client, configs[k], row});
        line.push_back(it == found.end() ? "-" : format_comparison_cell(it->second));
      }
    }
    table.push_back(std::move(line));
  }
  return "Options compared: each configuration's throughput (files/s for a metadata phase) "
         "over " +
         baseline +
         "'s, round by round (the rounds interleave them), the rounds' geometric mean [95 % "
         "interval]; faster, slower: after Holm's correction over the " +
         std::to_string(found.size()) + " comparisons; ~: no difference this run can show\n" +
         render_table(table, 1, "  ");
}

}  // namespace gfbench::app
