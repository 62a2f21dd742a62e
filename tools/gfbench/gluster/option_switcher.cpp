#include "gluster/option_switcher.hpp"

#include <thread>

#include "common/app_log.hpp"
#include "gfbench/case.hpp"

namespace gfbench::app {

option_switcher::option_switcher(gluster_cli& cli, std::string volume, std::vector<option_set> sets,
                                 option_journal& journal, std::function<std::string()> client_state,
                                 std::chrono::milliseconds bound)
    : cli_(cli),
      volume_(std::move(volume)),
      sets_(std::move(sets)),
      journal_(journal),
      client_state_(std::move(client_state)),
      bound_(bound) {}

void option_switcher::before_case(const case_info& c) {
  const std::size_t at = c.target_label.find('@');
  if (at == std::string::npos) return;
  const std::string name = c.target_label.substr(at + 1);
  if (name == current_) return;
  for (const option_set& set : sets_) {
    if (set.name == name) apply(set);
  }
}

void option_switcher::apply(const option_set& set) {
  const std::string before = client_state_ ? client_state_() : std::string();
  for (const auto& [key, original] : journal_.originals()) {
    std::optional<std::string> value = original;
    for (const auto& [k, v] : set.options) {
      if (k == key) value = v;
    }
    set_or_reset(cli_, volume_, key, value);
  }
  current_ = set.name;
  ++switches_;
  const auto known = moves_clients_.find(set.name);
  if (!client_state_ || (known != moves_clients_.end() && !known->second)) return;
  // Until the clients have the new graph, or the bound says they will not
  // get one (options only the bricks read).
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < bound_) {
    if (client_state_() != before) {
      moves_clients_[set.name] = true;
      logger().debug(
          "volume {}: options of {} in force, the clients' graphs changed after {:.1f} s", volume_,
          set.name,
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  moves_clients_[set.name] = false;
  logger().info(
      "volume {}: the options of {} changed no client graph within {} ms: options of "
      "the bricks only (not waited for again)",
      volume_, set.name, bound_.count());
}

}  // namespace gfbench::app
