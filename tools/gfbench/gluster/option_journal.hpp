#pragma once
// What --compare-options changes on a user's volume, written down before
// the first change: each option as it was (set to a value, or not set), in
// a file that outlives the process. The run puts them back at its end,
// after a failure or Ctrl-C too; a run that was killed leaves the file, and
// the next run on that volume puts them back first.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gluster/gluster_cli.hpp"

namespace gfbench::app {

class option_journal {
 public:
  /// Where the journal of `volume` lives: /var/lib/gfbench, or the
  /// directory GFBENCH_STATE_DIR names.
  [[nodiscard]] static std::filesystem::path file_for(std::string_view volume);

  /// Puts back what a journal left for `volume` (a run that was killed)
  /// and removes it; returns what it did, a line each (none without one).
  /// Throws profile_error when gluster refuses, leaving the journal.
  static std::vector<std::string> recover(gluster_cli& cli, std::string_view volume);

  /// Records how each of `keys` is on `volume` now and writes the journal.
  /// Throws profile_error (gluster) or std::runtime_error (the file).
  option_journal(gluster_cli& cli, std::string volume, const std::vector<std::string>& keys);
  ~option_journal();
  option_journal(const option_journal&) = delete;
  option_journal& operator=(const option_journal&) = delete;

  /// Each key and its value before the run (nullopt: it was not set).
  [[nodiscard]] const std::vector<std::pair<std::string, std::optional<std::string>>>& originals()
      const noexcept {
    return originals_;
  }
  /// Puts every option back and removes the journal. Never throws; what
  /// fails is logged, and the journal stays for the next run.
  void restore() noexcept;

 private:
  gluster_cli& cli_;
  std::string volume_;
  std::vector<std::pair<std::string, std::optional<std::string>>> originals_;
  bool restored_ = false;
};

/// Sets `key` to `value` on `volume`, or resets it when there is no value.
void set_or_reset(gluster_cli& cli, const std::string& volume, const std::string& key,
                  const std::optional<std::string>& value);

}  // namespace gfbench::app
