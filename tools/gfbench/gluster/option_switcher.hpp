#pragma once
// --compare-options on a user's volume: before each case, the options of
// the configuration its target stands for ("gfapi@virt": virt's) are set
// on the volume, every other option compared put back as it was, and the
// switch waited for: the clients' graphs change (libgfapi fetches the new
// volfile and moves to it at its next call) before the case starts. The
// journal (option_journal.hpp) puts the volume back at the end.

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "gfbench/observer.hpp"
#include "gluster/gluster_cli.hpp"
#include "gluster/option_journal.hpp"
#include "gluster/sandbox_volumes.hpp"

namespace gfbench::app {

class option_switcher final : public case_observer {
 public:
  /// `client_state()` describes the clients' graphs: the switch is waited
  /// for until it changes (at most `bound`); a configuration whose first
  /// switch changed no client graph (options of the bricks only) is not
  /// waited for again.
  option_switcher(gluster_cli& cli, std::string volume, std::vector<option_set> sets,
                  option_journal& journal, std::function<std::string()> client_state,
                  std::chrono::milliseconds bound = std::chrono::seconds(10));

  void before_case(const case_info& c) override;

  /// Switches made so far.
  [[nodiscard]] int switches() const noexcept { return switches_; }

 private:
  void apply(const option_set& set);

  gluster_cli& cli_;
  const std::string volume_;
  const std::vector<option_set> sets_;
  option_journal& journal_;
  std::function<std::string()> client_state_;
  const std::chrono::milliseconds bound_;
  std::string current_;
  std::map<std::string, bool> moves_clients_;  // configuration -> its switch changed a graph
  int switches_ = 0;
};

}  // namespace gfbench::app
