// What the options make for the library: the matrix (a named workload's
// settings applied by the library's apply_vm_workload, the one place that
// knows them, then what the user swept), the metadata phases, the
// connection.

#include "cli/cli_options.hpp"

#include "gfbench/workloads.hpp"

namespace gfbench::app {

benchmark_matrix cli_options::matrix() const {
  benchmark_matrix m;
  m.operations = operations;
  m.file_sizes.clear();
  for (const size_option& s : file_sizes) m.file_sizes.push_back(s.bytes);
  m.block_sizes.clear();
  for (const size_option& s : block_sizes) m.block_sizes.push_back(s.bytes);
  m.read_cache_modes = read_cache_modes;
  m.options.fsync = fsync;
  m.options.include_close = include_close;
  m.options.direct = direct;
  m.options.verify = verify;
  m.iterations = iterations;
  m.options.read_percent = read_percent;
  m.options.stonewall = stonewall;
  m.options.wear_out = wear_out;
  if (!queued()) return m;
  m.options.queued = true;
  m.options.runtime = runtime;
  m.options.ramp_up = ramp_up;
  m.options.flush_interval = flush_interval;
  m.options.continue_on_error = continue_on_error;
  m.queue_depths = queue_depths;
  m.thread_counts = thread_counts;
  m.rates_iops = rates_iops;
  m.options.arrival = arrival;
  m.options.distribution = distribution;
  if (!workload.empty()) {
    apply_vm_workload(*find_vm_workload(workload), m);
    // What the user gave still counts: a sweep of depths or threads, a
    // flush interval of their own.
    if (!queue_depths.empty()) m.queue_depths = queue_depths;
    if (!thread_counts.empty()) m.thread_counts = thread_counts;
    if (flush_interval.count() > 0) m.options.flush_interval = flush_interval;
  }
  return m;
}

metadata_matrix cli_options::meta_matrix() const {
  metadata_matrix m;
  m.operations = meta_operations;
  m.files_per_thread = file_counts;
  m.file_sizes.clear();
  for (const size_option& s : file_sizes) m.file_sizes.push_back(s.bytes);
  m.thread_counts = thread_counts.empty() ? std::vector<unsigned>{1} : thread_counts;
  m.cache_modes = meta_cache_modes;
  m.options.files_per_dir = files_per_dir;
  m.options.fsync = fsync;
  return m;
}

volume_options cli_options::connect_options() const {
  volume_options v;
  v.volume = volume;
  v.servers = servers;
  v.log_file = gfapi_log.empty() ? "/dev/null" : gfapi_log;
  v.log_level = gfapi_log_level;
  v.connect_timeout = connect_timeout;
  return v;
}

}  // namespace gfbench::app
