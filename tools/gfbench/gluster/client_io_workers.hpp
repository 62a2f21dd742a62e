#pragma once
// How many libgfapi io-threads workers a case found when it started.
//
// With performance.client-io-threads on (glusterfs' default for volumes
// without replication), every call of a gfapi client goes through the
// io-threads translator's pool. The pool grows with the requests queued
// (up to 16 workers) and keeps a worker until it has idled 120 s, so a case
// that runs after a deeper one in the same process starts with the workers
// that one grew: more threads than its own requests can keep busy, each
// woken in turn. On a 2-CPU client that was measured to slow depth-1 writes
// by a quarter (docs/performance.md). A fresh client, as each fio job is,
// starts with one. The count is kept per case (counter
// `client_io_workers`), and the summary names the cases that started with
// more workers than they keep requests in flight.
//
// The workers are the process's threads named "glfs_iotwr..." (glusterfs
// names its threads "glfs_" + the translator's tag): every gfapi connection
// of the process counts, which is what the machine runs.

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "common/counter_names.hpp"
#include "gfbench/observer.hpp"

namespace gfbench::app {

/// Threads of the process whose task directory is `task_dir` (default: this
/// process's /proc/self/task) with a name starting "glfs_iotwr".
[[nodiscard]] unsigned count_io_workers(const std::filesystem::path& task_dir = "/proc/self/task");

/// Counts the workers before each case on one of `gfapi_labels` and reports
/// them as the case's `client_io_workers` counter.
class io_workers_observer final : public case_observer {
 public:
  explicit io_workers_observer(std::set<std::string> gfapi_labels)
      : labels_(std::move(gfapi_labels)) {}
  void before_case(const case_info& c) override;
  void after_case(const case_info& c, benchmark::State& state) override;

 private:
  std::set<std::string> labels_;
  std::optional<unsigned> at_start_;
};

}  // namespace gfbench::app
